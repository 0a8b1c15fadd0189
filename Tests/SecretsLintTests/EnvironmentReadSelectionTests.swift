import FixProperties
import PythonSyntax
import Testing
@testable import SecretsLint

/// Issue #20: reads of ordinary variables through helpers, reader instances and decouple's `config` are left
/// out of the statement-level parse as plain `os.environ` reads are; statements that bind a reader, read a
/// secret-shaped variable or hold a URL, a key word or DEBUG are kept.
struct EnvironmentReadSelectionTests {
    /// Whether the statement starting with `line` is among the kept statements of `source`.
    static func isKept(_ line: String, in source: String, importedNames: [String] = []) throws -> Bool {
        let bytes = Array(source.utf8)
        var statements: [ModuleStatements.Statement]?
        let ranges = try #require(StatementSelection.keptRanges(
            of: SourceText(bytes: bytes), settings: LintSettings(), statements: &statements, importedNames: importedNames))
        let start = try #require(source.utf8.firstRange(of: Array(("\n" + line).utf8))).lowerBound
        let offset = source.utf8.distance(from: source.utf8.startIndex, to: start) + 1
        return ranges.contains { $0.contains(offset) }
    }

    static let weblateShaped = """
        import os

        from weblate.utils.environment import get_env_bool, get_env_credentials, get_env_int, get_env_str

        SITE_TITLE = get_env_str("WEBLATE_SITE_TITLE", "Weblate")
        DATA_DIR = get_env_str("WEBLATE_DATA_DIR", "/app/data")
        TIME_ZONE = get_env_str("WEBLATE_TIME_ZONE", "UTC")
        GITHUB_CREDENTIALS = get_env_credentials("GITHUB")
        GITLAB_CREDENTIALS = get_env_credentials("GITLAB")
        ENABLE_AVATARS = get_env_bool("WEBLATE_ENABLE_AVATARS", True)
        ENABLE_HTTPS = get_env_bool("WEBLATE_ENABLE_HTTPS")
        CONN_MAX_AGE = get_env_int("POSTGRES_CONN_MAX_AGE", 0)
        EMAIL_PORT = get_env_int(
            "WEBLATE_EMAIL_PORT",
            25,
        )
        SITE_DOMAIN = get_env_str("WEBLATE_SITE_DOMAIN", required=True)
        EMAIL_HOST_PASSWORD = get_env_str("WEBLATE_EMAIL_HOST_PASSWORD", "")
        SOCIAL_AUTH_GITHUB_KEY = get_env_str("WEBLATE_SOCIAL_AUTH_GITHUB_KEY")
        REDIS_URL = get_env_str("REDIS_URL", "redis://:redis-pw@cache:6379/1")
        SHOW_DEBUG = get_env_bool("WEBLATE_DEBUG", False)
        REQUIRE_LOGIN = get_env_bool("WEBLATE_REQUIRE_LOGIN")
        if REQUIRE_LOGIN:
            LOGIN_REQUIRED_URLS = (r"/(.*)$",)
            DEBUG_PROPAGATE_EXCEPTIONS = False
        LAST = 1

        """

    @Test func weblateShapedHelperReadsOfOrdinaryVariablesAreLeftOut() throws {
        let source = Self.weblateShaped
        // Each callee's first read stays: the first read is one of them, and a loader the fixes add goes before it.
        for line in ["SITE_TITLE = ", "GITHUB_CREDENTIALS = ", "ENABLE_AVATARS = ", "CONN_MAX_AGE = "] {
            #expect(try Self.isKept(line, in: source), "\(line)")
        }
        for line in ["DATA_DIR = ", "TIME_ZONE = ", "GITLAB_CREDENTIALS = ", "ENABLE_HTTPS = ", "EMAIL_PORT = ", "SITE_DOMAIN = "] {
            #expect(try !Self.isKept(line, in: source), "\(line)")
        }
        // Secret-shaped names, a URL default and DEBUG stay.
        for line in ["EMAIL_HOST_PASSWORD = ", "SOCIAL_AUTH_GITHUB_KEY = ", "REDIS_URL = ", "SHOW_DEBUG = "] {
            #expect(try Self.isKept(line, in: source), "\(line)")
        }
        // A name a branch reads stays when it may be read from the environment: through a helper the imported
        // module binds to read (a branch on it is an opt-in), not through a name nothing here says reads.
        #expect(try Self.isKept("REQUIRE_LOGIN = ", in: source, importedNames: ["get_env_bool"]))
        #expect(try !Self.isKept("REQUIRE_LOGIN = ", in: source))
    }

    @Test func readerInstanceAndDecoupleReadsOfOrdinaryVariablesAreLeftOut() throws {
        let source = """
            import environ
            from decouple import config
            import decouple

            FIRST = config("FIRST", default="x")
            FIRST_INSTANCE = env("FIRST_INSTANCE")
            FIRST_BASE = base.env("FIRST_BASE")
            FIRST_DECOUPLE = decouple.config("FIRST_DECOUPLE")
            FIRST_COPY = environ_copy.get("FIRST_COPY")
            REGION = env.str("REGION", default="eu-west-1")
            WORKERS = env.int("WORKERS", default=4)
            SITE = env("SITE")
            HOSTS_LIST = env.list("HOSTS_LIST", default=[])
            BASE_REGION = base.env.str("BASE_REGION")
            TZ_NAME = config("TZ_NAME", default="UTC")
            LANG_CODE = decouple.config('LANG_CODE', cast=str)
            COPIED = environ_copy.get("COPIED")
            env = environ.Env()
            AFTER_BINDING = env.str("AFTER_BINDING")
            SECOND_AFTER_BINDING = env.str("SECOND_AFTER_BINDING")
            from .base import *
            AFTER_STAR = config("AFTER_STAR")
            LAST = 1

            """
        for line in ["REGION = ", "WORKERS = ", "SITE = ", "HOSTS_LIST = ", "BASE_REGION = ", "TZ_NAME = ", "LANG_CODE = ", "COPIED = ",
                     "SECOND_AFTER_BINDING = "] {
            #expect(try !Self.isKept(line, in: source), "\(line)")
        }
        // A reader bound after the reads is bound all the same, and the first read after a binding, or after a
        // star import (which may bind any name), stays: it may be the first that reads.
        for line in ["FIRST = ", "FIRST_INSTANCE = ", "FIRST_BASE = ", "FIRST_DECOUPLE = ", "FIRST_COPY = ", "env = environ.Env()", "AFTER_BINDING = ",
                     "AFTER_STAR = "] {
            #expect(try Self.isKept(line, in: source), "\(line)")
        }
    }

    @Test func statementsThatBindReadersOrReadSecretsAreKept() throws {
        let kept = [
            // Reader instances and mappings: bindings the fixes and the read recognition need.
            "reader = environ.Env(DEBUG=(bool, False))", "factory = Env()", "cfg = AutoConfig(search_path=BASE_DIR)",
            "cfg2 = Config(RepositoryEnv('.env'))", "cfg3 = AutoConfig('/srv/app')", "copied = os.environ.copy()", "mapping = os.environ",
            "config = AutoConfig()", "env = environ.Env()",
            // Loaders, whatever their result is bound to.
            "loaded = load_dotenv('.env')", "values = dotenv_values('.env')", "read = env.read_env('.env')",
            // Secret-shaped variables and settings, URL defaults, DEBUG.
            "MAIL_PASSWORD = config('MAIL_PASSWORD', default='pw')", "STRIPE = env.str('STRIPE_SECRET')",
            "API = get_env_str('API_TOKEN')", "BROKER = env.str('BROKER', default='amqp://u:p@rabbit//')",
            "SHOW = env.bool('DJANGO_DEBUG', default=False)", "SIGNING_KEY = env('SIGNING')",
            // Forms whose variable or use the scan cannot see: a name for the variable, no argument, no bracket
            // right after the callee, a method that is no read, a callee passed on.
            "BYNAME = env(VARIABLE_NAME)", "DATABASE_DEFAULT = env.db()", "SPACED = env ('SPACED')", "CAST = env.smart_cast('x')",
            "GETTER = env.str", "PARTIAL = partial(env.str, 'X')", "DJANGO_ENV = get_env_str('X')",
            "VALUE = get_env_str('DJANGO_ENVIRONMENT')",
        ]
        let filler = (0..<4).map { "PLAIN_\($0) = \($0)" }
        for line in kept {
            let source = "import os\nimport environ\nFIRST_READ = os.environ.get('FIRST_READ')\n" + filler.joined(separator: "\n") + "\n"
                + line + "\n" + filler.map { "OTHER_" + $0 }.joined(separator: "\n") + "\n"
            #expect(try Self.isKept(line, in: source), "\(line)")
            // …and the plain statements around it are left out: the selection was made.
            #expect(try !Self.isKept("PLAIN_2 = ", in: source), "\(line)")
        }
        // A keyword argument named env names a parameter: it reads nothing and binds no reader.
        let keyword = "import os\nimport environ\nFIRST_READ = os.environ.get('FIRST_READ')\nCALLED = run(env='x')\nPLAIN = 1\n"
        #expect(try !Self.isKept("CALLED = ", in: keyword))
    }

    @Test func everyCallOfALoaderTheFileDefinesIsKept() throws {
        let source = """
            import os


            def load_env_file(path):
                with open(path) as handle:
                    for line in handle:
                        key, _, value = line.partition("=")
                        os.environ.setdefault(key.strip(), value.strip())


            def get_env_str(name, default=None):
                return os.environ.get(name, default)


            FIRST = get_env_str("FIRST")
            SECOND = get_env_str("SECOND")
            LOADED = load_env_file("app.cfg")
            PLAIN = 1
            LOADED_AGAIN = load_env_file("local.cfg")
            LAST = 1

            """
        // A reading helper of the file is read like an imported one: its first call stays, the others may go.
        #expect(try Self.isKept("FIRST = ", in: source))
        #expect(try !Self.isKept("SECOND = ", in: source))
        #expect(try !Self.isKept("PLAIN = ", in: source))
        #expect(try Self.isKept("LOADED = ", in: source))
        #expect(try Self.isKept("LOADED_AGAIN = ", in: source))
    }

    @Test func aLoaderNamedLikeAReaderAndHelpersNamedOtherwiseKeepEveryCall() throws {
        let source = """
            import os


            def read_env_values(path):
                for line in open(path):
                    os.environ.setdefault(*line.strip().split("=", 1))


            def fetch(name):
                return os.environ[name]


            FIRST = fetch("FIRST")
            SECOND = fetch("SECOND")
            LOADED = read_env_values("app.cfg")
            PLAIN = 1
            LOADED_AGAIN = read_env_values("local.cfg")
            LAST = 1

            """
        for line in ["FIRST = ", "SECOND = ", "LOADED = ", "LOADED_AGAIN = "] {
            #expect(try Self.isKept(line, in: source), "\(line)")
        }
        #expect(try !Self.isKept("PLAIN = ", in: source))
    }

    /// The same statements on the whole parse and on the statement-level path give the same findings, fix
    /// edits and `.env` contents.
    @Test func weblateShapedModuleAnalysesAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        let bytes = Array(Self.weblateShaped.utf8)
        #expect(properties.usesStatementSelection(bytes))
        #expect(properties.check(bytes) == nil)
        let helper = "def get_env_str(name, default=None, required=False):\n    return os.environ.get(name, default)\n\n"
        // The helpers defined in the file: its calls are reads for the whole parse too.
        let split = try #require(Self.weblateShaped.firstRange(of: "SITE_TITLE = "))
        let withHelper = String(Self.weblateShaped[..<split.lowerBound]) + helper + String(Self.weblateShaped[split.lowerBound...])
        #expect(properties.check(Array(withHelper.utf8)) == nil)
    }
}

/// Reads through a name that stands for the environment: `E = os.environ`, `from os import environ as E`,
/// `getenv = os.getenv`, `ge = os.getenv`. The rules read them as reads (fallbacks, DEBUG defaults), and both
/// paths place a loader the fixes add before the first of them.
struct EnvironmentAliasTests {
    @Test func readsThroughAGetenvAliasAreReads() {
        for alias in ["getenv", "ge"] {
            let findings = lint("""
                import os
                \(alias) = os.getenv
                SECRET_KEY = \(alias)("DJANGO_SECRET_KEY", "django-insecure-abcdefghijklmnopqrstuvwxyz0123")
                EMAIL_HOST_PASSWORD = \(alias)("EMAIL_HOST_PASSWORD", "smtp-fallback-pass-2024")
                DEBUG = \(alias)("DEBUG", "True") == "True"

                """)
            #expect(findings.map(\.code) == ["DJS004", "DJS004", "DJS007"], "\(alias): \(findings.map(\.code))")
        }
    }

    /// The loader goes before the first read through the alias on both paths (before `REGION`, so above
    /// `BASE_DIR` with a path from `__file__`), and the fixed file is planned alike.
    @Test func theFirstReadThroughAnAliasPlacesTheLoaderOnBothPaths() throws {
        let properties = try FixProperties()
        for binding in ["from os import environ as E", "E = os.environ", "ge = os.getenv"] {
            let read = binding.hasPrefix("ge") ? "ge(\"REGION\", \"eu\")" : "E.get(\"REGION\", \"eu\")"
            let source = """
                import os
                \(binding)
                from pathlib import Path
                FEATURE_ENABLED = True
                REGION = \(read)
                TIMEOUT = 30
                BASE_DIR = Path(__file__).resolve().parent.parent
                EMAIL_HOST_PASSWORD = "hunter2-real-password"

                """
            let bytes = Array(source.utf8)
            #expect(properties.usesStatementSelection(bytes))
            let violation = properties.check(bytes)
            #expect(violation == nil, "\(binding): \(violation.map(String.init(describing:)) ?? "")")
        }
    }
}
