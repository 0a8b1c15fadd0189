import Testing
@testable import SecretsLint

/// `Fixtures/rules/<CODE>/triggers.py` (and `triggers-<form>.py` for the forms that need a file of
/// their own) marks every expected finding with `# expect: <CODE>` on the statement's first line;
/// `clean.py` and `clean-<form>.py` must give that rule nothing.
struct RuleFixtureTests {
    static let codes = RuleRegistry.descriptions.map(\.code).filter {
        FileSystem.exists(URLlessFile.repositoryRoot() + "/Tests/SecretsLintTests/Fixtures/rules/\($0)")
    }

    /// Forms with a fixture file of their own: helpers of the same file, DEBUG conversions.
    static let forms = ["", "-helpers", "-conversions"]

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
        #expect(lines(of: lint(source, path: "mysite/settings/production.py"), code: source, rule: code) == expected)
    }

    @Test(arguments: files("clean"))
    func cleanFilesGiveNothing(file: String) {
        let code = String(file.prefix { $0 != "/" })
        let source = fixture(file)
        #expect(!source.isEmpty)
        #expect(lint(source, path: "mysite/settings/production.py").filter { $0.code == code }.isEmpty)
    }
}
