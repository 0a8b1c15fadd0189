#if canImport(Glibc)
import Glibc
#endif

/// A file the walk found: its path for reports, and the folder it was listed in, to open it from.
public struct WalkedFile {
    public let path: String
    /// nil for a file named on the command line: it is opened by its path.
    let directory: OpenDirectory?
    let name: String

    init(path: String, directory: OpenDirectory? = nil, name: String? = nil) {
        self.path = path
        self.directory = directory
        self.name = name ?? path
    }
}

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
        walk(paths, problems: &problems) { found.append($0.path) }
        return found
    }

    /// Calls `visit` with each file as soon as it is found, so checking can start while the walk goes on.
    public func walk(_ paths: [String], problems: inout [Problem], visit: (WalkedFile) -> Void) {
        for path in paths {
            var status = stat()
            guard stat(path, &status) == 0 else {
                problems.append(Problem(path: path, reason: String(cString: strerror(errno))))
                continue
            }
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                visit(WalkedFile(path: path))
                continue
            }
            let folder = path == "/" ? "" : path.trimmingSuffix("/")
            let directory: OpenDirectory
            do { directory = try OpenDirectory.open(path) } catch {
                problems.append(Problem(path: path, reason: (error as? FileError)?.reason ?? "\(error)"))
                continue
            }
            let ignores = GitIgnoreStack.enclosing(FileSystem.absolute(path))
            walk(directory, folder: folder, absolute: FileSystem.absolute(path), ignores: ignores, problems: &problems,
                 depth: 0, visit: visit)
        }
    }

    private func isExcluded(_ path: String, name: String) -> Bool {
        exclude.contains { Glob.matches($0, path: name) || Glob.matches($0, path: path) || Glob.matches("**/" + $0, path: path) }
    }

    private static func isPythonName(_ name: UnsafeRawBufferPointer) -> Bool {
        name.count > 3 && name[name.count - 3] == UInt8(ascii: ".") && name[name.count - 2] == UInt8(ascii: "p")
            && name[name.count - 1] == UInt8(ascii: "y")
    }

    private static let gitIgnoreName = Array(".gitignore".utf8)
    private static let virtualEnvironmentMarker = Array("pyvenv.cfg".utf8)

    /// `absolute` is `folder` made absolute, for matching `.gitignore` patterns.
    private func walk(
        _ directory: OpenDirectory, folder: String, absolute: String, ignores enclosing: GitIgnoreStack,
        problems: inout [Problem], depth: Int, visit: (WalkedFile) -> Void
    ) {
        guard depth < 256 else {
            problems.append(Problem(path: folder, reason: "folders nested too deep, not walked further"))
            return
        }
        let entries: [OpenDirectory.Entry]
        do {
            entries = try directory.entries(path: folder.isEmpty ? "/" : folder) { name in
                Self.isPythonName(name) || name.elementsEqual(Self.gitIgnoreName) || name.elementsEqual(Self.virtualEnvironmentMarker)
            }
        } catch {
            problems.append(Problem(path: folder, reason: (error as? FileError)?.reason ?? "\(error)"))
            return
        }
        // A virtual environment (its `pyvenv.cfg`) holds installed packages, not the project's code.
        if depth > 0 && entries.contains(where: { $0.name == Self.virtualEnvironmentMarker && $0.kind != UInt8(DT_DIR) }) {
            return
        }
        // The folder's own `.gitignore`, seen in the listing: no probe for the many folders without one.
        var ignores = enclosing
        if entries.contains(where: { $0.name == Self.gitIgnoreName && $0.kind != UInt8(DT_DIR) }) {
            ignores = enclosing.entering(absolute)
        }
        let hasIgnoreRules = !ignores.levels.isEmpty
        var subfolders: [String] = []
        var files: [String] = []
        for entry in entries {
            var kind = entry.kind
            let isPython = entry.name.withUnsafeBytes(Self.isPythonName)
            guard let name = String(validating: entry.name, as: UTF8.self) else {
                // A path is a Swift string: a name that is not UTF-8 cannot be opened again from it.
                if kind == UInt8(DT_DIR) || (kind != UInt8(DT_LNK) && isPython) {
                    problems.append(Problem(path: folder + "/" + String(decoding: entry.name, as: UTF8.self),
                                            reason: "name is not valid UTF-8, skipped"))
                }
                continue
            }
            if kind == UInt8(DT_UNKNOWN) {
                guard let found = directory.kind(of: entry.name) else { continue }
                kind = found
            }
            let path = folder + "/" + name
            switch kind {
            case UInt8(DT_DIR):
                if Self.skippedFolders.contains(name) || isExcluded(path, name: name) { continue }
                if hasIgnoreRules && ignores.isIgnored(absolute + "/" + name, isDirectory: true) { continue }
                subfolders.append(name)
            case UInt8(DT_REG):
                if !isPython || isExcluded(path, name: name) { continue }
                if hasIgnoreRules && ignores.isIgnored(absolute + "/" + name, isDirectory: false) { continue }
                files.append(name)
            default:
                continue  // Links are not followed during a walk.
            }
        }
        for name in files.sorted() {
            visit(WalkedFile(path: folder + "/" + name, directory: directory, name: name))
        }
        for name in subfolders.sorted() {
            let subfolder = folder + "/" + name
            let child: OpenDirectory
            do { child = try directory.openSubdirectory(name, path: subfolder) } catch {
                problems.append(Problem(path: subfolder, reason: (error as? FileError)?.reason ?? "\(error)"))
                continue
            }
            walk(child, folder: subfolder, absolute: absolute + "/" + name, ignores: ignores, problems: &problems,
                 depth: depth + 1, visit: visit)
        }
    }
}
