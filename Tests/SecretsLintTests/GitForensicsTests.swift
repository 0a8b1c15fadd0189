import Testing
@testable import SecretsLint
import PythonSyntax
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away git repository in a temporary folder, driven through the git CLI.
final class ScratchRepository {
    let root: String

    init(git: Bool = true) {
        var template = Array("/tmp/djlint-forensics-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        // git answers with resolved paths: resolve ours too.
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        root = String(cString: realpath(String(cString: template), &resolved)!)
        if git { run("init", "-q") }
    }

    deinit { _ = Subprocess.run(["rm", "-rf", "--", root]) }

    func write(_ path: String, _ text: String) {
        let full = root + "/" + path
        _ = Subprocess.run(["mkdir", "-p", "--", FileSystem.parentDirectory(of: full)])
        try! FileSystem.writeAtomically(Array(text.utf8), to: full)
    }

    func read(_ path: String) -> String {
        String(decoding: (try? FileSystem.read(root + "/" + path)) ?? [], as: UTF8.self)
    }

    @discardableResult
    func run(_ arguments: String...) -> String {
        let result = Subprocess.run(["git", "-C", root, "-c", "user.name=Dev", "-c", "user.email=dev@example.com",
                                     "-c", "commit.gpgsign=false"] + arguments)
        return String(decoding: result?.output ?? [], as: UTF8.self).trimmingSuffix("\n")
    }

    /// Commits everything staged or tracked (and `add` first), dated `date` (YYYY-MM-DD); returns the short id.
    @discardableResult
    func commit(_ message: String, date: String, add: [String] = ["-A"]) -> String {
        run(["add"] + add)
        let stamp = "\(date)T12:00:00+0000"
        _ = Subprocess.run(["env", "GIT_AUTHOR_DATE=\(stamp)", "GIT_COMMITTER_DATE=\(stamp)", "git", "-C", root,
                            "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false",
                            "commit", "-q", "--allow-empty", "-m", message])
        return run("rev-parse", "--short", "HEAD")
    }

    private func run(_ arguments: [String]) {
        _ = Subprocess.run(["git", "-C", root] + arguments)
    }

    /// One `check` run over the repository (JSON unless configured): its status, findings and all it printed.
    func check(_ configure: (inout CheckOptions) -> Void = { _ in }, settings: LintSettings = LintSettings())
        -> (status: Int32, findings: [ReportedFinding], output: String) {
        var options = CheckOptions()
        options.paths = [root]
        options.format = .json
        configure(&options)
        let collector = CollectingConsole()
        let runner = CheckRunner(options: options, settings: settings, console: collector)
        let status = runner.run(standardInput: { [] })
        return (status, runner.reported, collector.text)
    }
}

/// Keeps everything a run prints.
final class CollectingConsole: Console {
    var text = ""
    func out(_ text: String) { self.text += text }
    func outBytes(_ bytes: [UInt8]) { text += String(decoding: bytes, as: UTF8.self) }
    func err(_ text: String) { self.text += text }
}

let leakedKey = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
let laterKey = "Pq8Rt2Wm5Yx9Zb3Cv6Nd1Fg4Hj7Kl0Mn2Bv5Cx8Zl1Ak4Sj7Dh0Fg3Gh6Jk9Lq2"
let envReadSettings = "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nDEBUG = False\n"

func literalSettings(_ key: String) -> String { "SECRET_KEY = \"\(key)\"\nDEBUG = False\n" }

@Suite(.serialized) struct GitForensicsTests {
    /// A startproject-like layout whose key was committed, then moved verbatim to an ignored `.env`.
    func movedKeyRepository() -> (ScratchRepository, firstCommit: String) {
        let repository = ScratchRepository()
        repository.write("manage.py", "")
        repository.write("mysite/settings.py", literalSettings(leakedKey))
        let first = repository.commit("start", date: "2021-03-04")
        repository.write("mysite/settings.py", envReadSettings)
        repository.write(".gitignore", ".env\n")
        repository.commit("read the key from the environment", date: "2022-05-06")
        repository.write(".env", "DJANGO_SECRET_KEY=\(leakedKey)\n")
        return (repository, first)
    }

    @Test func keyCommittedThenMovedToEnvIsReportedWithItsCommit() {
        let (repository, first) = movedKeyRepository()
        let run = repository.check()
        #expect(run.status == 1)
        #expect(run.findings.map(\.code) == ["DJS012"])
        let finding = run.findings[0]
        #expect(finding.path == repository.root + "/.env")
        #expect(finding.line == 1 && finding.column == 1)
        #expect(finding.message.contains(first) && finding.message.contains("2021-03-04"), "\(finding.message)")
        #expect(finding.message.contains("DJANGO_SECRET_KEY") && finding.message.contains("'k2Zx…' (64 chars)"))
        #expect(!run.output.contains(leakedKey))
    }

    @Test func fallbackKeysInEnvAreAskedInTheSameHistoryPassAsEverythingElse() {
        let repository = ScratchRepository()
        repository.write("manage.py", "")
        repository.write("mysite/settings.py", literalSettings(leakedKey))
        let first = repository.commit("start", date: "2021-03-04")
        repository.write("mysite/settings.py", envReadSettings
            + "SECRET_KEY_FALLBACKS = [k for k in os.environ.get(\"DJANGO_SECRET_KEY_FALLBACKS\", \"\").split(\",\") if k]\n")
        repository.write(".gitignore", ".env\n")
        repository.commit("read the keys from the environment", date: "2022-05-06")
        let neverCommitted = "Zr5Tq8Wn2Yv6Xc9Bm3Kd7Lf1Hg4Js0Pa8Sd2Fg5Hj9Kl3Zx6Cv1Bn4Mq7We0Rt3Yu6"
        repository.write(".env", "DJANGO_SECRET_KEY=\(laterKey)\nDJANGO_SECRET_KEY_FALLBACKS=\(neverCommitted),\(leakedKey)\n")
        var options = CheckOptions()
        options.paths = [repository.root]
        options.format = .json
        let runner = CheckRunner(options: options, settings: LintSettings(), console: CollectingConsole())
        #expect(runner.run(standardInput: { [] }) == 1)
        let leaked = runner.reported.filter { $0.code == "DJS014" }
        #expect(leaked.count == 1 && leaked[0].path == repository.root + "/.env" && leaked[0].line == 2)
        #expect(leaked[0].message.contains(first) && !leaked[0].message.contains(leakedKey))
        // DJS012's values, the fixes' and DJS014's: one `git log --all -p`, not one per rule.
        #expect(runner.session.git(for: repository.root + "/mysite")?.historyPasses == 1)
    }

    @Test func rotatedKeyIsNotReportedButHistoryListsTheOldOne() {
        let (repository, first) = movedKeyRepository()
        repository.write(".env", "DJANGO_SECRET_KEY=\(laterKey)\n")
        #expect(repository.check().findings.isEmpty)

        let run = repository.check { $0.history = true }
        #expect(run.findings.map(\.code) == ["DJS012"])
        let past = run.findings[0]
        #expect(past.path == repository.root + "/mysite/settings.py" && past.line == 1)
        #expect(past.severity == .warning)
        #expect(past.message.contains("past SECRET_KEY") && past.message.contains(first) && past.message.contains("2021-03-04"))
        #expect(!run.output.contains(leakedKey) && !run.output.contains(laterKey))
    }

    @Test func historyListsEveryDistinctPastKeyOnceWithItsOldestCommit() {
        let repository = ScratchRepository()
        repository.write("mysite/settings.py", literalSettings(leakedKey))
        let first = repository.commit("one", date: "2020-01-01")
        repository.write("mysite/settings.py", "import os\n\n" + literalSettings(laterKey))
        let second = repository.commit("two", date: "2020-02-02")
        repository.write("other/settings.py", "class Prod:\n    SECRET_KEY = '\(leakedKey)'\n")  // the first key again
        repository.commit("three", date: "2020-03-03")
        repository.write("mysite/settings.py", envReadSettings)
        repository.run("rm", "-q", "other/settings.py")
        repository.commit("four", date: "2020-04-04")
        let run = repository.check { $0.history = true }
        let listed = run.findings.filter { $0.message.contains("past SECRET_KEY") }
        #expect(listed.count == 2)
        #expect(listed.map(\.line) == [1, 3])
        #expect(listed[0].message.contains(first) && listed[1].message.contains(second))
        #expect(!run.output.contains(leakedKey) && !run.output.contains(laterKey))
    }

    @Test func trackedEnvIsReportedWithGitRmAdvice() {
        let repository = ScratchRepository()
        repository.write("manage.py", "")
        repository.write("mysite/settings.py", envReadSettings)
        repository.write(".env", "DJANGO_SECRET_KEY=\(leakedKey)\nDJANGO_DEBUG=True\n")
        let commit = repository.commit("oops", date: "2023-01-02")
        let run = repository.check()
        let codes = run.findings.map(\.code)
        #expect(codes == ["DJS011", "DJS012"])
        let tracked = run.findings[0]
        #expect(tracked.path == repository.root + "/.env" && tracked.line == 1 && tracked.column == 1)
        #expect(tracked.message.contains("git rm --cached .env") && tracked.message.contains("rotate"))
        #expect(!tracked.fixable)
        #expect(run.findings[1].message.contains(commit))
        #expect(!run.output.contains(leakedKey))

        // --fix adds the .gitignore entry, but a tracked file stays reported.
        let fixed = repository.check { $0.fix = true }
        #expect(repository.read(".gitignore") == ".env\n")
        #expect(fixed.findings.map(\.code) == ["DJS011", "DJS012"])
    }

    @Test func unignoredEnvIsReportedOnceAndFixedByAGitignoreEntry() {
        let repository = ScratchRepository()
        repository.write("manage.py", "")
        repository.write("mysite/settings.py", envReadSettings)
        repository.write("mysite/settings_prod.py", "from .settings import *\nDEBUG = False\n")
        repository.write(".gitignore", "__pycache__/\n")
        repository.commit("start", date: "2023-01-02")
        repository.write(".env", "DJANGO_SECRET_KEY=\(laterKey)\n")

        let run = repository.check()
        #expect(run.findings.map(\.code) == ["DJS011"])
        #expect(run.findings[0].fixable && run.findings[0].path == repository.root + "/.env")

        let diff = repository.check { $0.diff = true; $0.format = .text }
        #expect(diff.output.contains("+.env\n"))
        #expect(repository.read(".gitignore") == "__pycache__/\n")

        let fixed = repository.check { $0.fix = true; $0.format = .text }
        #expect(fixed.status == 0)
        #expect(fixed.output.contains("Fixed 1 problem"))
        #expect(repository.read(".gitignore") == "__pycache__/\n.env\n")
        #expect(repository.check().findings.isEmpty)
    }

    @Test func outsideGitNothingIsReported() {
        let folder = ScratchRepository(git: false)
        folder.write("manage.py", "")
        folder.write("mysite/settings.py", envReadSettings)
        folder.write(".env", "DJANGO_SECRET_KEY=\(leakedKey)\n")
        let run = folder.check { $0.history = true }
        #expect(run.status == 0 && run.findings.isEmpty)
    }

    @Test func literalInCodeThatGitHoldsIsReportedAndNoqaSuppressesIt() {
        let repository = ScratchRepository()
        repository.write("manage.py", "")
        repository.write("mysite/settings.py", envReadSettings + "EMAIL_HOST_PASSWORD = \"correct-horse-battery\"\n")
        let commit = repository.commit("mail", date: "2023-04-05")
        let run = repository.check()
        #expect(run.findings.map(\.code) == ["DJS008", "DJS012"])
        #expect(run.findings[1].line == 4 && run.findings[1].message.contains(commit))
        #expect(!run.output.contains("correct-horse-battery"))

        repository.write("mysite/settings.py", envReadSettings + "EMAIL_HOST_PASSWORD = \"correct-horse-battery\"  # noqa: DJS012\n")
        #expect(repository.check().findings.map(\.code) == ["DJS008"])

        // Turning the value's own rule off does not hide the leak.
        var settings = LintSettings()
        settings.ignore = ["DJS008"]
        repository.write("mysite/settings.py", envReadSettings + "EMAIL_HOST_PASSWORD = \"correct-horse-battery\"\n")
        #expect(repository.check(settings: settings).findings.map(\.code) == ["DJS012"])
        settings.ignore = ["DJS012"]
        #expect(repository.check(settings: settings).findings.map(\.code) == ["DJS008"])
    }

    @Test func committedKeyIsReplacedByFixNotMovedAndNothingIsLeftToReport() {
        let repository = ScratchRepository()
        repository.write("manage.py", "")
        repository.write("mysite/settings.py", literalSettings(leakedKey))
        repository.commit("start", date: "2021-03-04")
        let before = repository.check()
        #expect(before.findings.map(\.code) == ["DJS001", "DJS012"])

        let fixed = repository.check { $0.fix = true; $0.format = .text }
        let env = EnvFile(bytes: Array(repository.read(".env").utf8))
        let newKey = env.values["DJANGO_SECRET_KEY"] ?? ""
        #expect(newKey.count == 64 && newKey != leakedKey)
        #expect(fixed.output.contains("must be considered public"))
        #expect(!fixed.output.contains(leakedKey) && !fixed.output.contains(newKey))
        #expect(repository.check().findings.isEmpty)
        // With --keep-key the committed key is moved, and DJS012 then finds it in .env.
        repository.run("checkout", "-q", "--", "mysite/settings.py")
        _ = Subprocess.run(["rm", "-f", repository.root + "/.env"])
        let kept = repository.check { $0.fix = true; $0.keyPolicy = .keep }
        #expect(kept.findings.map(\.code) == ["DJS012"])
        #expect(kept.findings.first?.path == repository.root + "/.env")
    }
}

struct HistoryScannerTests {
    func scan(_ log: String, values: [String], chunk: Int = 7, keys: Bool = false) -> HistoryScanner {
        var scanner = HistoryScanner(values: values, keyLiteral: keys ? { line in
            SecretKeyLiteral.value(inLine: line, parser: try! PythonParser())
        } : nil)
        var splitter = LineSplitter()
        let bytes = Array(log.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            bytes[start..<end].withUnsafeBufferPointer { part in splitter.feed(part) { scanner.line($0) } }
            start = end
        }
        splitter.finish { scanner.line($0) }
        return scanner
    }

    let log = """
        \u{1}bbb2222 2022-02-02
        diff --git a/mysite/settings.py b/mysite/settings.py
        --- a/mysite/settings.py
        +++ b/mysite/settings.py
        @@ -3 +3 @@
        -SECRET_KEY = 'old-key-value-1'
        +SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
        diff --git a/docker-compose.yml b/docker-compose.yml
        --- a/docker-compose.yml
        +++ b/docker-compose.yml
        @@ -0,0 +7,2 @@
        +  image: postgresql
        +  password: hunter2-long
        \u{1}aaa1111 2021-01-01
        diff --git "a/caf\\303\\251/settings.py" "b/caf\\303\\251/settings.py"
        new file mode 100644
        --- /dev/null
        +++ "b/caf\\303\\251/settings.py"
        @@ -0,0 +1,4 @@
        +import os
        +
        +SECRET_KEY = 'old-key-value-1'
        +++ x = 'hunter2-long'
        """

    @Test func valuesAreFoundOnAddedLinesAsWholeTokensWithTheOldestCommit() {
        let scanner = scan(log, values: ["hunter2-long", "postgres", "old-key-value-1", "SECRET_KEY = os"])
        #expect(scanner.holding["hunter2-long"] == CommitReference(shortID: "aaa1111", date: "2021-01-01"))
        #expect(scanner.holding["postgres"] == nil)  // only inside `postgresql`
        #expect(scanner.holding["old-key-value-1"]?.shortID == "aaa1111")  // the removed line does not count
        #expect(scanner.holding["SECRET_KEY = os"]?.shortID == "bbb2222")
    }

    @Test func pastKeysCarryTheirPathAndLine() {
        let scanner = scan(log, values: [], keys: true)
        #expect(scanner.pastKeys == [PastKeyLiteral(
            value: "old-key-value-1", commit: CommitReference(shortID: "aaa1111", date: "2021-01-01"),
            path: "café/settings.py", line: 3)])
    }

    @Test func keyLiteralLines() {
        let parser = try! PythonParser()
        func value(_ line: String) -> String? {
            Array(line.utf8).withUnsafeBufferPointer { SecretKeyLiteral.value(inLine: $0, parser: parser) }
        }
        #expect(value("SECRET_KEY = 'abc'") == "abc")
        #expect(value("    SECRET_KEY: str = (\"ab\" \"cd\")\r") == "abcd")
        #expect(value("SECRET_KEY = r'x\\y'") == "x\\y")
        #expect(value("SECRET_KEY = os.environ.get('K', 'dev')") == nil)
        #expect(value("# SECRET_KEY = 'abc'") == nil)
        #expect(value("SECRET_KEY = f'{x}'") == nil)
        #expect(value("SECRET_KEY = ''") == nil)
    }

    @Test func repositoryAnswersManyValuesInOnePassAndCachesThem() {
        let repository = ScratchRepository()
        repository.write("a.txt", "token: abcdefgh-1\n")
        repository.commit("a", date: "2020-01-01")
        repository.write("b.txt", "token: abcdefgh-2\n")
        repository.commit("b", date: "2020-01-02")
        let git = GitRepository.containing(repository.root)!
        let found = git.commitsHolding(["abcdefgh-1", "abcdefgh-2", "abcdefgh-3"])
        #expect(found.count == 2 && git.historyPasses == 1)
        #expect(found["abcdefgh-1"]?.date == "2020-01-01")
        _ = git.commitsHolding(["abcdefgh-3", "abcdefgh-1"])
        #expect(git.historyPasses == 1)
        git.scanHistory(for: [], keyLiteral: { _ in nil })
        #expect(git.historyPasses == 2 && git.pastKeyLiterals == [])
        git.scanHistory(for: ["abcdefgh-2"], keyLiteral: { _ in nil })
        #expect(git.historyPasses == 2)
    }
}
