import Foundation
import Testing
@testable import SecretsLint
import PythonSyntax

/// SPEC "Which code is looked at": a finding needs a settings module; test settings hold fixtures.
struct SettingsScopeTests {
    static let keyScript = """
        \"\"\"Prints a new SECRET_KEY for the deployment docs.\"\"\"
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
        print(SECRET_KEY)

        """

    /// A module of no settings shape: only DJANGO_SETTINGS_MODULE (or an import) can make it settings.
    static let plainModule = "import os\n\nSECRET_KEY = os.environ.get('SECRET_KEY', 'dev-only-key')\n"

    func analyzeFile(_ project: TemporaryProject, _ path: String, scope: SettingsScope) throws -> FileAnalysis {
        let parser = try PythonParser()
        return try Linter(settings: LintSettings()).analyze(
            path: project.root + "/" + path, source: SourceText(project.read(path) ?? ""), parser: parser,
            imports: SettingsImports(parser: parser), scope: scope)
    }

    @Test func aKeyGeneratorScriptIsNoSettingsModuleUnlessNamed() throws {
        #expect(lint(Self.keyScript, path: "docs/key.py").isEmpty)
        #expect(!analyze(Self.keyScript, path: "docs/key.py").isSettingsFile)
        // Its path says settings, or the run names it: then it is one.
        #expect(lint(Self.keyScript, path: "mysite/settings/key.py").map(\.code) == ["DJS009"])
        let project = try TemporaryProject(["docs/key.py": Self.keyScript])
        let named = SettingsScope(namedPaths: [project.root + "/docs/key.py"])
        #expect(try analyzeFile(project, "docs/key.py", scope: named).findings.map(\.code) == ["DJS009"])
    }

    @Test(arguments: [
        ("INSTALLED_APPS = []\n", true),
        ("ROOT_URLCONF = 'mysite.urls'\n", true),
        ("DATABASES = {}\n", true),
        ("MIDDLEWARE = []\n", true),
        ("SECRET_KEY = 'x'\nDEBUG = False\n", true),
        ("SECRET_KEY = 'x'\n", false),
        ("DEBUG = False\n", false),
        ("def f():\n    INSTALLED_APPS = []\n", false),
        ("try:\n    INSTALLED_APPS = []\nexcept ImportError:\n    pass\n", false),
        ("class Prod(Configuration):\n    DEBUG = False\n", true),
        ("class Form:\n    DEBUG = False\n", false),
    ])
    func djangoSettingsAssignedAtModuleLevelMakeASettingsModule(code: String, isSettings: Bool) throws {
        let tree = try PythonParser().parse(SourceText(code))
        #expect(SettingsModel(root: tree.root, everyClassIsSettings: false).assignsDjangoSettings == isSettings, "\(code)")
    }

    @Test(arguments: [
        ("tests/settings.py", true), ("test_settings.py", true), ("mysite/settings/ci.py", true), ("settings_testing.py", true),
        ("src/myapp/tests/settings/base.py", true), ("mysite/settings/production.py", false), ("mysite/settings/local.py", false),
        ("contest/settings.py", false), ("mysite/latest.py", false),
    ])
    func testSettingsByStemOrPackage(path: String, isTest: Bool) {
        #expect(LintSettings().isTestSettings(path: path) == isTest, "\(path)")
    }

    @Test func testSettingsKeepOnlyGeneratedLookingCredentialsUnfixed() {
        let code = """
            import os
            SECRET_KEY = "django-insecure-test-key-for-the-suite"
            DEBUG = True
            INSTALLED_APPS = []
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "dummy-password"}}
            CACHE_URL = "redis://:password@localhost:6379/0"
            EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "test")
            STRIPE_API_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
            GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "ghp_R8x2LmQ7vZ4kT9pW3nB6yH1cJ5dF0sA2eG7u")
            BROKER_URL = "amqp://app:Zx81Qm4LpT7vWk2RnB9s@rabbit//"

            """
        let analysis = analyze(code, path: "tests/settings.py")
        #expect(analysis.role == .testSettings)
        #expect(analysis.findings.map(\.code) == ["DJS008", "DJS004", "DJS013"])
        #expect(analysis.findings.allSatisfy { !$0.isFixable && $0.message.contains("CI's secret store") })
        #expect(analysis.isSettingsFile)
        // The same file as production settings: every rule.
        #expect(Set(lint(code, path: "mysite/settings.py").map(\.code)) == ["DJS002", "DJS005", "DJS008", "DJS013", "DJS004"])
    }

    @Test func developmentSettingsKeepTheSecretRules() {
        let code = "SECRET_KEY = 'short'\nDEBUG = True\nINSTALLED_APPS = []\nEMAIL_HOST_PASSWORD = 'hunter22'\n"
        let analysis = analyze(code, path: "mysite/settings/dev.py")
        #expect(analysis.role == .settings)
        #expect(analysis.findings.map(\.code) == ["DJS003", "DJS008"])
        #expect(analysis.findings.allSatisfy { $0.isFixable })
    }

    // MARK: - DJANGO_SETTINGS_MODULE

    static let manage = """
        #!/usr/bin/env python
        import os
        import sys


        def main():
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.prod")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)

        """

    @Test func modulesThatManagePyNamesAndTheirImportsAreSettings() throws {
        let project = try TemporaryProject([
            "manage.py": Self.manage,
            "mysite/__init__.py": "",
            "mysite/prod.py": "try:\n    from .secrets import *\nexcept ImportError:\n    pass\n" + Self.plainModule,
            "mysite/secrets.py": Self.plainModule,
            "mysite/other.py": Self.plainModule,
        ])
        let scope = SettingsScope(projects: ProjectSettingsModules())
        #expect(try analyzeFile(project, "mysite/prod.py", scope: scope).findings.map(\.code) == ["DJS004"])
        #expect(try analyzeFile(project, "mysite/secrets.py", scope: scope).findings.map(\.code) == ["DJS004"])
        #expect(try analyzeFile(project, "mysite/other.py", scope: scope).findings.isEmpty)
        // Without the project lookup, none of them says it is settings.
        #expect(try analyzeFile(project, "mysite/prod.py", scope: .fileOnly).findings.isEmpty)
    }

    @Test(arguments: [
        ("pytest.ini", "[pytest]\nDJANGO_SETTINGS_MODULE = project.conf_test\n"),
        ("setup.cfg", "[metadata]\nname = x\n\n[tool:pytest]\nDJANGO_SETTINGS_MODULE=project.conf_test\n"),
        ("tox.ini", "[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE = project.conf_test\ncommands = pytest\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = \"project.conf_test\"\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"--ds=project.conf_test --reuse-db\"\n"),
        ("setup.cfg", "[tool:pytest]\naddopts = --reuse-db --ds project.conf_test\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\nenv = [\"DJANGO_SETTINGS_MODULE=project.conf_test\"]\n"),
        ("conftest.py", "import os\n\nos.environ[\"DJANGO_SETTINGS_MODULE\"] = \"project.conf_test\"\n"),
        ("project/wsgi.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'project.conf_test')\n"),
    ])
    func configurationThatNamesTheSettingsModule(file: String, content: String) throws {
        let project = try TemporaryProject([file: content, "project/__init__.py": "", "project/conf_test.py": Self.plainModule])
        let analysis = try analyzeFile(project, "project/conf_test.py", scope: SettingsScope(projects: ProjectSettingsModules()))
        #expect(analysis.role == .testSettings, "\(file)")
        // A test module's key is a fixture: named or not, nothing to report.
        #expect(analysis.findings.isEmpty)
        let production = try TemporaryProject([
            file: content.replacingOccurrences(of: "conf_test", with: "conf_live"), "project/__init__.py": "",
            "project/conf_live.py": Self.plainModule,
        ])
        #expect(try analyzeFile(production, "project/conf_live.py", scope: SettingsScope(projects: ProjectSettingsModules()))
            .findings.map(\.code) == ["DJS004"], "\(file)")
    }

    @Test func configurationLinesThatNameNoModule() {
        #expect(ProjectSettingsModules.configuredSettingsModules(Array("addopts = --dsn x\n# DJANGO_SETTINGS_MODULE = a.b\nx = --ds\n".utf8)).isEmpty)
        #expect(ProjectSettingsModules.configuredSettingsModules(Array("setenv = DJANGO_SETTINGS_MODULE={env:DSM}\n".utf8)).isEmpty)
    }

    @Test func relativePathsAreLookedUpFromTheWorkingDirectoryOnceAFolder() throws {
        let project = try TemporaryProject(["manage.py": Self.manage, "mysite/prod.py": Self.plainModule])
        let projects = ProjectSettingsModules()
        #expect(projects.runsAsSettings(project.root + "/mysite/prod.py"))
        #expect(!projects.runsAsSettings(project.root + "/mysite/views.py"))
        #expect(!projects.runsAsSettings(project.root + "/prod.py"))
        #expect(ProjectSettingsModules(baseFolder: project.root).runsAsSettings("mysite/prod.py"))
    }
}
