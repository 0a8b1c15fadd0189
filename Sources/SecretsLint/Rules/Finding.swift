import PythonSyntax

/// One offending expression in one file.
public struct Finding {
    public let code: String
    public let name: String
    public let severity: Severity
    public var message: String
    /// The anchor's byte range: the statement, or a dict entry.
    public let range: Range<Int>
    /// First byte of the enclosing statement, whose line also takes `# noqa`.
    public let statementStart: Int
    public var fix: FixIntent?
    /// The secret value the finding's expression holds now, which DJS012 looks for in the git history.
    public var secret: SecretInUse?

    public var isFixable: Bool { fix != nil }
}

/// A secret value written in the settings: a key, a fallback or a credential literal.
public struct SecretInUse: Equatable {
    /// What holds it, for messages: `SECRET_KEY`, `DATABASES["default"]["PASSWORD"]`.
    public let setting: String
    public let value: String
    /// A `SECRET_KEY` (or a fallback of one): rotated with a new key rather than at a provider.
    public let isKey: Bool
    /// The source that spells it (the literal expression, or the statement of a deleted line):
    /// output that shows source (`--diff`) masks it, fixed or not.
    public var range: Range<Int>?
}

/// What a fix must achieve; the fixer turns it into edits in the file's env style.
public enum FixIntent {
    /// Replace `expression` with a read of `variable` (required or bool), storing `stored` in `.env`.
    /// `style` overrides the file's env style, to answer a read in its own spelling.
    case replaceWithRead(
        expression: Range<Int>, setting: [String], variable: String?, form: ReadForm, stored: StoredValue,
        style: EnvStyle? = nil)
    /// Delete a whole statement line (an `os.environ.setdefault` fallback), storing `stored`.
    case deleteStatement(statement: Range<Int>, setting: [String], variable: String?, stored: StoredValue)
}

public enum ReadForm {
    case required
    case bool
    /// Exact replacement text (a django-environ scheme default turned off).
    case literal(String)
    /// A required read with text around it: `dj_database_url.parse(<read>, conn_max_age=600)`.
    case requiredInside(before: String, after: String)
}

/// The value `--fix` writes to `.env` for a variable.
public enum StoredValue {
    /// A SECRET_KEY: moved when strong and never committed, otherwise replaced.
    case secretKey(current: String?, alwaysReplace: Bool)
    /// Any other secret, moved verbatim.
    case verbatim(String)
    /// DEBUG's local-development value; nil stores nothing.
    case debugFlag(Bool?)
    /// Literal `SECRET_KEY_FALLBACKS` entries, newest first: those that never leaked and that `reader`
    /// reads back exactly are stored comma-separated; the others are dropped, and the summary says why.
    case fallbackKeys([String], reader: FallbackReader)
}
