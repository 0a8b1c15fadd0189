import FixProperties
import PythonSyntax
@testable import SecretsLint
import Testing

/// Which statements the selection leaves out (issue #20), on snippets shaped like big real settings modules:
/// statements that bind nothing and whole `if`/`try`/`with` statements, unless a kept statement reads a name
/// they bind or they call a helper that may load or read the environment. Each snippet also analyses and
/// fixes alike on both paths (`FixProperties`).
struct StatementSelectionTests {
    /// The lines (1-based) of code `StatementSelection` leaves out; nil when it parses the whole file.
    static func leftOutLines(_ code: String) -> [Int]? {
        let bytes = Array(code.utf8)
        guard let ranges = StatementSelection.keptRanges(of: SourceText(bytes: bytes), settings: LintSettings()) else { return nil }
        var lines: [Int] = []
        var lineStart = 0, line = 1
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            let text = bytes[lineStart..<index].drop { $0 == 0x20 }
            if !text.isEmpty, text.first != UInt8(ascii: "#"), !ranges.contains(where: { $0.contains(lineStart) }) { lines.append(line) }
            lineStart = index + 1
            line += 1
        }
        return lines
    }

    static func expectAlike(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let properties = try FixProperties()
        #expect(properties.usesStatementSelection(Array(code.utf8)), sourceLocation: sourceLocation)
        let violation = properties.check(Array(code.utf8))
        #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")", sourceLocation: sourceLocation)
    }

    static let pretixShaped = """
        import os
        import sys
        from pathlib import Path

        import environ

        env = environ.Env()
        DATA_DIR = os.environ.get('DATA_DIR', 'data')
        LOG_DIR = os.path.join(DATA_DIR, 'logs')
        Path(DATA_DIR).mkdir(parents=False, exist_ok=True)
        Path(LOG_DIR).mkdir(parents=False, exist_ok=True)
        if HAS_MEMCACHED:
            REAL_CACHE_USED = True
            CACHE_TIMEOUT = 300
        if METRICS_ENABLED:
            MIDDLEWARE.insert(0, 'metrics.middleware')
            pass
        elif PROFILING_RATE > 0:
            print('profiling', file=sys.stderr)
        else:
            raise RuntimeError('unsupported')
        if HAS_DB:
            FALLBACK = 'django-insecure-wwwwwwwwwwwwwwwwwwwwwwww'
        else:
            FALLBACK = 'django-insecure-vvvvvvvvvvvvvvvvvvvvvvvv'
        with open(DATA_DIR + '/motd') as handle:
            MOTD = handle.read()
        try:
            import django_extensions
        except ImportError:
            pass
        for name in PLUGINS:
            INSTALLED_APPS.append(name)
        SECRET_KEY = env('SECRET_KEY', default=FALLBACK)

        """

    @Test func plainStatementsAndBlocksThatBindNothingReadAreLeftOut() throws {
        // The mkdir calls, the memcached, metrics and motd blocks and the plugin loop go; so does the `HAS_DB`
        // block, although the key's read names the fallback it binds: its value reads nothing (no rule follows a
        // name to its value, `StaticValue`). `try` holds an import: it stays.
        #expect(Self.leftOutLines(Self.pretixShaped) == [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 32, 33])
        try Self.expectAlike(Self.pretixShaped)
        // A fallback read from the environment keeps the block.
        let readFallback = Self.pretixShaped.replacing("FALLBACK = 'django-insecure", with: "FALLBACK = os.environ.get('OLD') or 'django-insecure")
        #expect(Self.leftOutLines(readFallback) == [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 26, 27, 32, 33])
        try Self.expectAlike(readFallback)
    }

    @Test func aBlockStaysWhenAKeptStatementReadsWhatItBinds() throws {
        let code = """
            import os
            import environ
            reader = environ.Env()
            if HAS_DB:
                HOST = reader('DB_HOST')
            else:
                HOST = 'localhost'
            with open(PATH) as credentials:
                handle = reader
            if READY:
                if NESTED:
                    USER = handle('DB_USER')
                pass
            DATABASES = {'default': {'PASSWORD': HOST, 'USER': USER, 'OPTIONS': credentials}}
            Path(DATA_DIR).mkdir()

            """
        // `HOST` may be read through the reader; `USER` two blocks down through `handle`, which the `with` binds to
        // it: both blocks are kept, split (a value read from the environment makes a branch on it an opt-in).
        #expect(Self.leftOutLines(code) == [15])
        try Self.expectAlike(code)
        // Bound to values that read nothing, the names a kept statement mentions keep nothing: the rules read no
        // name's value (`StaticValue` follows none).
        let unread = code.replacing("reader('DB_HOST')", with: "'db.internal'").replacing("handle = reader", with: "handle = opener")
        #expect(Self.leftOutLines(unread) == [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15])
        try Self.expectAlike(unread)
        let notMentioned = code.replacing("{'PASSWORD': HOST, 'USER': USER, 'OPTIONS': credentials}", with: "{'PASSWORD': ''}")
        #expect(Self.leftOutLines(notMentioned) == [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15])
        try Self.expectAlike(notMentioned)
    }

    @Test func whatALoaderLoadsStaysBound() throws {
        // The loader scan follows `load_dotenv(dotfile)` to the file it loads: `dotfile` and what it is built from
        // stay bound, although nothing there reads the environment (found by the trial: a second loader went in
        // before the file's import of `load_dotenv`).
        let code = """
            from pathlib import Path
            BASE_DIR = Path(__file__).resolve().parent.parent
            import os
            from dotenv import load_dotenv
            ROOT = BASE_DIR
            dotfile = os.path.join(ROOT, ".env")
            UNUSED = os.path.join(ROOT, "other")
            if os.path.exists(dotfile):
                load_dotenv(dotfile)
            SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'django-insecure-abcdefghijklmnopqrstuvwxyz0123')
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [7, 11])
        try Self.expectAlike(code)
    }

    @Test func whatALocalLoaderHelperLoadsStaysBound() throws {
        // A module function that reads a file into `os.environ` is a loader wherever it is called (`EnvLoaderScan`),
        // whatever its name: its call's argument leads to the env file it loads, so `ENV_PATH` stays bound although
        // neither the call nor the binding holds a loader's word (left out, the fix put a second loader and a new
        // `.env` beside the project's own `config.env`).
        let code = """
            import os
            from pathlib import Path
            BASE_DIR = Path(__file__).resolve().parent.parent
            ENV_PATH = BASE_DIR / "config.env"
            UNUSED = BASE_DIR / "other"
            def setup(path):
                with open(path) as handle:
                    for line in handle:
                        name, _, value = line.partition("=")
                        os.environ.setdefault(name.strip(), value.strip())
            setup(ENV_PATH)
            SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-q8w9e7r6t5y4u3i2o1p0asdfghjklzxcvbnm")
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [5, 13])
        try Self.expectAlike(code)
    }

    @Test func anItemAssignmentsTargetKeepsNoBinding() throws {
        // `HANDLERS['mail'] = …` names a place: what `HANDLERS` is bound to matters to no rule, although its value
        // reads the environment. Its value's mention does keep the binding (a value read from the environment
        // makes a name environment-derived).
        let code = """
            import os
            DATA_DIR = os.environ.get('DATA_DIR', 'data')
            HANDLERS = {'file': {'level': os.environ.get('LOG_LEVEL', 'INFO')}}
            HANDLERS['mail'] = {'password': os.environ.get('MAIL_PASSWORD', '')}
            HANDLERS['file'].update(filename='x')
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [3, 5, 6])
        try Self.expectAlike(code)
        let inValue = code.replacing("{'password': os.environ.get('MAIL_PASSWORD', '')}", with: "{'password': HANDLERS['file']}")
        #expect(Self.leftOutLines(inValue) == [5, 6])
        try Self.expectAlike(inValue)
        // An expression statement is asked whether it reads through a reader, not whether a name was read: a
        // display binds no reader.
        let called = code.replacing("update(filename='x')", with: "update(password='')")
        #expect(Self.leftOutLines(called) == [3, 6])
        try Self.expectAlike(called)
        let calledBoundByCall = called.replacing("HANDLERS = {'file': {", with: "HANDLERS = dict(file={").replacing("'INFO')}}", with: "'INFO')})")
        #expect(Self.leftOutLines(calledBoundByCall) == [6])
        try Self.expectAlike(calledBoundByCall)
    }

    @Test func aLoaderWordOutsideACallLoadsNothing() throws {
        // `'loaders'` is a template option, not a loader call: the names the statement mentions stay unbound.
        let code = """
            import os
            DEBUG = os.environ.get('DJANGO_DEBUG') == '1'
            template_loaders = ('django.template.loaders.filesystem.Loader',)
            if not DEBUG:
                TEMPLATES[0]['OPTIONS']['loaders'] = (('django.template.loaders.cached.Loader', template_loaders),)
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [3, 6])
        try Self.expectAlike(code)
    }

    @Test func aKeywordsNameACommentsURLAndAFunctionPassedAsAValueKeepNothing() throws {
        // `environment=` names a parameter, a URL in a comment is no value, and a helper matters where it is
        // called (`traces_sampler=sampler` passes it): the call goes.
        let code = """
            import os
            DATA_DIR = os.environ.get('DATA_DIR', 'data')
            def sampler(context):
                return float(os.environ.get('RATE', '0.1'))
            sentry_sdk.init(
                dsn=DSN,
                environment=REGION,  # see https://docs.sentry.io/
                traces_sampler=sampler,
            )
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [5, 6, 7, 8, 9, 10])
        try Self.expectAlike(code)
        for kept in [
            code.replacing("traces_sampler=sampler,", with: "traces_sampler=sampler(None),"),
            code.replacing("environment=REGION,", with: "region=environment,"),
            code.replacing("dsn=DSN,", with: "dsn='https://key@sentry.io/1',"),
        ] {
            #expect(Self.leftOutLines(kept) == [10])
            try Self.expectAlike(kept)
        }
    }

    @Test func withAStarImportACalleeStaysBound() throws {
        // `callsThroughImportedNames`: a callee bound here is not one the star import may bind.
        let code = """
            from .base import *
            import os
            compute = make_computer()
            other = make_other()
            DATABASES = {'default': {'PASSWORD': compute('x'), 'USER': other}}
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [4, 6])
        try Self.expectAlike(code)
        // Only an assignment's value is asked for its callees: an expression statement's call is not.
        let called = code.replacing("'USER': other}}", with: "'USER': ''}}\nother.insert(0, 'x')\nif DEBUG:\n    other.append(SECRET_KEY)")
        #expect(Self.leftOutLines(called) == [4, 6, 9])
        try Self.expectAlike(called)
    }

    @Test func aBlockStaysWhenAKeptConditionReadsWhatItBinds() throws {
        // `IS_PROD` reads the environment: the branch it guards is an explicit opt-in, where DEBUG = True is no finding.
        let code = """
            import os
            FIRST = os.environ.get('FIRST')
            if HAS_DB:
                IS_PROD = os.environ.get('PROD')
            for IS_PROD in CANDIDATES:
                pass
            for entry in PLUGINS:
                if entry in EXCLUDED:
                    continue
                INSTALLED_APPS.append(entry)
            if IS_PROD:
                DEBUG = True
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [7, 8, 9, 10, 13])
        try Self.expectAlike(code)
        #expect(analyze(code).findings.isEmpty)
        #expect(!analyze(code.replacing("os.environ.get('PROD')", with: "1")).findings.isEmpty)
    }

    /// A credential or DEBUG word counts where a rule can read it: a name, a dict key, a subscript, a call's
    /// argument, anything in a statement that mentions `env` or `config`; not a comment, a list element or a
    /// dict value (`'level': 'DEBUG'` of `LOGGING`). Conditional expressions are followed by the split.
    @Test func wordsInValuesNoRuleReadsKeepNothing() throws {
        let code = """
            import os
            X = 1
            LOGGING = {
                'version': 1,
                'handlers': {'console': {'level': 'DEBUG' if VERBOSE else 'INFO'}},  # debug output
            }
            HASHERS = ['django.contrib.auth.hashers.PBKDF2PasswordHasher']
            AUTH_CLASSES = ('rest_framework.authentication.TokenAuthentication',)
            OPTIONS = {'PASSWORD': 'db-password-1234'}
            LOOKED_UP = LIMITS['SECRET_KEY']
            CALLED = get_secret('DB_PASSWORD')
            READ = os.environ.get('REGION', 'secret-region')
            LIMITS = {'a': 1}
            WITH_READ = ['token-1234567890abcd', os.environ.get('WITH_READ')]
            LEVEL = 'DEBUG' if VERBOSE else 'INFO'
            PASSWORD_HASHERS = [
                'django.contrib.auth.hashers.PBKDF2PasswordHasher',  # first
            ]
            API_KEYS = ['k-1234567890abcdefghij']
            SECRET_KEY_FALLBACKS = ['old-fallback-key-1234567890']
            EMAIL_HOST_PASSWORD = ['pw-in-a-list-2024'][0]
            TOKEN_LIST = [os.environ.get('TOKEN_LIST')]
            FILTERS = {'require_debug_false': {'()': 'django.utils.log.RequireDebugFalse'}}
            TEMPLATE_OPTIONS = {'debug': DEBUG}
            DEBUG_OPTIONS = {'debug': True}
            READ_OPTIONS = {'debug': os.environ.get('TEMPLATE_DEBUG')}
            APPS = ['weblate.configuration', 'environment.app']  # Configure the environment
            LEVELS = {'level': 'DEBUG', 'db': os.environ.get('LEVEL', 'INFO')}
            TLS = {'sslkey': load('sslkey'), 'ssl_keyfile': CERT_PATH}
            PROVIDER = {'Api_Key': 'k-1234567890abcdefghij', 'cache_KEY': 'k-1234567890abcdefghij'}
            tls_config = {'sslmode': 'require'}
            reader_config = decouple.config

            """
        // `debug` in a dict key names no setting (an entry's path is never DEBUG); as a value it is a name.
        // A lower-case `key` that no credential pattern reads (`sslkey`) keeps nothing; `Api_Key` and `KEY` do.
        // `config` in the name a statement binds reads nothing; in its value it may.
        #expect(Self.leftOutLines(code) == [2, 3, 4, 5, 6, 7, 8, 13, 15, 16, 17, 18, 19, 23, 27, 28, 29, 31])
        try Self.expectAlike(code)
    }

    @Test func wordsTheRulesStartFromKeepABlock() throws {
        let code = """
            import os
            X = 1
            with open(BASE / 'secret.txt') as f:
                SECRET_KEY = f.read().strip()
            if DEBUG:
                INTERNAL_IPS = ['127.0.0.1']
            if os.environ.get('CI'):
                TIMEOUT = 1
            if ENABLED:
                os.environ.setdefault('API_TOKEN', 'token-1234567890abcdef')
            if ENABLED:
                print('https://user:password@example.com')

            """
        #expect(Self.leftOutLines(code) == [2])
        try Self.expectAlike(code)
    }

    @Test func callsOfAHelperThatMayLoadTheEnvironmentStay() throws {
        let code = """
            import os
            X = 1

            def bootstrap(path='/project/.env'):
                with open(path) as handle:
                    os.environ.update(parse(handle.read()))

            bootstrap()
            if ready():
                LOADED = bootstrap()
            if bootstrap():
                pass
            other()
            SECRET_KEY = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123'

            """
        #expect(Self.leftOutLines(code) == [2, 13])
        try Self.expectAlike(code)
        // The fix counts the helper's load: no second loader goes in (one does without the calls).
        func fixed(_ code: String) -> String {
            let fixer = FileFixer(
                settings: LintSettings(), keyPolicy: .automatic, git: nil, trackedPath: "/project/mysite/settings.py", projectDeclaresDotenv: { true })
            var store: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile())
            let plan = fixer.plan(analyze(code), store: &store)
            #expect(plan.changesSource)
            return String(decoding: plan.fixedSource, as: UTF8.self)
        }
        #expect(!fixed(code).contains("load_dotenv"))
        let uncalled = code.replacing("bootstrap()", with: "other()")
        #expect(fixed(uncalled).contains("load_dotenv"))
        #expect(Self.leftOutLines(uncalled) == [2, 8, 9, 10, 11, 12, 13])
        try Self.expectAlike(uncalled)
    }

    @Test func whatTheSplitCannotVouchForStays() throws {
        // A slice, a walrus, an f-string, an augmented assignment, a `try` without a handler (a syntax error: the
        // whole file is parsed), a class. An item's assignment binds no name: it goes with its block.
        let code = """
            import os
            if SITE_URL.endswith('/'):
                SITE_URL = SITE_URL[:-1]
            if (n := compute()):
                pass
            if ENABLED:
                print(f'{NAME}')
            if ENABLED:
                COUNT += 1
            if ENABLED:
                CACHES['default'] = {}
            class Settings:
                TIMEOUT = 1
            Path(DATA_DIR).mkdir()

            """
        #expect(Self.leftOutLines(code) == [10, 11, 14])
        try Self.expectAlike(code)
        // A `try` without a handler stays with its block: the statement-level parse sees the error and the
        // whole file is parsed. An unclosed bracket leaves the split unsure: nothing is left out.
        let noHandler = Array("import os\ntry:\n    Path(A).mkdir()\nX = 1\n".utf8)
        #expect(Self.leftOutLines("import os\ntry:\n    Path(A).mkdir()\nX = 1\n") == [4])
        let properties = try FixProperties()
        #expect(!properties.usesStatementSelection(noHandler))
        #expect(properties.check(noHandler) == nil)
        #expect(Self.leftOutLines("import os\nX = 1\nif A:\n    Path(A).mkdir()\nY = (1,\n") == nil)
    }

    @Test func theFirstStatementsStay() throws {
        // After the docstring, where new imports go: the first statement, compound or not; the first Django
        // setting; names the fixes look up.
        let code = """
            \"\"\"Settings.\"\"\"
            if A:
                Path(A).mkdir()
            if B:
                ALLOWED_HOSTS = []
            if C:
                BASE_DIR = Path(__file__).parent
            if D:
                Path(D).mkdir()

            """
        #expect(Self.leftOutLines(code) == [8, 9])
        try Self.expectAlike(code)
    }

    /// After a statement-level analysis, a fix's syntax check parses only the statements the fix touched: an
    /// error anywhere a change reaches is found (the fix is then refused), a clean change passes, and what is
    /// found equals the whole parse's verdict.
    @Test func fixSyntaxCheckParsesTheTouchedStatements() throws {
        let code = Self.pretixShaped + """

            DEBUG_LEVEL = 3
            SITE_NAME = "shop"
            ITEMS = {"a": 1, "b": [2, 3]}
            SECRET_KEY = "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789"

            """
        let source = SourceText(code)
        let parser = try PythonParser()
        let analysis = try Linter(settings: LintSettings()).analyze(path: "settings.py", source: source, parser: parser)
        #expect(analysis.isStatementSelection)
        func signature(_ old: String, _ new: String, occurrence: Int = 0) throws -> (selected: [String]?, whole: [String]) {
            var ranges: [Range<Int>] = []
            var from = code.utf8.startIndex
            while let found = code[from...].range(of: old) {
                ranges.append(code.utf8.distance(from: code.utf8.startIndex, to: found.lowerBound)
                    ..< code.utf8.distance(from: code.utf8.startIndex, to: found.upperBound))
                from = found.upperBound
            }
            let range = ranges[occurrence]
            let change = SourceChange(range: range, replacement: Array(new.utf8))
            var fixed = Array(code.utf8)
            fixed.replaceSubrange(range, with: change.replacement)
            let text = SourceText(bytes: fixed)
            let whole = FileFixer.errorSignature(try parser.parse(text))
            return (FileFixer.errorSignature(of: text, parser: parser, analysis: analysis, changes: [change]), whole)
        }
        // A statement the selection left out, broken: an unclosed bracket, a stray operator.
        for (old, new) in [("{\"a\": 1", "{\"a\": 1,,"), ("SITE_NAME = \"shop\"", "SITE_NAME = \"shop"),
                           ("DEBUG_LEVEL = 3", "DEBUG_LEVEL = 3 +"), ("CACHE_TIMEOUT = 300", "CACHE_TIMEOUT = 300)"),
                           ("3\nSITE_NAME", "3 \\\nSITE_NAME"), ("ITEMS = {", "ITEMS = {{"), ("import sys\n", "import sys\nif True\n")] {
            let result = try signature(old, new)
            #expect(!result.whole.isEmpty, "\(new)")
            #expect(result.selected != [], "\(new)")
        }
        // Clean changes: the fixed text has no error, and the check says so.
        for (old, new) in [("\"django-insecure-abcdefghijklmnopqrstuvwxyz0123456789\"", "os.environ[\"SECRET_KEY\"]"),
                           ("import sys\n", "import sys\nimport json\n"), ("DEBUG_LEVEL = 3", "DEBUG_LEVEL = 3  # noqa: DJS001")] {
            let result = try signature(old, new)
            #expect(result.whole.isEmpty, "\(new)")
            #expect(result.selected == [], "\(new)")
        }
        // Touched statements: a change borders the statements around it, whole.
        let statements = try #require(Array("A = 1\nB = 2\nC = 3\n".utf8).withUnsafeBufferPointer { ModuleStatements.split($0) })
        #expect(FileFixer.statementsTouched(by: [SourceChange(range: 6..<11, replacement: Array("B = 4".utf8))], in: statements) == [0..<12])
        #expect(FileFixer.statementsTouched(by: [SourceChange(range: 13..<14, replacement: Array("9".utf8))], in: statements) == [12..<18])
        #expect(FileFixer.statementsTouched(by: [], in: statements) == [])
    }
}
