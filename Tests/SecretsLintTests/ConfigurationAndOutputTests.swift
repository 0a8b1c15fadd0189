import Foundation
import Testing
@testable import SecretsLint

/// A temporary folder with files, removed afterwards.
final class TemporaryProject {
    let root: String

    init(_ files: [String: String]) throws {
        var template = Array((NSTemporaryDirectory() + "djlint-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        root = String(cString: made!)
        for (path, content) in files { try write(path, content) }
    }

    func write(_ path: String, _ content: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: FileSystem.parentDirectory(of: full), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ path: String) -> String? {
        (try? FileSystem.read(root + "/" + path)).map { String(decoding: $0, as: UTF8.self) }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

func run(_ options: CheckOptions, settings: LintSettings = LintSettings(), input: String = "") -> (status: Int32, console: RecordingConsole) {
    let console = RecordingConsole()
    let status = CheckRunner(options: options, settings: settings, console: console).run { Array(input.utf8) }
    return (status, console)
}

struct ConfigurationTests {
    let settingsCode = "SECRET_KEY = 'django-insecure-abc'\nDEBUG = True\nEMAIL_HOST_PASSWORD = 'pw-1'\n"

    func load(_ toml: String) throws -> LintSettings {
        let project = try TemporaryProject(["pyproject.toml": toml])
        var settings = LintSettings()
        try ConfigurationFile.load(project.root + "/pyproject.toml", into: &settings)
        return settings
    }

    @Test func everyKeyIsRead() throws {
        let settings = try load("""
            [tool.djlint-secrets]
            select = ["DJS002", "djs005"]
            ignore = ["DJS008"]
            exclude = ["legacy/**"]
            extend-exclude = ["vendor"]
            dev-settings = ["**/staging.py"]
            env-prefix = "MYAPP_"
            env-file = ".env.local"
            env-style = "decouple"
            credential-pattern = "(?i)WIDGET_KEY$"

            [tool.djlint-secrets.per-file-ignores]
            "tests/*.py" = ["DJS003"]
            """)
        #expect(settings.select == ["DJS002", "DJS005"])
        #expect(settings.ignore == ["DJS008"])
        #expect(settings.exclude == ["legacy/**"])
        #expect(settings.extendExclude == ["vendor"])
        #expect(settings.envPrefix == "MYAPP_")
        #expect(settings.envFileName == ".env.local")
        #expect(settings.envStyle == .decouple)
        #expect(settings.isDevelopmentSettings(path: "a/staging.py"))
        #expect(!settings.isDevelopmentSettings(path: "a/dev.py"))
        #expect(settings.perFileIgnores.map(\.glob) == ["tests/*.py"])
        #expect(settings.credentialPattern.matches("STRIPE_WIDGET_KEY"))
    }

    @Test(arguments: [
        ("bogus = 1", "unknown key 'bogus'"),
        ("select = \"DJS001\"", "'select' must be an array of strings"),
        ("select = [\"DJS999\"]", "'select' names an unknown rule 'DJS999'"),
        ("env-style = \"yaml\"", "'env-style' must be one of"),
        ("env-prefix = 3", "'env-prefix' must be a string"),
        ("credential-pattern = \"(\"", "'credential-pattern'"),
        ("per-file-ignores = 1", "'per-file-ignores' must be a table"),
        ("select = [", "invalid TOML at line"),
    ])
    func mistakesNameTheKeyAndTheFile(line: String, message: String) throws {
        let project = try TemporaryProject(["pyproject.toml": "[tool.djlint-secrets]\n" + line + "\n"])
        var settings = LintSettings()
        do {
            try ConfigurationFile.load(project.root + "/pyproject.toml", into: &settings)
            Issue.record("no error for \(line)")
        } catch let error as ConfigurationError {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.contains(project.root + "/pyproject.toml"))
        }
    }

    @Test func nearestPyprojectWithTheTableIsFound() throws {
        let project = try TemporaryProject([
            "pyproject.toml": "[tool.djlint-secrets]\nenv-prefix = \"OUTER_\"\n",
            "app/pyproject.toml": "[tool.black]\nline-length = 99\n",
            "app/mysite/settings.py": "",
        ])
        #expect(ConfigurationFile.find(from: project.root + "/app/mysite") == project.root + "/pyproject.toml")
    }

    @Test func settingsChangeWhatIsReportedAndHowItIsFixed() throws {
        let project = try TemporaryProject(["manage.py": "", "mysite/settings.py": settingsCode, "tests/settings.py": settingsCode])
        var settings = LintSettings()
        settings.ignore = ["DJS005"]
        settings.perFileIgnores = [("tests/*.py", ["DJS002", "DJS008"])]
        settings.envPrefix = "SHOP_"
        var options = CheckOptions()
        options.paths = [project.root]
        options.format = .json
        let (status, console) = run(options, settings: settings)
        #expect(status == 1)
        let reported = try JSONSerialization.jsonObject(with: Data(console.standardOutput)) as! [[String: Any]]
        let codes = reported.map { ($0["path"] as! String).hasSuffix("tests/settings.py") ? "t:" + ($0["code"] as! String) : $0["code"] as! String }
        #expect(codes.sorted() == ["DJS002", "DJS008"])
        options.fix = true
        options.format = .text
        _ = run(options, settings: settings)
        #expect(project.read("mysite/settings.py")?.contains("os.environ[\"SHOP_SECRET_KEY\"]") == true)
        #expect(project.read(".env")?.contains("SHOP_EMAIL_HOST_PASSWORD=pw-1") == true)
    }
}

struct OutputFormatTests {
    let code = "SECRET_KEY = 'django-insecure-Zq9!x'\nNAME = 'Café 🎉'; DEBUG = True\n"

    func output(_ format: OutputFormat) throws -> (String, RecordingConsole, Int32) {
        let project = try TemporaryProject(["settings.py": code])
        var options = CheckOptions()
        options.paths = [project.root + "/settings.py"]
        options.format = format
        let (status, console) = run(options)
        return (project.root, console, status)
    }

    @Test func jsonHasTheDocumentedFieldsWithCharacterColumns() throws {
        let (_, console, status) = try output(.json)
        #expect(status == 1)
        let findings = try JSONSerialization.jsonObject(with: Data(console.standardOutput)) as! [[String: Any]]
        #expect(findings.count == 2)
        let keys: Set<String> = ["code", "name", "message", "severity", "path", "line", "column", "end_line", "end_column", "fixable"]
        for finding in findings { #expect(Set(finding.keys) == keys) }
        let debug = findings.first { $0["code"] as? String == "DJS005" }!
        #expect(debug["line"] as? Int == 2)
        #expect(debug["column"] as? Int == 18)  // characters, not bytes: é and 🎉 count once
        #expect(debug["fixable"] as? Bool == true)
        #expect(!console.outputText.contains("Zq9!x"))
    }

    @Test func sarifIsValid210WithEveryRule() throws {
        let (_, console, _) = try output(.sarif)
        let log = try JSONSerialization.jsonObject(with: Data(console.standardOutput)) as! [String: Any]
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif") == true)
        let run = (log["runs"] as! [[String: Any]])[0]
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = (run["tool"] as! [String: Any])["driver"] as! [String: Any]
        #expect(driver["name"] as? String == "djlint-secrets")
        let rules = driver["rules"] as! [[String: Any]]
        #expect(rules.map { $0["id"] as! String } == RuleRegistry.descriptions.map(\.code))
        for rule in rules {
            #expect(rule["name"] is String)
            #expect(((rule["help"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        }
        let results = run["results"] as! [[String: Any]]
        #expect(results.count == 2)
        for result in results {
            let ruleID = result["ruleId"] as! String
            #expect(rules[result["ruleIndex"] as! Int]["id"] as? String == ruleID)
            #expect((result["message"] as! [String: Any])["text"] is String)
            let location = ((result["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])
            #expect(((location["artifactLocation"] as! [String: Any])["uri"] as! String).hasSuffix("settings.py"))
            let region = location["region"] as! [String: Any]
            #expect((region["startLine"] as! Int) >= 1 && (region["startColumn"] as! Int) >= 1)
        }
    }

    @Test func githubAnnotationsAreWorkflowCommands() throws {
        let (root, console, _) = try output(.github)
        let lines = console.outputText.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("::error file=\(root)/settings.py,line=1,col=1,"))
        #expect(lines[0].contains("title=DJS002::DJS002 "))
        #expect(lines[1].hasPrefix("::warning file=") && lines[1].contains("line=2,col=18"))
    }

    @Test func textFormatAndExitCodes() throws {
        let project = try TemporaryProject(["settings.py": code])
        let root = project.root
        var textOptions = CheckOptions()
        textOptions.paths = [root + "/settings.py"]
        let (status, console) = run(textOptions)
        #expect(status == 1)
        #expect(console.outputText.hasPrefix("\(root)/settings.py:1:1: DJS002 [*] SECRET_KEY is an insecure startproject key"))
        #expect(console.outputText.hasSuffix("Found 2 problems (2 fixable with --fix).\n"))
        var options = CheckOptions()
        options.paths = [root + "/settings.py"]
        options.exitZero = true
        #expect(run(options).status == 0)
        options.paths = [root + "/missing.py"]
        #expect(run(options).status == 2)
    }

    @Test func colourOnlyWhenAsked() throws {
        let project = try TemporaryProject(["settings.py": code])
        var options = CheckOptions()
        options.paths = [project.root]
        options.color = true
        #expect(run(options).console.outputText.contains("\u{1B}["))
        options.color = false
        #expect(!run(options).console.outputText.contains("\u{1B}["))
    }
}

struct StandardInputTests {
    let code = "SECRET_KEY = 'django-insecure-Zq9!x'\nDEBUG = True\n"

    @Test func fixOnStandardInputWritesSourceToStdoutAndFindingsToStderr() throws {
        let project = try TemporaryProject(["manage.py": ""])
        var options = CheckOptions()
        options.paths = ["-"]
        options.fix = true
        options.stdinFilename = project.root + "/mysite/settings.py"
        try project.write("mysite/__init__.py", "")
        let (status, console) = run(options, input: code)
        #expect(status == 0)
        // The settings load the .env they now read (SPEC "Fixes", local runs keep working).
        #expect(console.outputText == "import os\nfrom dotenv import load_dotenv\nload_dotenv(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), \".env\"))\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nDEBUG = os.environ.get(\"DJANGO_DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")\n")
        #expect(project.read(".env")?.contains("DJANGO_DEBUG=True") == true)
        #expect(project.read("mysite/settings.py") == nil)
    }

    @Test func withoutAFilenameNothingIsStoredAndTheInputComesBackUnchanged() {
        var options = CheckOptions()
        options.paths = ["-"]
        options.fix = true
        let (status, console) = run(options, input: code)
        #expect(status == 1)
        #expect(console.outputText == code)
        #expect(console.standardError.contains("-:1:1: DJS002"))
        #expect(console.standardError.contains("pass --stdin-filename"))
    }

    @Test func reportsCarryTheStdinFilename() {
        var options = CheckOptions()
        options.paths = ["-"]
        options.stdinFilename = "mysite/settings.py"
        let (_, console) = run(options, input: code)
        #expect(console.outputText.hasPrefix("mysite/settings.py:1:1: DJS002"))
    }
}

struct DiscoveryTests {
    func walk(_ project: TemporaryProject, exclude: [String] = []) -> [String] {
        var problems: [FileWalker.Problem] = []
        return FileWalker(exclude: exclude).files(under: [project.root], problems: &problems)
            .map { String($0.dropFirst(project.root.count + 1)) }
    }

    @Test func gitignoreExcludeAndSkippedFoldersAreHonoured() throws {
        let project = try TemporaryProject([
            ".git/info/exclude": "local_only.py\n",
            ".gitignore": "# comment\nbuild/\n*.gen.py\n/top_only.py\n!keep.gen.py\n",
            "app/.gitignore": "secret_*.py\n",
            "app/settings.py": "", "app/secret_one.py": "", "app/keep.gen.py": "", "app/x.gen.py": "",
            "app/top_only.py": "", "top_only.py": "", "local_only.py": "", "build/a.py": "",
            "venv/pyvenv.cfg": "", "venv/lib/x.py": "", "node_modules/y.py": "", "app/__pycache__/z.py": "",
            "legacy/old.py": "", "notes.txt": "",
        ])
        #expect(walk(project, exclude: ["legacy"]) == ["app/keep.gen.py", "app/settings.py", "app/top_only.py"])
    }

    @Test func namedFilesAreAlwaysChecked() throws {
        let project = try TemporaryProject([".gitignore": "*.py\n", "settings.py": ""])
        var problems: [FileWalker.Problem] = []
        #expect(FileWalker().files(under: [project.root + "/settings.py"], problems: &problems) == [project.root + "/settings.py"])
        #expect(walk(project).isEmpty)
    }
}

struct DiffAndSummaryTests {
    let strong = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"

    @Test func diffShowsTheChangeMaskedAndWritesNothing() throws {
        let code = "SECRET_KEY = 'django-insecure-Zq9!x'\nDATABASES = {'default': {'PASSWORD': 'hunter2-pw'}}\n"
        let project = try TemporaryProject(["manage.py": "", "settings.py": code])
        var options = CheckOptions()
        options.paths = [project.root]
        options.diff = true
        let (_, console) = run(options)
        let text = console.outputText
        #expect(text.contains("-SECRET_KEY = django-insecure-…\n"))
        #expect(text.contains("+SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n"))
        #expect(text.contains("+import os\n"))
        #expect(text.contains("+DJANGO_DATABASES_DEFAULT_PASSWORD='hun…' (10 chars)"))
        #expect(!text.contains("hunter2-pw") && !text.contains("Zq9!x"))
        #expect(project.read("settings.py") == code)
        #expect(project.read(".env") == nil)
        #expect(project.read(".gitignore") == nil)
    }

    @Test func summaryNamesWhatHappenedAndWhy() throws {
        let project = try TemporaryProject(["manage.py": "", "settings.py": "SECRET_KEY = '\(strong)'\n"])
        var options = CheckOptions()
        options.paths = [project.root]
        options.fix = true
        options.keyPolicy = .rotate
        let rotated = run(options).console.outputText
        #expect(rotated.contains("because --rotate asked for it"))
        #expect(rotated.contains("SECRET_KEY_FALLBACKS (only because it never leaked)"))
        #expect(!rotated.contains(strong))

        let second = try TemporaryProject(["manage.py": "", "settings.py": "SECRET_KEY = '\(strong)'\n"])
        options.paths = [second.root]
        options.keyPolicy = .keep
        let kept = run(options).console.outputText
        #expect(kept.contains("Warning: moved SECRET_KEY"))
        #expect(second.read(".env") == "DJANGO_SECRET_KEY=\(strong)\n")
    }
}
