import PythonSyntax

/// A value test settings give a variable before they import a settings module that a fix made require
/// it (SPEC "Test settings"; issue #19): CI has no `.env`, and the test suite must still start.
public struct TestDefault: Equatable {
    public enum Kind: Equatable {
        /// A `SECRET_KEY`: the test-only constant, never the old key.
        case testKey
        /// A credential that does not look generated (`postgres`, `changeme`): the development value the
        /// settings held, which the test suite ran with (a CI database service may be set up with it).
        /// Test settings hold such values as fixtures (SPEC "Test settings" reports none of them).
        case developmentValue
        /// A credential that looks generated: never copied; a test-only placeholder stands in (inside a URL,
        /// for its password only), and a test that needs the real value gets it from the CI's secret store.
        case placeholder
        /// A DEBUG flag whose unset default the fix turned from on to off: the string every read the fix
        /// writes parses as on, so the test suite runs as it did before the fix (SPEC "Test settings").
        case debugOn
    }

    public let name: String
    /// The setting that reads it, for the summary.
    public let setting: String
    public let value: String
    public let kind: Kind
}

/// Plans the `os.environ.setdefault(...)` lines test settings get (SPEC "Test settings", issue #19 gap A).
/// `setdefault` leaves a value CI exports (or a loader already set) in place, and python-dotenv's
/// `load_dotenv`, django-environ's `read_env` and django-dotenv's `read_dotenv` do not override a variable
/// that is set: in the test suite these defaults win over a developer's `.env`, which is what tests want.
enum TestDefaults {
    /// What test settings get for a key and for a generated-looking credential: 65 characters, so that a
    /// project's own length checks of the key pass, no `django-insecure-` prefix (some settings refuse it
    /// outside development), and words that say what it is. Not generated-looking (SPEC "Generated-looking
    /// keys"), so the test settings' own check stays quiet.
    static let testOnlyValue = "djlint-secrets-test-only-value-not-a-secret-never-use-in-production"

    /// What test settings give a DEBUG variable whose unset default the fix turned off: the value that keeps
    /// DEBUG on as it was. Every read a DEBUG fix writes parses it as on: the `os` form's
    /// `.lower() in ("1", "true", "yes", "on")`, django-environ's `env.bool` and `(bool, False)` scheme,
    /// python-decouple's `cast=bool`, django-configurations' `BooleanValue`; so do `ast.literal_eval` and
    /// `strtobool`, which a project's own helper may use (`"1"` would give `ast.literal_eval` an int, and
    /// `"true"` would make it raise).
    static let debugOnValue = "True"

    /// The line above the first defaults a module gets.
    static let comment = "# Test-only defaults, so that the test suite runs without .env (values CI sets win):"

    /// The defaults the test settings need for what `plan` made `analysis` require: a `SECRET_KEY` read and
    /// a moved credential each raise at import when unset; a DEBUG flag whose default was on (a `True`
    /// literal, a default that means on) is off when unset now, and settings that require other variables
    /// when DEBUG is off (`ALLOWED_HOSTS`) would stop the test suite. Fallback keys read with a default.
    static func needed(by plan: FilePlan, of analysis: FileAnalysis) -> [TestDefault] {
        var found: [TestDefault] = []
        for index in plan.fixed.sorted(by: { analysis.findings[$0].range.lowerBound < analysis.findings[$1].range.lowerBound }) {
            guard let name = plan.variables[index], !found.contains(where: { $0.name == name }) else { continue }
            let finding = analysis.findings[index]
            let stored: StoredValue
            let setting: [String]
            switch finding.fix {
            case .replaceWithRead(_, let path, _, _, let value, _)?: (stored, setting) = (value, path)
            case .deleteStatement(_, let path, _, let value)?: (stored, setting) = (value, path)
            case nil: continue
            }
            let display = SecretSettings.display(setting)
            switch stored {
            case .secretKey:
                found.append(TestDefault(name: name, setting: display, value: testOnlyValue, kind: .testKey))
            case .verbatim(let value):
                found.append(credentialDefault(name: name, setting: display, value: value, code: finding.code))
            case .debugFlag(true?):
                found.append(TestDefault(name: name, setting: display, value: debugOnValue, kind: .debugOn))
            case .debugFlag, .fallbackKeys:
                continue
            }
        }
        return found
    }

    /// A credential's default: its development value when that does not look generated and can be written
    /// as a plain string literal, else the placeholder (a URL keeps its shape, with the placeholder as password).
    static func credentialDefault(name: String, setting: String, value: String, code: String) -> TestDefault {
        let printable = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        if printable && !TestSettings.looksGenerated(value, code: code) {
            return TestDefault(name: name, setting: setting, value: value, kind: .developmentValue)
        }
        if let url = CredentialURL(value), url.password != nil {
            return TestDefault(name: name, setting: setting, value: "\(url.scheme)://\(url.user):\(testOnlyValue)@\(url.rest)", kind: .placeholder)
        }
        return TestDefault(name: name, setting: setting, value: testOnlyValue, kind: .placeholder)
    }

    /// The settings-level statement of `root` that `leadsThere` accepts first (an import that runs the fixed
    /// module), as the module-level statement holding it: a `try:` around `from .local import *` is
    /// preceded, not entered. Nil when none.
    static func anchor(in root: SyntaxNode, _ leadsThere: (SyntaxNode) -> Bool) -> SyntaxNode? {
        var found: SyntaxNode?
        EnvLoaderScan.forEachModuleStatement(root) { statement in
            guard found == nil, statement.type == "import_statement" || statement.type == "import_from_statement",
                  leadsThere(statement) else { return }
            var topLevel = statement
            while let parent = topLevel.parent, parent.type != "module" { topLevel = parent }
            found = topLevel
        }
        return found
    }

    /// The edits that give the module (`source`, parsed as `root`) each of `defaults` it does not set yet
    /// before `anchor`, a module-level statement: the `setdefault` lines go at the start of its line, and
    /// `import os` where new imports go (SPEC "Fixes", env style) when no `os` is imported before it.
    static func edits(
        adding defaults: [TestDefault], to source: SourceText, root: SyntaxNode, before anchor: SyntaxNode
    ) -> (edits: [Edit], added: [TestDefault]) {
        var set = Set<String>()
        var osName: String?
        EnvLoaderScan.forEachModuleStatement(root) { statement in
            guard statement.startByte < anchor.startByte else { return }
            if statement.type == "import_statement", statement.parent?.type == "module" {
                for name in statement.children(field: .name) {
                    if name.type == "dotted_name", name.text == "os" { osName = osName ?? "os" }
                    if name.type == "aliased_import", name.child(field: .name)?.text == "os", let alias = name.child(field: .alias)?.text {
                        osName = osName ?? alias
                    }
                }
            }
            if let name = environmentSetting(statement) { set.insert(name) }
        }
        let missing = defaults.filter { !set.contains($0.name) }
        guard !missing.isEmpty else { return ([], []) }
        let newline = source.lineEnding
        let module = osName ?? "os"
        let offset = source.lineStart(source.lineIndex(ofByte: anchor.startByte))
        var edits: [Edit] = []
        var lines: [String] = []
        if set.isEmpty { lines.append(comment) }
        if osName == nil {
            let importEdit = ImportPlacement.insertion("import os", into: source, root: root)
            if importEdit.range.lowerBound == offset {
                lines.append("import os")
            } else {
                edits.append(importEdit)
            }
        }
        lines += missing.map { "\(module).environ.setdefault(\(PythonQuoting.doubleQuoted($0.name)), \(PythonQuoting.doubleQuoted($0.value)))" }
        edits.append(.insert(lines.joined(separator: newline) + newline, at: offset))
        return (edits, missing)
    }

    /// The variable a statement sets in the environment: `os.environ.setdefault("N", ...)`,
    /// `os.environ["N"] = ...`.
    private static func environmentSetting(_ statement: SyntaxNode) -> String? {
        guard statement.type == "expression_statement", let expression = statement.namedChild(0) else { return nil }
        switch expression.type {
        case "call":
            guard let function = expression.child(field: .function), function.type == "attribute",
                  function.child(field: .attribute)?.text == "setdefault",
                  function.child(field: .object)?.text.hasSuffix("environ") == true else { return nil }
            return CallArguments(expression).positional(0).flatMap { StaticValue.evaluate($0)?.stringValue }
        case "assignment":
            guard let left = expression.child(field: .left), left.type == "subscript",
                  left.child(field: .value)?.text.hasSuffix("environ") == true,
                  let key = left.child(field: .subscript) else { return nil }
            return StaticValue.evaluate(key)?.stringValue
        default:
            return nil
        }
    }
}
