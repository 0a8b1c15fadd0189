import PythonSyntax

/// The effective configuration of one run.
public struct LintSettings {
    public var select: Set<String>?
    public var ignore: Set<String> = []
    public var envPrefix = "DJANGO_"
    public var envFileName = ".env"
    /// The configuration names the env file (`env-file`): a symbolic link there is followed wherever it
    /// points, since the user chose that file; an unnamed `.env` is followed only inside the project.
    public var envFileConfigured = false
    /// The example env file kept in step with `.env` (`env-example`); nil: the usual names, when one exists.
    public var envExampleFileName: String?
    public var envStyle: EnvStyleChoice = .auto
    public var credentialPattern: BytePattern {
        didSet {
            credentialNamePattern = Self.namePattern(from: credentialPattern)
            credentialPatternIsDefault = credentialPattern.pattern == Self.defaultCredentialPattern
        }
    }
    /// `credentialPattern` is the default one, whose every match holds one of `defaultCredentialWords`.
    private(set) var credentialPatternIsDefault = true
    /// `credentialPattern` where the secret word ends the name: a `KEY` may follow it (`STRIPE_SECRET_KEY`),
    /// nothing else (`TOKEN_TYPE_CLAIM` and `AWS_ACCESS_KEY_ID` name something else). Environment and
    /// index qualifiers (`_PROD`, `_2`) are taken off before it is tried.
    private(set) var credentialNamePattern: BytePattern
    /// Globs over file names that mark development or test settings; nil uses the stem pattern.
    public var devSettingsGlobs: [String]?
    public var exclude: [String] = []
    public var extendExclude: [String] = []
    public var perFileIgnores: [(glob: String, codes: Set<String>)] = []

    /// Each name `defaultCredentialPattern` matches holds one of these, in some letter case.
    static let defaultCredentialWords: [StaticString] = ["passw", "secret", "token", "key"]
    public static let defaultCredentialPattern = "(?i)(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY)($|_)"
    static let developmentStem = try! BytePattern("(^|_)(dev|develop|development|local|test|tests|testing|ci)($|_)")

    public init() {
        credentialPattern = try! BytePattern(Self.defaultCredentialPattern)
        credentialNamePattern = Self.namePattern(from: credentialPattern)
    }

    /// A user pattern that cannot be wrapped (an unclosed `\Q`, a trailing comment) is used as it is.
    private static func namePattern(from pattern: BytePattern) -> BytePattern {
        (try? BytePattern("(?:" + pattern.pattern + ")(?i:_?KEY)?$")) ?? pattern
    }

    public func isEnabled(_ code: String) -> Bool {
        if ignore.contains(code) { return false }
        return select?.contains(code) ?? true
    }

    /// A path that names a settings or configuration module: its file name (`settings.py`,
    /// `local_settings.py`, `config.py`) or a folder it is in (`settings/prod.py`, `conf/…`), but not
    /// a test module inside such a folder (`settings/tests/test_admin.py`, an app named `settings`).
    /// Only whole names count: `/home/me/conference/app/views.py` is no settings module.
    public func isSettingsModule(path: String) -> Bool {
        var path = path
        // Bytes, not Characters, and no arrays: this runs for every file of a tree.
        return path.withUTF8 { bytes in
            var end = bytes.count
            var isFile = true
            while end > 0 {
                var start = end
                while start > 0 && bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
                var name = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if isFile && name.count > 3 && name[name.count - 3] == UInt8(ascii: ".") && name[name.count - 2] == UInt8(ascii: "p")
                    && name[name.count - 1] == UInt8(ascii: "y") {
                    name = UnsafeBufferPointer(rebasing: name.dropLast(3))
                }
                if !name.isEmpty {
                    if Self.isSettingsName(name) { return true }
                    if Self.isTestName(name) { return false }
                }
                isFile = false
                end = start - 1
            }
            return false
        }
    }

    /// `settings`, `settings_prod`, `local_settings`, `conf`, `config`… in any letter case.
    static func isSettingsName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if ByteSearch.containsIgnoringCase(name, "settings") { return true }
        return configurationNames.contains { ByteSearch.equalsIgnoringCase(name, $0) }
    }

    private static let configurationNames: [StaticString] = ["conf", "config", "configs", "configuration", "configurations"]

    /// `tests`, `test`, `test_views`, `views_test`, `conftest`.
    static func isTestName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteSearch.equalsIgnoringCase(name, "tests") || ByteSearch.equalsIgnoringCase(name, "test")
            || ByteSearch.equalsIgnoringCase(name, "conftest") || ByteSearch.hasPrefixIgnoringCase(name, "test_")
            || ByteSearch.hasSuffixIgnoringCase(name, "_test") || ByteSearch.hasSuffixIgnoringCase(name, "_tests")
    }

    public func isDevelopmentSettings(path: String) -> Bool {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        if let globs = devSettingsGlobs {
            return globs.contains { Glob.matches($0, path: path) || Glob.matches($0, path: fileName) }
        }
        let stem = fileName.hasSuffix(".py") ? String(fileName.dropLast(3)) : fileName
        return Self.developmentStem.matches(stem)
    }
}

public enum EnvStyleChoice: String, CaseIterable {
    case auto, os, environ, decouple
}
