#if canImport(Glibc)
import Glibc
#endif

/// Finds candidate `*.py` files under the paths given on the command line.
public struct FileWalker {
    public struct Problem {
        public let path: String
        public let reason: String
    }

    public let exclude: [String]

    static let skippedFolders: Set<String> = [".git", ".hg", ".svn", "node_modules", "__pycache__", "site-packages",
                                              ".tox", ".nox", ".mypy_cache", ".ruff_cache", ".pytest_cache"]

    public init(exclude: [String] = []) {
        self.exclude = exclude
    }

    /// Files named explicitly are always returned; folders are walked for `*.py`.
    public func files(under paths: [String], problems: inout [Problem]) -> [String] {
        var found: [String] = []
        walk(paths, problems: &problems) { found.append($0) }
        return found
    }

    /// Calls `visit` with each file as soon as it is found, so checking can start while the walk goes on.
    public func walk(_ paths: [String], problems: inout [Problem], visit: (String) -> Void) {

        for path in paths {
            var status = stat()
            guard stat(path, &status) == 0 else {
                problems.append(Problem(path: path, reason: String(cString: strerror(errno))))
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                let folder = path == "/" ? "" : path.trimmingSuffix("/")
                let ignores = GitIgnoreStack.enclosing(FileSystem.absolute(path))
                walk(folder, absolute: FileSystem.absolute(path), ignores: ignores, problems: &problems, depth: 0, visit: visit)
            } else {
                visit(path)
            }
        }
    }



    private static func isVirtualEnvironmentMarker<Name>(_ name: Name) -> Bool {
        withUnsafeBytes(of: name) { raw in
            let marker: StaticString = "pyvenv.cfg"
            let length = marker.utf8CodeUnitCount
            return raw.count > length && raw[length] == 0 && memcmp(raw.baseAddress!, marker.utf8Start, length) == 0
        }
    }

    private func isExcluded(_ path: String, name: String) -> Bool {
        exclude.contains { Glob.matches($0, path: name) || Glob.matches($0, path: path) || Glob.matches("**/" + $0, path: path) }
    }

    /// `absolute` is `folder` made absolute, for matching `.gitignore` patterns.
    private func walk(
        _ folder: String, absolute: String, ignores enclosing: GitIgnoreStack, problems: inout [Problem], depth: Int,
        visit: (String) -> Void
    ) {
        guard depth < 256 else {
            problems.append(Problem(path: folder, reason: "folders nested too deep, not walked further"))
            return
        }
        guard let directory = opendir(folder.isEmpty ? "/" : folder) else {
            problems.append(Problem(path: folder, reason: String(cString: strerror(errno))))
            return
        }
        defer { closedir(directory) }
        let ignores = enclosing.entering(absolute)
        let hasIgnoreRules = !ignores.levels.isEmpty
        var subfolders: [String] = []
        var files: [String] = []
        while let entry = readdir(directory) {
            var kind = entry.pointee.d_type
            // Most entries are files that are not Python: decide from the raw name before making strings.
            let isPython = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Bool in
                let length = raw.firstIndex(of: 0) ?? raw.count
                return length > 3 && raw[length - 3] == UInt8(ascii: ".") && raw[length - 2] == UInt8(ascii: "p")
                    && raw[length - 1] == UInt8(ascii: "y")
            }
            if !isPython && kind != UInt8(DT_DIR) {
                // A virtual environment (its `pyvenv.cfg`) holds installed packages, not the project's code.
                if depth > 0 && Self.isVirtualEnvironmentMarker(entry.pointee.d_name) { return }
                if kind == UInt8(DT_REG) { continue }
            }
            let (name, isValidName) = withUnsafeBytes(of: entry.pointee.d_name) { raw -> (String, Bool) in
                let bytes = raw.prefix { $0 != 0 }
                var iterator = bytes.makeIterator()
                var decoder = UTF8()
                var valid = true
                decoding: while true {
                    switch decoder.decode(&iterator) {
                    case .scalarValue: continue
                    case .emptyInput: break decoding
                    case .error: valid = false; break decoding
                    }
                }
                return (String(decoding: bytes, as: UTF8.self), valid)
            }
            if name == "." || name == ".." { continue }
            let path = folder + "/" + name
            // A path is a Swift string: a name that is not UTF-8 cannot be opened again from it.
            guard isValidName else {
                if kind == UInt8(DT_DIR) || (kind != UInt8(DT_LNK) && isPython) {
                    problems.append(Problem(path: path, reason: "name is not valid UTF-8, skipped"))
                }
                continue
            }
            if kind == UInt8(DT_UNKNOWN) {
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                kind = (status.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (status.st_mode & S_IFMT) == S_IFLNK ? UInt8(DT_LNK) : UInt8(DT_REG)
            }
            switch kind {
            case UInt8(DT_DIR):
                if Self.skippedFolders.contains(name) || isExcluded(path, name: name) { continue }
                if hasIgnoreRules && ignores.isIgnored(absolute + "/" + name, isDirectory: true) { continue }
                subfolders.append(name)
            case UInt8(DT_REG):
                if !isPython || isExcluded(path, name: name) { continue }
                if hasIgnoreRules && ignores.isIgnored(absolute + "/" + name, isDirectory: false) { continue }
                files.append(path)
            default:
                continue  // Links are not followed during a walk.
            }
        }
        files.sorted().forEach(visit)
        for name in subfolders.sorted() {
            let subfolder = folder + "/" + name
            walk(subfolder, absolute: absolute + "/" + name, ignores: ignores, problems: &problems, depth: depth + 1, visit: visit)
        }
    }
}
