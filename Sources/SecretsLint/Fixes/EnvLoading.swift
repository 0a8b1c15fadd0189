import PythonSyntax

/// SPEC "Fixes", local runs keep working: after `--fix` the settings read variables that only `.env`
/// holds, so `manage.py runserver` must load it. django-environ files whose `Env` never reads a file
/// get `environ.Env.read_env(<path>)` after the instance; `os`-style files of a project that declares
/// python-dotenv get `load_dotenv(<path>)`; python-decouple finds `.env` by itself. Anything else is left
/// alone, and the run ends with the one command that runs the project with `.env` loaded. Loading is
/// optional by nature (no file, nothing loaded), so production without the variables still fails closed.
enum EnvLoading: Equatable {
    /// Nothing to add: the file's reader finds `.env`, or the file already loads one.
    case loaded
    /// `statement` goes at the start of the line `offset` names, or with the new imports when nil.
    case insert(statement: String, imports: [String], offset: Int?)
    /// Nothing in the code loads `.env`: the run says how to run the project with it.
    case leftToTheCommandLine

    /// What `analysis`, fixed in `style` so that it reads `.env` at `envPath`, needs. `firstRead`: the
    /// first byte of the first statement that will read the environment; the loader must run before it.
    static func decide(
        _ analysis: FileAnalysis, style: EnvStyle, envPath: String, settingsFile: String?, firstRead: Int,
        projectDeclaresDotenv: () -> Bool
    ) -> EnvLoading {
        let bindings = analysis.model.bindings
        let instanceStatement: SyntaxNode?
        switch style {
        case .decouple:
            return .loaded
        case .environ(let instance):
            if bindings.readsEnvFile { return .loaded }
            instanceStatement = bindings.envInstanceStatements[instance]
            guard let statement = instanceStatement, statement.parent?.type == "module",
                  bindings.envInstanceClasses[instance] != nil else { return .leftToTheCommandLine }
        case .os, .environMapping:
            if bindings.loadsDotenv { return .loaded }
            guard projectDeclaresDotenv() else { return .leftToTheCommandLine }
            instanceStatement = nil
        }
        guard let settingsFile, let up = levelsUp(from: FileSystem.parentDirectory(of: settingsFile), to: FileSystem.parentDirectory(of: envPath))
        else { return .leftToTheCommandLine }
        let fileName = PythonQuoting.doubleQuoted(String(envPath.split(separator: "/").last ?? ".env"))
        let osModule = bindings.osModules.sorted().first
        var imports: [String] = []
        var anchor = instanceStatement
        let path: String
        if let base = baseDirectory(analysis.model), base.levels == up + 1, base.statement.parent?.type == "module",
           base.statement.endByte <= firstRead, base.isPath || osModule != nil {
            path = base.isPath ? "BASE_DIR / \(fileName)" : "\(osModule!).path.join(BASE_DIR, \(fileName))"
            if anchor == nil || anchor!.endByte < base.statement.endByte { anchor = base.statement }
        } else if bindings.boundNames.contains("Path") && analysis.source.bytes.withUnsafeBufferPointer({ ByteSearch.contains($0, "pathlib") }) {
            path = "Path(__file__).resolve().parent" + String(repeating: ".parent", count: up) + " / \(fileName)"
        } else {
            let module = osModule ?? "os"
            if osModule == nil, style.missingImport(bindings) == nil { imports.append("import os") }
            var folder = "\(module).path.abspath(__file__)"
            for _ in 0...up { folder = "\(module).path.dirname(\(folder))" }
            path = "\(module).path.join(\(folder), \(fileName))"
        }
        let statement: String
        switch style {
        case .environ(let instance):
            statement = "\(bindings.envInstanceClasses[instance]!).read_env(\(path))"
        default:
            if !bindings.boundNames.contains("load_dotenv") { imports.append("from dotenv import load_dotenv") }
            statement = "load_dotenv(\(path))"
            // After the imports that come before the first read: the path may use what they bind.
            if anchor == nil {
                anchor = analysis.tree.root.namedChildren.last {
                    ["import_statement", "import_from_statement"].contains($0.type) && $0.endByte <= firstRead
                }
            }
        }
        let offset = anchor.map { analysis.source.lineEnd(analysis.source.lineIndex(ofByte: max($0.endByte - 1, $0.startByte))) }
        return .insert(statement: statement, imports: imports, offset: offset)
    }

    /// How many folders `folder` lies below `ancestor` (0: the same), or nil when it is not below it.
    static func levelsUp(from folder: String, to ancestor: String) -> Int? {
        if folder == ancestor { return 0 }
        let prefix = ancestor.hasSuffix("/") ? ancestor : ancestor + "/"
        guard folder.hasPrefix(prefix) else { return nil }
        return folder.dropFirst(prefix.count).split(separator: "/").count
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
            guard node.child(field: "attribute")?.text == "parent", let object = node.child(field: "object"),
                  let (levels, isPath) = levelsAboveFile(object), isPath else { return nil }
            return (levels + 1, true)
        case "subscript":
            // `Path(__file__).resolve().parents[1]`
            guard let value = node.child(field: "value"), value.type == "attribute",
                  value.child(field: "attribute")?.text == "parents", let object = value.child(field: "object"),
                  let (levels, isPath) = levelsAboveFile(object), isPath,
                  let index = node.child(field: "subscript"), index.type == "integer", let step = Int(index.text)
            else { return nil }
            return (levels + step + 1, true)
        case "call":
            guard let function = node.child(field: "function"),
                  let arguments = node.child(field: "arguments")?.namedChildren.filter({ $0.type != "comment" })
            else { return nil }
            let name = function.text
            if name == "Path" || name == "pathlib.Path" {
                guard arguments.count == 1, let (levels, _) = levelsAboveFile(arguments[0]) else { return nil }
                return (levels, true)
            }
            if function.type == "attribute", ["resolve", "absolute"].contains(function.child(field: "attribute")?.text ?? ""),
               let object = function.child(field: "object") {
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
