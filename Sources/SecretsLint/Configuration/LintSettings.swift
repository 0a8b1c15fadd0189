import PythonSyntax

/// The effective configuration of one run.
public struct LintSettings {
    public var select: Set<String>?
    public var ignore: Set<String> = []
    public var envPrefix = "DJANGO_"
    public var envFileName = ".env"
    public var envStyle: EnvStyleChoice = .auto
    public var credentialPattern: BytePattern
    /// Globs over file names that mark development or test settings; nil uses the stem pattern.
    public var devSettingsGlobs: [String]?
    public var exclude: [String] = []
    public var extendExclude: [String] = []
    public var perFileIgnores: [(glob: String, codes: Set<String>)] = []

    public static let defaultCredentialPattern = "(?i)(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY)($|_)"
    static let developmentStem = try! BytePattern("(^|_)(dev|develop|development|local|test|tests|testing|ci)($|_)")

    public init() {
        credentialPattern = try! BytePattern(Self.defaultCredentialPattern)
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
        // Bytes, not Characters: this runs for every file of a tree.
        var components = path.utf8.split(separator: UInt8(ascii: "/"))
        guard var file = components.popLast() else { return false }
        if file.count > 3 && file.suffix(3).elementsEqual(".py".utf8) { file = file.dropLast(3) }
        if Self.isSettingsName(file) { return true }
        if Self.isTestName(file) { return false }
        for folder in components.reversed() {
            if Self.isTestName(folder) { return false }
            if Self.isSettingsName(folder) { return true }
        }
        return false
    }

    private static let configurationNames: Set<[UInt8]> = Set(
        ["conf", "config", "configs", "configuration", "configurations", "settings"].map { Array($0.utf8) })

    /// `settings`, `settings_prod`, `local_settings`, `conf`, `config`… in any letter case.
    static func isSettingsName(_ name: Substring.UTF8View.SubSequence) -> Bool {
        let lowered = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        if configurationNames.contains(lowered) { return true }
        return lowered.withUnsafeBufferPointer { ByteSearch.contains($0, "settings") }
    }

    /// `tests`, `test`, `test_views`, `views_test`, `conftest`.
    static func isTestName(_ name: Substring.UTF8View.SubSequence) -> Bool {
        let lowered = String(decoding: name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        return lowered == "tests" || lowered == "test" || lowered == "conftest" || lowered.hasPrefix("test_")
            || lowered.hasSuffix("_test") || lowered.hasSuffix("_tests")
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
