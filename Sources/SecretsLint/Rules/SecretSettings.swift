import PythonSyntax

/// Which settings and environment variables hold secrets.
struct SecretSettings {
    let settings: LintSettings

    /// Words after the secret word that say which copy it is, not what it is (`DB_PASSWORD_PROD`, `API_TOKEN_2`).
    /// Compared as ASCII bytes: every setting name of every checked file passes here, on every save.
    static let qualifiers: [[UInt8]] = ["PROD", "PRODUCTION", "STAGING", "DEV", "TEST", "OLD", "NEW"].map { Array($0.utf8) }

    /// A secret environment variable: Django's key under any prefix (`DJANGO_SECRET_KEY`) or a credential name.
    func isSecretVariable(_ name: String) -> Bool {
        Self.isKeyName(name) || isCredentialName(name)
    }

    /// `SECRET_KEY`, `DJANGO_SECRET_KEY`, `SECRET_KEY_PROD`; not `SECRET_KEY_FALLBACKS`.
    static func isKeyName(_ name: String) -> Bool {
        withoutQualifiers(Substring(name)).uppercased().hasSuffix("SECRET_KEY")
    }

    /// A name that holds Django's own key: `SECRET_KEY`, `DJANGO_SECRET_KEY` or the configured prefix's
    /// (qualifiers aside). `STRIPE_SECRET_KEY` names a provider's key: it is a credential, moved verbatim,
    /// never replaced by a new Django key.
    func isDjangoKeyName(_ name: String) -> Bool {
        let upper = Self.withoutQualifiers(Substring(name)).uppercased()
        return upper == "SECRET_KEY" || upper == "DJANGO_SECRET_KEY" || upper == settings.envPrefix.uppercased() + "SECRET_KEY"
    }

    /// Whether a value given to the setting at `path` from the environment variable `variable` is Django's
    /// key (stored under the policy of "Keys": a weak one replaced): the setting is one of Django's key
    /// names (`SECRET_KEY`, a `secret_key` entry), or the variable is one the module reads into `SECRET_KEY`
    /// (`keyVariables`: `.env` holds one value for it, Django's key, whatever else it is given to:
    /// `SECRET_KEY = OLD_SECRET_KEY = os.environ.get("SECRET_KEY", …)`), or the setting has no key name of its
    /// own and the variable is one of Django's key names.
    func holdsDjangoKey(setting path: [String], variable: String?, keyVariables: Set<String>) -> Bool {
        if let variable, keyVariables.contains(variable) { return true }
        if let last = path.last {
            if isDjangoKeyName(last) { return true }
            if Self.isKeyName(last) { return false }
        }
        guard let variable else { return false }
        return isDjangoKeyName(variable) || keyVariables.contains(variable)
    }

    /// A value that stands in for a secret rather than being one: a single repeated character (`a`, `xxxx`,
    /// `****`) or a word that says so (`changeme`, `password`, `secret`, `your-api-key-here`). Moving it keeps
    /// the local run working; it needs no rotation, and the summary does not call it a secret.
    static func isPlaceholder(_ value: String) -> Bool {
        let letters = value.lowercased().filter { $0.isLetter || $0.isNumber }
        if Set(value).count <= 1 || letters.isEmpty { return true }
        if ["changeme", "changethis", "password", "passwd", "pass", "secret", "secretkey", "token", "apikey", "dummy", "placeholder",
            "example", "todo", "fixme", "replaceme", "notsecret", "none", "null", "xxx", "accesskey", "privatekey", "apisecret",
            "clientsecret", "authtoken", "accesstoken"].contains(letters) { return true }
        let lower = value.lowercased()
        // `<specify password>`, `<your token>`: a template's blank to fill in.
        if lower.hasPrefix("<") && lower.hasSuffix(">") && value.count <= 40 { return true }
        return (lower.hasPrefix("your") || lower.hasPrefix("<")) && (lower.hasSuffix("here") || lower.hasSuffix(">") || lower.count <= 32)
            && !value.contains(where: \.isWhitespace) && !looksGenerated(value)
    }

    /// The secret word is what the name denotes: its last word, before any qualifier.
    /// `EMAIL_HOST_PASSWORD`, `STRIPE_SECRET_KEY`, `DB_PASSWORD_PROD` are credentials;
    /// `ACCESS_TOKEN_LIFETIME`, `TOKEN_TYPE_CLAIM`, `PASSWORD_RESET_TIMEOUT`, `AWS_ACCESS_KEY_ID` are not.
    func isCredentialName(_ name: String) -> Bool {
        // An ASCII name (nearly all) is cut and searched as bytes, no string made: most hold no word at all.
        if settings.credentialPatternIsDefault {
            var name = name
            let holdsNoWord = name.withUTF8 { bytes -> Bool in
                guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
                let stem = UnsafeBufferPointer(rebasing: bytes[..<Self.asciiStemLength(bytes)])
                return !Self.credentialWords.occur(in: stem)
            }
            if holdsNoWord { return false }
        }
        var stem = String(Self.withoutQualifiers(Substring(name)))
        // The default pattern's words, looked for first (each match of an interpreted regex costs thousands of
        // instructions). Only in ASCII names: Unicode case folding matches more (the Kelvin sign `K` for `k`).
        if settings.credentialPatternIsDefault, !stem.withUTF8({ bytes in
            bytes.contains { $0 >= 0x80 } || LintSettings.defaultCredentialWords.contains { ByteSearch.containsIgnoringCase(bytes, $0) }
        }) {
            return false
        }
        return settings.credentialNamePattern.matches(stem)
    }

    static let credentialWords = CaselessWords(LintSettings.defaultCredentialWords)

    /// Names ending in `KEY` that denote public or non-secret values (`STRIPE_PUBLISHABLE_KEY`, `RECAPTCHA_SITE_KEY`).
    static let publicKeyEndings = ["PUBLIC_KEY", "PUBLISHABLE_KEY", "SITE_KEY"]

    /// `INSTANCE_KEY`, `AZURE_ACCOUNT_KEY`, `MAPQUEST_KEY`: a credential when its value looks generated.
    /// Not for Django's own key (its rules), public keys, or cache keys (`CACHE_KEY_PREFIX`).
    /// Upper case, as Django reads settings and as environment variables are named: a lower-case `key`
    /// is code, and the prefilter looks for `KEY` alone (`key` is in every other module of a tree).
    static func isGenericKeyName(_ name: String) -> Bool {
        let stripped = withoutQualifiers(Substring(name))
        let upper = stripped.uppercased()
        return stripped.hasSuffix("KEY") && !upper.hasSuffix("SECRET_KEY") && !upper.hasPrefix("CACHE_KEY")
            && !publicKeyEndings.contains { upper.hasSuffix($0) }
    }

    /// At least 20 characters, no spaces, and either 32 or more hex digits or a mix of at least three of
    /// lower case, upper case, digits and symbols: what key generators give, not what people type.
    static func looksGenerated(_ value: String) -> Bool {
        guard value.unicodeScalars.count >= 20, !value.contains(where: \.isWhitespace), !looksLikeReference(value) else { return false }
        if value.count >= 32 && value.allSatisfy(\.isHexDigit) { return true }
        var lower = false, upper = false, digit = false, symbol = false
        for character in value {
            if character.isASCII && character.isLowercase { lower = true }
            else if character.isASCII && character.isUppercase { upper = true }
            else if character.isASCIIDigit { digit = true }
            else { symbol = true }
        }
        return [lower, upper, digit, symbol].filter { $0 }.count >= 3
    }

    /// A generic `KEY` name (a setting or variable, not a dict key) holding a generated-looking value.
    static func isGeneratedKey(name: String, value: String) -> Bool {
        isGenericKeyName(name) && looksGenerated(value)
    }

    static func withoutQualifiers(_ name: Substring) -> Substring {
        var name = name
        while let separator = name.utf8.lastIndex(of: UInt8(ascii: "_")), separator > name.startIndex {
            guard isQualifier(name.utf8[name.utf8.index(after: separator)...]) else { break }
            name = name[..<separator]
        }
        // `PASSWORD2`: digits glued to the word.
        let digits = name.utf8.reversed().prefix(while: isASCIIDigit).count
        if digits > 0 && digits < name.utf8.count { name = name[..<name.utf8.index(name.endIndex, offsetBy: -digits)] }
        return name
    }

    /// `withoutQualifiers` of an ASCII name, as a length in bytes (in ASCII, characters are bytes).
    static func asciiStemLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = bytes.count
        while true {
            var separator = end - 1
            while separator >= 0 && bytes[separator] != UInt8(ascii: "_") { separator -= 1 }
            guard separator > 0 else { break }
            let word = UnsafeBufferPointer(rebasing: bytes[(separator + 1)..<end])
            let isQualifier = (!word.isEmpty && word.allSatisfy(isASCIIDigit))
                || qualifiers.contains { qualifier in
                    qualifier.count == word.count && qualifier.indices.allSatisfy { qualifier[$0] == asciiUppercased(word[$0]) }
                }
            guard isQualifier else { break }
            end = separator
        }
        var digits = 0
        while digits < end && isASCIIDigit(bytes[end - 1 - digits]) { digits += 1 }
        return digits > 0 && digits < end ? end - digits : end
    }

    private static func isQualifier(_ word: Substring.UTF8View) -> Bool {
        if !word.isEmpty && word.allSatisfy(isASCIIDigit) { return true }
        return qualifiers.contains { $0.count == word.count && zip($0, word).allSatisfy { $0 == asciiUppercased($1) } }
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func asciiUppercased(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    /// A setting (or nested entry) that DJS008 covers; SECRET_KEY and its fallbacks have their own rules.
    func isCredentialSetting(_ path: [String]) -> Bool {
        if path == ["SECRET_KEY"] || path.first == "SECRET_KEY_FALLBACKS" { return false }
        return isCredentialName(path[path.count - 1])
    }

    func isSecretSetting(_ path: [String]) -> Bool {
        path == ["SECRET_KEY"] || isCredentialSetting(path)
    }

    /// Values that name where a secret is, or say something else, rather than being one: module paths,
    /// file paths, URLs without a password, environment variable names, rate-limit specs (`"1/m/user"`).
    static func looksLikeReference(_ value: String) -> Bool {
        if TemplatePlaceholder.appears(in: value) { return true }
        // An upper-case code such as "PASSWORD_RESET" names an event or option, not a credential.
        if value.count > 1, value.allSatisfy({ ($0.isUppercase && $0.isASCII) || $0 == "_" }) { return true }
        if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("../") || value.hasPrefix("~/") { return true }
        if let url = CredentialURL(value) { return !url.hasRealPassword }
        return isImportPath(value) || isRateLimit(value)
    }

    /// `rest_framework_simplejwt.tokens.AccessToken`, `accounts.User`: lower-case module names and a last
    /// identifier, joined by dots (a token such as `SG.abc` starts otherwise).
    static func isImportPath(_ value: String) -> Bool {
        let segments = value.split(separator: ".", omittingEmptySubsequences: false)
        func isIdentifier(_ segment: Substring, lowerCase: Bool) -> Bool {
            guard let first = segment.first, first.isASCII, first.isLetter || first == "_" else { return false }
            return segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") && !(lowerCase && $0.isUppercase) }
        }
        return segments.count >= 2 && segments.dropLast().allSatisfy { isIdentifier($0, lowerCase: true) }
            && isIdentifier(segments[segments.count - 1], lowerCase: false)
    }

    static let ratePeriods: Set<Substring> = [
        "s", "m", "h", "d", "sec", "second", "seconds", "min", "minute", "minutes", "hour", "hours", "day", "days",
    ]

    /// A rate-limit spec: a count, `/`, a period (optionally with a multiplier, `5m`), more `/`-parts,
    /// comma-separated: `5/m`, `1/m/user`, `10/h/ip,100/d/key`, `100/day`.
    static func isRateLimit(_ value: String) -> Bool {
        let rates = value.split(separator: ",", omittingEmptySubsequences: false)
        return rates.allSatisfy { rate in
            let parts = rate.trimmingSpaces.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit) else { return false }
            let period = parts[1].drop { $0.isASCIIDigit }
            return ratePeriods.contains(period) && parts.dropFirst(2).allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
            }
        }
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

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Substring {
    var trimmingSpaces: Substring {
        guard let first = firstIndex(where: { $0 != " " }), let last = lastIndex(where: { $0 != " " }) else { return "" }
        return self[first...last]
    }
}
