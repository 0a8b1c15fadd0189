#if canImport(Glibc)
import Glibc
#endif
import SecretsLint

/// glibc's `mallopt` (malloc.h is not in the C library's Swift module) and its two options used here.
@_silgen_name("mallopt") private func mallocOption(_ option: Int32, _ value: Int32) -> Int32
private let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
private let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD

/// The process around `LanguageServer`: framed messages from standard input, to standard output.
public enum ServerMain {
    /// Serves until `exit` or the end of input; the process's exit status.
    public static func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        // Every keystroke copies the document's text and the arrays derived from it: from the heap, not from
        // fresh mappings, which a big file's 150 KiB would otherwise get (and fault in) on each edit.
        _ = mallocOption(mmapThreshold, 16 << 20)
        _ = mallocOption(trimThreshold, 32 << 20)
        var status: Int32 = 1
        // Analysis recurses on the tree: the loop runs where the stack allows `Linter.maximumNesting`.
        LargeStackThread.run { status = serve() }
        return status
    }

    private static func serve() -> Int32 {
        var outputFailed = false
        let server: LanguageServer
        do {
            server = try LanguageServer(
                send: { bytes in if !writeAll(bytes) { outputFailed = true } },
                log: { line in fputs("djlint-secrets server: \(line)\n", stderr) })
        } catch {
            fputs("djlint-secrets server: \(error)\n", stderr)
            return 2
        }
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return server.statusAtEndOfInput }
            decoder.append(buffer[0..<count])
            while true {
                let body: [UInt8]?
                do { body = try decoder.next() } catch let error as FramingError {
                    server.handleFramingError(error)
                    continue
                } catch { continue }
                guard let body else { break }
                server.handle(body)
                if let status = server.exitStatus { return status }
                if outputFailed { return 1 }
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(1, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
