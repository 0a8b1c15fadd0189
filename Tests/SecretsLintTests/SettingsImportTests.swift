import Testing
@testable import SecretsLint
import PythonSyntax

/// Readers bound in another settings module of the project (`from .base import *`) are readers here.
struct SettingsImportTests {
    static let environBase = """
        \"\"\"Settings every environment shares.\"\"\"
        from pathlib import Path

        import environ

        BASE_DIR = Path(__file__).resolve().parent.parent
        env = environ.Env(DEBUG=(bool, False))
        environ.Env.read_env(BASE_DIR / ".env")

        INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
        ALLOWED_HOSTS = ["localhost"]

        """

    static let production = """
        from .base import *  # noqa: F401,F403

        SECRET_KEY = env("SECRET_KEY", default="django-insecure-0123456789abcdef")
        DEBUG = env.bool("DEBUG", default=True)
        EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="hunter22")

        """

    func analyze(_ project: TemporaryProject, _ path: String) throws -> FileAnalysis {
        let parser = try PythonParser()
        let file = project.root + "/" + path
        return try Linter(settings: LintSettings()).analyze(
            path: file, source: SourceText(project.read(path) ?? ""), parser: parser, imports: SettingsImports(parser: parser))
    }

    func codes(_ analysis: FileAnalysis) -> [String] { analysis.findings.map(\.code) }

    @Test func aStarImportBringsTheEnvInstance() throws {
        let project = try TemporaryProject(["mysite/settings/base.py": Self.environBase, "mysite/settings/production.py": Self.production])
        #expect(try codes(analyze(project, "mysite/settings/production.py")) == ["DJS004", "DJS007", "DJS004"])
        // Without the other module nothing is a read: the same file alone gives nothing.
        #expect(lint(Self.production, path: "mysite/settings/production.py").isEmpty)
    }

    @Test(arguments: [
        "from .base import *",
        "from .base import env",
        "from .base import env as env",
        "from mysite.settings.base import *",
        "from mysite.settings.base import env",
        "from . import base\nfrom .base import *",
    ])
    func relativeAndAbsoluteImportsAreFollowed(importLine: String) throws {
        let source = Self.production.replacingFirstLine(with: importLine)
        let project = try TemporaryProject(["mysite/settings/base.py": Self.environBase, "mysite/settings/production.py": source])
        #expect(try codes(analyze(project, "mysite/settings/production.py")) == ["DJS004", "DJS007", "DJS004"])
    }

    @Test func aStarImportBindsWhatAllLists() throws {
        // `__all__` without `env`: the star import does not bind it, so nothing here reads through it.
        let hidden = try TemporaryProject([
            "mysite/settings/base.py": Self.environBase + "__all__ = [\"INSTALLED_APPS\", \"ALLOWED_HOSTS\"]\n",
            "mysite/settings/production.py": Self.production,
        ])
        #expect(try codes(analyze(hidden, "mysite/settings/production.py")).isEmpty)
        let listed = try TemporaryProject([
            "mysite/settings/base.py": "__all__ = (\"env\",)\n" + Self.environBase,
            "mysite/settings/production.py": Self.production,
        ])
        #expect(try codes(analyze(listed, "mysite/settings/production.py")) == ["DJS004", "DJS007", "DJS004"])
        // A computed `__all__` cannot be read: the public names count, as without one.
        let computed = try TemporaryProject([
            "mysite/settings/base.py": Self.environBase + "__all__ = [name for name in dir() if name.isupper()]\n",
            "mysite/settings/production.py": Self.production,
        ])
        #expect(try codes(analyze(computed, "mysite/settings/production.py")) == ["DJS004", "DJS007", "DJS004"])
    }

    @Test func aModuleImportReadsThroughItsName() throws {
        // `from . import base`, then `base.env(...)`: base's instance, read under its dotted name.
        let production = """
            from . import base

            SECRET_KEY = base.env("SECRET_KEY", default="django-insecure-0123456789abcdef")
            DEBUG = base.env.bool("DEBUG", default=True)
            EMAIL_HOST_PASSWORD = base.os.environ.get("EMAIL_HOST_PASSWORD", "hunter22")

            """
        let project = try TemporaryProject([
            "manage.py": "",
            "mysite/__init__.py": "",
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": "import os\n" + Self.environBase,
            "mysite/settings/production.py": production,
        ])
        #expect(try codes(analyze(project, "mysite/settings/production.py")) == ["DJS004", "DJS007", "DJS004"])
        var options = CheckOptions()
        options.paths = [project.root + "/mysite/settings/production.py"]
        options.fix = true
        #expect(run(options).status == 0)
        // base.py loads mysite/.env when `from . import base` runs it: no loader here, and the values go there.
        #expect(project.read("mysite/settings/production.py") == """
            from . import base

            SECRET_KEY = base.env("SECRET_KEY")
            DEBUG = base.env.bool("DEBUG", default=False)
            EMAIL_HOST_PASSWORD = base.os.environ["EMAIL_HOST_PASSWORD"]

            """)
        #expect(project.read("mysite/.env")?.contains("EMAIL_HOST_PASSWORD=hunter22") == true)
        // Without the import the same names are nobody's readers.
        #expect(lint(production, path: "mysite/settings/production.py").isEmpty)
    }

    @Test func aNamedImportBindsOnlyItsNames() throws {
        let source = "from .base import BASE_DIR\n\nSECRET_KEY = env(\"SECRET_KEY\", default=\"dev-key-123\")\n"
        let project = try TemporaryProject(["mysite/settings/base.py": Self.environBase, "mysite/settings/production.py": source])
        #expect(try codes(analyze(project, "mysite/settings/production.py")).isEmpty)
    }

    @Test func chainsOfSplitSettingsAreFollowedAndCyclesEnd() throws {
        let project = try TemporaryProject([
            "conf/settings/__init__.py": "",
            "conf/settings/base.py": Self.environBase + "try:\n    from .local import *\nexcept ImportError:\n    pass\n",
            "conf/settings/common.py": "from conf.settings.base import *\n\nMIDDLEWARE = []\n",
            "conf/settings/production.py": Self.production.replacingFirstLine(with: "from .common import *"),
            "conf/settings/local.py": "from .base import *\nfrom .production import *\n",
        ])
        #expect(try codes(analyze(project, "conf/settings/production.py")) == ["DJS004", "DJS007", "DJS004"])
        #expect(try codes(analyze(project, "conf/settings/local.py")).isEmpty)
    }

    @Test func decoupleAndHelpersOfTheOtherModuleAreReaders() throws {
        let base = """
            import os

            from decouple import config


            def get_bool_from_env(name, default):
                return os.environ.get(name, str(default)).lower() == "true"

            """
        let production = """
            from .base import *

            DEBUG = get_bool_from_env("DEBUG", True)
            SECRET_KEY = config("SECRET_KEY", default="dev-key-123")

            """
        let project = try TemporaryProject(["app/settings/base.py": base, "app/settings/production.py": production])
        #expect(try codes(analyze(project, "app/settings/production.py")) == ["DJS007", "DJS004"])
        let helperOnly = "from .base import get_bool_from_env\n\nDEBUG = get_bool_from_env(\"DEBUG\", True)\n"
        try project.write("app/settings/staging.py", helperOnly)
        #expect(try codes(analyze(project, "app/settings/staging.py")) == ["DJS007"])
    }

    @Test func schemeDefaultsAreReportedWhereDeclaredOnly() throws {
        let base = "import environ\n\nenv = environ.Env(DEBUG=(bool, True), SECRET_KEY=(str, \"dev-key-123\"))\n"
        let production = "from .base import *\n\nDEBUG = env(\"DEBUG\")\nSECRET_KEY = env(\"SECRET_KEY\")\n"
        let project = try TemporaryProject(["proj/settings/base.py": base, "proj/settings/production.py": production])
        #expect(try codes(analyze(project, "proj/settings/base.py")).sorted() == ["DJS004", "DJS007"])
        // The scheme casts DEBUG to a bool: no string truthiness here, and the defaults are base.py's.
        let analysis = try analyze(project, "proj/settings/production.py")
        #expect(analysis.model.bindings.envInstances["env"]?.entries["DEBUG"]?.castName == "bool")
        #expect(codes(analysis).isEmpty)
    }

    @Test func theOtherModuleIsParsedOnlyForACandidate() throws {
        let project = try TemporaryProject(["proj/settings/base.py": Self.environBase, "proj/settings/production.py": "from .base import *\n\nDEBUG = False\nTIME_ZONE = \"UTC\"\n"])
        let parser = try PythonParser()
        let imports = SettingsImports(parser: parser)
        _ = try Linter(settings: LintSettings()).analyze(
            path: project.root + "/proj/settings/production.py", source: SourceText(project.read("proj/settings/production.py") ?? ""), parser: parser, imports: imports)
        #expect(imports.loadedModuleCount == 0)
    }

    @Test func fixesAcrossFilesWriteInTheStyleOfTheBindingModuleAndConverge() throws {
        let project = try TemporaryProject([
            "manage.py": "",
            "mysite/__init__.py": "",
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": Self.environBase,
            "mysite/settings/production.py": Self.production,
        ])
        var options = CheckOptions()
        options.paths = [project.root]
        options.fix = true
        #expect(run(options).status == 0)
        #expect(project.read("mysite/settings/production.py") == """
            from .base import *  # noqa: F401,F403

            SECRET_KEY = env("SECRET_KEY")
            DEBUG = env.bool("DEBUG", default=False)
            EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")

            """)
        #expect(project.read("mysite/settings/base.py") == Self.environBase)
        // base.py's `read_env(BASE_DIR / ".env")` loads mysite/.env (BASE_DIR is mysite/): the values go
        // there, not into a second .env beside manage.py.
        #expect(project.read(".env") == nil)
        let env = project.read("mysite/.env") ?? ""
        #expect(env.contains("DEBUG=True") && env.contains("EMAIL_HOST_PASSWORD=hunter22") && env.contains("SECRET_KEY="))
        let fixedOnce = project.read("mysite/settings/production.py")
        #expect(run(options).status == 0)
        #expect(project.read("mysite/settings/production.py") == fixedOnce)
        #expect(project.read("mysite/.env") == env)
    }
}

extension SettingsImportTests {
    /// base.py loads `.env` when it runs, and importing it runs it: the importing file needs no loader of its own.
    @Test func aDotenvLoadedByTheImportedModuleIsNotLoadedAgain() throws {
        let base = "import os\nfrom pathlib import Path\n\nfrom dotenv import load_dotenv\n\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\nload_dotenv(BASE_DIR / \".env\")\n"
        let production = "from .base import *\n\nSECRET_KEY = os.environ.get(\"SECRET_KEY\", \"dev-key-123\")\n"
        let project = try TemporaryProject([
            "manage.py": "", "requirements.txt": "Django==5.2\npython-dotenv==1.2.2\n",
            "mysite/settings/base.py": base, "mysite/settings/production.py": production,
        ])
        var options = CheckOptions()
        options.paths = [project.root]
        options.fix = true
        #expect(run(options).status == 0)
        #expect(project.read("mysite/settings/production.py") == "from .base import *\n\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n")
        #expect(project.read(".env")?.contains("SECRET_KEY=") == true)
    }

    /// Issue #20's statement-level path leaves out reads without a word it looks for; through a name another
    /// module binds (`ge = os.getenv` there) `ZONE = ge("ZONE", "UTC")` is the first read here, and the loader a
    /// fix adds must go before it. The selection keeps the statements mentioning what the imported modules
    /// bind to read (`ImportedEnvironmentNames`): the module stays on the statement-level path.
    @Test func aReadThroughAnImportedGetenvKeepsTheLoaderBeforeIt() throws {
        let project = try TemporaryProject([
            "mysite/settings/base.py": "import os\n\nge = os.getenv\n",
            "mysite/settings/production.py": """
                from .base import *

                TIMEOUT = 30
                ZONE = ge("ZONE", "UTC")
                import sys
                SECRET_KEY = "django-insecure-0123456789abcdefghijklmn"

                """,
        ])
        let analysis = try analyze(project, "mysite/settings/production.py")
        let selected = analysis.isStatementSelection, follows = analysis.followsProjectImports
        #expect(selected)
        #expect(follows)
        let parsed = analysis.tree.root.namedChildren.map(\.text)
        #expect(parsed.contains("ZONE = ge(\"ZONE\", \"UTC\")"), "\(parsed)")
        #expect(!parsed.contains("TIMEOUT = 30"), "\(parsed)")
        var store: EnvStore? = EnvStore(path: project.root + "/.env", file: EnvFile(bytes: []))
        let plan = FileFixer(settings: LintSettings(), keyPolicy: .automatic, git: nil, trackedPath: project.root + "/mysite/settings/production.py",
                      projectDeclaresDotenv: { true })
            .plan(analysis, store: &store)
        let zone = try #require(analysis.source.bytes.firstRange(of: Array("ZONE =".utf8)))
        let loader = try #require(
            plan.edits.first { String(decoding: $0.replacement, as: UTF8.self).contains("load_dotenv(") },
            "\(plan.edits.map { String(decoding: $0.replacement, as: UTF8.self) }) \(plan.notes) \(plan.skipped)")
        #expect(loader.range.lowerBound <= zone.lowerBound)
    }

    /// A settings module with project imports depends on them on the statement-level path too, even when no
    /// statement it parsed calls through an imported name: the language server then checks those files before
    /// it reuses findings (once such an import leads somewhere, a statement left out may read through it).
    @Test func aStatementLevelAnalysisWithProjectImportsReadsOtherModules() throws {
        let parser = try PythonParser()
        let source = "from .local import *\n\nVALUE = helper(\"VALUE\")\nTIMEOUT = 30\nDEBUG = True\n"
        let analysis = try Linter(settings: LintSettings()).analyze(
            path: "/nonexistent/mysite/settings/production.py", source: SourceText(source), parser: parser, imports: SettingsImports(parser: parser))
        let selected = analysis.isStatementSelection, follows = analysis.followsProjectImports, reads = analysis.readsOtherModules
        #expect(selected)
        #expect(!follows)
        #expect(reads)
    }

    /// App code is full of relative imports: only settings modules are followed (the prefilter agrees).
    @Test func onlySettingsModulesFollowTheirImports() throws {
        let project = try TemporaryProject(["shop/base.py": Self.environBase, "shop/production.py": Self.production])
        #expect(try codes(analyze(project, "shop/production.py")).isEmpty)
    }

    @Test func eachImportIsLookedUpOncePerFolder() throws {
        let project = try TemporaryProject(["proj/settings/base.py": Self.environBase, "proj/settings/production.py": Self.production, "proj/settings/staging.py": Self.production])
        let parser = try PythonParser()
        let imports = SettingsImports(parser: parser)
        for name in ["proj/settings/production.py", "proj/settings/staging.py"] {
            let analysis = try Linter(settings: LintSettings()).analyze(
                path: project.root + "/" + name, source: SourceText(project.read(name) ?? ""), parser: parser, imports: imports)
            #expect(analysis.findings.map(\.code) == ["DJS004", "DJS007", "DJS004"])
        }
        #expect(imports.loadedModuleCount == 1)
    }
}

private extension String {
    func replacingFirstLine(with line: String) -> String {
        line + "\n" + split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)[1]
    }
}
