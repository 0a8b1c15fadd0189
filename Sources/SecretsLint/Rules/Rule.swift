import PythonSyntax

/// Everything a rule says about itself; `djlint-secrets rule` and the README print this text.
public struct RuleDescription {
    public let code: String
    public let name: String
    public let summary: String
    public let rationale: String
    /// Code that triggers the rule; `↓` marks where the finding lands (the statement's first line).
    public let triggeringExamples: [String]
    public let nonTriggeringExamples: [String]
    /// Before → after pairs in the `os` style, for the documentation.
    public let corrections: [(before: String, after: String)]
    public let fix: FixAvailability
    public let severity: Severity
    public let isDebugRule: Bool
    /// Reported by the project pass after the files are checked (git, `.env`), never from one file's code:
    /// its examples describe a project's state and are documentation only.
    public let isProjectLevel: Bool

    public init(
        code: String, name: String, summary: String, rationale: String,
        triggeringExamples: [String], nonTriggeringExamples: [String],
        corrections: [(before: String, after: String)] = [], fix: FixAvailability,
        severity: Severity = .error, isDebugRule: Bool = false, isProjectLevel: Bool = false
    ) {
        self.code = code
        self.name = name
        self.summary = summary
        self.rationale = rationale
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
        self.corrections = corrections
        self.fix = fix
        self.severity = severity
        self.isDebugRule = isDebugRule
        self.isProjectLevel = isProjectLevel
    }
}

public enum FixAvailability: String {
    case always, sometimes, none
}

public enum Severity: String {
    case error, warning
}

/// A check over one file's settings-level statements.
public protocol Rule {
    static var description: RuleDescription { get }
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    public var description: RuleDescription { Self.description }
}

/// What a rule may look at for one file.
public struct RuleContext {
    public let source: SourceText
    public let model: SettingsModel
    public let settings: LintSettings
    /// The file's name marks it as development or test settings: DEBUG rules do not apply.
    public let isDevelopmentSettings: Bool
    /// The path names a settings or configuration module.
    public let isSettingsModule: Bool

    public var bindings: ModuleBindings { model.bindings }

    /// A finding anchored at `node` (a statement or a dict entry).
    public func finding(
        _ rule: RuleDescription, at anchor: SyntaxNode, statement: SyntaxNode, message: String, fix: FixIntent? = nil,
        secret: SecretInUse? = nil, spelledBy source: SyntaxNode? = nil
    ) -> Finding {
        var secret = secret
        if secret != nil, secret?.range == nil { secret?.range = (source ?? anchor).byteRange }
        return Finding(
            code: rule.code, name: rule.name, severity: rule.severity, message: message,
            range: anchor.byteRange, statementStart: statement.startByte, fix: fix, secret: secret)
    }
}

/// Every rule, in code order.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        HardcodedSecretKeyRule(),
        InsecureSecretKeyRule(),
        WeakSecretKeyRule(),
        SecretEnvFallbackRule(),
        DebugEnabledRule(),
        DebugEnvTruthinessRule(),
        DebugDefaultOnRule(),
        HardcodedCredentialRule(),
        GeneratedSecretKeyRule(),
        HardcodedFallbackKeysRule(),
        EnvFileNotIgnoredRule(),
        SecretInGitHistoryRule(),
        CredentialInUrlRule(),
        LeakedFallbackKeyRule(),
    ]

    public static var descriptions: [RuleDescription] { all.map { type(of: $0).description } }

    public static func description(for code: String) -> RuleDescription? {
        descriptions.first { $0.code.caseInsensitiveCompare(code) }
    }
}

extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
