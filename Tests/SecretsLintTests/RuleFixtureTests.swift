import Testing
@testable import SecretsLint

/// `Fixtures/rules/<CODE>/triggers.py` (and `triggers-<form>.py` for the forms that need a file of
/// their own) marks every expected finding with `# expect: <CODE>` on the statement's first line;
/// `clean.py` and `clean-<form>.py` must give that rule nothing.
struct RuleFixtureTests {
    static let codes = RuleRegistry.descriptions.map(\.code).filter {
        FileSystem.exists(URLlessFile.repositoryRoot() + "/Tests/SecretsLintTests/Fixtures/rules/\($0)")
    }

    /// Forms with a fixture file of their own: helpers of the same file, DEBUG conversions, test settings,
    /// a script that is no settings module.
    static let forms = ["", "-helpers", "-conversions", "-test-settings", "-script"]

    /// The path a fixture is linted as: its form decides what the file is to Django.
    static func path(of file: String) -> String {
        if file.hasSuffix("-test-settings.py") { return "tests/settings.py" }
        if file.hasSuffix("-script.py") { return "docs/key.py" }
        return "mysite/settings/production.py"
    }

    static func files(_ kind: String) -> [String] {
        codes.flatMap { code in
            forms.map { "\(code)/\(kind)\($0).py" }.filter {
                FileSystem.exists(URLlessFile.repositoryRoot() + "/Tests/SecretsLintTests/Fixtures/rules/\($0)")
            }
        }
    }

    func fixture(_ file: String) -> String {
        URLlessFile.read(repositoryPath: "Tests/SecretsLintTests/Fixtures/rules/\(file)")
    }

    @Test(arguments: files("triggers"))
    func triggersAreFoundOnTheMarkedLines(file: String) {
        let code = String(file.prefix { $0 != "/" })
        let source = fixture(file)
        let expected = source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains("# expect: \(code)") }.map { $0.offset + 1 }
        #expect(!expected.isEmpty)
        let findings = lint(source, path: Self.path(of: file))
        #expect(lines(of: findings, code: source, rule: code) == expected)
        // Test settings are never rewritten: moving a value to a .env that CI never has stops the suite.
        if file.hasSuffix("-test-settings.py") {
            #expect(findings.allSatisfy { !$0.isFixable && $0.message.contains("CI's secret store") })
        }
    }

    @Test(arguments: files("clean"))
    func cleanFilesGiveNothing(file: String) {
        let code = String(file.prefix { $0 != "/" })
        let source = fixture(file)
        #expect(!source.isEmpty)
        #expect(lint(source, path: Self.path(of: file)).filter { $0.code == code }.isEmpty)
        // The same file as production settings has the finding: the fixture tests the file's kind, not the value.
        if file.hasSuffix("-test-settings.py") || file.hasSuffix("-script.py") {
            #expect(!lint(source, path: "mysite/settings/production.py").filter { $0.code == code }.isEmpty)
        }
    }
}
