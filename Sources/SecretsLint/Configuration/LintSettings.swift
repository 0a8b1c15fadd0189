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

    /// A path that names a settings or configuration module (`settings.py`, `settings/prod.py`, `config/…`).
    public func isSettingsModule(path: String) -> Bool {
        // Byte comparison: this runs for every file of a tree.
        let lowered = path.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return lowered.withUnsafeBufferPointer { ByteSearch.contains($0, "settings") || ByteSearch.contains($0, "conf") }
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
