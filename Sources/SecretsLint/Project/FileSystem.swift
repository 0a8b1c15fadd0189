#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct FileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }

    init(path: String, errno code: Int32) {
        self.path = path
        reason = String(cString: strerror(code))
    }

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// File access through POSIX calls: whole-file reads without Foundation, atomic replacement.
public enum FileSystem {
    public static let maximumSourceSize = 10 * 1024 * 1024

    public static func read(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileError(path: path, errno: errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw FileError(path: path, reason: "is a directory") }
        let size = Int(status.st_size)
        if size > limit { throw FileError(path: path, reason: "larger than \(limit / 1024 / 1024) MiB, skipped") }
        var bytes = [UInt8](repeating: 0, count: max(size, 0))
        var total = 0
        while true {
            if total == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, errno: errno)
            }
            if count == 0 { break }
            total += count
            if total > limit { throw FileError(path: path, reason: "larger than \(limit / 1024 / 1024) MiB, skipped") }
        }
        bytes.removeLast(bytes.count - total)
        return bytes
    }

    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    static func mode(of path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
    }

    /// Replaces `path` with `bytes` so that a crash leaves either the old or the new file:
    /// a temporary file in the same folder is written, flushed and renamed over the original.
    /// The original's mode is kept; a new file gets `newFileMode`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o644) throws {
        let folder = parentDirectory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let mode = Self.mode(of: path) ?? newFileMode
        var template = Array("\(folder)/.\(name).djlint-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        let temporary = String(cString: template)
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw FileError(path: path, errno: errno) }
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
            guard fsync(descriptor) == 0 else { throw FileError(path: path, errno: errno) }
        }
        guard rename(temporary, path) == 0 else { throw FileError(path: path, errno: errno) }
        succeeded = true
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return normalize(path) }
        return normalize(String(cString: buffer) + "/" + path)
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileError(path: path, errno: errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw FileError(path: path, reason: "is a directory") }
        if Int(status.st_size) > limit { throw FileError(path: path, reason: "larger than \(limit / 1024 / 1024) MiB, skipped") }
        count = 0
        while true {
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
