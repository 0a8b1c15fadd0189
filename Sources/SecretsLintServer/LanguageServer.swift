import PythonSyntax
import SecretsLint

/// JSON-RPC error codes the server answers with.
enum ErrorCode {
    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let invalidParams = -32602
    static let serverNotInitialized = -32002
    static let contentModified = -32801
}

/// `djlint-secrets server`: the Language Server Protocol (3.17) front end over the engine. It keeps the
/// open documents, re-parses them incrementally as they change, publishes their findings, and carries
/// out fixes through `FixSession` (`.env` and `.gitignore` written here, the settings edit sent to the
/// client). Single-threaded: one message at a time, in order.
public final class LanguageServer {
    /// The command a code action carries; its argument names the document version and the findings.
    static let applyFixesCommand = "djlint-secrets.applyFixes"
    static let fixAllKind = "source.fixAll.djlint-secrets"

    private let send: ([UInt8]) -> Void
    let log: (String) -> Void
    let parser: PythonParser
    var documents: [String: OpenDocument] = [:]
    private var initialized = false
    private var shutdownRequested = false
    var workspaceFolders: [String] = []
    var clientTakesDocumentChanges = false
    /// The client fills in a code action's `command` with `codeAction/resolve`: actions then carry only
    /// `data`, which keeps clients whose libraries read any action with a `command` as a bare Command working.
    var clientResolvesCommands = false
    private var nextRequestID = 1
    /// What to do when the client answers a request of ours, by its id.
    private var awaitingResponse: [Int: (_ result: JSON?, _ error: JSON?) -> Void] = [:]
    /// Configuration files whose error was shown once already.
    private var reportedConfigurationErrors = Set<String>()
    /// Set by `exit`: the status the process ends with.
    public private(set) var exitStatus: Int32?

    /// `send` takes one framed message; `log` takes a line for standard error (never a secret).
    public init(send: @escaping ([UInt8]) -> Void, log: @escaping (String) -> Void) throws {
        self.send = send
        self.log = log
        parser = try PythonParser()
    }

    /// End of input: the process ends, cleanly only after `shutdown`.
    public var statusAtEndOfInput: Int32 { exitStatus ?? (shutdownRequested ? 0 : 1) }

    // MARK: - Messages

    /// Handles one message body.
    public func handle(_ body: [UInt8]) {
        let message: JSON
        do { message = try JSON.parse(body) } catch {
            respond(id: .null, error: (ErrorCode.parseError, "Parse error: \(error)"))
            return
        }
        guard case .object = message else {
            respond(id: .null, error: (ErrorCode.invalidRequest, "Invalid request: a message is a JSON object"))
            return
        }
        let id = message["id"]
        guard let method = message["method"]?.stringValue else {
            if let id, message["result"] != nil || message["error"] != nil {
                if let number = id.intValue, let handler = awaitingResponse.removeValue(forKey: number) {
                    handler(message["result"], message["error"])
                }
            } else {
                respond(id: id ?? .null, error: (ErrorCode.invalidRequest, "Invalid request: no method"))
            }
            return
        }
        let params = message["params"] ?? .null
        if let id {
            guard id.stringValue != nil || id.intValue != nil else {
                respond(id: .null, error: (ErrorCode.invalidRequest, "Invalid request: the id is a number or a string"))
                return
            }
            request(method, id: id, params: params)
        } else {
            notification(method, params: params)
        }
    }

    /// A header block without a usable length: said once, and reading goes on after it.
    public func handleFramingError(_ error: FramingError) {
        respond(id: .null, error: (ErrorCode.parseError, "Parse error: a message header without a valid Content-Length"))
    }

    private func request(_ method: String, id: JSON, params: JSON) {
        if method == "initialize" {
            respond(id: id, result: initialize(params))
            return
        }
        guard initialized else {
            respond(id: id, error: (ErrorCode.serverNotInitialized, "The server is not initialized"))
            return
        }
        guard !shutdownRequested else {
            respond(id: id, error: (ErrorCode.invalidRequest, "The server is shutting down"))
            return
        }
        switch method {
        case "shutdown":
            shutdownRequested = true
            respond(id: id, result: .null)
        case "textDocument/codeAction":
            respond(id: id, result: codeActions(params))
        case "codeAction/resolve":
            // Only fills in the command from the action's data: resolving writes nothing.
            respond(id: id, result: resolveCodeAction(params))
        case "workspace/executeCommand":
            executeCommand(params, id: id)
        default:
            respond(id: id, error: (ErrorCode.methodNotFound, "Unknown method \(Self.printable(method))"))
        }
    }

    private func notification(_ method: String, params: JSON) {
        if method == "exit" {
            exitStatus = shutdownRequested ? 0 : 1
            return
        }
        guard initialized, !shutdownRequested else { return }
        switch method {
        case "textDocument/didOpen": didOpen(params)
        case "textDocument/didChange": didChange(params)
        case "textDocument/didClose": didClose(params)
        case "workspace/didChangeWorkspaceFolders": changeWorkspaceFolders(params)
        default: break  // notifications the server does not know are ignored, as the protocol asks
        }
    }

    // MARK: - Lifecycle

    private func initialize(_ params: JSON) -> JSON {
        initialized = true
        var folders: [String] = []
        for folder in params["workspaceFolders"]?.arrayValue ?? [] {
            if let uri = folder["uri"]?.stringValue, let path = DocumentURI.filePath(uri) { folders.append(path) }
        }
        if folders.isEmpty, let uri = params["rootUri"]?.stringValue, let path = DocumentURI.filePath(uri) { folders.append(path) }
        workspaceFolders = folders
        clientTakesDocumentChanges = params["capabilities"]?["workspace"]?["workspaceEdit"]?["documentChanges"]?.boolValue ?? false
        let resolvable = params["capabilities"]?["textDocument"]?["codeAction"]?["resolveSupport"]?["properties"]?.arrayValue ?? []
        clientResolvesCommands = resolvable.contains(.string("command"))
        return .object([
            ("capabilities", .object([
                ("positionEncoding", .string("utf-16")),
                ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .number(2))])),
                ("codeActionProvider", .object([
                    ("codeActionKinds", .array([.string("quickfix"), .string(Self.fixAllKind)])),
                    ("resolveProvider", .bool(true)),
                ])),
                ("executeCommandProvider", .object([("commands", .array([.string(Self.applyFixesCommand)]))])),
                ("workspace", .object([
                    ("workspaceFolders", .object([("supported", .bool(true)), ("changeNotifications", .bool(true))])),
                ])),
            ])),
            ("serverInfo", .object([("name", .string("djlint-secrets")), ("version", .string(Version.current))])),
        ])
    }

    private func changeWorkspaceFolders(_ params: JSON) {
        let event = params["event"]
        for removed in event?["removed"]?.arrayValue ?? [] {
            if let path = removed["uri"]?.stringValue.flatMap(DocumentURI.filePath) { workspaceFolders.removeAll { $0 == path } }
        }
        for added in event?["added"]?.arrayValue ?? [] {
            if let path = added["uri"]?.stringValue.flatMap(DocumentURI.filePath) { workspaceFolders.append(path) }
        }
    }

    // MARK: - Documents

    private func didOpen(_ params: JSON) {
        guard let item = params["textDocument"], let uri = item["uri"]?.stringValue, let text = item["text"]?.stringValue else { return }
        let path = DocumentURI.filePath(uri)
        let language = item["languageId"]?.stringValue ?? ""
        let isPython = language == "python" || uri.hasSuffix(".py")
        let document = OpenDocument(
            uri: uri, filePath: path, isPython: isPython, version: item["version"]?.intValue ?? 0, text: Array(text.utf8),
            configuration: configuration(for: path))
        documents[uri] = document
        publish(document)
    }

    private func didChange(_ params: JSON) {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let document = documents[uri] else { return }
        let version = params["textDocument"]?["version"]?.intValue ?? document.version
        for change in params["contentChanges"]?.arrayValue ?? [] {
            guard let text = change["text"]?.stringValue else { continue }
            if let range = change["range"], let start = Self.position(range["start"]), let end = Self.position(range["end"]) {
                document.applyChange(start: start, end: end, text: Array(text.utf8), version: version, parser: parser)
            } else {
                document.replaceText(Array(text.utf8), version: version)
            }
        }
        publish(document)
    }

    private func didClose(_ params: JSON) {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, documents.removeValue(forKey: uri) != nil else { return }
        notify("textDocument/publishDiagnostics", .object([("uri", .string(uri)), ("diagnostics", .array([]))]))
    }

    /// The nearest `pyproject.toml` with a `[tool.djlint-secrets]` table, as `check` finds it; an invalid one
    /// is shown once and the defaults apply.
    private func configuration(for path: String?) -> DocumentConfiguration {
        var settings = LintSettings()
        var base = path.map { FileSystem.parentDirectory(of: $0) }
        if let folder = base, let found = ConfigurationFile.find(from: folder) {
            do {
                try ConfigurationFile.load(found, into: &settings)
                base = FileSystem.parentDirectory(of: found)
            } catch {
                settings = LintSettings()
                if reportedConfigurationErrors.insert(found).inserted {
                    showMessage(.error, "djlint-secrets: \(error); the default settings apply")
                }
            }
        } else if let path {
            base = workspaceFolders.filter { path.hasPrefix($0 + "/") }.max { $0.count < $1.count } ?? base
        }
        return DocumentConfiguration(
            settings: settings, linter: Linter(settings: settings), baseFolder: base, projects: ProjectSettingsModules(baseFolder: base))
    }

    /// Analyses the document's current text and publishes its findings for its version.
    private func publish(_ document: OpenDocument) {
        var diagnostics: [JSON] = []
        if document.isPython {
            document.refresh(parser: parser)
            if let problem = document.problem { log(problem) }
            diagnostics = document.findings.map { diagnostic($0, in: document.source) }
        }
        notify("textDocument/publishDiagnostics", .object([
            ("uri", .string(document.uri)),
            ("version", .number(document.version)),
            ("diagnostics", .array(diagnostics)),
        ]))
    }

    func diagnostic(_ finding: DocumentFinding, in source: SourceText) -> JSON {
        .object([
            ("range", Self.range(finding.range, in: source)),
            ("severity", .number(finding.severity == .error ? 1 : 2)),
            ("code", .string(finding.code)),
            ("codeDescription", .object([("href", .string(Self.documentationURL(finding.code)))])),
            ("source", .string("djlint-secrets")),
            ("message", .string(finding.message)),
        ])
    }

    static func documentationURL(_ code: String) -> String {
        "https://github.com/djlint-secrets/djlint-secrets/blob/main/README.md#" + code.lowercased()
    }

    static func range(_ bytes: Range<Int>, in source: SourceText) -> JSON {
        .object([
            ("start", position(UTF16Positions.position(ofByte: bytes.lowerBound, in: source))),
            ("end", position(UTF16Positions.position(ofByte: bytes.upperBound, in: source))),
        ])
    }

    static func position(_ position: Position) -> JSON {
        .object([("line", .number(position.line)), ("character", .number(position.character))])
    }

    static func position(_ json: JSON?) -> Position? {
        guard let line = json?["line"]?.intValue, let character = json?["character"]?.intValue else { return nil }
        return Position(line: line, character: character)
    }

    // MARK: - Output

    func respond(id: JSON, result: JSON) {
        write(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]))
    }

    func respond(id: JSON, error: (code: Int, message: String)) {
        write(.object([
            ("jsonrpc", .string("2.0")), ("id", id),
            ("error", .object([("code", .number(error.code)), ("message", .string(error.message))])),
        ]))
    }

    func notify(_ method: String, _ params: JSON) {
        write(.object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]))
    }

    /// Sends a request to the client; `handler` runs when the answer comes.
    func request(_ method: String, _ params: JSON, handler: @escaping (_ result: JSON?, _ error: JSON?) -> Void) {
        let id = nextRequestID
        nextRequestID += 1
        awaitingResponse[id] = handler
        write(.object([("jsonrpc", .string("2.0")), ("id", .number(id)), ("method", .string(method)), ("params", params)]))
    }

    enum MessageType: Int {
        case error = 1, warning = 2, info = 3
    }

    func showMessage(_ type: MessageType, _ text: String) {
        notify("window/showMessage", .object([("type", .number(type.rawValue)), ("message", .string(text))]))
    }

    private func write(_ message: JSON) {
        send(MessageFrame.encode(Array(message.compact.utf8)))
    }

    /// A method name from the input, safe to echo: at most 100 characters, control characters as `?`.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(100).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
