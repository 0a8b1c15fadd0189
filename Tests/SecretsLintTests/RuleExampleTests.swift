import Testing
@testable import SecretsLint

/// Every rule's own documented examples are tests, together with variants that catch classic bugs.
/// Project-level rules (DJS011, DJS012) describe a project's git and `.env` state: their examples are
/// documentation only, and GitForensicsTests builds real repositories for them instead.
struct RuleExampleTests {
    static let rules = RuleRegistry.descriptions.filter { !$0.isProjectLevel }.map(\.code)
    static let projectRules = RuleRegistry.descriptions.filter(\.isProjectLevel).map(\.code)

    @Test(arguments: projectRules)
    func projectLevelRulesAreDocumentedButNeverReportedFromOneFile(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        #expect(!rule.triggeringExamples.isEmpty && !rule.nonTriggeringExamples.isEmpty)
        #expect(RuleDocumentation.render(rule).contains("Checked once per project"))
        let fileRules = RuleRegistry.all.filter { type(of: $0).description.isProjectLevel == false }
        #expect(!fileRules.isEmpty)
        for other in RuleRegistry.descriptions where !other.isProjectLevel {
            for marked in other.triggeringExamples.map(MarkedExample.init) {
                #expect(lint(marked.code).allSatisfy { $0.code != code })
            }
        }
    }

    @Test func secretRulesNameTheValueTheyFound() {
        let findings = lint("SECRET_KEY = 'abc'\nEMAIL_HOST_PASSWORD = \"hunter22\"\nSECRET_KEY_FALLBACKS = ['old-one']\n")
        #expect(findings.map { $0.secret?.value } == ["abc", "hunter22", "old-one"])
        let analysis = analyze("import os\nSECRET_KEY = os.environ.get('K', 'fallback-key')  # noqa: DJS012\nDB = {}\nAPI_TOKEN = os.environ['TOKEN_VAR']\n")
        #expect(analysis.secrets.isEmpty)
        #expect(analysis.secretVariables == ["K", "TOKEN_VAR"])
        #expect(analysis.isSettingsFile)
        #expect(!analyze("def f():\n    return 1\n", path: "app/util.py").isSettingsFile)
    }

    @Test(arguments: rules)
    func triggeringExamplesFindAtTheMarker(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        #expect(!rule.triggeringExamples.isEmpty)
        for marked in rule.triggeringExamples.map(MarkedExample.init) {
            let findings = lint(marked.code)
            #expect(lines(of: findings, code: marked.code, rule: code) == marked.markedLines, "\(marked.code)")
            // One finding per expression: no other secret rule reports the same statement.
            let others = findings.filter { $0.code != code && marked.markedLines.contains(lines(of: [$0], code: marked.code, rule: $0.code)[0]) }
            #expect(others.isEmpty, "\(code) example also reported as \(others.map(\.code))")
        }
    }

    @Test(arguments: rules)
    func nonTriggeringExamplesFindNothing(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        for example in rule.nonTriggeringExamples {
            #expect(lint(example).filter { $0.code == code }.isEmpty, "\(example)")
        }
    }

    @Test(arguments: rules)
    func examplesInCommentsAndStringsFindNothing(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        for marked in rule.triggeringExamples.map(MarkedExample.init) {
            let commented = marked.code.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "# " + $0 }.joined(separator: "\n")
            #expect(lint(commented).isEmpty)
            let quoted = "NOTE = '''\n" + marked.code + "\n'''\n"
            #expect(lint(quoted).filter { $0.code == code }.isEmpty)
            let inFunction = "def configure():\n" + marked.code.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
            #expect(lint(inFunction).filter { $0.code == code }.isEmpty)
        }
    }

    @Test(arguments: rules)
    func examplesWithCRLFAndAfterNonASCIIKeepTheirLines(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        for marked in rule.triggeringExamples.map(MarkedExample.init) {
            let crlf = marked.code.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
            #expect(lines(of: lint(crlf), code: crlf, rule: code) == marked.markedLines)
            let prefixed = "TITLE = \"Café 🎉 ünïcode\"  # ☕\n" + marked.code
            #expect(lines(of: lint(prefixed), code: prefixed, rule: code) == marked.markedLines.map { $0 + 1 })
        }
    }

    @Test(arguments: rules)
    func noqaSuppressesTheFinding(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        for marked in rule.triggeringExamples.map(MarkedExample.init) {
            var codeLines = marked.code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in marked.markedLines { codeLines[line - 1] += "  # noqa: \(code)" }
            let suppressed = codeLines.joined(separator: "\n")
            #expect(lint(suppressed).filter { $0.code == code }.isEmpty, "\(suppressed)")
            var otherCode = marked.code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in marked.markedLines { otherCode[line - 1] += "  # noqa: DJS999" }
            #expect(!lint(otherCode.joined(separator: "\n")).filter { $0.code == code }.isEmpty)
        }
    }

    @Test(arguments: rules)
    func declaredFixAvailabilityMatchesTheFindings(code: String) throws {
        let rule = try #require(RuleRegistry.description(for: code))
        for marked in rule.triggeringExamples.map(MarkedExample.init) {
            for finding in lint(marked.code) where finding.code == code {
                #expect(finding.isFixable == (rule.fix != .none) || rule.fix == .sometimes)
            }
        }
    }
}

struct DocumentationTests {
    @Test func readmeRuleTableMatchesTheDeclarations() throws {
        let readme = URLlessFile.read(repositoryPath: "README.md")
        #expect(readme.contains(RuleDocumentation.markdownTable()))
    }
}

struct SuppressionCommentTests {
    @Test(arguments: [
        ("DEBUG = True  # noqa\n", true), ("DEBUG = True  #noqa\n", true), ("DEBUG = True  # NOQA: djs005\n", true),
        ("DEBUG = True  # noqa:DJS001,DJS005\n", true), ("DEBUG = True  # type: ignore  # noqa: DJS005\n", true),
        ("DEBUG = True  # noqa: DJS001\n", false), ("DEBUG = True  # no noqa here\n", false), ("DEBUG = True  # x\n", false),
        ("DEBUG = True  # noqa: 123\n", true),
    ])
    func noqaComments(code: String, suppressed: Bool) {
        #expect(lint(code).contains { $0.code == "DJS005" } == !suppressed, "\(code)")
    }
}

struct UnimportedOsTests {
    @Test func osEnvironWithoutImportIsStillRead() {
        // The fix adds `import os`; had the first run not read these, the next would find new work.
        #expect(lint("SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-key')\n").map(\.code) == ["DJS004"])
        #expect(lint("DEBUG = os.getenv('DEBUG', 'True')\n").map(\.code) == ["DJS007"])
        #expect(lint("os = None\nSECRET_KEY = os.environ.get('SECRET_KEY', 'dev-key')\n").allSatisfy { $0.code != "DJS004" })
    }
}

struct DebugReadingASecretVariableTests {
    @Test func debugIsLeftToTheDebugRules() {
        let code = "import environ\nenv = environ.Env()\nDEBUG = env('SECRET_KEY', default='dev-key')\n"
        #expect(lint(code).allSatisfy { $0.code != "DJS004" })
        let chained = "import os\nDEBUG = PASSWORD = os.environ.get('EMAIL_HOST_PASSWORD', 'mailpw')\n"
        #expect(lint(chained).allSatisfy { $0.code != "DJS004" })
    }
}
