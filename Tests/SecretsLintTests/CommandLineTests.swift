import Testing
import ArgumentParser
@testable import SecretsLintCLI

/// The quick reader must read every command line it accepts exactly as swift-argument-parser does,
/// and accept the ones editors, pre-commit and CI send.
struct CommandLineTests {
    static let usual: [[String]] = [
        [],
        ["."],
        ["check"],
        ["check", "."],
        ["check", "--fix", "--stdin-filename", "mysite/settings.py", "-"],
        ["check", "--fix", "--stdin-filename=mysite/settings.py", "-"],
        ["--fix", "--stdin-filename", "/abs/path/settings.py", "-"],
        ["check", "--stdin-filename", "a/settings.py", "--format", "json", "-"],
        ["check", "--format=sarif", "--exit-zero", "src", "config/settings.py"],
        ["check", "--format", "github", "--quiet", "."],
        ["check", "--select", "DJS001,djs005", "--ignore", " DJS002 ", "."],
        ["check", "--config", "ci.toml", "--color", "never", "."],
        ["check", "--diff", "--rotate", "."],
        ["check", "--fix", "--keep-key", "mysite/settings.py"],
        ["check", "--history", "--color=always", "."],
        ["check", ".", "--fix"],
        ["check", "rule"],
        ["check", "check"],
        ["check", "-"],
        ["check", "-q", "."],
        ["-q", "--fix", "--stdin-filename", "mysite/settings.py", "-"],
        ["check", "--add-noqa", "."],
        ["check", "--format", "gitlab", "--output-file", "gl-code-quality-report.json", "."],
        ["-q", "--output-file=report.sarif", "--format=sarif", "--exit-zero", "."],
    ]

    static let others: [[String]] = [
        ["--help"], ["-h"], ["check", "--help"], ["--version"], ["rule"], ["rule", "DJS001"], ["generate-key"],
        ["help"], ["check", "--format", "xml", "."], ["check", "--color", "sometimes"], ["check", "--rotate", "--keep-key"],
        ["check", "--select", "DJS999"], ["check", "--fix", "--fix"], ["check", "--format"], ["check", "--format", "--fix"],
        ["check", "--", "-weird-name.py"], ["check", "--unknown"], ["check", "-q", "--quiet"], ["-qq"], ["--fix=yes"], [".", "rule"],
        ["check", "--format", "json", "--format", "text"],
    ]

    /// Usage errors: the quick reader leaves each to swift-argument-parser, whose message goes to
    /// stderr and whose status is 2 (SPEC "Command line"), never its own 64. None of these runs a check:
    /// the reading, or the run's checks of its arguments, fail before anything is read or written.
    static let usageErrors: [[String]] = [
        ["check", "--no-such-option", "."], ["--no-such-option"], ["check", "-x"], ["--fix=yes"],
        ["check", "--format"], ["check", "--stdin-filename"], ["check", "--format", "--fix"],
        ["check", "--format", "xml", "."], ["--format=xml"], ["check", "--color", "sometimes"],
        ["check", "--rotate", "--keep-key", "."], ["--keep-key", "--rotate"],
        ["frobnicate"], ["chek", "--fix", "."], ["generate-keys"],
        ["rule", "--no-such-option"], ["rule", "DJS999"], ["generate-key", "extra"],
        ["check", "--select", "DJS999", "."], ["check", "--ignore=DJS001,NOPE"],
        ["check", "--add-noqa", "--fix", "."], ["check", "--diff", "--add-noqa"], ["check", "--add-noqa", "-"],
        ["check", "--output-file"],
    ]

    @Test(arguments: usageErrors)
    func usageErrorsExitTwoWithAMessage(arguments: [String]) {
        #expect(QuickCheckParser.parse(arguments) == nil)
        do {
            var command = try CommandLineEntry.parse(arguments)
            try command.run()
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(CommandLineEntry.exitStatus(for: error) == 2, "\(arguments)")
            #expect(!DjlintSecrets.message(for: error).isEmpty)
        }
    }

    func readByArgumentParser(_ arguments: [String]) -> CheckArguments? {
        guard let command = try? CommandLineEntry.parse(arguments) else { return nil }
        return (command as? Check)?.arguments
    }

    @Test(arguments: usual)
    func usualCommandLinesAreReadQuicklyAndAlike(arguments: [String]) {
        let quick = QuickCheckParser.parse(arguments)
        #expect(quick != nil)
        #expect(quick == readByArgumentParser(arguments))
    }

    @Test(arguments: others)
    func everythingElseGoesToArgumentParser(arguments: [String]) {
        #expect(QuickCheckParser.parse(arguments) == nil)
    }

    @Test func quickReadingNeverDisagrees() {
        // Every ordered pair of tokens from both lists' vocabularies: whatever the quick reader accepts,
        // swift-argument-parser reads the same way.
        let tokens = Set((Self.usual + Self.others).flatMap { $0 }).sorted()
        var accepted = 0
        for first in tokens {
            for second in tokens {
                let arguments = [first, second]
                guard let quick = QuickCheckParser.parse(arguments) else { continue }
                accepted += 1
                #expect(quick == readByArgumentParser(arguments), "\(arguments)")
            }
        }
        #expect(accepted > 100)
    }
}
