import PythonSyntax

/// The findings of one file, with what the fixer and the project pass need to act on them.
public struct FileAnalysis {
    public let path: String
    public let source: SourceText
    public let tree: SyntaxTree
    public let model: SettingsModel
    public let findings: [Finding]
    /// The tree holds only the statements `StatementSelection` kept (and has no syntax error): the rest of
    /// the file was not parsed. Checks of a fixed text then parse it the same way.
    public internal(set) var isStatementSelection = false
    /// The findings depend on other files of the project too (readers imported from another settings
    /// module, read from disk): the same text may give other findings after those files change.
    public internal(set) var readsOtherModules = false
    /// The file is a settings module modelled with what its project imports bind (`from .base import *`: an
    /// import leads to a module file and an assignment calls through a name it may bind); on the
    /// statement-level path the selection kept every statement that reads through one of those names
    /// (`ImportedEnvironmentNames`).
    public internal(set) var followsProjectImports = false
    /// The module's split with what the selection noted of each statement, when `isStatementSelection`
    /// and known: a check of the fixed text splits again only where the fixes touched.
    public internal(set) var statements: [ModuleStatements.Statement]?
    /// Secret values written in the file now, for DJS012 (`# noqa: DJS012` and ignores already applied).
    public var secrets: [FileSecret] = []
    /// Environment variables the file reads for secret settings: their `.env` values are secrets too.
    public var secretVariables: [String] = []
    /// The file assigns Django settings (or has findings): its project gets the project-level checks.
    public var isSettingsFile = false
    /// Environment variables a `SECRET_KEY_FALLBACKS` of the file reads: DJS014 checks their `.env` values.
    public var fallbackVariables: [String] = []
    /// What the file is to Django; decided only for a file with findings or Django settings.
    public var role: SettingsRole = .notSettings
}

extension FileAnalysis {
    /// Its tree is a statement-level one. A settings module with project imports then depends on the other
    /// modules even when no statement parsed calls through an imported name (a statement left out may call
    /// through one): the language server checks those files before it reuses the findings.
    mutating func markStatementSelection(imports: SettingsImports?, isSettingsModule: Bool) {
        isStatementSelection = true
        if imports != nil && isSettingsModule && !(model.projectImports.isEmpty && model.moduleImportNames.isEmpty) {
            readsOtherModules = true
        }
    }
}

/// A secret value at a place in one file.
public struct FileSecret {
    public let secret: SecretInUse
    /// The anchor of the finding that found it.
    public let range: Range<Int>
    /// That finding's index in `findings`, when it is reported (a fix may then take the value out of the file).
    public let findingIndex: Int?
}

/// Why a file cannot be checked at all.
public enum AnalysisError: Error, CustomStringConvertible {
    case nestedTooDeep(limit: Int)

    public var description: String {
        switch self {
        case .nestedTooDeep(let limit):
            return "code nested more than \(limit) levels deep, skipped"
        }
    }
}

/// Checks one file's bytes: parse, build the settings model, run the enabled rules, honour `# noqa`.
public struct Linter {
    public let settings: LintSettings
    private let rules: [any Rule]
    /// Rules that are off but whose findings name secret values that DJS012 still looks up.
    private let secretOnlyRules: [any Rule]
    private let historyEnabled: Bool

    /// The rules whose findings carry the secret value their expression holds.
    static let secretRuleCodes: Set<String> = ["DJS001", "DJS002", "DJS003", "DJS004", "DJS008", "DJS010", "DJS013", "DJS014"]

    static let debugRuleCodes = Set(RuleRegistry.descriptions.filter(\.isDebugRule).map(\.code))

    public init(settings: LintSettings) {
        self.settings = settings
        let enabled = settings
        let fileRules = RuleRegistry.all.filter { !type(of: $0).description.isProjectLevel }
        rules = fileRules.filter { enabled.isEnabled(type(of: $0).description.code) }
        historyEnabled = settings.isEnabled(SecretInGitHistoryRule.description.code)
        secretOnlyRules = historyEnabled
            ? fileRules.filter {
                let code = type(of: $0).description.code
                return !enabled.isEnabled(code) && Self.secretRuleCodes.contains(code)
            }
            : []
    }

    /// How deep the syntax tree may nest. The settings model and the rules recurse on expressions; this
    /// bound keeps them far from the end of any thread's stack. Real settings nest a few dozen levels.
    public static let maximumNesting = 1000

    /// `imports` follows imports of other settings modules of the project (`from .base import *`);
    /// `scope` says which files beyond what their path and statements say are settings modules.
    public func analyze(
        path: String, source: SourceText, parser: PythonParser, imports: SettingsImports? = nil, scope: SettingsScope = .fileOnly
    ) throws -> FileAnalysis {
        var statements: [ModuleStatements.Statement]?
        var importedNames: [String] = []
        if usesStatementSelection, let selected = selectedStatementsTree(
            of: source, parser: parser, path: path, imports: imports, statements: &statements, importedNames: &importedNames) {
            var analysis = analyze(path: path, tree: selected.tree, imports: imports, scope: scope, model: selected.model)
            analysis.markStatementSelection(imports: imports, isSettingsModule: settings.isSettingsModule(path: path))
            analysis.statements = statements
            return analysis
        }
        let tree = try parser.parse(source)
        if tree.root.nests(deeperThan: Self.maximumNesting) { throw AnalysisError.nestedTooDeep(limit: Self.maximumNesting) }
        return analyze(path: path, tree: tree, imports: imports, scope: scope)
    }

    /// Parse only the statements the rules may read (`StatementSelection`). On by default; the differential
    /// tests turn it off (as `DJLINT_SECRETS_FULL_ANALYSIS=1` does) to compare with the whole parse.
    public var usesStatementSelection = !StatementSelection.disabledByEnvironment

    /// The statement-level tree of `source` as `analyze(path:source:…)` takes it, with the ranges it was parsed
    /// from: the statements `StatementSelection` keeps and, for a settings module whose model follows its project
    /// imports, those mentioning a name the imported modules bind to read the environment
    /// (`ImportedEnvironmentNames`). Nil: parse whole. Decided before anything is analysed:
    /// - `analyze(path:tree:…)` models a settings module with what its imports bind only when one of its
    ///   assignments calls through a name they may bind (`SettingsModel.callsThroughImportedNames`). A
    ///   statement-level tree that has such a call says what the whole tree says (a call through a name bound
    ///   here keeps the statements binding it); one without says it too when no assignment left out holds a call
    ///   (a `(`), else the names are worked out and the selection made again, and when still undecided, nil;
    /// - the names come from the import statements, which every selection keeps: worked out from a first tree,
    ///   and when they keep more statements, the tree of these is parsed reusing it.
    /// `ranges`: the selection already made for `source` with `importedNames` (the language server's, made as
    /// each edit comes in). `importedNames`: on entry the names of an earlier text (the language server's last
    /// ones: they hold while its import statements and the modules they lead to hold), on return this text's.
    /// `statements`, `previous`: as for `selectedStatementsTree(of:parser:settings:statements:previous:)`.
    public func selectedStatementsTree(
        of source: SourceText, parser: PythonParser, path: String, imports: SettingsImports?,
        statements: inout [ModuleStatements.Statement]?, ranges known: [Range<Int>]? = nil,
        previous: (tree: SyntaxTree, changes: [SourceChange])? = nil, importedNames: inout [String]
    ) -> (tree: SyntaxTree, ranges: [Range<Int>], model: SettingsModel?)? {
        guard var ranges = known ?? Self.selectedRanges(of: source, settings: settings, statements: &statements, importedNames: importedNames),
              var tree = Self.selectedStatementsTree(of: source, parser: parser, ranges: ranges, statements: statements, previous: previous)
        else { return nil }
        guard let imports, settings.isSettingsModule(path: path), ImportedEnvironmentNames.mayImportProjectModules(tree.root) else {
            importedNames = []
            return (tree, ranges, nil)
        }
        var namesWorkedOut = false
        while true {
            // As `analyze(path:tree:…)` first models the module.
            // The model of `tree`, returned with it: `analyze(path:tree:…)` would make the same one again.
            let model = SettingsModel(root: tree.root)
            guard model.importsLeadSomewhere(imports, path: path) else {
                importedNames = []
                return (tree, ranges, model)
            }
            let calls = model.callsThroughImportedNames
            guard calls || Self.leftOutAssignmentHoldsCall(source, statements, ranges) else {
                // Not modelled with the imported modules: their names change nothing.
                return (tree, ranges, model)
            }
            if namesWorkedOut { return calls ? (tree, ranges, model) : nil }
            namesWorkedOut = true
            var names = ImportedEnvironmentNames.names(in: tree.root, path: path, imports: imports)
            if let statements { names = ImportedEnvironmentNames.withDerivedNames(names, source: source, statements: statements) }
            let unchanged = Set(names) == Set(importedNames)
            importedNames = names
            if unchanged { return calls ? (tree, ranges, model) : nil }
            guard let selected = Self.selectedRanges(of: source, settings: settings, statements: &statements, importedNames: names) else { return nil }
            if selected == ranges { return calls ? (tree, ranges, model) : nil }
            guard let reparsed = Self.selectedStatementsTree(of: source, parser: parser, ranges: selected, statements: statements, previous: (tree, []))
            else { return nil }
            tree = reparsed
            ranges = selected
        }
    }

    /// Some plain assignment that `ranges` leave out holds a `(` (it may call through an imported name); true
    /// when the split is unknown.
    private static func leftOutAssignmentHoldsCall(_ source: SourceText, _ statements: [ModuleStatements.Statement]?, _ ranges: [Range<Int>]) -> Bool {
        guard let statements else { return true }
        return source.bytes.withUnsafeBufferPointer { buffer in
            var rangeIndex = 0
            for statement in statements where statement.partCount == 0 {
                guard let target = statement.plainTarget else { continue }
                let start = statement.range.lowerBound
                while rangeIndex < ranges.count, ranges[rangeIndex].upperBound <= start { rangeIndex += 1 }
                if rangeIndex < ranges.count, ranges[rangeIndex].lowerBound <= start { continue }
                let value = UnsafeBufferPointer(rebasing: buffer[target.upperBound..<statement.range.upperBound])
                if ByteSearch.contains(value, "(") { return true }
            }
            return false
        }
    }

    /// The tree of the statements `StatementSelection` keeps, when every one of them parses without error
    /// and each module-level node lies inside one kept statement (the split and tree-sitter agree); nil when
    /// the whole file must be parsed (or nothing would be left out).
    /// `statements`: `source`'s split when known (the language server moves it along with each edit); on
    /// return, the split with what the selection noted of each statement.
    /// `previous`: a statement-level tree of the text before `changes` (the language server's last one), whose
    /// unchanged statements tree-sitter reuses.
    public static func selectedStatementsTree(
        of source: SourceText, parser: PythonParser, settings: LintSettings, statements: inout [ModuleStatements.Statement]?,
        previous: (tree: SyntaxTree, changes: [SourceChange])? = nil
    ) -> SyntaxTree? {
        guard let ranges = selectedRanges(of: source, settings: settings, statements: &statements) else { return nil }
        return selectedStatementsTree(of: source, parser: parser, ranges: ranges, statements: statements, previous: previous)
    }

    /// The byte ranges `selectedStatementsTree` parses (kept statements, adjacent ones merged); nil when the
    /// whole file must be parsed. `statements` as for `selectedStatementsTree`.
    /// `importedNames`: see `StatementSelection.keptRanges`.
    public static func selectedRanges(
        of source: SourceText, settings: LintSettings, statements: inout [ModuleStatements.Statement]?, importedNames: [String] = []
    ) -> [Range<Int>]? {
        guard let ranges = StatementSelection.keptRanges(of: source, settings: settings, statements: &statements, importedNames: importedNames),
              ranges != [0..<source.bytes.count] else { return nil }
        return ranges
    }

    /// `selectedStatementsTree` of the `ranges` that `selectedRanges` gave for `source`; `statements`: the
    /// split they were selected from (without it, a looser check of the tree).
    public static func selectedStatementsTree(
        of source: SourceText, parser: PythonParser, ranges: [Range<Int>], statements: [ModuleStatements.Statement]? = nil,
        previous: (tree: SyntaxTree, changes: [SourceChange])? = nil
    ) -> SyntaxTree? {
        let parsed: SyntaxTree?
        if let previous {
            parsed = try? parser.reparse(source, including: ranges, changing: previous.tree, by: previous.changes)
        } else {
            parsed = try? parser.parse(source, including: ranges)
        }
        guard let tree = parsed else { return nil }
        let root = tree.root
        guard !root.hasError, !root.nests(deeperThan: maximumNesting) else { return nil }
        // Each module-level node lies in one module-level statement of the split that keeps something (a
        // compound statement split into parts spans several ranges); without the split, in kept ranges.
        let spans = statements.map { StatementSelection.keptStatements($0, ranges: ranges) }
        var spanIndex = 0, rangeIndex = 0
        for statement in root.children {
            let start = statement.startByte
            let end = statement.endByte
            if let spans {
                while spanIndex < spans.count, spans[spanIndex].upperBound <= start { spanIndex += 1 }
                guard spanIndex < spans.count, spans[spanIndex].lowerBound <= start, end <= spans[spanIndex].upperBound else { return nil }
            } else {
                while rangeIndex < ranges.count, ranges[rangeIndex].upperBound <= start { rangeIndex += 1 }
                guard rangeIndex < ranges.count, ranges[rangeIndex].lowerBound <= start else { return nil }
                var last = rangeIndex
                while last < ranges.count, ranges[last].upperBound < end { last += 1 }
                guard last < ranges.count, ranges[last].lowerBound < end else { return nil }
            }
        }
        return tree
    }

    /// `isStatementSelection`: `tree` is one `selectedStatementsTree` gave (or that tree moved by an inert edit).
    public func analyze(
        path: String, tree: SyntaxTree, imports: SettingsImports? = nil, isStatementSelection: Bool, scope: SettingsScope = .fileOnly
    ) -> FileAnalysis {
        var analysis = analyze(path: path, tree: tree, imports: imports, scope: scope)
        if isStatementSelection { analysis.markStatementSelection(imports: imports, isSettingsModule: settings.isSettingsModule(path: path)) }
        return analysis
    }

    /// `model`: `SettingsModel(root: tree.root)` when the caller has made it (`selectedStatementsTree` does for a
    /// settings module, where every class is settings).
    public func analyze(
        path: String, tree: SyntaxTree, imports: SettingsImports? = nil, scope: SettingsScope = .fileOnly, model known: SettingsModel? = nil
    ) -> FileAnalysis {
        let source = tree.source
        let isSettingsModule = settings.isSettingsModule(path: path)
        var model = isSettingsModule ? known ?? SettingsModel(root: tree.root) : SettingsModel(root: tree.root, everyClassIsSettings: false)
        // Only settings modules are split into modules that import one another's readers; the prefilter
        // lets files through on the same terms.
        var readsOtherModules = false
        var followsProjectImports = false
        if let imports, isSettingsModule, model.callsThroughImportedNames {
            if model.importsLeadSomewhere(imports, path: path) {
                model = SettingsModel(root: tree.root, everyClassIsSettings: isSettingsModule, imports: imports, path: path)
                followsProjectImports = true
            }
            readsOtherModules = true
        }
        let context = RuleContext(
            source: source, model: model, settings: settings,
            isDevelopmentSettings: settings.isDevelopmentSettings(path: path), isSettingsModule: isSettingsModule)
        let ignoredHere = settings.codesIgnored(forPath: path)
        let looksUpHistory = historyEnabled && !ignoredHere.contains(SecretInGitHistoryRule.description.code)
        var findings: [Finding] = []
        var secretFindings: [Finding] = []
        for rule in rules {
            let code = type(of: rule).description.code
            if !ignoredHere.contains(code) {
                findings.append(contentsOf: rule.check(context))
            } else if looksUpHistory && Self.secretRuleCodes.contains(code) {
                secretFindings.append(contentsOf: rule.check(context))
            }
        }
        if looksUpHistory {
            for rule in secretOnlyRules { secretFindings.append(contentsOf: rule.check(context)) }
        }
        // Which module this is matters only when it has findings or assigns settings: decided once, the
        // project's configuration looked up last (SPEC "Which code is looked at").
        let assignsSettingNames = model.assignments.contains {
            $0.path.count == 1 && HardcodedCredentialRule.djangoSettingNames.contains($0.path[0])
        }
        var role = SettingsRole.notSettings
        if !findings.isEmpty || !secretFindings.isEmpty || assignsSettingNames {
            let isSettings = isSettingsModule || scope.namedPaths.contains(path) || model.assignsDjangoSettings
                || (scope.projects?.runsAsSettings(path) ?? false)
            if isSettings { role = settings.isTestSettings(path: path) ? .testSettings : .settings }
        }
        switch role {
        case .notSettings:
            findings = []
            secretFindings = []
        case .testSettings:
            findings = TestSettings.adjust(findings)
            secretFindings = TestSettings.adjust(secretFindings)
        case .settings:
            // A branch that runs only on CI is test configuration (SPEC "CI-only branches"): held as test settings are.
            var ciStatements = Set(model.assignments.lazy.filter(\.context.ciOnly).map(\.statement.startByte))
            ciStatements.formUnion(model.expressions.lazy.filter(\.context.ciOnly).map(\.statement.startByte))
            if !ciStatements.isEmpty {
                func held(_ list: [Finding]) -> [Finding] {
                    let inCI = list.filter { ciStatements.contains($0.statementStart) }
                    guard !inCI.isEmpty else { return list }
                    return list.filter { !ciStatements.contains($0.statementStart) }
                        + TestSettings.adjust(inCI, advice: TestSettings.ciBranchAdvice)
                }
                findings = held(findings)
                secretFindings = held(secretFindings)
            }
        }
        if findings.contains(where: { Self.debugRuleCodes.contains($0.code) }) {
            let developmentBodies = DevelopmentClasses.bodies(in: tree.root)
            findings.removeAll { finding in
                Self.debugRuleCodes.contains(finding.code) && developmentBodies.contains { $0.contains(finding.statementStart) }
            }
        }
        let isSettingsFile = role.isSettings && (!findings.isEmpty || !secretFindings.isEmpty || assignsSettingNames)
        var suppressions: Suppressions?
        func suppressed(_ finding: Finding, as code: String) -> Bool {
            if suppressions == nil { suppressions = Suppressions(tree: tree) }
            guard !suppressions!.isEmpty else { return false }
            // The finding's line, its statement's first line, or where a comment can go when a string
            // spans that line's end (the line `--add-noqa` writes to).
            var lines = [source.lineIndex(ofByte: finding.range.lowerBound), source.lineIndex(ofByte: finding.statementStart)]
            if suppressions!.suppresses(code, lines: lines) { return true }
            lines = [Suppressions.commentLine(from: finding.statementStart, tree: tree), Suppressions.commentLine(from: finding.range.lowerBound, tree: tree)]
            return suppressions!.suppresses(code, lines: lines)
        }
        var candidates: [Finding] = []
        if looksUpHistory {
            candidates = (findings + secretFindings).filter { $0.secret != nil && !suppressed($0, as: SecretInGitHistoryRule.description.code) }
        }
        if !findings.isEmpty {
            findings.removeAll { suppressed($0, as: $0.code) }
            findings.sort { ($0.range.lowerBound, $0.code) < ($1.range.lowerBound, $1.code) }
        }
        var analysis = FileAnalysis(path: path, source: source, tree: tree, model: model, findings: findings)
        analysis.isSettingsFile = isSettingsFile
        analysis.role = role
        analysis.readsOtherModules = readsOtherModules
        analysis.followsProjectImports = followsProjectImports
        // Test settings get no key rules: their fallback keys are fixtures too.
        if role == .settings && settings.isEnabled(LeakedFallbackKeyRule.description.code) {
            for assignment in model.assignments where assignment.path == ["SECRET_KEY_FALLBACKS"] {
                analysis.fallbackVariables += FallbackKeys.variablesRead(by: assignment, bindings: model.bindings)
            }
        }
        guard looksUpHistory else { return analysis }
        var seen = Set<String>()
        for candidate in candidates.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            guard let secret = candidate.secret, seen.insert("\(candidate.range.lowerBound) \(secret.value)").inserted else { continue }
            let index = findings.firstIndex { $0.code == candidate.code && $0.range == candidate.range }
            analysis.secrets.append(FileSecret(secret: secret, range: candidate.range, findingIndex: index))
        }
        let secretSettings = SecretSettings(settings: settings)
        var variables = Set<String>()
        for assignment in model.assignments where secretSettings.isSecretSetting(assignment.path) {
            if let name = model.bindings.environmentRead(assignment.value)?.variableName, variables.insert(name).inserted {
                analysis.secretVariables.append(name)
            }
        }
        return analysis
    }
}

extension LintSettings {
    func codesIgnored(forPath path: String) -> Set<String> {
        var codes = Set<String>()
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        let path = String(relative)
        for entry in perFileIgnores where Glob.matches(entry.glob, path: path) || Glob.matches("**/" + entry.glob, path: path) {
            codes.formUnion(entry.codes)
        }
        return codes
    }
}
