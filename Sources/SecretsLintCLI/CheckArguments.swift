import SecretsLint
#if canImport(Glibc)
import Glibc
#endif

public enum ColorChoice: String, CaseIterable {
    case auto, always, never
}

/// What `check` was asked to do, however its command line was read.
public struct CheckArguments: Equatable {
    public var paths: [String] = []
    public var fix = false
    public var diff = false
    public var history = false
    public var format: OutputFormat = .text
    public var select: String?
    public var ignore: String?
    public var config: String?
    public var stdinFilename: String?
    public var rotate = false
    public var keepKey = false
    public var exitZero = false
    public var quiet = false
    public var color: ColorChoice = .auto
    public var addNoqa = false
    public var outputFile: String?

    public init() {}
}

/// Errors `check` reports the way swift-argument-parser reports a usage error.
public struct CheckUsageError: Error, CustomStringConvertible {
    public let description: String
}

extension CheckArguments {
    /// Runs the check; the exit status, or a usage error before anything was done.
    public func run() throws -> Int32 {
        let targets = paths.isEmpty ? ["."] : paths
        let start = stdinFilename.map(FileSystem.parentDirectory)
            ?? (targets == ["-"] ? "." : (FileSystem.isDirectory(targets[0]) ? targets[0] : FileSystem.parentDirectory(of: targets[0])))
        var settings: LintSettings
        do {
            settings = try ConfigurationFile.settings(config: config, searchingFrom: start)
        } catch let error as ConfigurationError {
            StandardStreams().err("djlint-secrets: \(error)\n")
            return 2
        }
        if let select = Self.codes(select) { settings.select = select }
        if let ignore = Self.codes(ignore) { settings.ignore = ignore }
        for code in (settings.select ?? []).union(settings.ignore) where RuleRegistry.description(for: code) == nil {
            throw CheckUsageError(description: "unknown rule code \(code)")
        }
        if let problem = Self.conflict(addNoqa: addNoqa, fix: fix, diff: diff, paths: targets) {
            throw CheckUsageError(description: problem)
        }
        if let outputFile {
            // Refused before anything is checked or written, like a settings file that cannot change.
            do { try FileSystem.checkWritable(outputFile) } catch {
                throw CheckUsageError(description: "--output-file \(outputFile): \((error as? FileError)?.reason ?? "\(error)")")
            }
        }
        var options = CheckOptions()
        options.paths = targets
        // `--diff` writes nothing, with `--fix` too (as ruff's `--diff`): a preview never changes a file.
        options.fix = fix && !diff
        options.diff = diff
        options.history = history
        options.format = format
        options.stdinFilename = stdinFilename
        options.keyPolicy = rotate ? .rotate : keepKey ? .keep : .automatic
        options.exitZero = exitZero
        options.quiet = quiet
        options.addNoqa = addNoqa
        options.outputFile = outputFile
        switch color {
        case .always: options.color = true
        case .never: options.color = false
        case .auto: options.color = isatty(1) == 1 && getenv("NO_COLOR") == nil && format == .text && outputFile == nil
        }
        let runner = CheckRunner(options: options, settings: settings, console: StandardStreams())
        let status = runner.run(standardInput: readStandardInput)
        fflush(stdout)
        return status
    }

    /// Why `--add-noqa` cannot run with the other options given, or nil. It rewrites files in place:
    /// fixing and previewing are other runs, and standard input has no file to write.
    static func conflict(addNoqa: Bool, fix: Bool, diff: Bool, paths: [String]) -> String? {
        guard addNoqa else { return nil }
        if fix { return "--add-noqa and --fix exclude each other: fix first, then silence what remains" }
        if diff { return "--add-noqa and --diff exclude each other" }
        if paths.contains("-") { return "--add-noqa rewrites files; it does not read standard input" }
        return nil
    }

    /// `--select DJS001,djs002` as upper-case codes; nil when the option was not given.
    static func codes(_ list: String?) -> Set<String>? {
        list.map { Set($0.split(separator: ",").map { $0.trimmingSpaces().uppercased() }.filter { !$0.isEmpty }) }
    }
}

/// Where the CLI's output goes: the process's standard streams.
final class StandardStreams: Console {
    func out(_ text: String) { fputs(text, stdout) }
    func outBytes(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stdout) } }
    func err(_ text: String) {
        fflush(stdout)
        fputs(text, stderr)
    }
}

func readStandardInput() -> [UInt8] {
    // Read straight into the array: a file's size is known; a pipe (an editor) gets room for any settings module,
    // of which only the pages read into are touched. Growing a buffer copy by copy touched each page three times.
    var status = stat()
    let known = fstat(0, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : 0
    var ended = false
    var bytes = [UInt8](unsafeUninitializedCapacity: max(known + 1, 1 << 20)) { buffer, count in
        count = 0
        while count < buffer.count {
            let read = read(0, buffer.baseAddress! + count, buffer.count - count)
            if read < 0 && errno == EINTR { continue }
            if read <= 0 {
                ended = true
                break
            }
            count += read
        }
    }
    var chunk = [UInt8](repeating: 0, count: ended ? 0 : 65536)
    while !ended {
        let count = read(0, &chunk, chunk.count)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
}

extension Substring {
    func trimmingSpaces() -> String {
        var slice = self
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
