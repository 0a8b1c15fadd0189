import PythonSyntax

/// The findings of one file, with what the fixer needs to act on them.
public struct FileAnalysis {
    public let path: String
    public let source: SourceText
    public let tree: SyntaxTree
    public let model: SettingsModel
    public let findings: [Finding]
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

    public init(settings: LintSettings) {
        self.settings = settings
        let enabled = settings
        rules = RuleRegistry.all.filter { enabled.isEnabled(type(of: $0).description.code) }
    }

    /// How deep the syntax tree may nest. The settings model and the rules recurse on expressions; this
    /// bound keeps them far from the end of any thread's stack. Real settings nest a few dozen levels.
    public static let maximumNesting = 1000

    public func analyze(path: String, source: SourceText, parser: PythonParser) throws -> FileAnalysis {
        let tree = try parser.parse(source)
        if tree.root.nests(deeperThan: Self.maximumNesting) { throw AnalysisError.nestedTooDeep(limit: Self.maximumNesting) }
        return analyze(path: path, tree: tree)
    }

    public func analyze(path: String, tree: SyntaxTree) -> FileAnalysis {
        let source = tree.source
        let isSettingsModule = settings.isSettingsModule(path: path)
        let model = SettingsModel(root: tree.root, everyClassIsSettings: isSettingsModule)
        let context = RuleContext(
            source: source, model: model, settings: settings,
            isDevelopmentSettings: settings.isDevelopmentSettings(path: path), isSettingsModule: isSettingsModule)
        let ignoredHere = settings.codesIgnored(forPath: path)
        var findings: [Finding] = []
        for rule in rules where !ignoredHere.contains(type(of: rule).description.code) {
            findings.append(contentsOf: rule.check(context))
        }
        if !findings.isEmpty {
            let suppressions = Suppressions(tree: tree)
            findings.removeAll { finding in
                let lines = [source.lineIndex(ofByte: finding.range.lowerBound), source.lineIndex(ofByte: finding.statementStart)]
                return suppressions.suppresses(finding.code, lines: lines)
            }
            findings.sort { ($0.range.lowerBound, $0.code) < ($1.range.lowerBound, $1.code) }
        }
        return FileAnalysis(path: path, source: source, tree: tree, model: model, findings: findings)
    }
}

extension LintSettings {
    func codesIgnored(forPath path: String) -> Set<String> {
        var codes = Set<String>()
        for entry in perFileIgnores where Glob.matches(entry.glob, path: path) || Glob.matches("**/" + entry.glob, path: path) {
            codes.formUnion(entry.codes)
        }
        return codes
    }
}
