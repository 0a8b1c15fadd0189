import Testing
@testable import SecretsLint
import PythonSyntax

struct StaticValueTests {
    func value(_ expression: String) -> StaticValue? {
        let tree = try! PythonParser().parse(SourceText("X = " + expression + "\n"))
        let assignment = tree.root.namedChild(0)!.namedChild(0)!
        return StaticValue.evaluate(assignment.child(field: "right")!)
    }

    @Test func escapesAreEvaluated() {
        #expect(value(#"'a\nb'"#) == .string("a\nb"))
        #expect(value(#"r'a\nb'"#) == .string(#"a\nb"#))
        #expect(value(#"'\x41\u00e9\U0001F600\101'"#) == .string("Aé😀A"))
        #expect(value(#"'it\'s'"#) == .string("it's"))
        #expect(value(#"'a\qb'"#) == .string(#"a\qb"#))
        #expect(value(#"b'\xff'"#) == .bytes([0xFF]))
        #expect(value("'''multi\nline'''") == .string("multi\nline"))
        #expect(value("'a\\\nb'") == .string("ab"))
    }

    @Test func concatenationAndParentheses() {
        #expect(value("'a' 'b' \"c\"") == .string("abc"))
        #expect(value("('a' + 'b') + 'c'") == .string("abc"))
        #expect(value("'a' + b'b'") == nil)
        #expect(value("f'{{x}}'") == .string("{x}"))
        #expect(value("f'{x}'") == nil)
        #expect(value("'a' * 3") == nil)
    }

    @Test func scalars() {
        #expect(value("True") == .bool(true))
        #expect(value("None") == StaticValue.none)
        #expect(value("0x10") == .integer(16))
        #expect(value("1_000") == .integer(1000))
    }
}

struct SourceTextTests {
    @Test func locationsCountCharactersAndSkipTheBOM() {
        let source = SourceText("\u{FEFF}ab\r\né🎉x\r\n")
        #expect(source.hasBOM)
        #expect(source.lineEnding == "\r\n")
        #expect(source.location(ofByte: 3) == (1, 1))
        let x = Array(source.bytes).firstIndex(of: UInt8(ascii: "x"))!
        #expect(source.location(ofByte: x) == (2, 3))
    }

    @Test func invalidUTF8IsDetected() {
        #expect(!SourceText(bytes: [0x41, 0xFF, 0x42]).isValidUTF8)
        #expect(SourceText("é").isValidUTF8)
    }
}

struct GlobTests {
    @Test func globs() {
        #expect(Glob.matches("*.py", path: "settings.py"))
        #expect(!Glob.matches("*.py", path: "a/settings.py"))
        #expect(Glob.matches("**/settings/*.py", path: "src/app/settings/dev.py"))
        #expect(Glob.matches("settings/[dl]*.py", path: "settings/local.py"))
        #expect(Glob.matches("**", path: "a/b"))
    }
}

struct TemplatePlaceholderTests {
    @Test func placeholdersAreVariableTagsWithContent() {
        #expect(TemplatePlaceholder.appears(in: "{{ secret_key }}"))
        #expect(TemplatePlaceholder.appears(in: "{{secret_key}}"))
        #expect(TemplatePlaceholder.appears(in: "django-insecure-{{ secret_key }}"))
        #expect(TemplatePlaceholder.appears(in: "{{ cookiecutter.db_password }}"))
        #expect(!TemplatePlaceholder.appears(in: "{{}}"))
        #expect(!TemplatePlaceholder.appears(in: "{{   }}"))
        #expect(!TemplatePlaceholder.appears(in: "{ {x} }"))
        #expect(!TemplatePlaceholder.appears(in: "{{ never closed"))
        #expect(!TemplatePlaceholder.appears(in: "{{ x\n}}"))
        #expect(!TemplatePlaceholder.appears(in: "k2Zx{7Qp}9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"))
    }
}

/// SPEC "Precision: what a credential name is": the secret word must be what the name denotes.
struct CredentialNameTests {
    let secrets = SecretSettings(settings: LintSettings())

    @Test(arguments: [
        "EMAIL_HOST_PASSWORD", "GITHUB_TOKEN", "STRIPE_SECRET_KEY", "DB_PASSWORD_PROD", "API_TOKEN_2", "PASSWORD",
        "SENDGRID_API_KEY", "AWS_SECRET_ACCESS_KEY", "db_password", "REDIS_PASSWORD_STAGING_OLD", "DB_PASSWORD2",
        "password",
    ])
    func credentialNames(name: String) {
        #expect(secrets.isCredentialName(name))
    }

    @Test(arguments: [
        "ACCESS_TOKEN_LIFETIME", "TOKEN_TYPE_CLAIM", "AUTH_TOKEN_CLASSES", "PASSWORD_RESET_TIMEOUT", "TOKEN_OBTAIN_SERIALIZER",
        "SECRET_KEY_FALLBACKS", "AWS_ACCESS_KEY_ID", "PASSWORD_HASHERS", "TOKEN_USER_CLASS", "GOOGLE_SECRET_FILE",
        "SECRET_KEY_PATH", "TOKEN_MODEL", "PASSWORDLESS", "MAPQUEST_KEY", "PROD", "_PROD",
    ])
    func notCredentialNames(name: String) {
        #expect(!secrets.isCredentialName(name))
    }

    @Test func keyNamesAreDjangosKeyUnderAnyPrefixOrQualifier() {
        #expect(SecretSettings.isKeyName("SECRET_KEY") && SecretSettings.isKeyName("DJANGO_SECRET_KEY"))
        #expect(SecretSettings.isKeyName("SECRET_KEY_PROD"))
        #expect(!SecretSettings.isKeyName("SECRET_KEY_FALLBACKS") && !SecretSettings.isKeyName("SECRET_KEY_FILE"))
    }

    /// Only Django's key gets the key policy (a weak one replaced by a new key): a provider's key under its
    /// own name is moved verbatim, or its value would be lost.
    @Test func djangosKeyIsNotAProvidersKey() {
        let none = Set<String>()
        #expect(secrets.holdsDjangoKey(setting: ["SECRET_KEY"], variable: "APP_SECRET_KEY", keyVariables: none))
        #expect(secrets.holdsDjangoKey(setting: ["SECRETS", "secret_key"], variable: nil, keyVariables: none))
        #expect(secrets.holdsDjangoKey(setting: [], variable: "DJANGO_SECRET_KEY", keyVariables: none))
        #expect(secrets.holdsDjangoKey(setting: [], variable: "APP_SECRET_KEY", keyVariables: ["APP_SECRET_KEY"]))
        #expect(!secrets.holdsDjangoKey(setting: ["STRIPE_SECRET_KEY"], variable: "STRIPE_SECRET_KEY", keyVariables: none))
        #expect(!secrets.holdsDjangoKey(setting: [], variable: "PAYPAL_SECRET_KEY", keyVariables: none))
        #expect(!secrets.holdsDjangoKey(setting: ["STORAGES", "default", "OPTIONS", "access_key"], variable: nil, keyVariables: none))
    }

    @Test(arguments: ["a", "x", "xxxxxxxx", "****", "changeme", "CHANGE_ME", "password", "secret", "your-api-key-here",
                      "<specify password>", "YOUR_SECRET_KEY", "access_key", "secret_key"])
    func placeholders(value: String) {
        #expect(SecretSettings.isPlaceholder(value))
    }

    @Test(arguments: ["hunter22", "s3cret-pw", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "postgres", "c892e4962244", "your mother was a hamster"])
    func notPlaceholders(value: String) {
        #expect(!SecretSettings.isPlaceholder(value))
    }

    /// The default pattern's word test decides no name the regex would match otherwise: random names of
    /// secret words, their pieces and neighbours in mixed case, Unicode look-alikes included.
    @Test func theWordTestAgreesWithTheDefaultPattern() {
        let pieces = ["PASS", "WORD", "passwd", "Passw", "SECRET", "secr", "Token", "TOK", "KEY", "key", "Ke", "_", "__", "API",
                      "ACCESS", "PRIVATE", "X", "db", "1", "2", "PROD", "ſECRET", "\u{212A}EY", "é", "Ü", "_staging", "_Dev", "_OLD",
                      "_new", "_TEST", "_2", "07", "PRODUCTION"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4000 {
            let name = (0..<Int.random(in: 1...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let regex = LintSettings().credentialNamePattern.matches(String(SecretSettings.withoutQualifiers(Substring(name))))
            #expect(secrets.isCredentialName(name) == regex, "\(name)")
        }
        #expect(secrets.isCredentialName("\u{212A}EY_PASSWORD") && secrets.isCredentialName("API_\u{212A}EY"))
    }

    /// The byte form of `withoutQualifiers` for ASCII names cuts what the string form cuts.
    @Test func theByteStemIsTheStringStem() {
        let pieces = ["_", "__", "PROD", "_prod", "_Production", "_STAGING", "_dev", "_Test", "_OLD", "_new", "_1", "_42", "0", "7",
                      "PASSWORD", "KEY", "db", "X", "TESTS", "NEWS", "PRODUCT"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4000 {
            var name = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = SecretSettings.withoutQualifiers(Substring(name)).utf8.count
            let length = name.withUTF8 { SecretSettings.asciiStemLength($0) }
            #expect(length == expected, "\(name)")
        }
    }

    /// One pass for several words says what a search for each says.
    @Test func oneSearchForSeveralWordsIsEachSearch() {
        let pieces = ["pass", "PASSW", "Secre", "SECRET", "tok", "TOKEN", "k", "KEY", "_", "x", "é", "1", "KelVin", "kel"]
        let words: [StaticString] = ["passw", "secret", "token", "key", "kelvin", "sec"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4000 {
            var name = (0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let chosen = words.filter { _ in Bool.random(using: &generator) }
            let set = CaselessWords(chosen)
            let label = name
            name.withUTF8 { bytes in
                #expect(set.occur(in: bytes) == chosen.contains { ByteSearch.containsIgnoringCase(bytes, $0) }, "\(label)")
            }
        }
    }

    @Test func aCustomPatternAlsoMustEndTheName() throws {
        var settings = LintSettings()
        settings.credentialPattern = try BytePattern("(?i)(^|_)(PIN|PASSWORD)($|_)")
        let custom = SecretSettings(settings: settings)
        #expect(custom.isCredentialName("CARD_PIN") && custom.isCredentialName("CARD_PIN_TEST"))
        #expect(!custom.isCredentialName("PIN_LENGTH") && !custom.isCredentialName("GITHUB_TOKEN"))
    }

    @Test(arguments: [
        "rest_framework_simplejwt.tokens.AccessToken", "accounts.User", "5/m", "1/m/user", "10/h/ip,100/d/key", "100/day",
        "5/5m/key", "20/m/ip, 5/m/key", "https://example.com/token", "postgres://app@db/app", "/run/secrets/pw",
        "../secrets/pw", "redis://:${REDIS_PASSWORD}@cache:6379/0", "PASSWORD_RESET",
    ])
    func valuesThatAreNeverCredentials(value: String) {
        #expect(SecretSettings.looksLikeReference(value))
    }

    @Test(arguments: ["hunter22", "s3cr3t/pw", "5/week", "1/m/", "postgres://app:pw@db/app", "sk_live_abc.123", "a/b"])
    func valuesThatMayBeCredentials(value: String) {
        #expect(!SecretSettings.looksLikeReference(value))
    }
}

struct ImportPathTests {
    @Test func tokensWithDotsAreNotModulePaths() {
        #expect(!SecretSettings.isImportPath("SG.abc") && !SecretSettings.isImportPath("abc.SG.x") && !SecretSettings.isImportPath("a..b"))
        #expect(SecretSettings.isImportPath("django.contrib.auth.hashers.Argon2PasswordHasher"))
    }
}

/// `OffsetTable` answers as a dictionary does, whatever the order keys come in.
struct OffsetTableTests {
    @Test func actsAsADictionary() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var table = OffsetTable<Int>()
            var dictionary: [Int: Int] = [:]
            let inOrder = round % 2 == 0
            var next = 0
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                next += Int.random(in: 0...3, using: &generator)
                let key = inOrder ? next : Int.random(in: -20...40, using: &generator)
                let value: Int? = Int.random(in: 0..<5, using: &generator) == 0 ? nil : Int.random(in: 0...9, using: &generator)
                table[key] = value
                dictionary[key] = value
                #expect(table.isEmpty == dictionary.isEmpty)
            }
            for key in -25...200 { #expect(table[key] == dictionary[key], "\(key)") }
        }
    }
}
