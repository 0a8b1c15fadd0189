import PythonSyntax

/// The package whose call loads an env file: what a project already uses, or what a fix adds.
public enum LoaderLibrary: Equatable {
    /// python-dotenv: `load_dotenv(path)` (and `dotenv_values`, `find_dotenv`).
    case pythonDotenv
    /// django-dotenv, whose module is also called `dotenv`: `read_dotenv(path)`.
    case djangoDotenv
    /// django-environ: `environ.Env.read_env(path)`.
    case djangoEnviron
    /// A function of the project that reads an env file into `os.environ`.
    case localHelper

    /// The distribution to install, as its dependency files spell it.
    var distribution: String? {
        switch self {
        case .pythonDotenv: return "python-dotenv"
        case .djangoDotenv: return "django-dotenv"
        case .djangoEnviron: return "django-environ"
        case .localHelper: return nil
        }
    }

    /// How the distribution's installed metadata folder starts (`python_dotenv-1.2.2.dist-info`): django-dotenv
    /// and python-dotenv share the module name `dotenv`, their metadata tells them apart.
    var distributionInfoPrefix: String? {
        distribution.map { String($0.map { $0 == "-" ? "_" : $0 }) + "-" }
    }

    /// A Python statement that succeeds only when the loader can be imported (django-dotenv and
    /// python-dotenv share the module name `dotenv`: the function decides).
    var importProbe: String? {
        switch self {
        case .pythonDotenv: return "from dotenv import load_dotenv"
        case .djangoDotenv: return "from dotenv import read_dotenv"
        case .djangoEnviron: return "import environ"
        case .localHelper: return nil
        }
    }
}

/// A settings-level statement that loads an env file into `os.environ`, or reads one.
public struct EnvFileLoad: Equatable {
    /// The byte offset in the scanned file from which the file is loaded (the statement's end).
    public let loadedAt: Int
    /// The env file, absolute; nil when it cannot be worked out statically.
    public let envFile: String?
    public let library: LoaderLibrary
    /// False for `dotenv_values(path)` into a dict: it names the project's env file without loading it.
    public let setsEnviron: Bool
    /// The file the statement is in, for the summary.
    public let file: String
    /// The condition of the `if` it sits in, when it runs only if that holds (`if READ_DOT_ENV_FILE:`): a
    /// local run may not load the file. A test that the env file exists is no such condition (the fix writes it).
    public var condition: String? = nil

    /// Runs on every import of its module, in a plain local run too.
    public var runsByDefault: Bool { condition == nil }
}

extension FileAnalysis {
    /// The env files this file's settings-level statements load (`EnvLoaderScan`), as if it were the file at
    /// `file` in a project at `projectRoot`: the fixes take the project's env file and their loader's place
    /// from them.
    public func envFileLoads(file: String, projectRoot: String?) -> [EnvFileLoad] {
        EnvLoaderScan.loads(root: tree.root, file: file, projectRoot: projectRoot)
    }
}

/// Finds the statements that load an env file (SPEC "Fixes", round 3: loaders the project already has
/// count): python-dotenv's `load_dotenv`/`dotenv_values`/`find_dotenv`, django-dotenv's `read_dotenv`,
/// django-environ's `read_env`, and a module-level function of the project that reads a file into
/// `os.environ`. Each load's env file is worked out the way the library does at run time.
enum EnvLoaderScan {
    /// The loads at settings level of the module `root` (the file at `file`, absolute). `projectRoot`:
    /// where an env file that does not exist yet will be written, for `find_dotenv`'s upward search.
    static func loads(root: SyntaxNode, file: String, projectRoot: String?) -> [EnvFileLoad] {
        let scope = PathScope(root: root, file: file, projectRoot: projectRoot)
        var helpers: [String: SyntaxNode] = [:]
        var found: [EnvFileLoad] = []
        forEachModuleStatement(root) { statement in
            if statement.type == "function_definition", let name = statement.child(field: .name)?.text {
                if loadsIntoEnviron(statement) { helpers[name] = statement } else { helpers[name] = nil }
                return
            }
            statement.walk { node in
                if ["function_definition", "lambda", "class_definition"].contains(node.type) { return false }
                guard node.type == "call", let load = load(of: node, helpers: helpers, scope: scope) else { return true }
                found.append(EnvFileLoad(
                    loadedAt: statement.endByte, envFile: load.envFile, library: load.library,
                    setsEnviron: load.setsEnviron, file: file, condition: guardingCondition(of: statement)))
                return false
            }
        }
        return found
    }

    /// The condition a statement runs under when it sits in the body of an `if` or `elif` (the innermost
    /// that matters), unless that condition tests that a file exists (`os.path.exists(path)`, `path.is_file()`,
    /// `find_dotenv()`): once `--fix` writes the env file, such a test holds. nil: it runs by default (module
    /// level, an `else`, `try` or `with` block).
    static func guardingCondition(of statement: SyntaxNode) -> String? {
        var node = statement
        while let parent = node.parent, parent.type != "module" {
            if node.type == "block", ["if_statement", "elif_clause"].contains(parent.type),
               parent.child(field: .consequence).map { $0 == node } ?? false, let condition = parent.child(field: .condition),
               !testsFileExistence(condition) {
                return condition.text
            }
            node = parent
        }
        return nil
    }

    private static func testsFileExistence(_ condition: SyntaxNode) -> Bool {
        var node = condition
        while node.type == "parenthesized_expression", let inner = node.namedChild(0) { node = inner }
        guard node.type == "call", let function = node.child(field: .function) else { return false }
        let name = function.type == "attribute" ? function.child(field: .attribute)?.text ?? "" : function.text
        return ["exists", "isfile", "is_file", "find_dotenv"].contains(name)
    }

    /// Settings-level statements, also inside `if`, `try` and `with` blocks (not functions or classes).
    static func forEachModuleStatement(_ block: SyntaxNode, _ visit: (SyntaxNode) -> Void) {
        for statement in block.namedChildren {
            switch statement.type {
            case "if_statement", "try_statement", "with_statement":
                // The condition and the `with` clause run too; the blocks are visited one statement at a time.
                if let condition = statement.child(field: .condition) { visit(condition) }
                for clause in statement.namedChildren where clause.type == "with_clause" { visit(clause) }
                for part in statement.namedChildren {
                    if part.type == "block" {
                        forEachModuleStatement(part, visit)
                    } else if ["elif_clause", "else_clause", "except_clause", "finally_clause"].contains(part.type) {
                        for inner in part.namedChildren where inner.type == "block" { forEachModuleStatement(inner, visit) }
                    }
                }
            case "decorated_definition":
                if let definition = statement.child(field: .definition) { visit(definition) }
            default:
                visit(statement)
            }
        }
    }

    private static func load(
        of call: SyntaxNode, helpers: [String: SyntaxNode], scope: PathScope
    ) -> (envFile: String?, library: LoaderLibrary, setsEnviron: Bool)? {
        guard let function = call.child(field: .function) else { return nil }
        let name = function.type == "attribute" ? function.child(field: .attribute)?.text ?? "" : function.text
        let arguments = call.child(field: .arguments)?.namedChildren.filter { $0.type != "comment" } ?? []
        func argument(_ keywords: [String]) -> SyntaxNode? {
            if let first = arguments.first, first.type != "keyword_argument", first.type != "list_splat", first.type != "dictionary_splat" {
                return first
            }
            return arguments.first { $0.type == "keyword_argument" && keywords.contains($0.child(field: .name)?.text ?? "") }?
                .child(field: .value)
        }
        switch name {
        case "load_dotenv", "dotenv_values":
            if function.type == "identifier" || function.child(field: .object)?.text == "dotenv" {
                let path = argument(["dotenv_path"]).map { scope.evaluate($0) } ?? scope.foundUpward(".env")
                let intoEnviron = name == "load_dotenv" || updatesEnviron(around: call)
                return (path, .pythonDotenv, intoEnviron)
            }
        case "read_dotenv":
            let path = argument(["dotenv"]).map { scope.evaluate($0) } ?? scope.besideFile(".env")
            return (path.map(scope.dotenvFolderFile), .djangoDotenv, true)
        case "read_env":
            guard function.type == "attribute" else { return nil }
            return (argument(["env_file"]).map { scope.evaluate($0) } ?? scope.besideFile(".env"), .djangoEnviron, true)
        default:
            if function.type == "identifier", let helper = helpers[name] {
                return (helperFile(helper, call: arguments, scope: scope), .localHelper, true)
            }
        }
        return nil
    }

    /// `os.environ.update(dotenv_values(path))`: the values do reach the environment.
    private static func updatesEnviron(around call: SyntaxNode) -> Bool {
        var node = call.parent
        while let current = node, current.type != "expression_statement", current.type != "module" {
            if current.type == "call", let function = current.child(field: .function), function.type == "attribute",
               ["update", "setdefault"].contains(function.child(field: .attribute)?.text ?? ""),
               function.child(field: .object)?.text.hasSuffix("environ") == true {
                return true
            }
            node = current.parent
        }
        return false
    }

    /// A function that opens a file and writes what it reads into `os.environ`.
    private static func loadsIntoEnviron(_ definition: SyntaxNode) -> Bool {
        guard let body = definition.child(field: .body) else { return false }
        var opens = false
        var writes = false
        body.walk { node in
            switch node.type {
            case "call":
                guard let function = node.child(field: .function) else { break }
                let text = function.text
                if text == "open" || text == "io.open" || text == "codecs.open" { opens = true }
                if function.type == "attribute" {
                    let attribute = function.child(field: .attribute)?.text ?? ""
                    let object = function.child(field: .object)?.text ?? ""
                    if ["read_text", "open", "readlines"].contains(attribute) { opens = true }
                    if ["setdefault", "update", "__setitem__"].contains(attribute) && object.hasSuffix("environ") { writes = true }
                    if text == "os.putenv" { writes = true }
                }
            case "assignment":
                if let left = node.child(field: .left), left.type == "subscript",
                   left.child(field: .value)?.text.hasSuffix("environ") == true {
                    writes = true
                }
            default:
                break
            }
            return true
        }
        return opens && writes
    }

    /// The file a helper call reads: its first argument, else its first parameter's default, else
    /// what the helper opens, when that can be worked out from module-level names.
    private static func helperFile(_ helper: SyntaxNode, call arguments: [SyntaxNode], scope: PathScope) -> String? {
        if let first = arguments.first, first.type != "keyword_argument" { return scope.evaluate(first) }
        let parameters = helper.child(field: .parameters)?.namedChildren ?? []
        if let keyword = arguments.first(where: { $0.type == "keyword_argument" }),
           let value = keyword.child(field: .value) {
            return scope.evaluate(value)
        }
        if let first = parameters.first, first.type == "default_parameter" || first.type == "typed_default_parameter",
           let value = first.child(field: .value) {
            return scope.evaluate(value)
        }
        var opened: String?
        helper.child(field: .body)?.walk { node in
            guard opened == nil, node.type == "call", let function = node.child(field: .function) else { return opened == nil }
            if function.text == "open", let argument = node.child(field: .arguments)?.namedChild(0) {
                opened = scope.evaluate(argument)
            } else if function.type == "attribute", ["read_text", "open"].contains(function.child(field: .attribute)?.text ?? ""),
                      let object = function.child(field: .object) {
                opened = scope.evaluate(object)
            }
            return opened == nil
        }
        return opened
    }
}

/// Works out paths the way the module computes them at import: `BASE_DIR / "envs" / ".env"`,
/// `os.path.join(BASE_DIR, ".env")`, `Path(__file__).resolve().parent.parent`, `find_dotenv()`. Names
/// are looked up in the module's settings-level assignments; a relative path is taken from the project
/// root (where `manage.py` runs).
struct PathScope {
    let file: String
    let projectRoot: String?
    private var assignments: [String: SyntaxNode] = [:]

    init(root: SyntaxNode, file: String, projectRoot: String?) {
        self.file = file
        self.projectRoot = projectRoot
        var assignments: [String: SyntaxNode] = [:]
        EnvLoaderScan.forEachModuleStatement(root) { statement in
            guard statement.type == "expression_statement", var assignment = statement.namedChild(0), assignment.type == "assignment"
            else { return }
            // `APPS_DIR = BASE_DIR = environ.Path(__file__) - 2`: every name of the chain gets the value.
            var names: [String] = []
            while let left = assignment.child(field: .left), let right = assignment.child(field: .right) {
                if left.type == "identifier" { names.append(left.text) }
                guard right.type == "assignment" else {
                    for name in names where assignments[name] == nil { assignments[name] = right }
                    return
                }
                assignment = right
            }
        }
        self.assignments = assignments
    }

    var folder: String { FileSystem.parentDirectory(of: file) }

    func besideFile(_ name: String) -> String { folder + "/" + name }

    /// django-dotenv takes a folder holding `.env` as well as the file.
    func dotenvFolderFile(_ path: String) -> String {
        FileSystem.isDirectory(path) ? path + "/.env" : path
    }

    /// python-dotenv's `find_dotenv(name)`: the nearest `name` at or above the file's folder; when none
    /// exists yet, the one `--fix` will write at the project root, if the search reaches it.
    func foundUpward(_ name: String) -> String? {
        var candidate = folder
        while true {
            let path = candidate == "/" ? "/" + name : candidate + "/" + name
            if FileSystem.exists(path) && !FileSystem.isDirectory(path) { return path }
            let parent = FileSystem.parentDirectory(of: candidate)
            if parent == candidate { break }
            candidate = parent
        }
        guard let projectRoot, folder == projectRoot || folder.hasPrefix(projectRoot + "/") else { return nil }
        return projectRoot + "/" + name
    }

    func evaluate(_ node: SyntaxNode) -> String? {
        evaluate(node, depth: 0).map(FileSystem.normalize)
    }

    private func evaluate(_ node: SyntaxNode, depth: Int) -> String? {
        guard depth < 12 else { return nil }
        func recurse(_ node: SyntaxNode?) -> String? { node.flatMap { evaluate($0, depth: depth + 1) } }
        switch node.type {
        case "string":
            guard case .string(let text)? = PythonStringLiteral.evaluate(node), !text.isEmpty else { return nil }
            if text.hasPrefix("/") { return text }
            return projectRoot.map { $0 + "/" + text }
        case "identifier":
            if node.text == "__file__" { return file }
            return assignments[node.text].flatMap { evaluate($0, depth: depth + 1) }
        case "parenthesized_expression":
            return recurse(node.namedChild(0))
        case "binary_operator":
            // django-environ: `environ.Path(__file__) - 3` is the folder three levels above the file.
            if node.child(field: .operator)?.type == "-", let left = recurse(node.child(field: .left)),
               let right = node.child(field: .right), right.type == "integer", let levels = Int(right.text), levels >= 0 {
                var path = left
                for _ in 0..<levels { path = FileSystem.parentDirectory(of: path) }
                return path
            }
            guard node.child(field: .operator)?.type == "/", let left = recurse(node.child(field: .left)),
                  let rightNode = node.child(field: .right) else { return nil }
            if rightNode.type == "string", case .string(let text)? = PythonStringLiteral.evaluate(rightNode) {
                return text.hasPrefix("/") ? text : left + "/" + text
            }
            return recurse(rightNode).flatMap { $0.hasPrefix("/") ? $0 : nil }
        case "attribute":
            guard node.child(field: .attribute)?.text == "parent", let object = recurse(node.child(field: .object)) else { return nil }
            return FileSystem.parentDirectory(of: object)
        case "subscript":
            guard let value = node.child(field: .value), value.type == "attribute", value.child(field: .attribute)?.text == "parents",
                  var path = recurse(value.child(field: .object)),
                  let index = node.child(field: .subscript), index.type == "integer", let step = Int(index.text)
            else { return nil }
            for _ in 0...step { path = FileSystem.parentDirectory(of: path) }
            return path
        case "call":
            guard let function = node.child(field: .function) else { return nil }
            let arguments = node.child(field: .arguments)?.namedChildren.filter { $0.type != "comment" } ?? []
            let name = function.text
            let positional = arguments.filter { $0.type != "keyword_argument" }
            // django-environ's `ROOT_DIR.path(".env")` and `ROOT_DIR(".env")` join their arguments to the path.
            let joinsArguments = (function.type == "attribute" && function.child(field: .attribute)?.text == "path"
                && function.child(field: .object).map { $0.text != "os" && !$0.text.hasSuffix(".os") } ?? false)
                || (function.type == "identifier" && assignments[name] != nil)
            if joinsArguments, !positional.isEmpty, positional.count == arguments.count,
               let base = recurse(function.type == "attribute" ? function.child(field: .object) : function) {
                var result = base
                for part in positional {
                    guard part.type == "string", case .string(let text)? = PythonStringLiteral.evaluate(part), !text.hasPrefix("/") else { return nil }
                    result += "/" + text
                }
                return result
            }
            if name == "Path" || name == "pathlib.Path" || name == "environ.Path" || name == "str" || name == "os.fspath" || name.hasSuffix("path.abspath")
                || name.hasSuffix("path.realpath") || name.hasSuffix("path.normpath") {
                return positional.count == 1 ? recurse(positional[0]) : nil
            }
            if name.hasSuffix("path.dirname") {
                return positional.count == 1 ? recurse(positional[0]).map(FileSystem.parentDirectory) : nil
            }
            if name.hasSuffix("path.join") {
                var result: String?
                for part in positional {
                    guard let value = part.type == "string"
                        ? { if case .string(let text)? = PythonStringLiteral.evaluate(part) { return text } else { return nil } }()
                        : recurse(part) else { return nil }
                    result = value.hasPrefix("/") || result == nil ? value : result! + "/" + value
                }
                guard let result else { return nil }
                return result.hasPrefix("/") ? result : projectRoot.map { $0 + "/" + result }
            }
            if name == "find_dotenv" || name == "dotenv.find_dotenv" {
                var fileName = ".env"
                if let first = positional.first ?? arguments.first(where: { $0.child(field: .name)?.text == "filename" })?.child(field: .value),
                   case .string(let text)? = PythonStringLiteral.evaluate(first) {
                    fileName = text
                }
                return foundUpward(fileName)
            }
            if function.type == "attribute", ["resolve", "absolute", "expanduser"].contains(function.child(field: .attribute)?.text ?? "") {
                return recurse(function.child(field: .object))
            }
            return nil
        default:
            return nil
        }
    }
}
