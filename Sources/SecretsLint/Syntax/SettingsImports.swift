import PythonSyntax

/// `from .base import *` or `from mysite.settings.base import env`: an import of another module of
/// the same project, whose readers (`env = environ.Env()`, `from decouple import config`, helpers)
/// become readers of the importing module.
public struct ProjectImport {
    public enum Names {
        case all
        /// (name in the other module, name bound here)
        case some([(exported: String, local: String)])
    }

    /// Leading dots: 0 for an absolute import.
    public let level: Int
    public let components: [String]
    public let names: Names

    /// nil for imports that cannot name a module of the project (`from os import environ`, `from . import x`).
    init?(_ statement: SyntaxNode) {
        guard statement.type == "import_from_statement", let module = statement.child(field: "module_name") else { return nil }
        var level = 0
        var dotted = module.text
        if module.type == "relative_import" {
            let prefix = module.namedChildren.first { $0.type == "import_prefix" }?.text ?? ""
            level = prefix.count
            dotted = module.namedChildren.first { $0.type == "dotted_name" }?.text ?? ""
        }
        let components = dotted.split(separator: ".").map(String.init)
        // An absolute import of one component is a library (`environ`, `decouple`) far more often than a
        // module of the project; `from . import x` imports modules, not names.
        guard !components.isEmpty, level > 0 || components.count > 1 else { return nil }
        if statement.namedChildren.contains(where: { $0.type == "wildcard_import" }) {
            names = .all
        } else {
            var pairs: [(exported: String, local: String)] = []
            for name in statement.children(field: "name") {
                if name.type == "aliased_import" {
                    guard let exported = name.child(field: "name")?.text, let alias = name.child(field: "alias")?.text else { continue }
                    pairs.append((exported, alias))
                } else {
                    pairs.append((name.text, name.text))
                }
            }
            names = .some(pairs)
        }
        // Absolute imports of listed names are followed from settings modules only (`mysite.settings.base`):
        // the prefilter knows them by that word (`Prefilter.settingsImportPattern`).
        if level == 0, case .some = names, !dotted.containsBytes("settings") { return nil }
        self.level = level
        self.components = components
    }

    private init(level: Int, components: [String], names: Names) {
        self.level = level
        self.components = components
        self.names = names
    }

    /// `from . import base` or `from .settings import local as overrides`: each listed name as the
    /// module it may be, bound under its local name (`base.env(...)` then reads through base's `env`).
    /// Relative imports only: an absolute `from x import y` imports names far more often than modules.
    static func modules(_ statement: SyntaxNode) -> [(reference: ProjectImport, local: String)] {
        guard statement.type == "import_from_statement", let module = statement.child(field: "module_name"),
              module.type == "relative_import",
              !statement.namedChildren.contains(where: { $0.type == "wildcard_import" }) else { return [] }
        let level = module.namedChildren.first { $0.type == "import_prefix" }?.text.count ?? 0
        let dotted = (module.namedChildren.first { $0.type == "dotted_name" }?.text ?? "").split(separator: ".").map(String.init)
        return statement.children(field: "name").compactMap { name in
            let (exported, local) = name.type == "aliased_import"
                ? (name.child(field: "name")?.text ?? "", name.child(field: "alias")?.text ?? "") : (name.text, name.text)
            guard !exported.isEmpty, !local.isEmpty, !exported.containsBytes(".") else { return nil }
            return (ProjectImport(level: level, components: dotted + [exported], names: .all), local)
        }
    }

    /// `import mysite.settings` (and the packages it runs on the way, `mysite`), or `from mysite import
    /// settings`: every module an import statement may run, outermost first, as references to look up.
    /// Broader than `init?(_:)`: for following which modules an import runs, not what names it binds.
    static func modulesRun(by statement: SyntaxNode) -> [ProjectImport] {
        func components(_ dotted: SyntaxNode?) -> [String] {
            (dotted?.text ?? "").split(separator: ".").map { $0.trimmingCharacters(in: " \t\r\n\\") }.filter { !$0.isEmpty }
        }
        func prefixes(_ parts: [String], level: Int) -> [ProjectImport] {
            parts.indices.map { ProjectImport(level: level, components: Array(parts[...$0]), names: .all) }
        }
        switch statement.type {
        case "import_statement":
            return statement.children(field: "name").flatMap { name -> [ProjectImport] in
                prefixes(components(name.type == "aliased_import" ? name.child(field: "name") : name), level: 0)
            }
        case "import_from_statement":
            guard let module = statement.child(field: "module_name") else { return [] }
            var level = 0
            var parts = components(module)
            if module.type == "relative_import" {
                level = module.namedChildren.first { $0.type == "import_prefix" }?.text.count ?? 0
                parts = components(module.namedChildren.first { $0.type == "dotted_name" })
            }
            var found = level > 0 && parts.isEmpty ? [] : (level > 0 ? [ProjectImport(level: level, components: parts, names: .all)] : prefixes(parts, level: 0))
            if !statement.namedChildren.contains(where: { $0.type == "wildcard_import" }) {
                // `from . import base`, `from mysite import settings`: a listed name may be a module.
                for name in statement.children(field: "name") {
                    let exported = name.type == "aliased_import" ? name.child(field: "name")?.text ?? "" : name.text
                    guard !exported.isEmpty, !exported.containsBytes(".") else { continue }
                    found.append(ProjectImport(level: level, components: parts + [exported], names: .all))
                }
            }
            return found
        default:
            return []
        }
    }

    /// The names this import binds here, where it lists them.
    var localNames: [String] {
        if case .some(let pairs) = names { return pairs.map(\.local) }
        return []
    }
}

/// Finds, parses and remembers the project modules settings files import, one module at a time and
/// only when a file needs one: a settings file whose reads go through names it does not bind itself.
/// Not shared between threads: each scanning thread has its own, with its own parser.
public final class SettingsImports {
    private let parser: PythonParser
    /// The folder relative importing paths start from (the language server reports paths relative to
    /// the configuration's folder, not to its working directory); nil: the working directory.
    private let baseFolder: String?
    private var loaded: [String: ModuleBindings?] = [:]
    private var loading: Set<String> = []
    /// The bytes each loaded module had when it was read (nil: it could not be read), for `revalidate`.
    private var readBytes: [String: [UInt8]?] = [:]
    /// How far above the importing file an absolute import's package may start.
    static let maximumPackageDepth = 8

    /// Modules parsed so far (for tests: a file without a candidate read parses none).
    var loadedModuleCount: Int { loaded.count }

    public init(parser: PythonParser, baseFolder: String? = nil) {
        self.parser = parser
        self.baseFolder = baseFolder
    }

    /// The bindings `reference` brings from the module it names, seen from the file at `path`.
    func bindings(of reference: ProjectImport, importedBy path: String) -> ModuleBindings? {
        guard let modulePath = locate(reference, from: path) else { return nil }
        return load(modulePath)
    }

    /// The file of the project module `reference` names, seen from the file at `path`.
    func modulePath(of reference: ProjectImport, importedBy path: String) -> String? {
        locate(reference, from: path)
    }

    /// Where each import led from each folder (nil: nowhere): files of one folder import the same modules.
    private var located: [String: (reference: ProjectImport, folder: String, found: String?)] = [:]

    private func locate(_ reference: ProjectImport, from path: String) -> String? {
        let absolute = path.hasPrefix("/") || baseFolder == nil ? path : baseFolder! + "/" + path
        let folder = FileSystem.parentDirectory(of: FileSystem.absolute(absolute))
        let key = "\(folder)\u{0}\(reference.level)\u{0}\(reference.components.joined(separator: "."))"
        if let known = located[key] { return known.found }
        let found = locate(reference, fromFolder: folder)
        located[key] = (reference, folder, found)
        return found
    }

    /// Whether what this instance read is still what the files hold: every module it loaded has the bytes
    /// it had, and every import it looked up leads where it led. When not, everything is forgotten (and
    /// read again as needed) and the answer is false. The language server keeps one instance per document
    /// and asks this before each analysis, so that an edit saved in a star-imported module is seen on the
    /// next change here, without parsing that module again on every keystroke.
    public func revalidate() -> Bool {
        var unchanged = true
        for (path, bytes) in readBytes where (try? FileSystem.read(path, limit: FileSystem.maximumSourceSize)) != bytes {
            unchanged = false
            break
        }
        if unchanged {
            for (_, lookup) in located where locate(lookup.reference, fromFolder: lookup.folder) != lookup.found {
                unchanged = false
                break
            }
        }
        if !unchanged {
            loaded = [:]
            readBytes = [:]
            located = [:]
        }
        return unchanged
    }

    private func locate(_ reference: ProjectImport, fromFolder start: String) -> String? {
        let relativePath = reference.components.joined(separator: "/")
        func module(in folder: String) -> String? {
            let base = folder.isEmpty ? relativePath : folder + "/" + relativePath
            for candidate in [base + ".py", base + "/__init__.py"] where FileSystem.exists(candidate) && !FileSystem.isDirectory(candidate) {
                return candidate
            }
            return nil
        }
        var folder = start
        if reference.level > 0 {
            for _ in 1..<reference.level { folder = FileSystem.parentDirectory(of: folder) }
            return module(in: folder)
        }
        for _ in 0..<Self.maximumPackageDepth {
            if let found = module(in: folder) { return found }
            let parent = FileSystem.parentDirectory(of: folder)
            if parent == folder { break }
            folder = parent
        }
        return nil
    }

    private func load(_ path: String) -> ModuleBindings? {
        if let known = loaded[path] { return known }
        // A cycle (`base` importing `production`) gives nothing more on its second visit.
        guard loading.insert(path).inserted else { return nil }
        defer { loading.remove(path) }
        var bindings: ModuleBindings?
        let read = try? FileSystem.read(path, limit: FileSystem.maximumSourceSize)
        readBytes[path] = read
        if let bytes = read,
           case .success(let source) = SourceAdmission.admit(bytes, path: path),
           let tree = try? parser.parse(source), !tree.root.nests(deeperThan: Linter.maximumNesting) {
            bindings = SettingsModel(root: tree.root, imports: self, path: path).bindings
        }
        loaded[path] = bindings
        return bindings
    }
}

extension ModuleBindings {
    /// Every name a star import of this module binds: those its `__all__` lists, else the public ones.
    var starExports: [String] {
        if let declaredExports { return declaredExports.filter(boundNames.contains).sorted() }
        return boundNames.filter { !$0.hasPrefix("_") }.sorted()
    }

    /// Binds the module `other` under `local` (`from . import base`): its readers become `base.env`,
    /// `base.os`, `base.config`, read as such.
    mutating func merge(_ other: ModuleBindings, asModule local: String) {
        readsEnvFile = readsEnvFile || other.readsEnvFile
        loadsDotenv = loadsDotenv || other.loadsDotenv
        boundNames.insert(local)
        func carry(_ keyPath: WritableKeyPath<ModuleBindings, Set<String>>) {
            for name in other[keyPath: keyPath] where !name.containsBytes(".") { self[keyPath: keyPath].insert(local + "." + name) }
        }
        carry(\.osModules)
        carry(\.environMappings)
        carry(\.getenvFunctions)
        carry(\.environModules)
        carry(\.environClasses)
        carry(\.decoupleConfigs)
        carry(\.decoupleModules)
        for (name, scheme) in other.envInstances.sorted(by: { $0.key < $1.key }) where !name.containsBytes(".") {
            var casts = EnvScheme()
            for (variable, entry) in scheme.entries {
                casts.entries[variable] = EnvSchemeEntry(castName: entry.castName, defaultNode: nil, declaration: entry.declaration)
            }
            envInstances[local + "." + name] = casts
        }
        if primaryEnvInstance == nil, let instance = other.primaryEnvInstance, !instance.containsBytes(".") {
            primaryEnvInstance = local + "." + instance
        }
    }

    /// Binds here what `reference` imports from a module with `other`'s bindings: readers keep what
    /// they read; django-environ scheme defaults stay with the module that declares them (reported there).
    mutating func merge(_ other: ModuleBindings, importedBy reference: ProjectImport) {
        // Importing the module runs it: a `.env` it loads is in the environment here too.
        readsEnvFile = readsEnvFile || other.readsEnvFile
        loadsDotenv = loadsDotenv || other.loadsDotenv
        let pairs: [(exported: String, local: String)]
        switch reference.names {
        case .all: pairs = other.starExports.map { ($0, $0) }
        case .some(let listed): pairs = listed.filter { other.boundNames.contains($0.exported) }
        }
        func carry(_ keyPath: WritableKeyPath<ModuleBindings, Set<String>>, _ exported: String, _ local: String) {
            if other[keyPath: keyPath].contains(exported) { self[keyPath: keyPath].insert(local) }
        }
        for (exported, local) in pairs {
            boundNames.insert(local)
            carry(\.osModules, exported, local)
            carry(\.environMappings, exported, local)
            carry(\.getenvFunctions, exported, local)
            carry(\.environModules, exported, local)
            carry(\.environClasses, exported, local)
            carry(\.decoupleConfigs, exported, local)
            carry(\.decoupleModules, exported, local)
            carry(\.randomKeyFunctions, exported, local)
            carry(\.secretsModules, exported, local)
            carry(\.secretsFunctions, exported, local)
            carry(\.randomModules, exported, local)
            carry(\.randomFunctions, exported, local)
            carry(\.djangoUtilsModules, exported, local)
            carry(\.environmentDerivedNames, exported, local)
            if let scheme = other.envInstances[exported] {
                var casts = EnvScheme()
                for (variable, entry) in scheme.entries {
                    casts.entries[variable] = EnvSchemeEntry(castName: entry.castName, defaultNode: nil, declaration: entry.declaration)
                }
                envInstances[local] = casts
                if primaryEnvInstance == nil { primaryEnvInstance = local }
            }
            if let helper = other.environmentHelpers[exported] { environmentHelpers[local] = helper }
        }
    }
}
