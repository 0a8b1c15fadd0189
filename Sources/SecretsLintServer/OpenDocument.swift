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
    private var previousSelection: (tree: SyntaxTree, changes: [SourceChange])?
    /// `tree` was moved along edits without being parsed again, after one re-analysed only the statement it
    /// touched: it is not the tree of the text, only what the next parse starts from.
    private var treeIsMovedOnly = false
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
    /// The project modules this document's imports lead to (`from .base import *`), kept while their files
    /// hold what they held (`SettingsImports.revalidate`, asked before each analysis and before findings
    /// that depend on them are kept): an edit saved there is seen on the next change here, and a keystroke
    /// here does not parse them again.
    private var importedModules: SettingsImports?
    /// The names the modules this document's imports lead to bind to read the environment, as the last
    /// statement-level tree gave them (`Linter.selectedStatementsTree(of:parser:path:imports:…)`): the selection
    /// keeps the statements that mention them. They hold while the import statements (always selected: an edit
    /// of one is never taken for one the analysis does not read) and `importedModules` hold.
    private var importedNames: [String] = []
    /// The current findings came from a settings module with project imports that was not modelled with what
    /// they bind (no assignment calls through an imported name): an edit of a statement the analysis left out
    /// may make one call through them, so its findings are not kept or moved.
    private var findingsMayFollowImports = false
    /// Edits whose findings were those of the text before, moved, with no parse or analysis (for the tests).
    private(set) var editsWithFindingsMoved = 0
    /// Edits after which only the statement they changed was analysed (for the tests).
    private(set) var editsWithOneStatementAnalysed = 0

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
        treeIsMovedOnly = false
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
        let oldSource = source
        let oldStatements = statements
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
            pendingRanges = Linter.selectedRanges(
                of: newSource, settings: configuration.settings, statements: &statements, importedNames: importedNames)
        }
        let movedOnly = treeIsMovedOnly
        treeIsMovedOnly = false
        // Findings that depend on modules this one imports are kept only while those files hold what they held
        // (asked once: a failed check forgets them, so a second one would pass).
        let importsHold = wasCurrent && (!findingsReadOtherModules || importedModules?.revalidate() == true)
        // The findings were of a statement-level analysis, and the edit leaves the module's mentions of
        // `os.environ` as they were (the one thing the analysis reads outside the statements it parses): the
        // two paths that need no analysis of the whole selection.
        if treeIsSelection, importsHold, !findingsMayFollowImports, let oldRanges, let ranges = pendingRanges,
           !Self.touchesEnvironmentMention(change, old: oldSource.bytes, new: bytes) {
            // The statements the analysis reads are the ones it read before, byte for byte (the edit changed
            // only statements it leaves out, comments or blank lines): the findings are those it gave, moved.
            if Self.sameStatements(oldRanges, ranges, change: change), let moved = oldTree.applying(change, giving: newSource) {
                tree = moved
                treeIsMovedOnly = movedOnly
                treeRanges = ranges
                pendingRanges = nil
                moveFindings(by: change)
                findingsAreCurrent = true
                editsWithFindingsMoved += 1
                return
            }
            // The edit changed one statement the analysis reads, which nothing else reads: only it is analysed.
            if let oldStatements, let newStatements = statements,
               let edited = editedStatementFindings(
                   change, oldSource: oldSource, oldRanges: oldRanges, ranges: ranges, oldStatements: oldStatements,
                   newStatements: newStatements, parser: parser),
               let moved = oldTree.applying(change, giving: newSource) {
                tree = moved
                treeIsMovedOnly = true
                treeRanges = ranges
                pendingRanges = nil
                findings = edited
                findingsAreCurrent = true
                editsWithOneStatementAnalysed += 1
                return
            }
        }
        if !movedOnly, importsHold, !findings.contains(where: { $0.range.upperBound > lower && $0.range.lowerBound < max(upper, lower + 1) }),
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
            previousSelection = (oldTree, [change])
            return
        }
        // A whole-file tree (the split was unsure, or nothing was left out): back to the statement-level
        // path as soon as the selection can be made again.
        if pendingRanges != nil { return }
        // tree-sitter may recover from an error differently when it reuses the tree of another text (an
        // unterminated triple-quoted string): a text with an error, before or after, is parsed afresh, as `check`
        // parses it (found by ImportServerDifferentialTests).
        var reparsed = oldTree.root.hasError ? nil : try? parser.reparse(newSource, changing: oldTree, by: [change])
        if reparsed?.root.hasError ?? true { reparsed = try? parser.parse(newSource) }
        tree = reparsed
    }

    /// Whether `change` makes or unmakes a mention of `os.environ` or `os.getenv` (the settings model asks the
    /// whole text whether there is one): only a mention overlapping the changed bytes can come or go.
    static func touchesEnvironmentMention(_ change: SourceChange, old: [UInt8], new: [UInt8]) -> Bool {
        func mentions(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
            let window = max(0, range.lowerBound - 9)..<min(bytes.count, range.upperBound + 9)
            return bytes.withUnsafeBufferPointer { buffer in
                let part = UnsafeBufferPointer(rebasing: buffer[window])
                return ByteSearch.contains(part, "os.environ") || ByteSearch.contains(part, "os.getenv")
            }
        }
        return mentions(old, change.range)
            || mentions(new, change.range.lowerBound..<(change.range.lowerBound + change.replacement.count))
    }

    /// The findings of the changed text when `change` edited one statement the analysis reads and nothing else
    /// it reads (issue #20's per-statement path), or nil when the whole selection must be analysed again.
    ///
    /// That statement is `NAME = value` before and after, for the same name, and no other statement the
    /// analysis reads mentions the name: no other finding can depend on it (rules reach other statements only
    /// through the names they mention; a statement binding the same name mentions it too). Its own findings
    /// depend on what defines the module's facts (imports, definitions, classes, branches: every kept statement
    /// that is not a plain assignment), on the assignments of the names it mentions (to a fixed point), on the
    /// text's mentions of `os.environ` (unchanged, the caller checked) and on the file's path (the module is a
    /// settings module by its path, so no statement decides that): those statements and it are parsed and
    /// analysed, and the findings inside it replace the ones it had. Everything else stays where it was, moved.
    private func editedStatementFindings(
        _ change: SourceChange, oldSource: SourceText, oldRanges: [Range<Int>], ranges: [Range<Int>],
        oldStatements: [ModuleStatements.Statement], newStatements: [ModuleStatements.Statement], parser: PythonParser
    ) -> [DocumentFinding]? {
        guard configuration.settings.isSettingsModule(path: analysisPath), oldRanges.count == ranges.count else { return nil }
        let lower = change.range.lowerBound
        let upper = change.range.upperBound
        let delta = change.replacement.count - change.range.count
        // The kept ranges are the old ones moved, but one that holds the change and grew or shrank by it.
        var holder: Int?
        for (index, (before, after)) in zip(oldRanges, ranges).enumerated() {
            if before.lowerBound <= lower, upper <= before.upperBound, lower < before.upperBound {
                guard holder == nil, after.lowerBound == before.lowerBound, after.upperBound == before.upperBound + delta else { return nil }
                holder = index
            } else if before.upperBound <= lower {
                guard after == before else { return nil }
            } else if before.lowerBound >= upper {
                guard after.lowerBound == before.lowerBound + delta, after.upperBound == before.upperBound + delta else { return nil }
            } else {
                return nil
            }
        }
        guard let holder else { return nil }
        // The kept statements: the split's statements inside the kept ranges (a range is whole kept statements).
        // A compound statement kept whole stands for its parts (`partCount`); one split into parts does not.
        var kept: [ModuleStatements.Statement] = []
        var rangeIndex = 0
        var index = 0
        while index < newStatements.count {
            let statement = newStatements[index]
            index += 1
            while rangeIndex < ranges.count, ranges[rangeIndex].upperBound <= statement.range.lowerBound { rangeIndex += 1 }
            guard rangeIndex < ranges.count else { break }
            if ranges[rangeIndex].lowerBound <= statement.range.lowerBound, statement.range.upperBound <= ranges[rangeIndex].upperBound {
                kept.append(statement)
                index += Int(statement.partCount)
            }
        }
        let newBytes = source.bytes
        let insertedEnd = lower + change.replacement.count
        guard let editedIndex = kept.firstIndex(where: {
                  $0.range.lowerBound <= lower && insertedEnd <= $0.range.upperBound && lower < $0.range.upperBound
              }),
              ranges[holder].contains(kept[editedIndex].range.lowerBound) else { return nil }
        let edited = kept[editedIndex]
        let oldRange = edited.range.lowerBound..<(edited.range.upperBound - delta)
        guard let target = edited.plainTarget,
              let old = oldStatements.first(where: { $0.range == oldRange }), let oldTarget = old.plainTarget,
              oldSource.bytes[oldTarget].elementsEqual(newBytes[target]) else { return nil }
        let name = Array(newBytes[target])
        // Names as they appear in a statement's text (strings and comments too: a false mention only costs this path).
        for (index, statement) in kept.enumerated() where index != editedIndex {
            var mentioned = false
            TopLevelCode.forEachNameRun(in: newBytes, statement.range) { if !mentioned { mentioned = newBytes[$0].elementsEqual(name) } }
            if mentioned { return nil }
        }
        // The statements its findings may depend on: every kept one that is not a plain assignment, and the
        // assignments of the names these mention, to a fixed point; and the statements a split compound
        // statement keeps for its structure (a block is never empty).
        var included = kept.indices.map { $0 == editedIndex || kept[$0].plainTarget == nil || kept[$0].isStructural }
        var binders: [ArraySlice<UInt8>: [Int]] = [:]
        for index in kept.indices where !included[index] {
            if let binds = kept[index].plainTarget { binders[newBytes[binds], default: []].append(index) }
        }
        var pending = included.indices.filter { included[$0] }
        while let index = pending.popLast() {
            TopLevelCode.forEachNameRun(in: newBytes, kept[index].range) { found in
                for other in binders.removeValue(forKey: newBytes[found]) ?? [] where !included[other] {
                    included[other] = true
                    pending.append(other)
                }
            }
        }
        var reduced: [Range<Int>] = []
        for index in kept.indices where included[index] {
            let range = kept[index].range
            if let last = reduced.last, last.upperBound == range.lowerBound {
                reduced[reduced.count - 1] = last.lowerBound..<range.upperBound
            } else {
                reduced.append(range)
            }
        }
        guard let tree = Linter.selectedStatementsTree(of: source, parser: parser, ranges: reduced) else { return nil }
        let imports = self.imports(parser)
        // Checked already when the findings kept depend on them.
        if !findingsReadOtherModules { _ = imports.revalidate() }
        let analysis = configuration.linter.analyze(
            path: analysisPath, tree: tree, imports: imports, isStatementSelection: true, scope: SettingsScope(projects: configuration.projects))
        // Modelled with what the imports bind only when a statement here calls through them: then the whole
        // selection is too (the call is among its statements).
        if analysis.readsOtherModules && !analysis.followsProjectImports { return nil }
        findingsReadOtherModules = findingsReadOtherModules || analysis.readsOtherModules
        let envFileName = configuration.settings.envFileName
        let inside = analysis.findings.filter { edited.range.contains($0.range.lowerBound) }.map {
            DocumentFinding(code: $0.code, severity: $0.severity, message: $0.message, range: $0.range, fixTitle: $0.fixTitle(envFileName: envFileName))
        }
        // The others, which lie wholly before or after the statement: those after move by the change.
        var result: [DocumentFinding] = []
        result.reserveCapacity(findings.count + inside.count)
        var insertedInside = false
        for var finding in findings where !oldRange.contains(finding.range.lowerBound) {
            if finding.range.lowerBound >= oldRange.upperBound {
                if !insertedInside {
                    result += inside
                    insertedInside = true
                }
                finding.range = (finding.range.lowerBound + delta)..<(finding.range.upperBound + delta)
            }
            result.append(finding)
        }
        if !insertedInside { result += inside }
        return result
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
        findingsMayFollowImports = analysis.readsOtherModules && !analysis.followsProjectImports
    }

    /// The full analysis of the current text (parsed when the tree is not current), or nil with `problem` set.
    func currentAnalysis(parser: PythonParser) -> FileAnalysis? {
        if let analysis, analysis.tree.source === source { return analysis }
        // Readers bound by a star-imported settings module (`from .base import *`) are read again when its
        // file changed, so an edit saved there is seen on the next change here; the names they bind decide
        // the selection, so a statement-level tree kept from before is made again.
        let imports = self.imports(parser)
        if !imports.revalidate(), treeIsSelection, let kept = tree, kept.source === source, !treeIsMovedOnly {
            previousSelection = (kept, [])
            pendingRanges = nil
            tree = nil
        }
        if tree == nil || tree!.source !== source || treeIsMovedOnly {
            let linter = configuration.linter
            if treeIsMovedOnly, let moved = tree {
                // Its ranges are the current text's: what the next parse starts from, with nothing more to move.
                pendingRanges = pendingRanges ?? treeRanges
                previousSelection = (moved, [])
            }
            if linter.usesStatementSelection, let selected = linter.selectedStatementsTree(
                of: source, parser: parser, path: analysisPath, imports: imports, statements: &statements, ranges: pendingRanges,
                previous: previousSelection, importedNames: &importedNames) {
                tree = selected.tree
                treeIsSelection = true
                treeRanges = selected.ranges
            } else {
                tree = try? parser.parse(source)
                treeIsSelection = false
                treeRanges = nil
            }
            treeIsMovedOnly = false
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
        let fresh = configuration.linter.analyze(
            path: analysisPath, tree: tree, imports: imports, isStatementSelection: treeIsSelection,
            scope: SettingsScope(projects: configuration.projects))
        analysis = fresh
        return fresh
    }

    private func imports(_ parser: PythonParser) -> SettingsImports {
        if let importedModules { return importedModules }
        let created = SettingsImports(parser: parser, baseFolder: configuration.baseFolder)
        importedModules = created
        return created
    }

    /// A NUL byte ends tree-sitter's input early; a space in its place keeps every offset and parses on.
    private static func parsable(_ text: [UInt8]) -> [UInt8] {
        guard ByteSearch.containsNUL(text) else { return text }
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
