#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct FileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    /// The system refused access (missing, permissions, a link loop): a named path that is
    /// unreadable ends the run with status 2. A file skipped for what it holds (too large, not a
    /// regular file) is not.
    public let isUnreadable: Bool
    /// The error number, when the system reported one.
    public let code: Int32?
    public var description: String { "\(path): \(reason)" }

    init(path: String, errno code: Int32) {
        self.path = path
        reason = String(cString: strerror(code))
        isUnreadable = true
        self.code = code
    }

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
        isUnreadable = false
        code = nil
    }
}

/// File access through POSIX calls: whole-file reads without Foundation, atomic replacement.
public enum FileSystem {
    public static let maximumSourceSize = 10 * 1024 * 1024

    /// Opens a regular file for reading. `O_NONBLOCK` keeps a FIFO or a device named on the command
    /// line from blocking the open; anything but a regular file is refused.
    static func openRegularFile(_ path: String, status: inout stat) throws -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        try checkRegularFile(descriptor, path: path, status: &status)
        return descriptor
    }

    /// Closes `descriptor` and throws unless it is a regular file.
    static func checkRegularFile(_ descriptor: Int32, path: String, status: inout stat) throws {
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw FileError(path: path, errno: code)
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(descriptor)
            throw FileError(path: path, reason: kind == S_IFDIR ? "is a directory" : "not a regular file, skipped")
        }
    }

    public static func read(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        try ReusableFileReader(capacity: 1 << 16).withContents(of: path, limit: limit) { Array($0) }
    }

    /// The file's bytes, or nil when it does not exist. Any other failure throws: a file that exists
    /// but cannot be read must never be taken for an empty one and overwritten.
    public static func readIfExists(_ path: String, limit: Int = maximumSourceSize) throws -> [UInt8]? {
        var attempts = 0
        while true {
            do {
                return try read(path, limit: limit)
            } catch let error as FileError where error.code == ENOENT {
                var status = stat()
                guard lstat(path, &status) == 0 else { return nil }
                // A dangling link is not "no file": writing would replace the link. Anything else appeared
                // since the open (another run renamed its new file into place): read that.
                attempts += 1
                if (status.st_mode & S_IFMT) == S_IFLNK || attempts > 3 { throw error }
            }
        }
    }

    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The file a write to `path` lands in: a symbolic link is followed, so the link stays a link
    /// and its target is what changes (a dangling link's target is created).
    public static func writeTarget(_ path: String) -> String {
        if case .some(.some(let target)) = linkTarget(path) { return target }
        return path
    }

    /// nil when `path` is not a symbolic link; otherwise the absolute, link-free path it leads to (which
    /// need not exist yet), or `.some(nil)` when that cannot be worked out (a loop, a missing folder).
    public static func linkTarget(_ path: String) -> String?? {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else { return nil }
        if let resolved = realPath(path) { return .some(resolved) }
        // Dangling: resolve the folder the last link names, and keep its file name.
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return .some(nil) }
            let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let next = text.hasPrefix("/") ? normalize(text) : normalize(parentDirectory(of: current) + "/" + text)
            guard lstat(next, &status) == 0 else {
                guard let folder = realPath(parentDirectory(of: next)) else { return .some(nil) }
                let name = next.split(separator: "/").last.map(String.init) ?? ""
                return .some(folder == "/" ? "/" + name : folder + "/" + name)
            }
            guard (status.st_mode & S_IFMT) == S_IFLNK else { return .some(realPath(next)) }
            current = next
        }
        return .some(nil)
    }

    /// `realpath(3)`: absolute, with every link resolved; nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    /// Throws when `path` (an existing file, or a new one in its folder) must not be replaced:
    /// a read-only file (no write permission bit for anyone: refused even for root), a file this
    /// process may not write, one with several hard links (the others would keep the old content),
    /// not a regular file, or a folder where no file can be made.
    public static func checkWritable(_ path: String) throws {
        let target = writeTarget(path)
        let folder = parentDirectory(of: target)
        var status = stat()
        if lstat(target, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, reason: "not a regular file") }
            if status.st_mode & 0o222 == 0 { throw FileError(path: path, reason: "read-only file") }
            if access(target, W_OK) != 0 { throw FileError(path: path, errno: errno) }
            if status.st_nlink > 1 {
                throw FileError(path: path, reason: "has \(status.st_nlink) hard links; replacing it would leave the others unchanged")
            }
        } else if errno != ENOENT {
            throw FileError(path: path, errno: errno)
        }
        var folderStatus = stat()
        guard stat(folder, &folderStatus) == 0 else { throw FileError(path: folder, errno: errno) }
        if folderStatus.st_mode & 0o222 == 0 { throw FileError(path: path, reason: "its folder \(folder) is read-only") }
        if access(folder, W_OK | X_OK) != 0 {
            throw FileError(path: path, reason: "its folder \(folder): \(String(cString: strerror(errno)))")
        }
    }

    /// Test hook, for the crash-safety tests only: with `DJLINT_SECRETS_CRASH_AFTER=N` in the
    /// environment, the process ends abruptly (`_exit`, no clean-up, as if killed) at the N-th write
    /// step. Steps, per file written: temporary file made, half written, flushed, renamed.
    private static let crashAfterStep: Int? = getenv("DJLINT_SECRETS_CRASH_AFTER").flatMap { Int(String(cString: $0)) }
    nonisolated(unsafe) private static var writeSteps = 0

    private static func writeStep() {
        guard let crashAfterStep else { return }
        writeSteps += 1
        if writeSteps == crashAfterStep { _exit(86) }
    }

    /// Replaces `path` with `bytes` so that a crash leaves either the old or the new file:
    /// a temporary file in the same folder is written, flushed and renamed over the original.
    /// The original's mode and owner are kept; a new file gets `newFileMode`. A symbolic link is
    /// followed. Whatever `checkWritable` refuses is refused here too, before anything is written.
    /// `ownerOnly` (a file that holds secrets): the group's and others' permission bits are dropped;
    /// the original's mode is returned when that changed it.
    @discardableResult
    public static func writeAtomically(_ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o644, ownerOnly: Bool = false) throws -> mode_t? {
        try checkWritable(path)
        let target = writeTarget(path)
        let folder = parentDirectory(of: target)
        let name = target.split(separator: "/").last.map(String.init) ?? target
        var original = stat()
        let exists = stat(target, &original) == 0
        var mode = exists ? original.st_mode & 0o7777 : newFileMode
        var loosened: mode_t?
        if ownerOnly && mode & 0o077 != 0 {
            if exists { loosened = mode }
            mode &= ~0o077
        }
        removeStaleTemporaries(of: name, in: folder)
        var template = Array("\(folder)/.\(name).djlint-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        let temporary = String(cString: template)
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        writeStep()
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw FileError(path: path, errno: errno) }
            // Root fixing someone else's file leaves it theirs; for anyone else this is a no-op.
            if exists { _ = fchown(descriptor, original.st_uid, original.st_gid) }
            let half = bytes.count / 2
            try writeAll(bytes[..<half], to: descriptor, path: path)
            writeStep()
            try writeAll(bytes[half...], to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw FileError(path: path, errno: errno) }
        }
        writeStep()
        guard rename(temporary, target) == 0 else { throw FileError(path: path, errno: errno) }
        succeeded = true
        writeStep()
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
        return loosened
    }

    /// Deletes temporary files an interrupted run left beside `name` (`.NAME.djlint-XXXXXX`): the one
    /// of `.env` holds secrets under a name `.gitignore` does not cover. A file another run is writing
    /// right now would make that run's rename fail, reported, with nothing corrupted.
    private static func removeStaleTemporaries(of name: String, in folder: String) {
        let prefix = Array(".\(name).djlint-".utf8)
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard entryName.count == prefix.count + 6, entryName.starts(with: prefix) else { continue }
            stale.append(folder + "/" + String(decoding: entryName, as: UTF8.self))
        }
        for path in stale {
            var status = stat()
            if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG { unlink(path) }
        }
    }

    private static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, errno: errno)
            }
            written += count
        }
    }

    /// The name after the last `/` (the whole path when there is none).
    public static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        guard let directory = getcwd(nil, 0) else { return normalize(path) }
        defer { free(directory) }
        return normalize(String(cString: directory) + "/" + path)
    }

    /// `.` and empty parts dropped, `..` applied, as bytes (paths are compared often, and rarely need more).
    static func normalize(_ path: String) -> String {
        var parts: [ArraySlice<UInt8>] = []
        let bytes = Array(path.utf8)
        for part in bytes.split(separator: UInt8(ascii: "/")) {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        var result: [UInt8] = [UInt8(ascii: "/")]
        result.reserveCapacity(bytes.count + 1)
        for (index, part) in parts.enumerated() {
            if index > 0 { result.append(UInt8(ascii: "/")) }
            result.append(contentsOf: part)
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// Reads files into one reused buffer, so scanning a tree does not allocate (and fault in) fresh
/// memory for every file. One reader per thread.
public final class ReusableFileReader {
    private var buffer: UnsafeMutableRawBufferPointer
    public private(set) var count = 0

    public init(capacity: Int = 1 << 20) {
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Reads `path` (at most `limit` bytes) and hands its bytes to `body`; the bytes are valid only inside it.
    public func withContents<Result>(
        of path: String, limit: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        var status = stat()
        let descriptor = try FileSystem.openRegularFile(path, status: &status)
        return try withContents(descriptor: descriptor, status: status, path: path, limit: limit, body)
    }

    /// Reads a file the walk found, opened relative to its folder.
    public func withContents<Result>(
        of file: WalkedFile, limit: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        guard let directory = file.directory else { return try withContents(of: file.path, limit: limit, body) }
        let descriptor = directory.openFile(file.name)
        guard descriptor >= 0 else { throw FileError(path: file.path, errno: errno) }
        var status = stat()
        try FileSystem.checkRegularFile(descriptor, path: file.path, status: &status)
        return try withContents(descriptor: descriptor, status: status, path: file.path, limit: limit, body)
    }

    /// Reads the open `descriptor` and closes it.
    private func withContents<Result>(
        descriptor: Int32, status: stat, path: String, limit: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        defer { close(descriptor) }
        if Int(status.st_size) > limit { throw FileError(path: path, reason: "larger than \(limit / 1024 / 1024) MiB, skipped") }
        count = 0
        // A regular file's size says when the bytes are all in, without a last read that returns 0.
        let expected = Int(status.st_size)
        if expected >= buffer.count { grow(to: expected + 1) }
        while expected == 0 || count < expected {
            if count == buffer.count { grow(to: buffer.count * 2) }
            let read = Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            if read < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, errno: errno)
            }
            if read == 0 { break }
            count += read
            if count > limit { throw FileError(path: path, reason: "larger than \(limit / 1024 / 1024) MiB, skipped") }
        }
        return try body(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
    }

    private func grow(to capacity: Int) {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        buffer.deallocate()
        buffer = larger
    }
}
