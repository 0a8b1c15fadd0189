import PythonSyntax
import SecretsLint

/// The configuration a document is checked with: its nearest `pyproject.toml`, as for `check`.
struct DocumentConfiguration {
    let settings: LintSettings
    let linter: Linter
    /// The folder globs (`per-file-ignores`, `dev-settings`) are relative to.
    let baseFolder: String?
    /// The modules the project runs as settings (DJANGO_SETTINGS_MODULE), read once while the document
    /// is open. An open document is a file of the workspace, not a file named to `check`: it is a
    /// settings module on the same terms as in `check .`.
    var projects: ProjectSettingsModules? = nil
}

/// A finding as the server shows it: what diagnostics and code actions need, kept across edits that do
/// not change the findings (its range then moves with the text).
struct DocumentFinding {
    let code: String
    let severity: Severity
    let message: String
    var range: Range<Int>
    /// The quick fix's title; nil when the finding has no fix.
    let fixTitle: String?
}

/// A document the client has open: its text as the client has it (byte for byte, but a NUL byte is
/// read as a space so the rest of a binary buffer still parses), its version, its latest tree and findings.
final class OpenDocument {
    let uri: String
    /// The file the document is, for `file:` URIs; fixes need it to find the project's `.env`.
    let filePath: String?
    let isPython: Bool
    let configuration: DocumentConfiguration
    private(set) var version: Int
    private(set) var source: SourceText
    private(set) var tree: SyntaxTree?
    /// `tree` holds only the statements `StatementSelection` kept (issue #20): after an edit that is not
    /// inert it is not re-parsed but split and parsed afresh, which costs about what the kept statements do.
    private var treeIsSelection = false
    /// The module-level statements of `source` (nil: not split yet, or unsure), moved along with each edit:
    /// only the statements an edit touches are scanned again.
    private var statements: [ModuleStatements.Statement]?
    /// The statement-level tree before the one edit made since (nil after none or several): the next
    /// analysis parses the kept statements reusing it.
    private var previousSelection: (tree: SyntaxTree, change: SourceChange)?
    /// The findings of the current text, in the engine's order.
    private(set) var findings: [DocumentFinding] = []
    /// The full analysis, when it is of the current text (an inert edit keeps the findings, not the analysis).
    private var analysis: FileAnalysis?
    /// The findings are of the current text already (an inert edit moved them).
    private var findingsAreCurrent = false
    /// Why the latest text has no analysis (nested too deeply, tree-sitter gave up).
    private(set) var problem: String?

    init(uri: String, filePath: String?, isPython: Bool, version: Int, text: [UInt8], configuration: DocumentConfiguration) {
        self.uri = uri
        self.filePath = filePath
        self.isPython = isPython
        self.version = version
        self.configuration = configuration
        source = SourceText(bytes: Self.parsable(text))
    }

    /// The path findings are reported under: relative to the configuration's folder, so globs match.
    var analysisPath: String {
        guard let filePath else { return uri }
        if let base = configuration.baseFolder, filePath.hasPrefix(base + "/") { return String(filePath.dropFirst(base.count + 1)) }
        return filePath
    }

    /// Replaces the text (a full change), dropping the old tree.
    func replaceText(_ text: [UInt8], version: Int) {
        self.version = version
        source = SourceText(bytes: Self.parsable(text))
        tree = nil
        treeIsSelection = false
        statements = nil
        previousSelection = nil
        analysis = nil
        findingsAreCurrent = false
    }

    /// Applies one incremental change. An inert edit (see `InertEdit`) only moves the tree and the findings;
    /// any other is re-parsed from the previous tree, and analysed by the next `refresh`.
    func applyChange(start: Position, end: Position, text: [UInt8], version: Int, parser: PythonParser) {
        self.version = version
        var lower = UTF16Positions.byteOffset(of: start, in: source)
        var upper = UTF16Positions.byteOffset(of: end, in: source)
        if upper < lower { swap(&lower, &upper) }
        let change = SourceChange(range: lower..<upper, replacement: Self.parsable(text))
        var bytes = source.bytes
        bytes.replaceSubrange(change.range, with: change.replacement)
        let newSource = SourceText(bytes: bytes)
        if let old = statements {
            statements = bytes.withUnsafeBufferPointer {
                ModuleStatements.split($0, reusing: old, change: (change.range, change.replacement.count))
            }
        }
        let wasCurrent = findingsAreCurrent
        let oldTree = tree
        // A second edit before an analysis: the old tree's offsets are two edits away, parse afresh.
        previousSelection = nil
        source = newSource
        analysis = nil
        findingsAreCurrent = false
        tree = nil
        guard let oldTree else { return }
        if wasCurrent, !findings.contains(where: { $0.range.upperBound > lower && $0.range.lowerBound < max(upper, lower + 1) }),
           let moved = InertEdit.apply(change, to: oldTree, giving: newSource, parser: parser, settings: configuration.settings) {
            tree = moved
            let delta = change.replacement.count - change.range.count
            for index in findings.indices where findings[index].range.lowerBound >= upper {
                let range = findings[index].range
                findings[index].range = (range.lowerBound + delta)..<(range.upperBound + delta)
            }
            findingsAreCurrent = true
            return
        }
        // A statement-level tree is not re-parsed here: the next analysis splits the new text and parses what it
        // keeps, reusing this tree for the statements the edit left alone.
        if treeIsSelection {
            treeIsSelection = false
            previousSelection = (oldTree, change)
            return
        }
        tree = try? parser.reparse(newSource, changing: oldTree, by: [change])
    }

    /// Makes the findings those of the current text: kept after an inert edit, else from a new analysis.
    func refresh(parser: PythonParser) {
        guard !findingsAreCurrent else { return }
        findings = []
        guard let analysis = currentAnalysis(parser: parser) else { return }
        let envFileName = configuration.settings.envFileName
        findings = analysis.findings.map {
            DocumentFinding(code: $0.code, severity: $0.severity, message: $0.message, range: $0.range, fixTitle: $0.fixTitle(envFileName: envFileName))
        }
        findingsAreCurrent = true
    }

    /// The full analysis of the current text (parsed when the tree is not current), or nil with `problem` set.
    func currentAnalysis(parser: PythonParser) -> FileAnalysis? {
        if let analysis, analysis.tree.source === source { return analysis }
        if tree == nil || tree!.source !== source {
            let linter = configuration.linter
            if linter.usesStatementSelection,
               let selected = Linter.selectedStatementsTree(
                   of: source, parser: parser, settings: configuration.settings, statements: &statements, previous: previousSelection) {
                tree = selected
                treeIsSelection = true
            } else {
                tree = try? parser.parse(source)
                treeIsSelection = false
            }
            previousSelection = nil
        }
        guard let tree else {
            problem = "\(analysisPath): tree-sitter could not parse the file"
            return nil
        }
        if tree.root.nests(deeperThan: Linter.maximumNesting) {
            problem = "\(analysisPath): \(AnalysisError.nestedTooDeep(limit: Linter.maximumNesting))"
            return nil
        }
        problem = nil
        // Readers bound by a star-imported settings module (`from .base import *`) are read from disk afresh
        // for each full analysis, so an edit saved there is seen on the next change here.
        let fresh = configuration.linter.analyze(
            path: analysisPath, tree: tree, imports: SettingsImports(parser: parser, baseFolder: configuration.baseFolder),
            isStatementSelection: treeIsSelection, scope: SettingsScope(projects: configuration.projects))
        analysis = fresh
        return fresh
    }

    /// A NUL byte ends tree-sitter's input early; a space in its place keeps every offset and parses on.
    private static func parsable(_ text: [UInt8]) -> [UInt8] {
        guard text.contains(0) else { return text }
        return text.map { $0 == 0 ? 0x20 : $0 }
    }
}

/// `file:` URIs and paths.
enum DocumentURI {
    /// The local path of a `file:` URI, percent-decoded; nil for other schemes.
    static func filePath(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Substring(uri.dropFirst("file://".count))
        if rest.hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
        guard rest.hasPrefix("/") else { return nil }
        var bytes: [UInt8] = []
        var utf8 = Array(rest.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
