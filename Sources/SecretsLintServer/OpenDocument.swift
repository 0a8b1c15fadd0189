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
    /// The ranges `tree` was parsed from, when it is a statement-level tree (moved along with the edits that
    /// left its statements alone).
    private var treeRanges: [Range<Int>]?
    /// `StatementSelection`'s ranges of the current text, worked out by `applyChange` for the next analysis.
    private var pendingRanges: [Range<Int>]?
    /// The current findings came from an analysis that read other modules of the project from disk.
    private var findingsReadOtherModules = false
    /// Edits whose findings were those of the text before, moved, with no parse or analysis (for the tests).
    private(set) var editsWithFindingsMoved = 0

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
        treeRanges = nil
        pendingRanges = nil
        statements = nil
        previousSelection = nil
        analysis = nil
        findingsAreCurrent = false
    }

    /// Applies one incremental change. An edit that leaves the statements the analysis reads as they were
    /// (`StatementSelection` keeps the same statements, byte for byte: the edit was in a comment, a blank line
    /// or statements no rule reads) and an inert edit (see `InertEdit`) only move the tree and the findings;
    /// any other is parsed again, reusing the previous tree, by the next `refresh`.
    func applyChange(start: Position, end: Position, text: [UInt8], version: Int, parser: PythonParser) {
        self.version = version
        var lower = UTF16Positions.byteOffset(of: start, in: source)
        var upper = UTF16Positions.byteOffset(of: end, in: source)
        if upper < lower { swap(&lower, &upper) }
        let change = SourceChange(range: lower..<upper, replacement: Self.parsable(text))
        var bytes = source.bytes
        bytes.replaceSubrange(change.range, with: change.replacement)
        let newSource = SourceText(bytes: bytes, editing: source, change: change)
        if let old = statements {
            statements = bytes.withUnsafeBufferPointer {
                ModuleStatements.split($0, reusing: old, change: (change.range, change.replacement.count))
            }
        }
        let wasCurrent = findingsAreCurrent
        let oldTree = tree
        let oldRanges = treeRanges
        // A second edit before an analysis: the old tree's offsets are two edits away, parse afresh.
        previousSelection = nil
        source = newSource
        analysis = nil
        findingsAreCurrent = false
        tree = nil
        treeRanges = nil
        pendingRanges = nil
        guard let oldTree else { return }
        if configuration.linter.usesStatementSelection {
            pendingRanges = Linter.selectedRanges(of: newSource, settings: configuration.settings, statements: &statements)
        }
        // The statements the analysis reads are the ones it read before, byte for byte (the edit changed
        // only statements it leaves out, comments or blank lines): the findings are those it gave, moved.
        if treeIsSelection, wasCurrent, !findingsReadOtherModules, let oldRanges, let ranges = pendingRanges,
           Self.sameStatements(oldRanges, ranges, change: change), let moved = oldTree.applying(change, giving: newSource) {
            tree = moved
            treeRanges = ranges
            pendingRanges = nil
            moveFindings(by: change)
            findingsAreCurrent = true
            editsWithFindingsMoved += 1
            return
        }
        if wasCurrent, !findings.contains(where: { $0.range.upperBound > lower && $0.range.lowerBound < max(upper, lower + 1) }),
           let moved = InertEdit.apply(change, to: oldTree, giving: newSource, parser: parser, settings: configuration.settings) {
            tree = moved
            moveFindings(by: change)
            findingsAreCurrent = true
            return
        }
        // A statement-level tree is not re-parsed here: the next analysis parses what the selection keeps,
        // reusing this tree for the statements the edit left alone.
        if treeIsSelection {
            treeIsSelection = false
            previousSelection = (oldTree, change)
            return
        }
        // A whole-file tree (the split was unsure, or nothing was left out): back to the statement-level
        // path as soon as the selection can be made again.
        if pendingRanges != nil { return }
        tree = try? parser.reparse(newSource, changing: oldTree, by: [change])
    }

    /// Findings after `change` move by its length (none overlaps it).
    private func moveFindings(by change: SourceChange) {
        let delta = change.replacement.count - change.range.count
        guard delta != 0 else { return }
        for index in findings.indices where findings[index].range.lowerBound >= change.range.upperBound {
            let range = findings[index].range
            findings[index].range = (range.lowerBound + delta)..<(range.upperBound + delta)
        }
    }

    /// `new` (ranges of the changed text) are `old` (of the text before `change`) moved by the change: each
    /// lies wholly before or wholly after the change, so it holds the bytes it held.
    static func sameStatements(_ old: [Range<Int>], _ new: [Range<Int>], change: SourceChange) -> Bool {
        guard old.count == new.count else { return false }
        let delta = change.replacement.count - change.range.count
        for (before, after) in zip(old, new) {
            if before.upperBound <= change.range.lowerBound {
                guard after == before else { return false }
            } else if before.lowerBound >= change.range.upperBound, !before.isEmpty {
                guard after.lowerBound == before.lowerBound + delta, after.upperBound == before.upperBound + delta else { return false }
            } else {
                return false
            }
        }
        return true
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
        findingsReadOtherModules = analysis.readsOtherModules
    }

    /// The full analysis of the current text (parsed when the tree is not current), or nil with `problem` set.
    func currentAnalysis(parser: PythonParser) -> FileAnalysis? {
        if let analysis, analysis.tree.source === source { return analysis }
        if tree == nil || tree!.source !== source {
            let linter = configuration.linter
            let ranges = linter.usesStatementSelection
                ? pendingRanges ?? Linter.selectedRanges(of: source, settings: configuration.settings, statements: &statements) : nil
            if let ranges, let selected = Linter.selectedStatementsTree(of: source, parser: parser, ranges: ranges, previous: previousSelection) {
                tree = selected
                treeIsSelection = true
                treeRanges = ranges
            } else {
                tree = try? parser.parse(source)
                treeIsSelection = false
                treeRanges = nil
            }
            previousSelection = nil
            pendingRanges = nil
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
