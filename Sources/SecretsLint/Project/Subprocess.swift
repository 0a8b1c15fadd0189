#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with an argument array (never a shell) and collects or streams its standard output.
enum Subprocess {
    struct Result {
        let status: Int32
        let output: [UInt8]
    }

    /// Runs the program and returns its whole standard output: for short answers (paths, status lines).
    static func run(_ arguments: [String], input: [UInt8]? = nil) -> Result? {
        var output: [UInt8] = []
        guard let status = stream(arguments, input: input, consume: { output.append(contentsOf: $0) }) else { return nil }
        return Result(status: status, output: output)
    }

    /// Runs the program and hands its standard output to `consume` chunk by chunk as it arrives, so output
    /// of any size (a whole `git log -p`) is never held in memory. Returns the exit status, nil when the
    /// program cannot be started.
    static func stream(
        _ arguments: [String], input: [UInt8]? = nil, consume: (UnsafeBufferPointer<UInt8>) -> Void
    ) -> Int32? {
        var outputPipe: [Int32] = [0, 0]
        var inputPipe: [Int32] = [0, 0]
        guard pipe(&outputPipe) == 0 else { return nil }
        guard pipe(&inputPipe) == 0 else { close(outputPipe[0]); close(outputPipe[1]); return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for descriptor in [inputPipe[0], inputPipe[1], outputPipe[0], outputPipe[1]] {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var environment = environmentForChild().map { strdup($0) } + [nil]
        defer { for variable in environment { free(variable) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &cArguments, &environment)
        close(inputPipe[0])
        close(outputPipe[1])
        guard spawned == 0 else {
            close(inputPipe[1])
            close(outputPipe[0])
            return nil
        }
        if let input {
            // Small inputs only (paths, values): the pipe buffer holds them without a writer thread.
            _ = input.withUnsafeBytes { write(inputPipe[1], $0.baseAddress, $0.count) }
        }
        close(inputPipe[1])
        let capacity = 1 << 16
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        while true {
            let count = read(outputPipe[0], buffer, capacity)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            consume(UnsafeBufferPointer(start: buffer, count: count))
        }
        close(outputPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// The parent's environment, with git's locale pinned so its output is stable.
    private static func environmentForChild() -> [String] {
        var variables: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let variable = String(cString: entry)
            if !variable.hasPrefix("LC_ALL=") && !variable.hasPrefix("GIT_PAGER=") { variables.append(variable) }
            pointer += 1
        }
        return variables + ["LC_ALL=C", "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0"]
    }
}

/// Cuts a byte stream into lines (without their `\n`); only a line that spans two chunks is copied.
struct LineSplitter {
    private var partial: [UInt8] = []

    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, line: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
                partial.append(contentsOf: UnsafeBufferPointer(start: base + start, count: chunk.count - start))
                return
            }
            let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            if partial.isEmpty {
                line(UnsafeBufferPointer(start: base + start, count: end - start))
            } else {
                partial.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                partial.withUnsafeBufferPointer(line)
                partial.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
    }

    /// The last line, when the stream does not end with `\n`.
    mutating func finish(line: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !partial.isEmpty { partial.withUnsafeBufferPointer(line) }
        partial = []
    }
}
