import CScan
#if canImport(Glibc)
import Glibc
#endif

/// An open folder of the walk. Subfolders and files are opened relative to it, so the kernel does
/// not resolve their whole path again; it closes when the walk and every file queued from it are done.
public final class OpenDirectory: @unchecked Sendable {
    let descriptor: Int32

    /// A listed name: its bytes (not yet a Swift string) and the entry type the listing gave.
    struct Entry {
        let name: [UInt8]
        let kind: UInt8
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Opens `path` (a folder given on the command line).
    static func open(_ path: String) throws -> OpenDirectory {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        return OpenDirectory(descriptor: descriptor)
    }

    /// Opens the subfolder `name`; a symbolic link is not followed.
    func openSubdirectory(_ name: String, path: String) throws -> OpenDirectory {
        let descriptor = openat(self.descriptor, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw FileError(path: path, errno: errno) }
        return OpenDirectory(descriptor: descriptor)
    }

    /// Opens the file `name` for reading, without blocking on a FIFO.
    func openFile(_ name: String) -> Int32 {
        openat(descriptor, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    }

    /// The type of `name` when the listing did not give one (some file systems don't); links are not followed.
    func kind(of name: [UInt8]) -> UInt8? {
        var status = stat()
        let found = (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { fstatat(descriptor, $0.baseAddress!, &status, AT_SYMLINK_NOFOLLOW) }
        }
        guard found == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return UInt8(DT_DIR)
        case S_IFLNK: return UInt8(DT_LNK)
        case S_IFREG: return UInt8(DT_REG)
        default: return UInt8(DT_UNKNOWN)
        }
    }

    /// Every entry but `.` and `..`, in the order the file system gives them, except the regular
    /// files `keepFile` turns down (most of a tree: they are never made into arrays).
    func entries(path: String, keepFile: (UnsafeRawBufferPointer) -> Bool) throws -> [Entry] {
        var entries: [Entry] = []
        let capacity = 32 << 10
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let filled = directory_scan_read(descriptor, buffer, capacity)
            if filled < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, errno: errno)
            }
            if filled == 0 { return entries }
            var offset = 0
            // linux_dirent64: inode (8 bytes), offset (8), record length (2), type (1), name (NUL-terminated).
            while offset < filled {
                let record = buffer + offset
                let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                let kind = record.load(fromByteOffset: 18, as: UInt8.self)
                let name = record + 19
                let nameLength = strnlen(name.assumingMemoryBound(to: CChar.self), length - 19)
                offset += length
                let raw = UnsafeRawBufferPointer(start: name, count: nameLength)
                if kind == UInt8(DT_REG) && !keepFile(raw) { continue }
                if raw.elementsEqual([0x2E]) || raw.elementsEqual([0x2E, 0x2E]) { continue }
                entries.append(Entry(name: Array(raw), kind: kind))
            }
        }
    }
}
