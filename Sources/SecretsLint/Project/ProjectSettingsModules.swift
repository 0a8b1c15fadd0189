#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

/// The modules a project runs as its Django settings although neither their path nor their statements
/// say so: the ones `DJANGO_SETTINGS_MODULE` names (`manage.py`, `wsgi.py`, `asgi.py`, `conftest.py`,
/// `runtests.py`, pytest / tox / setup.cfg / pyproject configuration, pytest-django's `--ds=`) and the
/// project modules those import (`from .base import *`, `from .local import SECRET_KEY`), followed
/// through chains. Asked only for a file with findings that is not otherwise a settings module;
/// each folder's configuration and each module's imports are read once per run, shared by the
/// scanning threads.
public final class ProjectSettingsModules: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    /// Folder → the settings modules its configuration files name (absolute paths), with the file's name.
    private var namedByFolder: [String: [(module: String, file: String)]] = [:]
    /// Module → the project modules it imports (absolute paths).
    private var importsByModule: [String: [String]] = [:]
    /// Every module reached from the configuration above a folder, by that folder as the run spells it.
    private var reachedFromFolder: [String: (absoluteFolder: String, modules: Set<String>)] = [:]
    private var parser: PythonParser?
    /// The folder relative paths start from (the language server's configuration folder); nil: the working directory.
    private let baseFolder: String?

    /// Files whose configuration is looked for in each folder from the checked file's up to the root.
    static let configurationFiles = [
        "manage.py", "wsgi.py", "asgi.py", "conftest.py", "runtests.py",
        "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml",
    ]
    /// Folders above the file that are searched; a project's configuration sits a few levels up at most.
    static let maximumDepth = 8

    public init(baseFolder: String? = nil) {
        self.baseFolder = baseFolder
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// Whether the project around `path` runs it as settings (named by `DJANGO_SETTINGS_MODULE`, or
    /// imported by such a module).
    public func runsAsSettings(_ path: String) -> Bool {
        let folder = FileSystem.parentDirectory(of: path)
        let name = path.hasSuffix("/") ? "" : String(path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...])
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        // Keyed by the folder as the run spells it: the files of a folder cost one lookup.
        if let known = reachedFromFolder[folder] { return known.modules.contains(known.absoluteFolder + "/" + name) }
        let relativeToBase = folder.hasPrefix("/") || baseFolder == nil ? folder : baseFolder! + "/" + folder
        let absoluteFolder = FileSystem.absolute(relativeToBase)
        let modules = reached(from: absoluteFolder)
        reachedFromFolder[folder] = (absoluteFolder, modules)
        return modules.contains(absoluteFolder + "/" + name)
    }

    /// The modules `DJANGO_SETTINGS_MODULE` names in the configuration of `folder` (absolute) and the
    /// folders above it, up to the work tree's root (absolute paths).
    public func namedSettingsModules(from folder: String) -> [String] {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return seeds(from: folder)
    }

    private func seeds(from folder: String) -> [String] {
        Self.configuredFolders(from: folder).flatMap { named(in: $0).map(\.module) }
    }

    /// `folder` and the folders above it whose configuration counts: up to the work tree's root (a project
    /// does not configure the folders above it), a few levels at most.
    private static func configuredFolders(from folder: String) -> [String] {
        var folders: [String] = []
        var current = folder
        for _ in 0..<maximumDepth {
            folders.append(current)
            if FileSystem.exists(current + "/.git") { break }
            let parent = FileSystem.parentDirectory(of: current)
            if parent == current { break }
            current = parent
        }
        return folders
    }

    private func reached(from folder: String) -> Set<String> {
        let seeds = seeds(from: folder)
        var reached = Set<String>()
        var pending = seeds
        while let module = pending.popLast() {
            guard reached.insert(module).inserted else { continue }
            pending += imports(of: module)
        }
        return reached
    }

    // MARK: - DJANGO_SETTINGS_MODULE

    private func named(in folder: String) -> [(module: String, file: String)] {
        if let known = namedByFolder[folder] { return known }
        let modules = Self.configurationFiles.flatMap { name in settingsModules(namedBy: name, in: folder).map { ($0, name) } }
        namedByFolder[folder] = modules
        return modules
    }

    /// The settings modules that the configuration file `name` of `folder` names (absolute paths).
    private func settingsModules(namedBy name: String, in folder: String) -> [String] {
        let file = folder + "/" + name
        guard let bytes = try? FileSystem.readIfExists(file) else { return [] }
        let values = name.hasSuffix(".py") ? Self.pythonSettingsModules(bytes, path: file, parser: sharedParser()) : Self.configuredSettingsModules(bytes)
        return values.compactMap { Self.locate(module: $0, from: folder) }
    }

    /// The files through which a test runner picks its settings (pytest-django, tox, a `runtests.py`).
    static let testRunnerConfigurationFiles = ["conftest.py", "runtests.py", "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml"]

    /// The settings modules a test runner's configuration names, from `folder` (absolute) up to the work
    /// tree's root, each with the file that names it (read once per folder, as for `runsAsSettings`).
    public func testRunnerSettingsModules(from folder: String) -> [(module: String, configuration: String)] {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return Self.configuredFolders(from: folder).flatMap { current in
            named(in: current).filter { Self.testRunnerConfigurationFiles.contains($0.file) }.map { ($0.module, current + "/" + $0.file) }
        }
    }

    /// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`,
    /// `os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"`, anywhere in the file (`main()` included).
    static func pythonSettingsModules(_ bytes: [UInt8], path: String, parser: PythonParser?) -> [String] {
        guard bytes.withUnsafeBufferPointer({ ByteSearch.contains($0, "DJANGO_SETTINGS_MODULE") }),
              case .success(let source) = SourceAdmission.admit(bytes, path: path),
              let tree = try? parser?.parse(source), !tree.root.nests(deeperThan: Linter.maximumNesting) else { return [] }
        var values: [String] = []
        func isVariableName(_ node: SyntaxNode?) -> Bool {
            node.flatMap { StaticValue.evaluate($0)?.stringValue } == "DJANGO_SETTINGS_MODULE"
        }
        tree.root.walk { node in
            switch node.type {
            case "call":
                let arguments = CallArguments(node)
                if isVariableName(arguments.positional(0)), let value = arguments.positional(1).flatMap({ StaticValue.evaluate($0)?.stringValue }) {
                    values.append(value)
                }
            case "assignment":
                if let target = node.child(field: .left), target.type == "subscript", isVariableName(target.child(field: .subscript)),
                   let value = node.child(field: .right).flatMap({ StaticValue.evaluate($0)?.stringValue }) {
                    values.append(value)
                }
            default:
                break
            }
            return true
        }
        return values
    }

    /// `DJANGO_SETTINGS_MODULE = tests.settings` in any section of an ini-style or TOML file (pytest.ini,
    /// tox.ini `setenv`, setup.cfg `[tool:pytest]`, pyproject `[tool.pytest.ini_options]`, quoted or not),
    /// and pytest-django's `--ds=tests.settings` (or `--ds tests.settings`) in `addopts`.
    static func configuredSettingsModules(_ bytes: [UInt8]) -> [String] {
        var values: [String] = []
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let content = line.prefix { $0 != "#" && $0 != ";" }
            for marker in ["DJANGO_SETTINGS_MODULE", "--ds"] {
                var rest = content[...]
                while let found = rest.firstRange(of: marker) {
                    rest = rest[found.upperBound...]
                    var value = rest.drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }
                    if let separator = value.first, separator == "=" || separator == ":" {
                        value = value.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }
                    } else if marker != "--ds" || value.startIndex == rest.startIndex {
                        // A command-line option may also take its value after a space: `--ds tests.settings`.
                        continue
                    }
                    let module = value.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                    if !module.isEmpty { values.append(String(module)) }
                }
            }
        }
        return values
    }

    /// `mysite.settings` from the configuration's folder, an ancestor of it (`wsgi.py` sits inside the
    /// package), or its `src/` folder: the module's file or package.
    static func locate(module: String, from folder: String) -> String? {
        let relative = module.split(separator: ".").joined(separator: "/")
        guard !relative.isEmpty else { return nil }
        var bases = [folder, folder + "/src"]
        var current = folder
        for _ in 0..<2 {
            let parent = FileSystem.parentDirectory(of: current)
            if parent == current { break }
            bases.append(parent)
            current = parent
        }
        for base in bases {
            for candidate in [base + "/" + relative + ".py", base + "/" + relative + "/__init__.py"]
            where FileSystem.exists(candidate) && !FileSystem.isDirectory(candidate) {
                return FileSystem.absolute(candidate)
            }
        }
        return nil
    }

    // MARK: - Imports of settings modules

    /// The project modules `module` imports from settings-level code: `from .base import *`,
    /// `from .local import SECRET_KEY`, `from mysite.settings.base import env`.
    private func imports(of module: String) -> [String] {
        if let known = importsByModule[module] { return known }
        importsByModule[module] = []
        var found: [String] = []
        if let bytes = try? FileSystem.read(module, limit: FileSystem.maximumSourceSize),
           bytes.withUnsafeBufferPointer({ ByteSearch.contains($0, "import") }),
           case .success(let source) = SourceAdmission.admit(bytes, path: module),
           let tree = try? sharedParser()?.parse(source), !tree.root.nests(deeperThan: Linter.maximumNesting) {
            let locator = sharedLocator()
            EnvLoaderScan.forEachModuleStatement(tree.root) { statement in
                guard statement.type == "import_from_statement", let reference = ProjectImport(statement),
                      let target = locator?.modulePath(of: reference, importedBy: module) else { return }
                found.append(FileSystem.absolute(target))
            }
        }
        importsByModule[module] = found
        return found
    }

    private func sharedParser() -> PythonParser? {
        if parser == nil { parser = try? PythonParser() }
        return parser
    }

    /// Finds the module files imports name, as the linter finds them (absolute paths in, so no base folder).
    private var locator: SettingsImports?
    private func sharedLocator() -> SettingsImports? {
        if locator == nil, let parser = sharedParser() { locator = SettingsImports(parser: parser) }
        return locator
    }
}
