import PythonSyntax

/// Which settings and environment variables hold secrets.
struct SecretSettings {
    let settings: LintSettings

    /// Name endings that make a matching name a reference to a secret, not the secret itself
    /// (`TOKEN_MODEL`, `PASSWORD_HASHERS`, `PASSWORD_RESET_TIMEOUT`, `SECRET_FILE`).
    static let nonSecretEndings: Set<String> = [
        "MODEL", "MODELS", "CLASS", "CLASSES", "BACKEND", "BACKENDS", "HASHERS", "VALIDATORS", "TIMEOUT", "TIMEOUT_DAYS",
        "DAYS", "SECONDS", "LIFETIME", "AGE", "LENGTH", "URL", "URLS", "PATH", "FILE", "DIR", "NAME", "HEADER",
        "HEADER_NAME", "PREFIX", "PARAM", "FIELD", "TYPE", "ENABLED", "REQUIRED", "SERIALIZER", "ALGORITHM",
        "ALGORITHMS", "FALLBACKS", "ENV", "VAR", "LOCATION", "FORM", "VIEW", "TEMPLATE", "HANDLER", "CHARS",
        "METHOD", "MISMATCH", "LABEL", "MESSAGE", "HELP_TEXT", "EVENT_CODE", "PLACEHOLDER", "WIDGET",
    ]

    func isSecretVariable(_ name: String) -> Bool {
        name.uppercased().contains("SECRET_KEY") || isCredentialName(name)
    }

    func isCredentialName(_ name: String) -> Bool {
        guard settings.credentialPattern.matches(name) else { return false }
        let upper = name.uppercased()
        return !Self.nonSecretEndings.contains { upper == $0 || upper.hasSuffix("_" + $0) }
    }

    /// A setting (or nested entry) that DJS008 covers; SECRET_KEY and its fallbacks have their own rules.
    func isCredentialSetting(_ path: [String]) -> Bool {
        if path == ["SECRET_KEY"] || path.first == "SECRET_KEY_FALLBACKS" { return false }
        return isCredentialName(path[path.count - 1])
    }

    func isSecretSetting(_ path: [String]) -> Bool {
        path == ["SECRET_KEY"] || isCredentialSetting(path)
    }

    /// Values that name where a secret is, rather than being one: module paths, file paths, URLs
    /// without credentials, environment variable names.
    static func looksLikeReference(_ value: String) -> Bool {
        if TemplatePlaceholder.appears(in: value) { return true }
        // An upper-case code such as "PASSWORD_RESET" names an event or option, not a credential.
        if value.count > 1, value.allSatisfy({ ($0.isUppercase && $0.isASCII) || $0 == "_" }) { return true }
        if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") { return true }
        if value.hasPrefix("http://") || value.hasPrefix("https://") { return !value.contains("@") }
        let segments = value.split(separator: ".", omittingEmptySubsequences: false)
        if segments.count >= 3, segments.allSatisfy({ segment in
            !segment.isEmpty && segment.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(segment.first?.isNumber ?? true)
        }) { return true }
        return false
    }

    static func display(_ path: [String]) -> String {
        path[0] + path.dropFirst().map { "[\"\($0)\"]" }.joined()
    }
}

extension SyntaxNode {
    /// The settings-level statement holding this node.
    var enclosingStatement: SyntaxNode {
        var node = self
        while let parent = node.parent {
            if ["module", "block"].contains(parent.type) { return node }
            node = parent
        }
        return node
    }
}
