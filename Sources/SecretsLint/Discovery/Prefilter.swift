import PythonSyntax

/// Decides from a file's bytes, before any parsing, whether it can hold a finding: every rule needs
/// `DEBUG` or `SECRET_KEY` or a credential-like word followed by an assignment, key or argument end.
/// Most Python files of a tree never mention them and are never parsed.
public struct Prefilter: @unchecked Sendable {
    private let patterns: (keyAssignment: BytePattern, keyInline: BytePattern, secretRead: BytePattern,
                           credentialLiteral: BytePattern, settingsMarker: BytePattern)?
    private let settings: LintSettings

    // Every pattern starts at a line start or at a rare byte, so PCRE2 skips ahead without trying each offset.

    /// An assignment statement to DEBUG, SECRET_KEY or its fallbacks, also chained or tuple (`A, DEBUG = …`); not `==`.
    static let keyAssignmentPattern = #"(?m)^[ \t]*(?:[A-Za-z_]\w*[ \t]*[,=][ \t]*)*(?:DEBUG|SECRET_KEY(?:_FALLBACKS)?)\b[ \t]*(?::[^=\n]*)?=(?!=)"#
    /// After `;`, a django-environ `DEBUG=(bool, …)` scheme, or a key variable named in a read.
    static let keyInlinePattern = #";[ \t]*(?:DEBUG|SECRET_KEY)|DEBUG[ \t]*=[ \t]*\([ \t]*bool|SECRET_KEY\w*['"][ \t]*[,)\]]"#
    /// A read whose first argument names a secret variable: `get("DB_PASSWORD", …)`, `env("API_TOKEN") or`.
    static let secretReadPattern = #"\([ \t\r\n]*[rbufRBUF]{0,2}['"][^'"\n]*(?i:secret|passw|token|api_?key|private_?key|access_?key)[^'"\n]*['"][ \t\r\n]*[,)]"#
    static let credentialLiteralPattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*['"]?\]?[ \t]*[:=][ \t]*\(?\s*[rbufRBUF]{0,2}['"]"#
    /// DJS008 looks only at settings modules: a Django setting assigned at module level, or a settings class.
    static let settingsMarkerPattern = #"(?m)^(?:(?:INSTALLED_APPS|DATABASES|MIDDLEWARE|ROOT_URLCONF|ALLOWED_HOSTS|DEBUG|TEMPLATES|STATIC_URL|EMAIL_BACKEND|EMAIL_HOST|CACHES|AUTH_PASSWORD_VALIDATORS|SECRET_KEY)[ \t]*(?::[^=\n]*)?=|class[ \t]+\w+[ \t]*\([^)]*(?:Settings|Configuration))"#

    /// A custom credential pattern cannot be turned into a byte test safely: then every file is parsed.
    public init(settings: LintSettings) {
        self.settings = settings
        if settings.credentialPattern.pattern == LintSettings.defaultCredentialPattern,
           let keyAssignment = try? BytePattern(Self.keyAssignmentPattern),
           let keyInline = try? BytePattern(Self.keyInlinePattern),
           let secretRead = try? BytePattern(Self.secretReadPattern),
           let credentialLiteral = try? BytePattern(Self.credentialLiteralPattern),
           let settingsMarker = try? BytePattern(Self.settingsMarkerPattern) {
            patterns = (keyAssignment, keyInline, secretRead, credentialLiteral, settingsMarker)
        } else {
            patterns = nil
        }
    }

    public func mayHaveFindings(_ bytes: [UInt8], path: String) -> Bool {
        bytes.withUnsafeBufferPointer { mayHaveFindings($0, path: path) }
    }

    public func mayHaveFindings(_ buffer: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        guard let patterns else { return true }
        return {
            // Literal searches first: most files mention none of these words and need no regex at all.
            if ByteSearch.contains(buffer, "DEBUG") || ByteSearch.contains(buffer, "SECRET_KEY") {
                if patterns.keyAssignment.mayMatch(in: buffer) || patterns.keyInline.mayMatch(in: buffer) {
                    return true
                }
            }
            // Every environment read needs one of these words in the file: an import or the reader itself.
            let canReadEnvironment = ByteSearch.contains(buffer, "environ") || ByteSearch.contains(buffer, "getenv")
                || ByteSearch.contains(buffer, "decouple")
            if canReadEnvironment && patterns.secretRead.mayMatch(in: buffer) { return true }
            guard settings.isSettingsModule(path: path) || patterns.settingsMarker.mayMatch(in: buffer) else {
                return false
            }
            return patterns.credentialLiteral.mayMatch(in: buffer)
        }()
    }
}
