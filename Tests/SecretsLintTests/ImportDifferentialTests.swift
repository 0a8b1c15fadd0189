import FixProperties
import Testing
@testable import SecretsLint
import PythonSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Issue #20's differential property across project imports: split settings whose `prod.py` or `dev.py`
/// reads, holds secrets and sets DEBUG through names `base.py` binds (`from .base import *`, `from . import
/// base`, `from .base import env`). The importing module is analysed on both paths with the same
/// `SettingsImports`, as the runner does, and `FixProperties.check` compares findings, fix edits and `.env`.
/// Before the selection kept the statements mentioning what `base.py` binds to read (`ImportedEnvironmentNames`),
/// this found the statement-level path leaving out `GE_ZONE = ge("GE_ZONE", "UTC")` (a read through
/// `ge = os.getenv` of `base.py`, the first one: the loader a fix adds went after it) and every call through an
/// imported helper (so `base.py` went unread); a module following its imports was then analysed whole.
struct ImportDifferentialTests {
    /// What `base.py` may define: readers, helpers, names bound to the environment, loaders, derived flags.
    static let baseStatements: [String] = [
        "import environ\nenv = environ.Env(DEBUG=(bool, False))", "from decouple import config",
        "def get_env(name, default=None):\n    return os.environ.get(name, default)",
        "def helper(name, default=None):\n    return os.environ.get(name, default)",
        "def fetch_setting(name):\n    return os.environ[name]",
        "E = os.environ", "ge = os.getenv", "from os import environ as environment",
        "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent",
        "environ.Env.read_env('.env')", "from dotenv import load_dotenv\nload_dotenv()",
        "IS_PROD = os.environ.get('PROD')", "ENVIRONMENT = os.getenv('ENVIRONMENT', 'dev')",
        "DEBUG = False", "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes']",
        "ALLOWED_HOSTS = ['localhost']", "TIMEOUT = 30", "# shared settings",
        "__all__ = ['env', 'config', 'get_env', 'helper', 'E', 'ge', 'DEBUG']",
    ]

    /// Imports that lead to no module of the project (a module not written, a library's): the importing
    /// module is analysed alone, on the statement-level path when it qualifies.
    static let importsLeadingNowhere: [String] = [
        "from .local import *", "from . import missing", "from django.conf.global_settings import *", "from .missing import env, helper",
    ]

    /// How the importing module reaches `base.py`.
    static let importLines: [String] = [
        "from .base import *", "from .base import *  # noqa: F401,F403", "from . import base",
        "from . import base\nfrom .base import *", "from .base import env, config, get_env, helper, E, ge",
        "from mysite.settings.base import *", "from .base import env as reader",
    ]

    /// Reads, secrets and DEBUG through what `base.py` binds, plain or as `base.NAME`, secret variables and
    /// ordinary ones, with and without literal defaults.
    static let importingStatements: [String] = [
        "SECRET_KEY = env('SECRET_KEY', default='django-insecure-0123456789abcdefghij')", "DEBUG = env.bool('DEBUG', default=True)",
        "SITE = env('SITE')", "WORKERS = env.int('WORKERS', default=4)", "REGION = env.str('REGION', default='eu')",
        "EMAIL_HOST_PASSWORD = env('EMAIL_HOST_PASSWORD', default='hunter22-mail')", "CACHE_URL = env.str('CACHE_URL')",
        "TZ_NAME = config('TZ_NAME', default='UTC')", "STRIPE_SECRET = config('STRIPE_SECRET', default='sk_live_abcdefghijklmnop1234')",
        "DEBUG = config('DEBUG', default=True, cast=bool)", "PLAIN = get_env('PLAIN', 'x')", "DATA_DIR = get_env('DATA_DIR')",
        "MAIL_PASSWORD = get_env('MAIL_PASSWORD', 'mail-fallback-pass-2024')", "TOKEN_VALUE = helper('TOKEN_VALUE')",
        "ZONE = helper('ZONE', 'UTC')", "API_TOKEN = helper('API_TOKEN', 'tok-1234567890abcdef')", "ROOT = fetch_setting('ROOT')",
        "E_REGION = E.get('E_REGION', 'eu')", "E_PASSWORD = E.get('E_PASSWORD', 'e-fallback-pass-2024')", "GE_ZONE = ge('GE_ZONE', 'UTC')",
        "E_TIMEOUT = int(E['E_TIMEOUT'])", "ENV_REGION = environment.get('ENV_REGION')", "R_VALUE = reader('R_VALUE', default='r')",
        "READER_KEY = reader('SECRET_KEY', default='django-insecure-readerreaderreader00')",
        "SITE2 = base.env('SITE2')", "DB_PASSWORD = base.env('DB_PASSWORD', default='db-pw-12345678')", "TZ2 = base.config('TZ2', default='UTC')",
        "R2 = base.os.environ.get('R2')", "REGION2 = base.get_env('REGION2', 'eu')", "BASE_PW = base.helper('BASE_PW', 'pw-base-1234567')",
        "Q2 = base.helper('Q2')", "E2 = base.E.get('E2')", "G2 = base.ge('G2', 'x')", "DEBUG = base.env.bool('DEBUG', default=True)",
        "if IS_PROD:\n    DEBUG = True", "if base.IS_PROD:\n    EMAIL_HOST_PASSWORD = 'prod-branch-pw-1234'",
        "if ENVIRONMENT == 'dev':\n    DEBUG = True", "if helper('FEATURE'):\n    FEATURE = True", "if E.get('CI'):\n    SECRET_KEY = 'ci-only-key'",
        "DEBUG = True", "DEBUG = base.DEBUG", "INSTALLED_APPS += ['debug_toolbar']", "MIDDLEWARE = base.INSTALLED_APPS + []",
        "ALLOWED_HOSTS = ['*']", "SECRET_KEY = 'django-insecure-literal-key-0123456789'", "DATABASE_URL = 'postgres://app:hunter2@db/app'",
        "DATABASES = {'default': {'ENGINE': 'x', 'PASSWORD': get_env('DB_PW', 'db-pass-24680')}}",
        "VALUE = helper('VALUE')\nif VALUE:\n    X = 1", "env = environ.Env()", "def helper(name):\n    return 'local'",
        "E = {}", "import os",
    ]

    static func pick(_ pool: [String], _ random: inout SplitMix64) -> String { pool[Int(random.next() % UInt64(pool.count))] }

    /// What `base.py` binds under names that hold no word the selection looks for, so that a read through them
    /// here holds none either: the shapes where the file's first read may be one the word test does not see
    /// (the loader a fix adds must go before it). `from .common import *` binds `ge2` and `E2` (`common.py`).
    static let wordlessBase: [String] = [
        "ge = os.getenv", "E = os.environ", "E = os.environ.copy()", "from os import environ as E", "from os import getenv as ge",
        "def helper(name, default=None):\n    return os.environ.get(name, default)", "from decouple import config as setting",
        "import environ\nreader = environ.Env()", "from environ import Env as Reader\nreader = Reader()", "IS_PROD = os.environ.get('PROD')",
        "from .common import *", "try:\n    from .common import *\nexcept ImportError:\n    pass", "from dotenv import load_dotenv\nload_dotenv()",
        "__all__ = ['ge', 'E', 'helper', 'setting', 'reader', 'IS_PROD']", "TIMEOUT = 30",
    ]

    static let commonModule = "import os\nge2 = os.getenv\nE2 = os.environ\n"

    /// How the importing module reaches those names: star, listed and aliased, as a module, in a block.
    static let wordlessImports: [String] = [
        "from .base import *", "from .base import ge as g, E as mapping, helper as h, setting, reader, IS_PROD", "from . import base",
        "try:\n    from .base import *\nexcept ImportError:\n    pass", "if True:\n    from .base import *", "from mysite.settings.base import *",
        "from .base import *\nfrom . import base", "from .common import ge2 as g2",
    ]

    /// Reads through those names with no word the selection looks for, and uses of a name derived from a read.
    static let wordlessReads: [String] = [
        "ZONE = ge('ZONE', 'UTC')", "G_ZONE = g('G_ZONE', 'UTC')", "REGION = E.get('REGION', 'eu')", "M_REGION = mapping.get('M_REGION')",
        "TIMEOUT = int(E['TIMEOUT'])", "H_VALUE = helper('H_VALUE')", "H2 = h('H2', 'x')", "S_VALUE = setting('S_VALUE', default='s')",
        "R_VALUE = reader('R_VALUE')", "R_INT = reader.int('R_INT', default=1)", "FLAG = IS_PROD", "B_ZONE = base.ge('B_ZONE')",
        "B_REGION = base.E.get('B_REGION')", "B_R = base.reader('B_R')", "C_ZONE = ge2('C_ZONE')", "C_REGION = E2.get('C_REGION')",
        "G2_ZONE = g2('G2_ZONE')", "if ge('FEATURE'):\n    FEATURE = True", "LIMITS = [E.get('A'), 1]", "B_OS = base.os.environ.get('B_OS')",
        "B_CONF = base.setting('B_CONF')",
    ]

    /// Statements no rule reads, between them; imports among them (a loader goes after the imports before the
    /// file's first read, so one between two reads tells them apart).
    static let wordlessFillers: [String] = [
        "TIMEOUT = 30", "LANGUAGE_CODE = 'en-us'", "USE_TZ = True", "STATIC_URL = '/static/'", "WORKERS = 4", "# comment", "",
        "print('loading settings')", "ITEMS = [1, 2, 3]", "if TIMEOUT:\n    WORKERS = 8", "import sys", "import sys", "from pathlib import Path",
    ]

    /// Secrets whose fix moves a value to `.env`, so that a loader is added before the file's first read.
    static let wordlessSecrets: [String] = [
        "SECRET_KEY = 'django-insecure-literal-key-0123456789'", "EMAIL_HOST_PASSWORD = 'hunter22-mail-pass'",
        "DATABASE_URL = 'postgres://app:hunter2@db/app'", "SITE_PASSWORD = os.environ.get('SITE_PASSWORD', 'site-pw-24680')",
    ]

    static func wordlessBaseModule(_ random: inout SplitMix64) -> String {
        var lines = ["\"\"\"Settings every environment shares.\"\"\"", "import os"]
        for _ in 0..<(1 + Int(random.next() % 5)) { lines.append(pick(wordlessBase, &random)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An importing module whose first read may hold no word the selection looks for: fillers, a few reads
    /// through imported names, more fillers, then a secret the fix moves to `.env`.
    static func wordlessImportingModule(_ random: inout SplitMix64) -> [UInt8] {
        var lines: [String] = random.next() % 2 == 0 ? ["\"\"\"Production settings.\"\"\""] : []
        lines.append(pick(wordlessImports, &random))
        for _ in 0..<(Int(random.next() % 4)) { lines.append(pick(wordlessFillers, &random)) }
        for _ in 0..<(1 + Int(random.next() % 3)) {
            lines.append(pick(wordlessReads, &random))
            lines.append(random.next() % 2 == 0 ? "import sys" : pick(wordlessFillers, &random))
        }
        if random.next() % 4 == 0 { lines.append(pick(importingStatements, &random)) }
        lines.append(pick(wordlessSecrets, &random))
        if random.next() % 3 == 0 { lines.append(pick(wordlessFillers, &random)) }
        var bytes = Array(lines.joined(separator: random.next() % 6 == 0 ? "\r\n" : "\n").utf8)
        if random.next() % 4 != 0 { bytes.append(0x0A) }
        return bytes
    }

    static func baseModule(_ random: inout SplitMix64) -> String {
        var lines = ["\"\"\"Settings every environment shares.\"\"\"", "import os"]
        for _ in 0..<(2 + Int(random.next() % 10)) { lines.append(pick(baseStatements, &random)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The importing module: an import of `base.py` near the top, then reads through what it binds mixed
    /// with the flat statement kinds of the other differential tests (fillers the selection leaves out).
    static func importingModule(_ random: inout SplitMix64) -> [UInt8] {
        var lines: [String] = random.next() % 2 == 0 ? ["\"\"\"Production settings.\"\"\""] : []
        lines.append(random.next() % 3 == 0 ? pick(importsLeadingNowhere, &random) : pick(importLines, &random))
        let flat = StatementSelectionDifferentialTests.flatStatements
        for _ in 0..<(3 + Int(random.next() % 25)) {
            lines.append(random.next() % 5 < 3 ? pick(importingStatements, &random) : pick(flat, &random))
        }
        if random.next() % 6 == 0 {
            let broken = StatementSelectionDifferentialTests.broken
            lines.insert(pick(broken, &random), at: 1 + Int(random.next() % UInt64(lines.count)))
        }
        var bytes = Array(lines.joined(separator: random.next() % 6 == 0 ? "\r\n" : "\n").utf8)
        if random.next() % 4 != 0 { bytes.append(0x0A) }
        return bytes
    }

    @Test func splitSettingsAnalyseAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        let parser = try PythonParser()
        let project = try TemporaryProject(["mysite/settings/__init__.py": "", "mysite/__init__.py": ""])
        // More cases (and another seed) on demand: DJLINT_SECRETS_DIFFERENTIAL_CASES=20000.
        let cases = getenv("DJLINT_SECRETS_DIFFERENTIAL_CASES").flatMap { Int(String(cString: $0)) } ?? 300
        var random = SplitMix64(seed: cases == 300 ? 0xB45E_1A90 : UInt64(cases))
        var selected = 0, followed = 0, followedSelected = 0
        let linter = Linter(settings: LintSettings())
        for _ in 0..<cases {
            // Half the cases read first through a name `base.py` binds with no word the selection looks for.
            let wordless = random.next() % 2 == 0
            let base = wordless ? Self.wordlessBaseModule(&random) : Self.baseModule(&random)
            let importing = wordless ? Self.wordlessImportingModule(&random) : Self.importingModule(&random)
            try project.write("mysite/settings/common.py", Self.commonModule)
            let name = random.next() % 3 == 0 ? "dev.py" : "prod.py"
            try project.write("mysite/settings/base.py", base)
            try project.write("mysite/settings/" + name, String(decoding: importing, as: UTF8.self))
            let path = project.root + "/mysite/settings/" + name
            let env: [UInt8] = random.next() % 3 == 0 ? Array("SECRET_KEY=from-env\nSITE=x\n".utf8) : []
            // One lookup per case, shared by both paths as one run shares it among its files.
            let imports = SettingsImports(parser: parser)
            if let analysis = try? linter.analyze(path: path, source: SourceText(bytes: importing), parser: parser, imports: imports) {
                if analysis.isStatementSelection { selected += 1 }
                // What `base.py` binds may make a statement a read without a word the selection looks for
                // (`ge("ZONE")` for `ge = os.getenv` there): the statement-level path keeps those statements.
                if analysis.followsProjectImports {
                    followed += 1
                    if analysis.isStatementSelection { followedSelected += 1 }
                }
            }
            let violation = properties.check(importing, path: path, env: env, imports: imports)
            #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")\nbase.py:\n\(base)\n\(name):\n\(String(decoding: importing, as: UTF8.self))")
        }
        // Worth something only when both kinds are frequent: modules following their imports and modules whose
        // imports lead nowhere, both on the statement-level path (compared with the whole parse).
        #expect(selected > cases / 3, "statement-level path taken for \(selected) of \(cases) inputs")
        #expect(followed > cases / 3, "imports followed for \(followed) of \(cases) inputs")
        #expect(followedSelected > followed / 2, "imports followed on the statement-level path for \(followedSelected) of \(followed)")
    }
}
