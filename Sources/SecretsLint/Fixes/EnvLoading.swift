import PythonSyntax

/// What the project around a settings file has for loading env files: the loads that run while the
/// file is imported through its project imports, the loads elsewhere (`manage.py`, the other modules of
/// its settings package), and the loader packages its dependency files declare.
public struct ProjectLoading {
    /// Loads in modules this file imports, at the offset of the import statement's end.
    public var importedLoads: [EnvFileLoad] = []
    /// Loads that do not run on every import of this file (pytest, wsgi and celery skip `manage.py`).
    public var elsewhere: [EnvFileLoad] = []
    /// Imports of project modules that read environment variables when they run, with those variables
    /// (`from .base import *` where base.py does `SECRET_KEY = env("DJANGO_SECRET_KEY")`), at the import
    /// statement's first byte. An import whose modules load the env file themselves is not listed.
    public var importReads: [(start: Int, variables: Set<String>)] = []
    /// `python-dotenv`, `django-dotenv`, `django-environ`, as the dependency files declare them.
    public var declared: Set<String> = []
    /// The project root: where `find_dotenv()` finds a `.env` that `--fix` is about to write.
    public var root: String?
    /// Whether the fix may declare python-dotenv in the project's dependency file (FixSession does);
    /// without it, a file whose project has no loader package is left to the command line.
    public var mayDeclarePythonDotenv: Bool

    public init(
        importedLoads: [EnvFileLoad] = [], elsewhere: [EnvFileLoad] = [], declared: Set<String> = [], root: String? = nil,
        mayDeclarePythonDotenv: Bool = true
    ) {
        self.importedLoads = importedLoads
        self.elsewhere = elsewhere
        self.declared = declared
        self.root = root
        self.mayDeclarePythonDotenv = mayDeclarePythonDotenv
    }

    /// The loader a file without one gets: the package the project already loads with, else one it
    /// declares, else django-environ where the file uses it, else python-dotenv (declared by the fix).
    func library(ownLoads: [EnvFileLoad], bindings: ModuleBindings) -> (library: LoaderLibrary, declaredByTheFix: Bool) {
        if let used = (ownLoads + importedLoads + elsewhere).first(where: { $0.library != .localHelper }) { return (used.library, false) }
        if declared.contains("python-dotenv") || bindings.boundNames.contains("load_dotenv") { return (.pythonDotenv, false) }
        if declared.contains("django-dotenv") { return (.djangoDotenv, false) }
        if declared.contains("django-environ") || !bindings.environModules.isEmpty || !bindings.environClasses.isEmpty { return (.djangoEnviron, false) }
        return (.pythonDotenv, true)
    }
}

/// SPEC "Fixes", local runs keep working: after `--fix` the settings read variables that only the env
/// file holds, so importing them (runserver, pytest, celery, wsgi) must load it before the first read
/// that needs it. A loader that already runs before that read, in the file or in a module it imports
/// first, is enough. Otherwise the file gets one right before the read: `read_env` after a
/// django-environ instance, else the loader of the package the project already uses or declares
/// (python-dotenv `load_dotenv`, django-dotenv `read_dotenv`, django-environ `Env.read_env`), else
/// python-dotenv, which the fix declares in the project's dependency file. python-decouple finds `.env`
/// by itself. Loading is optional by nature (no file, nothing loaded): production without the
/// variables still fails closed.
enum EnvLoading: Equatable {
    /// Nothing to add: the file's reader finds the env file, or a loader of it runs before the first read.
    case loaded
    /// `statement` goes at the start of the line `offset` names, or with the new imports when nil.
    case insert(statement: String, imports: [String], offset: Int?, library: LoaderLibrary, besides: EnvFileLoad? = nil)
    /// No loader can be placed (the env file's path cannot be spelled from the file): the run says how
    /// to run the project with it.
    case leftToTheCommandLine

    /// What `analysis`, fixed in `style` so that it reads the env file at `envPath`, needs. `firstRead`:
    /// the first byte of the first statement that will read the environment; the loader must run before it.
    static func decide(
        _ analysis: FileAnalysis, style: EnvStyle, envPath: String, settingsFile: String?, firstRead: Int,
        project: ProjectLoading
    ) -> EnvLoading {
        let bindings = analysis.model.bindings
        if case .decouple = style { return .loaded }
        guard let settingsFile else { return .leftToTheCommandLine }
        let file = FileSystem.absolute(settingsFile)
        let ownLoads = EnvLoaderScan.loads(
            root: analysis.tree.root, file: file, projectRoot: project.root ?? FileSystem.parentDirectory(of: envPath))
        let loadsFirst = (ownLoads + project.importedLoads).filter { $0.setsEnviron && $0.loadedAt <= firstRead && $0.envFile == envPath }
        if loadsFirst.contains(where: \.runsByDefault) { return .loaded }
        // A loader that runs only when its condition holds (`if READ_DOT_ENV_FILE:`) leaves a plain local run
        // without the values the fix moved: the file gets its own, and the summary says why.
        let conditional = loadsFirst.first { !$0.runsByDefault }

        // The loader goes above an import of a module that reads what the fix stores (`from .base import *`):
        // only the names bound by this file's imports before that point exist there, not what the star import binds.
        let root = analysis.tree.root
        let importTypes: Set<String> = ["import_statement", "import_from_statement"]
        let aboveAnImport = root.namedChildren.contains { importTypes.contains($0.type) && $0.startByte == firstRead }
        var names = bindings
        if aboveAnImport {
            names = ModuleBindings()
            for statement in root.namedChildren where importTypes.contains(statement.type) && statement.endByte <= firstRead {
                names.record(importStatement: statement)
            }
        }
        var instanceStatement: SyntaxNode?
        if case .environ(let instance) = style, let statement = bindings.envInstanceStatements[instance],
           statement.parent?.type == "module", bindings.envInstanceClasses[instance] != nil, statement.endByte <= firstRead || !aboveAnImport {
            instanceStatement = statement
        }
        let (library, declaredByTheFix) = instanceStatement != nil
            ? (.djangoEnviron, false) : project.library(ownLoads: ownLoads, bindings: bindings)
        if declaredByTheFix && !project.mayDeclarePythonDotenv { return .leftToTheCommandLine }
        guard let (up, down) = relativeLocation(of: envPath, from: FileSystem.parentDirectory(of: file)) else { return .leftToTheCommandLine }
        let parts = down.map { PythonQuoting.doubleQuoted($0) }
        let osModule = names.osModules.sorted().first
        var imports: [String] = []
        var anchor = instanceStatement
        let path: String
        if let base = baseDirectory(analysis.model), base.levels == up + 1, base.statement.parent?.type == "module",
           base.statement.endByte <= firstRead, base.isPath || osModule != nil {
            path = base.isPath ? (["BASE_DIR"] + parts).joined(separator: " / ") : "\(osModule!).path.join(\((["BASE_DIR"] + parts).joined(separator: ", ")))"
            if anchor == nil || anchor!.endByte < base.statement.endByte { anchor = base.statement }
        } else if names.boundNames.contains("Path") && analysis.source.bytes.withUnsafeBufferPointer({ ByteSearch.contains($0, "pathlib") }) {
            path = (["Path(__file__).resolve().parent" + String(repeating: ".parent", count: up)] + parts).joined(separator: " / ")
        } else {
            let module = osModule ?? "os"
            // The style's own `import os`, when its fixes add one, is the same line: it goes in once.
            if osModule == nil { imports.append("import os") }
            var folder = "\(module).path.abspath(__file__)"
            for _ in 0...up { folder = "\(module).path.dirname(\(folder))" }
            path = "\(module).path.join(\(([folder] + parts).joined(separator: ", ")))"
        }
        let statement: String
        switch library {
        case .djangoEnviron:
            if case .environ(let instance) = style, instanceStatement != nil {
                statement = "\(bindings.envInstanceClasses[instance]!).read_env(\(path))"
            } else if let module = names.environModules.sorted().first {
                statement = "\(module).Env.read_env(\(path))"
            } else if let envClass = names.environClasses.sorted().first {
                statement = "\(envClass).read_env(\(path))"
            } else {
                imports.append("import environ")
                statement = "environ.Env.read_env(\(path))"
            }
        case .djangoDotenv:
            if !names.boundNames.contains("read_dotenv") { imports.append("from dotenv import read_dotenv") }
            statement = "read_dotenv(\(path))"
        case .pythonDotenv, .localHelper:
            if !names.boundNames.contains("load_dotenv") { imports.append("from dotenv import load_dotenv") }
            statement = "load_dotenv(\(path))"
        }
        // After the imports that come before the first read: the path may use what they bind, and a
        // star import that reads at its own import has run by then (SPEC "Fixes", round 3).
        if anchor == nil {
            anchor = analysis.tree.root.namedChildren.last {
                ["import_statement", "import_from_statement"].contains($0.type) && $0.endByte <= firstRead
            }
        }
        let offset = anchor.map { analysis.source.lineEnd(analysis.source.lineIndex(ofByte: max($0.endByte - 1, $0.startByte))) }
        return .insert(
            statement: statement, imports: imports, offset: offset, library: instanceStatement != nil ? .djangoEnviron : library,
            besides: conditional)
    }

    /// How many folders above `folder` the env file's folder and `folder` meet, and the path below that
    /// folder (`["envs", ".env"]`); nil when `envPath` is not absolute.
    static func relativeLocation(of envPath: String, from folder: String) -> (up: Int, down: [String])? {
        guard envPath.hasPrefix("/") else { return nil }
        var ancestor = folder
        var up = 0
        while ancestor != "/" && !envPath.hasPrefix(ancestor + "/") {
            ancestor = FileSystem.parentDirectory(of: ancestor)
            up += 1
        }
        let below = envPath.dropFirst(ancestor == "/" ? 1 : ancestor.count + 1)
        return (up, below.split(separator: "/").map(String.init))
    }

    /// The module-level `BASE_DIR` and how many folders above the file it is (`Path(__file__).resolve()
    /// .parent.parent` and `os.path.dirname(os.path.dirname(os.path.abspath(__file__)))` are both 2).
    static func baseDirectory(_ model: SettingsModel) -> (statement: SyntaxNode, levels: Int, isPath: Bool)? {
        guard let assignment = model.assignments.first(where: { $0.path == ["BASE_DIR"] && !$0.context.inClassBody }),
              let (levels, isPath) = levelsAboveFile(assignment.value)
        else { return nil }
        return (assignment.statement, levels, isPath)
    }

    private static func levelsAboveFile(_ node: SyntaxNode) -> (Int, Bool)? {
        switch node.type {
        case "identifier":
            return node.text == "__file__" ? (0, false) : nil
        case "parenthesized_expression":
            return node.namedChild(0).flatMap(levelsAboveFile)
        case "attribute":
            guard node.child(field: .attribute)?.text == "parent", let object = node.child(field: .object),
                  let (levels, isPath) = levelsAboveFile(object), isPath else { return nil }
            return (levels + 1, true)
        case "subscript":
            // `Path(__file__).resolve().parents[1]`
            guard let value = node.child(field: .value), value.type == "attribute",
                  value.child(field: .attribute)?.text == "parents", let object = value.child(field: .object),
                  let (levels, isPath) = levelsAboveFile(object), isPath,
                  let index = node.child(field: .subscript), index.type == "integer", let step = Int(index.text)
            else { return nil }
            return (levels + step + 1, true)
        case "call":
            guard let function = node.child(field: .function),
                  let arguments = node.child(field: .arguments)?.namedChildren.filter({ $0.type != "comment" })
            else { return nil }
            let name = function.text
            if name == "Path" || name == "pathlib.Path" {
                guard arguments.count == 1, let (levels, _) = levelsAboveFile(arguments[0]) else { return nil }
                return (levels, true)
            }
            if function.type == "attribute", ["resolve", "absolute"].contains(function.child(field: .attribute)?.text ?? ""),
               let object = function.child(field: .object) {
                return levelsAboveFile(object)
            }
            guard arguments.count == 1, let (levels, _) = levelsAboveFile(arguments[0]) else { return nil }
            if name.hasSuffix("path.dirname") { return (levels + 1, false) }
            if name.hasSuffix("path.abspath") || name.hasSuffix("path.realpath") { return (levels, false) }
            return nil
        default:
            return nil
        }
    }
}
