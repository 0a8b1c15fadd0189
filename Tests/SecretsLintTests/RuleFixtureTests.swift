import Testing
@testable import SecretsLint

/// `Fixtures/rules/<CODE>/triggers.py` marks every expected finding with `# expect: <CODE>` on the
/// statement's first line; `clean.py` must give that rule nothing.
struct RuleFixtureTests {
    static let codes = RuleRegistry.descriptions.map(\.code).filter {
        FileSystem.exists(URLlessFile.repositoryRoot() + "/Tests/SecretsLintTests/Fixtures/rules/\($0)")
    }

    func fixture(_ code: String, _ name: String) -> String {
        URLlessFile.read(repositoryPath: "Tests/SecretsLintTests/Fixtures/rules/\(code)/\(name)")
    }

    @Test(arguments: codes)
    func triggersAreFoundOnTheMarkedLines(code: String) {
        let source = fixture(code, "triggers.py")
        let expected = source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains("# expect: \(code)") }.map { $0.offset + 1 }
        #expect(!expected.isEmpty)
        #expect(lines(of: lint(source, path: "mysite/settings/production.py"), code: source, rule: code) == expected)
    }

    @Test(arguments: codes)
    func cleanFilesGiveNothing(code: String) {
        let source = fixture(code, "clean.py")
        #expect(!source.isEmpty)
        #expect(lint(source, path: "mysite/settings/production.py").filter { $0.code == code }.isEmpty)
    }
}
