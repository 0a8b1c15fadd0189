import PythonSyntax
import SecretsLint

/// Code actions: offered from the findings the document's analysis already holds (asking writes nothing),
/// carried out by `workspace/executeCommand` through the engine's `FixSession`.
extension LanguageServer {
    func codeActions(_ params: JSON) -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let document = documents[uri], document.isPython else {
            return .array([])
        }
        let findings = document.findings
        let only = params["context"]?["only"]?.arrayValue?.compactMap(\.stringValue)
        func wanted(_ kind: String) -> Bool {
            guard let only else { return true }
            return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
        }
        let source = document.source
        let envFileName = document.configuration.settings.envFileName
        var actions: [JSON] = []
        if wanted("quickfix"), let start = Self.position(params["range"]?["start"]), let end = Self.position(params["range"]?["end"]) {
            let lower = UTF16Positions.byteOffset(of: start, in: source)
            let upper = UTF16Positions.byteOffset(of: end, in: source)
            for (index, finding) in findings.enumerated() {
                guard let title = finding.fixTitle, finding.range.lowerBound <= upper, finding.range.upperBound >= lower else { continue }
                actions.append(.object([
                    ("title", .string(title)),
                    ("kind", .string("quickfix")),
                    ("diagnostics", .array([diagnostic(finding, in: source)])),
                    ("isPreferred", .bool(true)),
                    carried(command(title, document: document, findings: [(index, finding)])),
                ]))
            }
        }
        let fixable = findings.filter { $0.fixTitle != nil }
        if wanted(Self.fixAllKind), !fixable.isEmpty {
            let title = "Fix all djlint-secrets problems (values to \(envFileName))"
            actions.append(.object([
                ("title", .string(title)),
                ("kind", .string(Self.fixAllKind)),
                carried(command(title, document: document, findings: nil)),
            ]))
        }
        return .array(actions)
    }

    /// The action's `command`, or for a client that resolves commands, `data` to make it from.
    private func carried(_ command: JSON) -> (String, JSON) {
        clientResolvesCommands ? ("data", command) : ("command", command)
    }

    /// `codeAction/resolve`: the action with its command, made from its data.
    func resolveCodeAction(_ action: JSON) -> JSON {
        guard case .object(var members) = action, action["command"] == nil, let command = action["data"],
              command["command"]?.stringValue == Self.applyFixesCommand
        else { return action }
        members.append(("command", command))
        return .object(members)
    }

    /// The command that carries out the fixes of `findings` (nil: every fixable finding) for this version.
    private func command(_ title: String, document: OpenDocument, findings: [(Int, DocumentFinding)]?) -> JSON {
        var argument: [(String, JSON)] = [("uri", .string(document.uri)), ("version", .number(document.version))]
        if let findings {
            argument.append(("findings", .array(findings.map { index, finding in
                .object([("index", .number(index)), ("code", .string(finding.code)), ("start", .number(finding.range.lowerBound))])
            })))
        }
        return .object([
            ("title", .string(title)),
            ("command", .string(Self.applyFixesCommand)),
            ("arguments", .array([.object(argument)])),
        ])
    }

    /// Carries out a code action: `.env` first, then `.gitignore` (both written here), then the settings
    /// edit, sent to the client against the version the action was computed for. The request is answered
    /// once the client has answered the edit.
    func executeCommand(_ params: JSON, id: JSON) {
        guard params["command"]?.stringValue == Self.applyFixesCommand else {
            respond(id: id, error: (ErrorCode.invalidParams, "Unknown command"))
            return
        }
        guard let argument = params["arguments"]?.arrayValue?.first, let uri = argument["uri"]?.stringValue,
              let version = argument["version"]?.intValue
        else {
            respond(id: id, error: (ErrorCode.invalidParams, "The command needs a document and its version"))
            return
        }
        guard let document = documents[uri], document.isPython else {
            respond(id: id, error: (ErrorCode.invalidParams, "The document is not open"))
            return
        }
        guard document.version == version else {
            respond(id: id, error: (ErrorCode.contentModified, "The document changed since the fix was offered; nothing was written"))
            return
        }
        // Fixes are planned from a full analysis of this very version (diagnostics may have come from an inert edit).
        guard let analysis = document.currentAnalysis(parser: parser) else {
            respond(id: id, error: (ErrorCode.invalidParams, "The document cannot be analysed"))
            return
        }
        var only: Set<Int>?
        if let chosen = argument["findings"]?.arrayValue {
            var indices = Set<Int>()
            for entry in chosen {
                guard let index = entry["index"]?.intValue, analysis.findings.indices.contains(index),
                      analysis.findings[index].code == entry["code"]?.stringValue,
                      analysis.findings[index].range.lowerBound == entry["start"]?.intValue
                else {
                    respond(id: id, error: (ErrorCode.contentModified, "The finding is no longer there; nothing was written"))
                    return
                }
                indices.insert(index)
            }
            only = indices
        }
        var warnings: [String] = []
        let session = FixSession(settings: document.configuration.settings, keyPolicy: .automatic, warn: { warnings.append($0) })
        let outcome = session.fix(analysis, settingsPath: document.filePath, delivery: .returnSettings, only: only)
        for warning in warnings { log(warning) }
        let notFixed = outcome.skipped.sorted { $0.key < $1.key }.map { "\(analysis.findings[$0.key].code): \($0.value)" }
        guard !outcome.edits.isEmpty else {
            showMessage(.warning, "djlint-secrets: nothing fixed" + (notFixed.isEmpty ? "" : " (" + notFixed.joined(separator: "; ") + ")"))
            respond(id: id, result: .null)
            return
        }
        let source = document.source
        let textEdits: [JSON] = outcome.edits.map { edit in
            .object([
                ("range", Self.range(edit.range, in: source)),
                ("newText", .string(String(decoding: edit.replacement, as: UTF8.self))),
            ])
        }
        let workspaceEdit: JSON = clientTakesDocumentChanges
            ? .object([("documentChanges", .array([.object([
                ("textDocument", .object([("uri", .string(uri)), ("version", .number(version))])),
                ("edits", .array(textEdits)),
            ])]))])
            : .object([("changes", .object([(uri, .array(textEdits))]))])
        let label = outcome.fixed.count == 1 ? "1 problem" : "\(outcome.fixed.count) problems"
        let summary = session.summary
        request("workspace/applyEdit", .object([("label", .string("djlint-secrets: fix \(label)")), ("edit", workspaceEdit)])) {
            [weak self] result, error in
            guard let self else { return }
            if result?["applied"]?.boolValue == true {
                var lines = summary
                if !notFixed.isEmpty { lines.append("Not fixed: " + notFixed.joined(separator: "; ")) }
                if !lines.isEmpty { self.showMessage(.info, "djlint-secrets: " + lines.joined(separator: " ")) }
            } else {
                let reason = result?["failureReason"]?.stringValue ?? error?["message"]?.stringValue
                self.showMessage(.warning, "djlint-secrets: the editor did not apply the settings change"
                    + (reason.map { " (\(Self.printable($0)))" } ?? "")
                    + "; the settings keep their values, which the project's .env now holds as well")
            }
            self.respond(id: id, result: .null)
        }
    }
}
