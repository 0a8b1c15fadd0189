import PythonSyntax

/// What a checked file is to Django, decided once per file (SPEC "Which code is looked at").
public enum SettingsRole: Equatable {
    /// Not a settings module: no findings (a key-generator script, app code, a test module).
    case notSettings
    case settings
    /// Settings that exist to run a test suite: keys and passwords there are fixtures.
    case testSettings

    public var isSettings: Bool { self != .notSettings }
}

/// What a run knows beyond one file's path and statements: the files it was given by name (always
/// settings modules) and the modules the projects run as settings.
public struct SettingsScope {
    /// Paths named on the command line or through `--stdin-filename`, as the run spells them.
    public var namedPaths: Set<String> = []
    /// `DJANGO_SETTINGS_MODULE` and the imports of the modules it names; nil: not looked up.
    public var projects: ProjectSettingsModules?

    public init(namedPaths: Set<String> = [], projects: ProjectSettingsModules? = nil) {
        self.namedPaths = namedPaths
        self.projects = projects
    }

    /// Path and statements only: what a file says about itself.
    public static let fileOnly = SettingsScope()
}

extension SettingsModel {
    /// The module assigns Django settings: at module level one that only settings assign, or
    /// `SECRET_KEY` together with `DEBUG`; or any setting inside a settings class (`class Base(Configuration)`).
    /// `SECRET_KEY` alone is what a script that makes a key assigns. Top-level statements only, as the
    /// prefilter's settings marker sees them at the start of a line.
    public var assignsDjangoSettings: Bool {
        var assignsKey = false, assignsDebug = false
        for assignment in assignments where assignment.path.count == 1 {
            if assignment.context.inClassBody { return true }
            guard assignment.statement.parent?.kind == .module else { continue }
            let name = assignment.path[0]
            if name == "SECRET_KEY" {
                assignsKey = true
            } else if name == "DEBUG" {
                assignsDebug = true
            } else if HardcodedCredentialRule.djangoSettingNames.contains(name) {
                // The names the prefilter's settings marker and the statement selection know too.
                return true
            }
            if assignsKey && assignsDebug { return true }
        }
        return false
    }
}

extension LintSettings {
    static let testStem = try! BytePattern("(?i)(^|_)(test|tests|testing|ci)($|_)")

    /// Settings for a test suite: a stem with `test`, `tests`, `testing` or `ci` as a word
    /// (`test_settings.py`, `settings_ci.py`), or a module inside a `test` or `tests` package
    /// (`tests/settings.py` selected by `conftest.py`).
    public func isTestSettings(path: String) -> Bool {
        let components = path.split(separator: "/")
        guard let fileName = components.last else { return false }
        let stem = fileName.hasSuffix(".py") ? fileName.dropLast(3) : fileName
        if Self.testStem.matches(String(stem)) { return true }
        return components.dropLast().contains { folder in
            folder.caseInsensitiveEquals("tests") || folder.caseInsensitiveEquals("test")
        }
    }
}

extension Substring {
    /// Byte by byte without `zip`: the first use of a `Zip2Sequence` type costs its run-time metadata (0.66 M
    /// instructions, more than the rest of the test).
    fileprivate func caseInsensitiveEquals(_ word: String) -> Bool {
        guard utf8.count == word.utf8.count else { return false }
        var index = utf8.startIndex
        for byte in word.utf8 {
            guard utf8[index] | 0x20 == byte | 0x20 else { return false }
            utf8.formIndex(after: &index)
        }
        return true
    }
}
