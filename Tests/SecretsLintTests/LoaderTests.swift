import Foundation
import Testing
@testable import SecretsLint
import PythonSyntax

/// SPEC "Fixes", round 3: python-dotenv declared in the project's dependency file by a byte edit (every
/// other byte kept), and the loaders a project already has found with the env file they load.
struct DependencyDeclarationTests {
    func declared(_ text: String, _ name: String) -> String? {
        ProjectDependencies.declaring(in: Array(text.utf8), path: "/p/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func requirementsFilesGainOneLine() {
        #expect(declared("Django>=5.2\n", "requirements.txt") == "Django>=5.2\npython-dotenv>=1.0\n")
        #expect(declared("Django>=5.2", "requirements.txt") == "Django>=5.2\npython-dotenv>=1.0\n")
        #expect(declared("-r base.txt\r\nDjango==5.2\r\n", "requirements.txt") == "-r base.txt\r\nDjango==5.2\r\npython-dotenv>=1.0\r\n")
        // pip refuses an entry without a hash among hashed ones: the file is left alone.
        #expect(declared("django==5.2 \\\n    --hash=sha256:abc\n", "requirements.txt") == nil)
    }

    @Test func pyprojectDependenciesGainAnElement() {
        let multiline = """
            [project]
            name = "site"
            dependencies = [
                "django>=5.2",  # the framework
                "psycopg[binary]"
            ]

            [tool.ruff]
            line-length = 100

            """
        #expect(declared(multiline, "pyproject.toml") == """
            [project]
            name = "site"
            dependencies = [
                "django>=5.2",  # the framework
                "psycopg[binary]",
                "python-dotenv>=1.0",
            ]

            [tool.ruff]
            line-length = 100

            """)
        #expect(declared("[project]\nname = \"a\"\ndependencies = [\"django\", 'x]y']\n", "pyproject.toml")
            == "[project]\nname = \"a\"\ndependencies = [\"django\", 'x]y', \"python-dotenv>=1.0\"]\n")
        #expect(declared("[project]\nname = \"a\"\ndependencies = []\n", "pyproject.toml")
            == "[project]\nname = \"a\"\ndependencies = [\"python-dotenv>=1.0\"]\n")
        #expect(declared("[project]\r\nname = \"a\"\r\ndependencies = [\r\n  \"django\",\r\n]\r\n", "pyproject.toml")
            == "[project]\r\nname = \"a\"\r\ndependencies = [\r\n  \"django\",\r\n  \"python-dotenv>=1.0\",\r\n]\r\n")
        // Tool configuration only: nothing to declare in.
        #expect(declared("[tool.black]\nline-length = 100\n", "pyproject.toml") == nil)
    }

    @Test func poetryAndPipfileTablesGainAKey() {
        let poetry = "[tool.poetry]\nname = \"a\"\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5.2\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n"
        #expect(declared(poetry, "pyproject.toml") == "[tool.poetry]\nname = \"a\"\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\ndjango = \"^5.2\"\npython-dotenv = \">=1.0\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n")
        let pipfile = "[[source]]\nurl = \"https://pypi.org/simple\"\n\n[packages]\ndjango = \"*\"\n\n[dev-packages]\n"
        #expect(declared(pipfile, "Pipfile") == "[[source]]\nurl = \"https://pypi.org/simple\"\n\n[packages]\ndjango = \"*\"\npython-dotenv = \"*\"\n\n[dev-packages]\n")
    }

    @Test func theFileThatDeclaresDjangoIsChosen() throws {
        let project = try TemporaryProject([
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
            "requirements/dev.txt": "-r base.txt\npytest\n",
            "requirements/base.txt": "Django==5.2.1\n",
            "manage.py": "",
        ])
        let (path, bytes) = try #require(ProjectDependencies.declarationOfPythonDotenv(root: project.root))
        #expect(path == project.root + "/requirements/base.txt")
        #expect(String(decoding: bytes, as: UTF8.self) == "Django==5.2.1\npython-dotenv>=1.0\n")
        #expect(ProjectDependencies.declaredLoaders(root: project.root).isEmpty)
        try project.write("requirements/base.txt", "Django==5.2.1\ndjango-environ==0.14.0\n")
        #expect(ProjectDependencies.declaredLoaders(root: project.root) == ["django-environ"])
        #expect(ProjectDependencies.mentionsDjango("django-environ\ndjangorestframework\n") == false)
        let bare = try TemporaryProject(["manage.py": ""])
        #expect(ProjectDependencies.declarationOfPythonDotenv(root: bare.root) == nil)
    }
}

struct EnvLoaderScanTests {
    func loads(_ code: String, file: String = "/project/mysite/settings.py") -> [EnvFileLoad] {
        let analysis = analyze(code)
        return EnvLoaderScan.loads(root: analysis.tree.root, file: file, projectRoot: "/project")
    }

    /// A sibling module is parsed for its loaders only when its code names the fixed module (an import of it
    /// must): wsgi.py's `"mysite.settings"` string, a comment, a longer name or an import inside a function
    /// does not.
    @Test func siblingsThatCannotImportTheModuleAreNotParsed() {
        #expect(FixSession.moduleName(of: "/p/mysite/settings.py") == "settings")
        #expect(FixSession.moduleName(of: "/p/mysite/settings/__init__.py") == "settings")
        #expect(FixSession.moduleName(of: "base.py") == "base")
        for naming in ["from .settings import *\n", "from mysite.settings import SECRET_KEY\n", "import mysite.settings\n",
                       "try:\n    from .settings import *\nexcept ImportError:\n    pass\n", "X = 1; from . settings import *\n",
                       "s = 'unterminated\nfrom .settings import *\n"] {
            #expect(FixSession.mayName("settings", in: Array(naming.utf8)), "\(naming.debugDescription)")
        }
        for other in ["os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n", "# from .settings import *\n",
                      "\"\"\"Uses settings.\"\"\"\nmysettings = settings_base = 1\n", "def f():\n    from .settings import X\n", ""] {
            #expect(!FixSession.mayName("settings", in: Array(other.utf8)), "\(other.debugDescription)")
        }
    }

    @Test func pathsAreWorkedOutAsTheModuleComputesThem() {
        let base = "from pathlib import Path\nimport os\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
        #expect(loads(base + "load_dotenv(BASE_DIR / 'envs' / '.env')\n").map(\.envFile) == ["/project/envs/.env"])
        #expect(loads(base + "load_dotenv(os.path.join(BASE_DIR, 'envs/.env'))\n").map(\.envFile) == ["/project/envs/.env"])
        #expect(loads(base + "environ.Env.read_env(str(BASE_DIR.parent / '.env'))\n").map(\.envFile) == ["/.env"])
        #expect(loads("import environ\nenviron.Env.read_env(env_file='.env.local')\n").map(\.envFile) == ["/project/.env.local"])
        #expect(loads("import environ\nenviron.Env.read_env()\n").map(\.envFile) == ["/project/mysite/.env"])
        #expect(loads("import dotenv\nif True:\n    dotenv.read_dotenv()\n", file: "/project/manage.py").map(\.envFile) == ["/project/.env"])
        #expect(loads("load_dotenv(os.environ['ENV_FILE'])\n").map(\.envFile) == [nil])
        let values = loads("config = {**dotenv_values(BASE_DIR / '.env.shared'), **os.environ}\n", file: "/project/settings.py")
        #expect(values.map(\.setsEnviron) == [false] && values.map(\.library) == [.pythonDotenv])
    }

    /// django-environ's paths: `environ.Path(__file__) - 3`, `ROOT_DIR.path(".env")`, `ROOT_DIR(".env")`, and a
    /// name bound in a chained assignment (`APPS_DIR = BASE_DIR = ...`).
    @Test func djangoEnvironPathsAreWorkedOut() {
        let file = "/project/config/settings/base.py"
        let root = "import environ\nROOT_DIR = (\n    environ.Path(__file__) - 3\n)\nenv = environ.Env()\n"
        #expect(loads(root + "env.read_env(str(ROOT_DIR.path('.env')))\n", file: file).map(\.envFile) == ["/project/.env"])
        #expect(loads(root + "env.read_env(ROOT_DIR('.env'))\n", file: file).map(\.envFile) == ["/project/.env"])
        #expect(loads(root + "env.read_env(str(ROOT_DIR.path('envs', '.env')))\n", file: file).map(\.envFile) == ["/project/envs/.env"])
        let chained = "import environ, os\nAPPS_DIR = BASE_DIR = environ.Path(__file__) - 2\nenviron.Env().read_env(os.path.join(BASE_DIR, '.env'))\n"
        #expect(loads(chained, file: "/project/config/env.py").map(\.envFile) == ["/project/.env"])
    }

    /// A load inside an `if` runs only when its condition holds (cookiecutter-django's `READ_DOT_ENV_FILE`);
    /// a test that the env file exists holds once `--fix` writes it; `else`, `try` and module level always run.
    @Test func conditionalLoadsAreTold() {
        let head = "import environ, os\nenv = environ.Env()\nREAD_DOT_ENV_FILE = env.bool('DJANGO_READ_DOT_ENV_FILE', default=False)\n"
        #expect(loads(head + "if READ_DOT_ENV_FILE:\n    env.read_env('.env')\n").map(\.condition) == ["READ_DOT_ENV_FILE"])
        #expect(loads(head + "if os.path.exists('.env'):\n    env.read_env('.env')\n").map(\.runsByDefault) == [true])
        #expect(loads(head + "if find_dotenv():\n    load_dotenv(find_dotenv())\n").map(\.runsByDefault) == [true])
        #expect(loads(head + "if os.environ.get('DOCKER'):\n    pass\nelse:\n    env.read_env('.env')\n").map(\.runsByDefault) == [true])
        #expect(loads(head + "try:\n    env.read_env('.env')\nexcept OSError:\n    pass\n").map(\.runsByDefault) == [true])
        #expect(loads(head + "with open('x'):\n    if READ_DOT_ENV_FILE:\n        env.read_env('.env')\n").map(\.condition) == ["READ_DOT_ENV_FILE"])
    }

    @Test func aHelperThatReadsAFileIntoTheEnvironmentIsALoader() {
        let helper = """
            import os
            BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            def load_env(path=os.path.join(BASE_DIR, ".env")):
                for line in open(path):
                    key, value = line.strip().split("=", 1)
                    os.environ[key] = value
            def unrelated(path):
                return open(path).read()
            load_env()
            unrelated("x")

            """
        let found = loads(helper)
        #expect(found.count == 1 && found[0].library == .localHelper && found[0].envFile == "/project/.env")
    }
}

/// Whether the project's Python has the loader's package: a virtual environment is read, not started,
/// so an editor save that adds `load_dotenv` does not wait for a Python start-up.
struct LoaderInstalledTests {
    @Test func aVirtualEnvironmentAnswersFromItsSitePackages() throws {
        let project = try TemporaryProject([
            "with/pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = false\n",
            "with/lib/python3.11/site-packages/python_dotenv-1.2.2.dist-info/METADATA": "Name: python-dotenv\n",
            "without/pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = false\n",
            "without/lib/python3.11/site-packages/django_dotenv-1.4.2.dist-info/METADATA": "Name: django-dotenv\n",
            "shared/pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = true\n",
            "shared/lib/python3.11/site-packages/.keep": "",
        ])
        let probe = LoaderLibrary.pythonDotenv.importProbe!
        func answer(_ folder: String, asking: Bool = false) -> Bool? {
            FixSession.canImport(.pythonDotenv, probe: probe, python: project.root + "/" + folder + "/bin/python", askingPython: asking)
        }
        #expect(answer("with") == true)
        // django-dotenv's module is also called dotenv: the installed distribution tells them apart
        // (unless PYTHONPATH names folders that may hold python-dotenv too).
        #expect(answer("without") == (getenv("PYTHONPATH") == nil ? false : nil))
        #expect(FixSession.canImport(.djangoDotenv, probe: LoaderLibrary.djangoDotenv.importProbe!,
                                     python: project.root + "/without/bin/python", askingPython: false) == true)
        // Packages of the system Python are seen too: only the interpreter knows, and it is not asked on the editor path.
        #expect(answer("shared") == nil)
        #expect(FixSession.canImport(.pythonDotenv, probe: probe, python: "python3", askingPython: false) == nil)
    }
}
