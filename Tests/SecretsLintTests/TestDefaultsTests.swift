import Foundation
import Testing
@testable import SecretsLint
import PythonSyntax

/// SPEC "Test settings", issue #19 gap A: test settings that import a module a fix made require a
/// variable get `os.environ.setdefault(...)` before that import, so their suite starts without `.env`.
struct TestDefaultsTests {
    let key = TestDefault(name: "DJANGO_SECRET_KEY", setting: "SECRET_KEY", value: TestDefaults.testOnlyValue, kind: .testKey)

    /// The test settings text after the defaults are added before the first import of `.base`.
    func added(_ text: String, _ defaults: [TestDefault]) throws -> String {
        let source = SourceText(text)
        let tree = try PythonParser().parse(source)
        let anchor = try #require(TestDefaults.anchor(in: tree.root) { $0.text.contains(".base") })
        let (edits, _) = TestDefaults.edits(adding: defaults, to: source, root: tree.root, before: anchor)
        let (bytes, applied) = EditApplier.apply(edits, to: source.bytes)
        #expect(applied.count == edits.count)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func linesGoBeforeTheImportAndImportOsWhereImportsGo() throws {
        let fixed = try added("\"\"\"Test settings.\"\"\"\r\nfrom __future__ import annotations\r\n\r\nimport sys\r\nfrom .base import *\r\n", [key])
        #expect(fixed == "\"\"\"Test settings.\"\"\"\r\nfrom __future__ import annotations\r\n\r\nimport os\r\nimport sys\r\n"
            + "\(TestDefaults.comment)\r\nos.environ.setdefault(\"DJANGO_SECRET_KEY\", \"\(TestDefaults.testOnlyValue)\")\r\nfrom .base import *\r\n")
        // A second time: the variable is set before the import, nothing is added.
        #expect(try added(fixed, [key]) == fixed)
    }

    @Test func theImportOfOsBeforeTheAnchorIsUsedAndATryIsPreceded() throws {
        let fixed = try added("import os as _os\n\ntry:\n    from .base import *\nexcept ImportError:\n    pass\n", [key])
        #expect(fixed == "import os as _os\n\n\(TestDefaults.comment)\n_os.environ.setdefault(\"DJANGO_SECRET_KEY\", \"\(TestDefaults.testOnlyValue)\")\n"
            + "try:\n    from .base import *\nexcept ImportError:\n    pass\n")
    }

    @Test func anImportOfOsAfterTheAnchorDoesNotCount() throws {
        let fixed = try added("\u{FEFF}from .base import *\nimport os\n", [key])
        #expect(fixed == "\u{FEFF}\(TestDefaults.comment)\nimport os\nos.environ.setdefault(\"DJANGO_SECRET_KEY\", \"\(TestDefaults.testOnlyValue)\")\nfrom .base import *\nimport os\n")
    }

    @Test func aVariableSetOnlyAfterTheImportIsSetBeforeIt() throws {
        let text = "import os\nfrom .base import *\nos.environ[\"DJANGO_SECRET_KEY\"] = \"late\"\n"
        let fixed = try added(text, [key])
        #expect(fixed.hasPrefix("import os\n\(TestDefaults.comment)\nos.environ.setdefault(\"DJANGO_SECRET_KEY\""))
        let early = "import os\nos.environ[\"DJANGO_SECRET_KEY\"] = \"set\"\nfrom .base import *\n"
        #expect(try added(early, [key]) == early)
    }

    @Test func credentialsKeepAWeakValueOnly() {
        let weak = TestDefaults.credentialDefault(name: "DB_PASSWORD", setting: "PASSWORD", value: "postgres", code: "DJS008")
        #expect(weak.kind == .developmentValue && weak.value == "postgres")
        let token = TestDefaults.credentialDefault(name: "API_TOKEN", setting: "API_TOKEN", value: "gH7kP2mQ9xR4tV8wZ1bN5cL3dF6jS0aE", code: "DJS008")
        #expect(token.kind == .placeholder && token.value == TestDefaults.testOnlyValue)
        let url = TestDefaults.credentialDefault(
            name: "DATABASE_URL", setting: "DATABASES", value: "postgres://app:Zq8xW2vR7tY5uP3sK9mN4bL6@db:5432/app?sslmode=require", code: "DJS013")
        #expect(url.kind == .placeholder && url.value == "postgres://app:\(TestDefaults.testOnlyValue)@db:5432/app?sslmode=require")
        let devURL = TestDefaults.credentialDefault(name: "DATABASE_URL", setting: "DATABASES", value: "postgres://app:app@localhost/app", code: "DJS013")
        #expect(devURL.kind == .developmentValue)
        let tab = TestDefaults.credentialDefault(name: "P", setting: "P", value: "a\tb", code: "DJS008")
        #expect(tab.kind == .placeholder)
        #expect(PythonQuoting.doubleQuoted("a\"b\\c\r") == "\"a\\\"b\\\\c\\x0d\"")
        #expect(!SecretSettings.looksGenerated(TestDefaults.testOnlyValue))
    }

    // MARK: - Through the command line

    static let base = """
        from pathlib import Path

        BASE_DIR = Path(__file__).resolve().parent.parent.parent
        SECRET_KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcd"
        DEBUG = False
        INSTALLED_APPS = []

        """

    func project() throws -> TemporaryProject {
        try TemporaryProject([
            "manage.py": "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings.base\")\n",
            "requirements.txt": "Django==5.2\npython-dotenv==1.2.2\n",
            "mysite/__init__.py": "",
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": Self.base,
            "mysite/settings/common.py": "from .base import *  # noqa\nINSTALLED_APPS = []\n",
            // Through a chain: test → common → base.
            "mysite/settings/test.py": "from .common import *  # noqa\nDATABASES = {}\n",
            // A plain import of the module, from test settings that conftest.py selects.
            "conftest.py": "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"tests.settings\")\n",
            "tests/__init__.py": "",
            "tests/settings.py": "import mysite.settings.base as base\nSECRET_KEY = base.SECRET_KEY\nDATABASES = {}\n",
            // An app's tests beside the settings that import nothing of them: left alone.
            "mysite/settings/tests.py": "from django.test import SimpleTestCase\n",
        ])
    }

    @Test func everyTestSettingsModuleThatRunsTheFixedModuleGetsTheDefaults() throws {
        let project = try project()
        let untouched = try #require(project.read("mysite/settings/tests.py"))
        var options = CheckOptions()
        options.paths = [project.root + "/mysite/settings/base.py"]
        options.diff = true
        let (_, preview) = run(options)
        #expect(preview.outputText.contains("+++ \(project.root)/mysite/settings/test.py"))
        #expect(preview.outputText.contains("+++ \(project.root)/tests/settings.py"))
        #expect(project.read("mysite/settings/test.py") == "from .common import *  # noqa\nDATABASES = {}\n")

        options.diff = false
        options.fix = true
        let (_, fixed) = run(options)
        let line = "os.environ.setdefault(\"DJANGO_SECRET_KEY\", \"\(TestDefaults.testOnlyValue)\")\n"
        #expect(project.read("mysite/settings/test.py") == "\(TestDefaults.comment)\nimport os\n\(line)from .common import *  # noqa\nDATABASES = {}\n")
        #expect(project.read("tests/settings.py") == "\(TestDefaults.comment)\nimport os\n\(line)import mysite.settings.base as base\nSECRET_KEY = base.SECRET_KEY\nDATABASES = {}\n")
        #expect(project.read("mysite/settings/tests.py") == untouched)
        #expect(project.read("mysite/settings/common.py") == "from .base import *  # noqa\nINSTALLED_APPS = []\n")
        #expect(fixed.outputText.contains("Added test-only defaults for DJANGO_SECRET_KEY to \(project.root)/tests/settings.py"))

        // Fixing again changes nothing.
        let before = ["mysite/settings/test.py", "tests/settings.py", "mysite/settings/base.py"].map { project.read($0) }
        _ = run(options)
        #expect(["mysite/settings/test.py", "tests/settings.py", "mysite/settings/base.py"].map { project.read($0) } == before)
    }

    @Test func anEditorSaveNamesTheTestSettingsAndEditsNone() throws {
        let project = try project()
        var options = CheckOptions()
        options.paths = ["-"]
        options.fix = true
        options.stdinFilename = project.root + "/mysite/settings/base.py"
        let (_, console) = run(options, input: Self.base)
        #expect(console.outputText.contains("os.environ[\"DJANGO_SECRET_KEY\"]"))
        #expect(console.standardError.contains("\(project.root)/mysite/settings/test.py imports \(project.root)/mysite/settings/base.py, which now requires DJANGO_SECRET_KEY"))
        #expect(project.read("mysite/settings/test.py") == "from .common import *  # noqa\nDATABASES = {}\n")
    }

    // MARK: - DEBUG defaults turned off (saleor: settings that raise when DEBUG is off)

    @Test func theDebugValueIsReadAsOnByEveryReadTheFixWrites() throws {
        let value = TestDefaults.debugOnValue
        // The `os` forms compare the lowered value with their true words.
        for style in [EnvStyle.os(module: "os"), .environMapping(name: "environ")] {
            let tree = try PythonParser().parse(SourceText("DEBUG = " + style.read("DJANGO_DEBUG", form: .bool) + "\n"))
            var words: [String] = []
            tree.root.walk { node in
                if node.type == "tuple" { words += node.namedChildren.compactMap { StaticValue.evaluate($0)?.stringValue } }
                return true
            }
            #expect(words.contains(value.lowercased()), "\(words)")
            #expect(!words.contains("false"))
        }
        // django-environ's env.bool and scheme, decouple's cast=bool, django-configurations: the true words.
        #expect(UnsetEnvironmentEvaluator.meansOn(value))
        // ast.literal_eval gives the bool True (not 1, which "1" would give; "true" would raise).
        let literal = try PythonParser().parse(SourceText(value + "\n"))
        let expression = try #require(literal.root.namedChild(0)?.namedChild(0))
        #expect(StaticValue.evaluate(expression) == .bool(true))
    }

    /// `base.py` with `debug` as its DEBUG line; returns the test settings after `--fix`, and checks that a
    /// second `--fix` changes nothing.
    func testSettings(afterFixing debug: String) throws -> String? {
        let project = try TemporaryProject([
            "requirements.txt": "Django==5.2\npython-dotenv==1.2.2\n",
            "mysite/__init__.py": "",
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": "import os\n\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n\(debug)\nINSTALLED_APPS = []\n",
            "mysite/settings/test.py": "from .base import *  # noqa\nDATABASES = {}\n",
        ])
        var options = CheckOptions()
        options.paths = [project.root + "/mysite/settings/base.py"]
        options.fix = true
        _ = run(options)
        let fixed = project.read("mysite/settings/test.py")
        _ = run(options)
        #expect(project.read("mysite/settings/test.py") == fixed)
        return fixed
    }

    @Test func aDebugDefaultTurnedOffKeepsTheTestSettingsOnDebug() throws {
        let set = { (name: String) in "os.environ.setdefault(\"\(name)\", \"\(TestDefaults.debugOnValue)\")\nfrom .base import *" }
        // DJS007: a default that means on; DJS006 whose unset string is truthy; DJS005: a True literal.
        for (debug, name) in [
            ("DEBUG = os.environ.get(\"APP_DEBUG\", \"1\") == \"1\"", "APP_DEBUG"),
            ("DEBUG = bool(os.environ.get(\"APP_DEBUG\", \"False\"))", "APP_DEBUG"),
            ("DEBUG = True", "DJANGO_DEBUG"),
        ] {
            let fixed = try #require(try testSettings(afterFixing: debug))
            #expect(fixed == "\(TestDefaults.comment)\nimport os\n\(set(name))  # noqa\nDATABASES = {}\n", "\(debug)")
        }
        // Off when unset before the fix too: nothing to keep.
        for debug in ["DEBUG = bool(os.environ.get(\"APP_DEBUG\"))", "DEBUG = os.environ.get(\"APP_DEBUG\", \"0\") == \"1\"", "DEBUG = False"] {
            #expect(try testSettings(afterFixing: debug) == "from .base import *  # noqa\nDATABASES = {}\n", "\(debug)")
        }
    }

    @Test func anEditorSaveNamesTheDebugVariableAndEditsNothing() throws {
        let project = try project()
        let base = Self.base.replacingOccurrences(of: "DEBUG = False", with: "DEBUG = True")
        var options = CheckOptions()
        options.paths = ["-"]
        options.fix = true
        options.stdinFilename = project.root + "/mysite/settings/base.py"
        let (_, console) = run(options, input: base)
        #expect(console.standardError.contains(
            "which now requires DJANGO_SECRET_KEY and now reads DJANGO_DEBUG as off when unset (it was on)"), "\(console.standardError)")
        #expect(project.read("mysite/settings/test.py") == "from .common import *  # noqa\nDATABASES = {}\n")
    }
}
