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
    public struct Problem: Error {
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
            switch root(path) {
            case .failure(let problem): problems.append(problem)
            case .success(.file(let file)): visit(file)
            case .success(.folder(let folder)): walk(folder, problems: &problems, visit: visit)
            }
        }
    }

    private func walk(_ folder: Folder, problems: inout [Problem], visit: (WalkedFile) -> Void) {
        let listing = list(folder)
        problems.append(contentsOf: listing.problems)
        listing.files.forEach(visit)
        for subfolder in listing.subfolders {
            switch subfolder.open() {
            case .success(let opened): walk(opened, problems: &problems, visit: visit)
            case .failure(let problem): problems.append(problem)
            }
        }
    }

    /// A folder to list: open, with the `.gitignore` rules around it.
    struct Folder {
        let directory: OpenDirectory
        /// The path as reported (`folder/name` from the command line's path), and made absolute for `.gitignore`.
        let path: String
        let absolute: String
        let ignores: GitIgnoreStack
        let depth: Int
    }

    /// A subfolder found by a listing, opened only when its turn comes.
    struct Subfolder {
        let parent: OpenDirectory
        let name: String
        let path: String
        let absolute: String
        let ignores: GitIgnoreStack
        let depth: Int

        func open() -> Result<Folder, Problem> {
            do {
                let directory = try parent.openSubdirectory(name, path: path)
                return .success(Folder(directory: directory, path: path, absolute: absolute, ignores: ignores, depth: depth))
            } catch {
                return .failure(Problem(path: path, reason: (error as? FileError)?.reason ?? "\(error)"))
            }
        }
    }

    enum Root {
        case file(WalkedFile)
        case folder(Folder)
    }

    /// A path from the command line: a file is taken as it is, a folder is opened for walking.
    func root(_ path: String) -> Result<Root, Problem> {
        var status = stat()
        guard stat(path, &status) == 0 else { return .failure(Problem(path: path, reason: String(cString: strerror(errno)))) }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { return .success(.file(WalkedFile(path: path))) }
        let directory: OpenDirectory
        do { directory = try OpenDirectory.open(path) } catch {
            return .failure(Problem(path: path, reason: (error as? FileError)?.reason ?? "\(error)"))
        }
        let absolute = FileSystem.absolute(path)
        return .success(.folder(Folder(
            directory: directory, path: path == "/" ? "" : path.trimmingSuffix("/"), absolute: absolute,
            ignores: GitIgnoreStack.enclosing(absolute), depth: 0)))
    }

    /// What one folder holds for the walk, each part sorted by name: Python files and subfolders to walk.
    struct Listing {
        var files: [WalkedFile] = []
        var subfolders: [Subfolder] = []
        var problems: [Problem] = []
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

    func list(_ folder: Folder) -> Listing {
        var listing = Listing()
        let path = folder.path
        guard folder.depth < 256 else {
            listing.problems.append(Problem(path: path, reason: "folders nested too deep, not walked further"))
            return listing
        }
        let directory = folder.directory
        let entries: [OpenDirectory.Entry]
        do {
            entries = try directory.entries(path: path.isEmpty ? "/" : path) { name in
                Self.isPythonName(name) || name.elementsEqual(Self.gitIgnoreName) || name.elementsEqual(Self.virtualEnvironmentMarker)
            }
        } catch {
            listing.problems.append(Problem(path: path, reason: (error as? FileError)?.reason ?? "\(error)"))
            return listing
        }
        // A virtual environment (its `pyvenv.cfg`) holds installed packages, not the project's code.
        if folder.depth > 0 && entries.contains(where: { $0.name == Self.virtualEnvironmentMarker && $0.kind != UInt8(DT_DIR) }) {
            return listing
        }
        // The folder's own `.gitignore`, seen in the listing: no probe for the many folders without one.
        var ignores = folder.ignores
        if entries.contains(where: { $0.name == Self.gitIgnoreName && $0.kind != UInt8(DT_DIR) }) {
            ignores = ignores.entering(folder.absolute)
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
                    listing.problems.append(Problem(path: path + "/" + String(decoding: entry.name, as: UTF8.self),
                                                    reason: "name is not valid UTF-8, skipped"))
                }
                continue
            }
            if kind == UInt8(DT_UNKNOWN) {
                guard let found = directory.kind(of: entry.name) else { continue }
                kind = found
            }
            let entryPath = path + "/" + name
            switch kind {
            case UInt8(DT_DIR):
                if Self.skippedFolders.contains(name) || isExcluded(entryPath, name: name) { continue }
                if hasIgnoreRules && ignores.isIgnored(folder.absolute + "/" + name, isDirectory: true) { continue }
                subfolders.append(name)
            case UInt8(DT_REG):
                if !isPython || isExcluded(entryPath, name: name) { continue }
                if hasIgnoreRules && ignores.isIgnored(folder.absolute + "/" + name, isDirectory: false) { continue }
                files.append(name)
            default:
                continue  // Links are not followed during a walk.
            }
        }
        listing.files = files.sorted().map { WalkedFile(path: path + "/" + $0, directory: directory, name: $0) }
        listing.subfolders = subfolders.sorted().map { name in
            Subfolder(parent: directory, name: name, path: path + "/" + name, absolute: folder.absolute + "/" + name,
                      ignores: ignores, depth: folder.depth + 1)
        }
        return listing
    }
}
