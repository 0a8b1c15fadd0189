import FixProperties
import Testing
@testable import SecretsLint
import PythonSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Findings of the fuzz target (`make fuzz`), kept as tests.
struct FuzzFindingTests {
    @Test func variableNamesThatNoEnvReaderAcceptsAreNotStored() {
        let analysis = analyze("import os\nSECRET_KEY = os.environ.get('SECRET KEY', 'django-insecure-x')\nPASSWORD = os.getenv('DB\\x0bPASS', 'hunter2')\n")
        var store: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile())
        let plan = FileFixer(settings: LintSettings(), keyPolicy: .automatic, git: nil, trackedPath: nil).plan(analysis, store: &store)
        #expect(!plan.changesSource)
        #expect(plan.skipped.count == 2)
        #expect(plan.skipped.values.allSatisfy { $0.contains("cannot be stored in .env") })
        #expect(plan.skipped.values.contains { $0.contains("DB?PASS") })
    }

    @Test func aFixBesideASyntaxErrorOnItsLinesIsNotApplied() {
        // Error recovery makes `DEBUG = <error> X = "..."` one chained assignment: the value's text
        // is no syntax error, but its statement's line is.
        let analysis = analyze("import os\nDEBUG = x\"a\"))\nX = \"value\"\n")
        var store: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile())
        let plan = FileFixer(settings: LintSettings(), keyPolicy: .automatic, git: nil, trackedPath: nil).plan(analysis, store: &store)
        #expect(!plan.changesSource)
    }

    @Test func aFixWhoseReaderIsBoundOnAnErrorLineIsNotApplied() {
        // The decouple import has a syntax error: a `config(...)` read written below would rest on a guess.
        let analysis = analyze("from decouple import config,,\nSECRET_KEY = 'django-insecure-x'\nDEBUG = True\n")
        var store: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile())
        let plan = FileFixer(settings: LintSettings(), keyPolicy: .automatic, git: nil, trackedPath: nil).plan(analysis, store: &store)
        #expect(!plan.changesSource)
        #expect(plan.skipped.values.contains { $0.contains("binds its environment reader has a syntax error") })
        #expect(store?.pending.isEmpty == true)
    }

    /// Inputs the fuzzer once broke, kept as regressions.
    @Test func fuzzRegressionsKeepEveryProperty() throws {
        let properties = try FixProperties()
        let folder = "Tests/SecretsLintTests/Fixtures/fuzz-regressions"
        let names = try #require(URLlessFile.files(in: folder))
        #expect(!names.isEmpty)
        for name in names {
            let bytes = try FileSystem.read(URLlessFile.repositoryRoot() + "/" + folder + "/" + name)
            let violation = properties.check(bytes)
            #expect(violation == nil, "\(name): \(violation.map(String.init(describing:)) ?? "")")
        }
    }
}

/// Random mutations of real settings files (a fixed seed, so every run sees the same inputs)
/// through parse → rules → reports → fix planning, with the properties the fuzz target checks.
struct MutationPropertyTests {
    static let seedFiles = [
        "Fixtures/demo-project/bookshop/settings.py",
        "Tests/EndToEnd/projects/environ_site/shop/settings.py",
        "Tests/EndToEnd/projects/decouple_site/blog/settings.py",
    ]

    /// Fragments that break or bend Python: quotes, brackets, line ends, escapes, the words rules key on.
    static let fragments = [
        "'", "\"", "'''", "\"\"\"", "(", ")", "[", "]", "{", "}", ":", ",", "=", "+", "\\", "#", "# noqa",
        "\n", "\r\n", "\t", "    ", "f", "b", "r", " or ", " and ", "os.environ.get(", "os.getenv(", "env(",
        "config(", "SECRET_KEY", "DEBUG", "PASSWORD", "True", "\"django-insecure-", "default=", "é", "\u{FEFF}",
    ]

    static func inputs() -> [[UInt8]] {
        var sources = seedFiles.map { Array(URLlessFile.read(repositoryPath: $0).utf8) }
        for rule in RuleRegistry.descriptions {
            sources += rule.triggeringExamples.map { Array(MarkedExample($0).code.utf8) }
            sources += rule.corrections.map { Array($0.before.utf8) }
        }
        var random = SplitMix64(seed: 0x5EC2E75)
        var inputs: [[UInt8]] = []
        for case_ in 0..<400 {
            var bytes = sources[case_ % sources.count]
            for _ in 0..<(1 + Int(random.next() % 3)) { mutate(&bytes, &random) }
            inputs.append(bytes)
        }
        return inputs
    }

    static func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        func position() -> Int { bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1)) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        switch random.next() % 7 {
        case 0:  // delete a few bytes
            let start = position()
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + Int(random.next() % 8)))
        case 1:  // insert a fragment
            let fragment = fragments[Int(random.next() % UInt64(fragments.count))]
            bytes.insert(contentsOf: Array(fragment.utf8), at: position())
        case 2:  // duplicate a line
            let line = Int(random.next() % UInt64(lines.count))
            lines.insert(lines[line], at: line)
            bytes = Array(lines.joined(separator: [0x0A]))
        case 3:  // delete a line
            lines.remove(at: Int(random.next() % UInt64(lines.count)))
            bytes = Array(lines.joined(separator: [0x0A]))
        case 4:  // swap two lines
            let a = Int(random.next() % UInt64(lines.count)), b = Int(random.next() % UInt64(lines.count))
            lines.swapAt(a, b)
            bytes = Array(lines.joined(separator: [0x0A]))
        case 5:  // change one quote into another
            let quotes: [UInt8] = [0x22, 0x27]
            if let index = bytes.indices.filter({ quotes.contains(bytes[$0]) }).randomElement(using: &random) {
                bytes[index] = bytes[index] == 0x22 ? 0x27 : 0x22
            }
        default:  // flip a byte to another printable one
            if !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(0x20 + random.next() % 0x5F)
            }
        }
    }

    @Test func mutatedSettingsKeepEveryProperty() throws {
        let properties = try FixProperties()
        var checked = 0
        for input in Self.inputs() {
            let violation = properties.check(input)
            #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")\ninput:\n\(String(decoding: input, as: UTF8.self))")
            checked += 1
        }
        #expect(checked == 400)
    }

    @Test func theMutationsAreDeterministic() {
        #expect(Self.inputs() == Self.inputs())
    }
}

/// A small, fast, seedable generator (SplitMix64) for reproducible test inputs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The fix check reparses a fixed file from the original tree and the edits made: that must give the
/// very tree a parse from scratch gives, also around syntax errors, BOMs and CRLF line ends.
struct IncrementalReparseTests {
    @Test func reparsingAfterEditsGivesTheTreeOfAFullParse() throws {
        let parser = try PythonParser()
        var random = SplitMix64(seed: 0xED175)
        let fragments = MutationPropertyTests.fragments.map { Array($0.utf8) } + [Array("os.environ[\"SECRET_KEY\"]".utf8), []]
        var compared = 0
        for original in MutationPropertyTests.inputs().prefix(250) {
            guard !original.contains(0), SourceText(bytes: original).isValidUTF8 else { continue }
            let tree = try parser.parse(SourceText(bytes: original))
            // Up to three non-overlapping changes: replacements, insertions and deletions.
            var cuts = (0..<Int(random.next() % 6)).map { _ in Int(random.next() % UInt64(original.count + 1)) }.sorted()
            if cuts.count % 2 == 1 { cuts.removeLast() }
            var changes: [SourceChange] = []
            for pair in stride(from: 0, to: cuts.count, by: 2) {
                let fragment = fragments[Int(random.next() % UInt64(fragments.count))]
                changes.append(SourceChange(range: cuts[pair]..<cuts[pair + 1], replacement: fragment))
            }
            var edited: [UInt8] = []
            var cursor = 0
            for change in changes {
                edited += original[cursor..<change.range.lowerBound] + change.replacement
                cursor = change.range.upperBound
            }
            edited += original[cursor...]
            guard SourceText(bytes: edited).isValidUTF8 else { continue }
            let incremental = try parser.reparse(SourceText(bytes: edited), changing: tree, by: changes)
            let full = try parser.parse(SourceText(bytes: edited))
            #expect(incremental.root.treeDescription == full.root.treeDescription, "\(String(decoding: edited, as: UTF8.self))")
            #expect(Self.spans(incremental) == Self.spans(full))
            compared += 1
        }
        #expect(compared > 150)
    }

    /// Every node's type and byte range, in order: the description alone does not show positions.
    static func spans(_ tree: SyntaxTree) -> [String] {
        var spans: [String] = []
        tree.root.walk { node in
            spans.append("\(node.type) \(node.startByte)-\(node.endByte) \(node.startRow)")
            return true
        }
        return spans
    }
}

/// The prefilter may let through files that give nothing, never skip one that gives something:
/// checked on the mutated settings files, and on every rule example placed in the contexts the
/// prefilter reasons about (functions, decorators, classes, strings, brackets, other modules).
/// Files with syntax errors are left out: tree-sitter's error recovery can make a statement of
/// bytes that no byte pattern reads as one (`PASSWORD =} "pw"`).
struct PrefilterSoundnessTests {
    static let wrappers: [(String) -> String] = [
        { $0 },
        { "import os\nimport environ\n" + $0 },
        { "def helper():\n    pass\n\n" + $0 },
        { "class Base(Configuration):\n" + indented($0) },
        { "class Tests:\n    def test(self):\n" + indented(indented($0)) },
        { "@override_settings(\n    DEBUG=True,\n)\nclass T:\n    pass\n" + $0 },
        { "TEMPLATE = '''\n" + $0 + "'''\n" },
        { "if os.environ.get('CI'):\n" + indented($0) + "else:\n    pass\n" },
        { "try:\n" + indented($0) + "except ImportError:\n    pass\n" },
        { "x = f'{a[\"k\"]:>{w}}'  # comment (\n" + $0 },
        { $0.replacingNewlines(with: "\r\n") },
        { $0.replacingOccurrences(" = ", with: ": object = ") },
        { $0.replacingOccurrences(" = ", with: " = _default = ") },
    ]

    static func indented(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    @Test func noFileWithFindingsIsSkipped() {
        let prefilter = Prefilter(settings: LintSettings())
        var sources = MutationPropertyTests.inputs().map { String(decoding: $0, as: UTF8.self) }
        for rule in RuleRegistry.descriptions where !rule.isProjectLevel {
            for example in rule.triggeringExamples.map(MarkedExample.init) {
                sources += Self.wrappers.map { $0(example.code) }
            }
        }
        var withFindings = 0
        for source in sources {
            guard !analyze(source).tree.root.hasError else { continue }
            for path in ["mysite/settings.py", "app/module.py", "tests/test_views.py", "project/conf/prod.py"] {
                guard !lint(source, path: path).isEmpty else { continue }
                withFindings += 1
                #expect(prefilter.mayHaveFindings(Array(source.utf8), path: path), "\(path):\n\(source)")
            }
        }
        #expect(withFindings > 500)
    }
}

/// The read forms that need more than the file's own imports: helpers of the same file, and readers
/// bound in another settings module of the project, imported by name or by a star.
extension PrefilterSoundnessTests {
    static let otherModule = """
        import os

        import environ
        from decouple import config

        env = environ.Env()


        def get_bool_from_env(name, default):
            return os.environ.get(name, str(default)).lower() == "true"


        def get_env(name, default=None):
            if name in os.environ:
                return os.environ[name]
            return default

        """

    static let importedReads = [
        "SECRET_KEY = env(\"SECRET_KEY\", default=\"dev-only-key\")\n",
        "SECRET_KEY = env.str(\"DJANGO_SECRET_KEY\", \"dev-only-key\")\n",
        "DEBUG = env.bool(\"DEBUG\", default=True)\n",
        "DEBUG = env(\"DJANGO_DEBUG\")\n",
        "DEBUG = get_bool_from_env(\"DEBUG\", True)\n",
        "DEBUG = get_env(\"DEBUG\", \"False\")\n",
        "EMAIL_HOST_PASSWORD = config(\"EMAIL_PASSWORD\", default=\"hunter22\")\n",
        "STRIPE_API_KEY = get_env(\"STRIPE_KEY\", \"sk_test_abc\")\n",
        "DATABASES = {\n    \"default\": {\n        \"PASSWORD\": env(\"DB_PW\", default=\"postgres\"),\n    }\n}\n",
        "CACHES = {\"default\": {\"OPTIONS\": {\"PASSWORD\": get_env(\"REDIS_PW\", \"redis-pw\")}}}\n",
    ]

    static let importLines = [
        "from .base import *\n",
        "from .base import env, config, get_bool_from_env, get_env\n",
        "from mysite.settings.base import *  # noqa: F403\n",
        "from .base import (\n    env,\n    config,\n    get_bool_from_env,\n    get_env,\n)\n",
    ]

    @Test func filesReadingThroughHelpersAndOtherModulesAreNotSkipped() throws {
        let prefilter = Prefilter(settings: LintSettings())
        let project = try TemporaryProject(["mysite/settings/base.py": Self.otherModule])
        let parser = try PythonParser()
        let imports = SettingsImports(parser: parser)
        var sources: [String] = []
        for read in Self.importedReads {
            for importLine in Self.importLines {
                sources += Self.wrappers.map { importLine + $0(read) }
            }
        }
        for code in ["DJS004", "DJS006", "DJS007"] {
            let fixture = URLlessFile.read(repositoryPath: "Tests/SecretsLintTests/Fixtures/rules/\(code)/triggers-helpers.py")
            sources += Self.wrappers.map { $0(fixture) }
        }
        var withFindings = 0
        for source in sources {
            let path = project.root + "/mysite/settings/production.py"
            let analysis = try Linter(settings: LintSettings()).analyze(path: path, source: SourceText(source), parser: parser, imports: imports)
            guard !analysis.tree.root.hasError, !analysis.findings.isEmpty else { continue }
            withFindings += 1
            #expect(prefilter.mayHaveFindings(Array(source.utf8), path: path), "\(analysis.findings.map(\.code)) \(source)")
        }
        #expect(withFindings > 300)
    }
}

private extension String {
    func replacingNewlines(with ending: String) -> String {
        replacingOccurrences("\n", with: ending)
    }

    /// Every occurrence of `target` replaced, without Foundation.
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// Issue #20: the statement-level path (`StatementSelection`, tree-sitter's included ranges) against the
/// whole parse, on generated settings modules of every statement kind, with syntax errors, unterminated
/// strings and brackets mixed in. `FixProperties.check` compares findings, fix edits and `.env` contents.
struct StatementSelectionDifferentialTests {
    /// Statement kinds of big settings modules, the words rules key on among them.
    static let statements: [String] = [
        "# a comment", "", "FEATURE_ENABLED = True", "TIMEOUT = 30", "RATE = 1.5e3", "HEX = 0x1F", "NAME = 'plain'",
        "LIMITS = {'rate': 1, 'burst': 2}", "HOSTS = ['a.example.com', \"b.example.com\"]", "EMPTY = ()",
        "REGION = os.environ.get('REGION', 'eu-west-1')", "REGION2 = os.getenv('REGION2')", "ZONE = os.environ['ZONE']",
        "ENVIRONMENT = os.environ.get('ENVIRONMENT', 'dev')", "BASE = Path(__file__).resolve().parent",
        "MEDIA_ROOT = BASE / 'media'", "TEXT = '''multi\nline = 1\n'''", "JOINED = 'a' 'b' + \"c\"",
        "CALL = dict(a=1, b=[1, 2], c={'x': (1,)})", "NESTED = {'a': {'b': [1, {'c': None}]}}",
        "NEG = -1 if False else 2", "LAMBDA = lambda x: x",
        // Words in values no rule reads (list elements, dict values, comments), beside ones it does (names, dict
        // keys, subscripts, call arguments, anything in a statement with a read), and conditional expressions.
        "LEVEL = 'DEBUG' if FEATURE_ENABLED else 'INFO'", "HASHERS = ['x.PasswordHasher', \"y.SecretHasher\"]",
        "LOG_CONF = {'level': 'DEBUG', 'handlers': ['token_handler'], 'fmt': 'a' if TIMEOUT else 'b'}",
        "PAIR = ('secret', 'key')  # the secret key", "MAPPED = {'PASSWORD': 'pw-in-map-2024' if TIMEOUT else 'other-pw-2024'}",
        "NESTED_LIST = [{'PASSWORD': 'list-dict-pw-2024'}]", "SUBSCRIPTED = LIMITS['SECRET_KEY']", "CALLED = helper('DB_PASSWORD')",
        "SECRET_KEY = 'key-a-1234567890abcdefghij' if TIMEOUT else 'key-b-1234567890abcdefghij'",
        "DEBUG = True if ENVIRONMENT == 'dev' else False", "WITH_ENV = ['secret-default-2024'] + [os.environ.get('WITH_ENV', 'x')]",
        "COMMENTED = 1  # secret token key debug", "TEXTS = {'a': '''the\nsecret'''}",
        "KEYED = {\n    'API_TOKEN':  # the token\n        'tok-keyed-1234567890',\n}", "INSTALLED_APPS = ['rest_framework.authtoken']",
        "PASSWORD_HASHERS = ['x.PBKDF2PasswordHasher']", "API_KEYS = [\n    'k-1234567890abcdefghij',  # one\n]",
        "EMAIL_HOST_PASSWORD = ['pw-in-a-list-2024'][0]", "SECRET_KEY_FALLBACKS = ['old-fallback-key-1234567890']",
        "TOKEN_LIST = [DEFAULT_TOKEN, os.environ.get('TOKEN_LIST', 'tok-default-1234567890')]",
        "COMP = [x for x in range(3)]", "FSTR = f'{NAME}-x'",
        "CONT = 1 + \\\n    2", "SEMI = 1; OTHER = 2", "A = B = 3", "TUPLE = 1, 2", "X: int = 4", "COUNT += 1",
        "import os", "from pathlib import Path", "import environ", "env = environ.Env(DEBUG=(bool, True))",
        "from decouple import config", "SECRET_KEY = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123'",
        "DEBUG = True", "DEBUG = ENVIRONMENT == 'dev'", "DEBUG = os.environ.get('DEBUG', 'True')",
        "EMAIL_HOST_PASSWORD = os.environ.get('EMAIL_HOST_PASSWORD', 'smtp-fallback-pass-2024')",
        "API_TOKEN = 'tok-1234567890abcdef'", "DATABASE_URL = 'postgres://app:hunter2@db/app'",
        "DB_URL = os.environ.get('DB_URL', DEFAULT_DB)", "DEFAULT_DB = 'postgres://app:pw1234@db/app'",
        "INSTANCE_KEY = 'aB3dE5fG7hI9jK1lM3nO5pQ7'", "ALLOWED_HOSTS = ['*']",
        "DATABASES = {'default': {'ENGINE': 'x', 'PASSWORD': 'db-password-1234'}}",
        "if ENVIRONMENT == 'dev':\n    DEBUG = True", "if DEBUG:\n    X = 1\nelse:\n    X = 2",
        "try:\n    from .local import *\nexcept ImportError:\n    pass", "def helper(name):\n    return os.environ[name]",
        "TOKEN_VALUE = helper('TOKEN_VALUE')", "class Dev(Configuration):\n    DEBUG = True",
        "@decorator\ndef f():\n    pass", "SECRET_KEY = config('SECRET_KEY', default='django-insecure-zzzzzzzzzzzzzzzzzzzzzz')",
        "SECRET_KEY = env('SECRET_KEY', default=FALLBACK)", "FALLBACK = 'django-insecure-yyyyyyyyyyyyyyyyyyyyyyyy'",
        "T = x[1:2]", "Q = f(a=1, 2)", "P = not_a_secret", "O = os.environ.copy()",
        "print('hello')", "match = 1", "N = 'é'", "M = \"\"\"doc with SECRET_KEY = 'x' inside\"\"\"",
        "L = 'line'  # noqa: DJS008", "K = {**LIMITS}", "J = (yield)", "I = \"q\\\"uote\"", "H = b'bytes' rb'raw'",
        // CI-only branches (test configuration) and a flag bound to a CI read.
        "IS_CI = 'CI' in os.environ",
        "if os.environ.get('GITHUB_WORKFLOW'):\n    DATABASES = {'default': {'PASSWORD': 'postgres'}}\n    CI_TOKEN = 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'",
        "if IS_CI:\n    SECRET_KEY = 'ci-key'\nelse:\n    EMAIL_HOST_PASSWORD = 'else-pw'",
        // Statements that bind nothing (left out when no rule reads them), blocks binding names a kept
        // statement reads, and a helper that loads an env file, called.
        "Path(DATA_DIR).mkdir(parents=False, exist_ok=True)", "LOGGING['handlers'].update({'console': {'level': 'INFO'}})",
        "MIDDLEWARE.insert(0, 'a.middleware')", "pass", "raise RuntimeError('unsupported')", "print('pretix', file=sys.stderr)",
        "print 'python 2'", "raise ValueError('x') from None", "'a string statement'", "load_dotenv(BASE / '.env')",
        "os.environ.setdefault('DJANGO_SECRET_KEY', 'setdefault-secret-1234')", "sys.exit(1)", "f(lambda: 1)",
        "if HAS_DB:\n    HOST = 'db.internal'\nelse:\n    HOST = 'localhost'",
        "if HAS_DB:\n    IS_PROD = os.environ.get('PROD')", "with open(PATH) as handle:\n    IS_PROD = os.getenv('PROD')",
        "if IS_PROD:\n    DEBUG = True\n    SECRET_KEY = 'prod-key-1234567890abcdef'",
        "if HAS_DB:\n    FALLBACK = 'django-insecure-wwwwwwwwwwwwwwwwwwwwwwww'\nelse:\n    FALLBACK = 'django-insecure-vvvvvvvvvvvvvvvvvvvvvvvv'",
        "try:\n    FALLBACK = compute()\nexcept KeyError:\n    FALLBACK = 'django-insecure-tttttttttttttttttttttttt'",
        "if TIMEOUT:\n    if HAS_DB:\n        pass\n        FALLBACK = 'django-insecure-ssssssssssssssssssssssss'\n        pass\n    pass",
        "DATABASES = {'default': {'PASSWORD': HOST}}", "DATABASES = {'default': {'PASSWORD': VALUE}}",
        "with open(BASE / 'secret.txt') as f:\n    SECRET_KEY = f.read().strip()",
        "with open(BASE / 'value.txt') as f:\n    VALUE = f.read()", "with open(PATH) as handle:\n    handle.read()",
        "try:\n    VALUE = compute()\nexcept KeyError as VALUE:\n    pass",
        "if TIMEOUT > 3:\n    TIMEOUT = 3\n    RATE = 1",
        "if FEATURE_ENABLED:\n    if TIMEOUT:\n        INSTALLED_APPS.append('feature')\n    pass",
        "def bootstrap(path='/project/.env'):\n    with open(path) as handle:\n        os.environ.update(parse(handle.read()))", "bootstrap()",
        "LOADED = bootstrap()", "if bootstrap():\n    pass",
        "for entry in PLUGINS:\n    if entry in EXCLUDED:\n        continue\n    INSTALLED_APPS.append(entry)",
        "for IS_PROD, HOST in PAIRS:\n    pass", "while False:\n    break\nelse:\n    FALLBACK = 'x'",
        // Assignments to items and attributes (bind no name), annotated assignments, unpacking and `...`.
        "LOGGING['handlers']['file'] = {'level': 'DEBUG', 'filters': ['require_debug_false']}",
        "DATABASES['default']['PASSWORD'] = 'item-password-2024'", "DATABASES['default'] = {'PASSWORD': HOST}",
        "CACHES['default']['LOCATION'] = 'redis://:item-pw-1357@cache/0'", "os.environ['DJANGO_SECRET_KEY'] = 'item-env-key-123456'",
        "E['E_WRITTEN'] = 'y'", "app.conf.timezone = TIMEOUT", "LIMITS[KEY_NAME] = 'hunter2-item-pw'", "LIMITS['a'][0] = os.environ.get('A', 'b')",
        "LIMITS['api'] = env('MAPQUEST_KEY', default='Fmjtd7u2abcdefghijklmnop')", "LIMITS['cfg'] = config('CFG_ITEM', default='z')",
        "SECRET_KEY_FALLBACKS[0] = 'old-item-key-1234567890abc'", "LIMITS.rate = HOST", "settings.DEBUG = True", "obj[1].x[2] = FALLBACK",
        "LIMITS['x'] = LIMITS['y'] = 1", "LIMITS[1:2] = [3]", "LIMITS['a'] += 1", "LIMITS[\n    'b'  # ]\n] = 2",
        "LOG_LEVEL: str = 'DEBUG' if TIMEOUT else 'INFO'", "BACKENDS: tuple[str, ...] = ('a', 'b')", "DEBUG: bool = True",
        "API_TOKEN: str = 'annotated-token-1234567890'", "ANNOTATED: int", "SECRET_KEY: str = os.environ.get('SECRET_KEY', 'annot-fallback-key-1234')",
        "HANDLERS = ['mail', *DEFAULT_LOG]", "MERGED = dict(**LIMITS, b=2)", "CALLED2 = f(*ARGS, **KW)", "SPREAD = (*LIMITS,)", "ELLIPSIS = ...", "if TIMEOUT:\n    LOGGING['root'] = {'level': LEVEL}\n    HOST = 'x'",
        "if IS_PROD:\n    LOGGING['x'] = 1\n    DATABASES['default']['PASSWORD'] = HOST",
        // `env` and `config` in strings and comments; words in values beside a read.
        "APPS = ['weblate.configuration', 'x.environment']  # Configure the env", "LEVELS = {'level': 'DEBUG', 'db': os.environ.get('LEVEL', 'INFO')}",
        "SECRETISH = os.environ.get('SECRETISH_A') or 'secret-token-abcdef123456'", "NOTE = {'note': 'secret', 'v': env('NOTE_V')}",
        "FALLBACK_LIST = [os.environ.get('K1'), 'key-1234567890abcdefghij']", "TOKENISH = config('TOKENISH_A') or 'tok-abcdefghij123456'",
        "KEYED_READ = {'API_KEY': os.environ.get('KEYED_READ', 'k-abcdefghijklmnop1234')}", "DEBUGGY = 'DEBUG' if os.getenv('V') else 'INFO'",
        "TLS = {'sslkey': 'k-1234567890abcdefghij', 'api_key': ge('TLS_A', 'k-abcdefghij1234567890'), 'Access_Key': 'ak-1234567890abcdefghij'}",
        "tls_config = {'sslmode': 'require'}", "ENVIRONMENT = 'prod'", "if ENVIRONMENT == 'prod':\n    DEBUG = False\nelse:\n    DEBUG = True",
        "app_config = config", "my_env = environ.Env()", "ENV_COPY2 = dict(os.environ)", "env_name = ENVIRONMENT",
        "mapquest_key = 'Fmjtd7u2abcdefghijklmnop'", "MAPQUEST_KEY_PROD = 'Fmjtd7u2abcdefghijklmnop'", "KEYRING = os.environ.get('keyring_key', 'Fmjtd7u2abcdefghijklmnop')",
    ]

    /// Reads through helpers, reader instances and decouple's `config`, of secret and ordinary variables, with
    /// and without literal defaults, URLs with credentials as defaults, names that conditions read later, and
    /// readers and loaders bound anywhere (after the reads too). Flat modules and server documents mix them in.
    static let readStatements: [String] = [
        "def get_env_str(name, default=None):\n    return os.environ.get(name, default)", "from .helpers import get_env_bool, get_env_credentials",
        "SITE_TITLE = get_env_str('SITE_TITLE', 'Site')", "DATA_DIR = get_env_str(\"DATA_DIR\")", "GITHUB_CREDENTIALS = get_env_credentials('GITHUB')",
        "ENABLE_HTTPS = get_env_bool('ENABLE_HTTPS', False)", "MAIL_PASSWORD = get_env_str('MAIL_PASSWORD', 'mail-fallback-pass-2024')",
        "REDIS_LOCATION = get_env_str('REDIS_LOCATION', 'redis://:redis-pw-4321@cache:6379/0')",
        "REGION3 = env.str('REGION3', default='eu-central-1')", "WORKERS = env.int(\n    'WORKERS',\n    default=4,\n)", "SITE = env('SITE')",
        "HOSTS_LIST = env.list('HOSTS_LIST', default=['a'])", "BROKER_URL = env.str('BROKER_URL', default='amqp://app:pw-5678@rabbit//')",
        "EMAIL_PASSWORD = env('EMAIL_PASSWORD', default='env-mail-pass-2024')", "STRIPE_API_KEY = env.str('STRIPE_API_KEY')",
        "TZ_NAME = config('TZ_NAME', default='UTC')", "LANG_CODE = decouple.config('LANG_CODE')",
        "STRIPE_SECRET = config('STRIPE_SECRET', default='sk_live_abcdefghijklmnop1234')",
        "CACHE_LOCATION = config('CACHE_LOCATION', default='redis://:cfg-pw-9876@cache/1')",
        "DEBUG = config('DEBUG', default=True, cast=bool)", "SHOW_TOOLBAR = env.bool('DJANGO_DEBUG', default=True)",
        "IS_STAGING = env.bool('IS_STAGING', default=False)", "if IS_STAGING:\n    EMAIL_HOST_PASSWORD = 'staging-pw-1234'",
        "USE_CI = config('CI', default=False, cast=bool)", "if USE_CI:\n    SECRET_KEY = 'ci-only-key'",
        "DEFAULT_SITE = 'postgres://site:site-pw-2468@db/site'", "SITE_DB = env.db_url('SITE_DB', default=DEFAULT_SITE)",
        "env = environ.Env()", "reader = environ.Env()", "READER_VALUE = reader('READER_VALUE', default='x')",
        "from decouple import AutoConfig, Config, RepositoryEnv", "cfg = AutoConfig('.')", "VALUE_CFG = cfg('VALUE_CFG', default='y')",
        "cfg2 = Config(RepositoryEnv('.env'))", "ENV_COPY = os.environ.copy()", "copied = os.environ.copy()", "COPIED_VALUE = copied.get('COPIED')",
        "from dotenv import load_dotenv, dotenv_values", "loaded = load_dotenv('.env')", "values = dotenv_values('.env')",
        "def load_env_file(path):\n    with open(path) as handle:\n        for line in handle:\n            key, _, value = line.partition('=')\n"
            + "            os.environ.setdefault(key.strip(), value.strip())",
        "LOADED_FILE = load_env_file('app.cfg')", "LOADED_LOCAL = load_env_file('local.cfg')",
    ]

    /// Names that stand for the environment, reads through them, and a BASE_DIR the loader's path may use.
    static let aliasStatements: [String] = [
        "from os import environ as E", "E = os.environ", "ge = os.getenv", "getenv = os.getenv", "E_REGION = E.get('E_REGION', 'eu')",
        "E_TIMEOUT = int(E['E_TIMEOUT'])", "GE_ZONE = ge('GE_ZONE', 'UTC')", "E_PASSWORD = E.get('E_PASSWORD', 'e-fallback-pass-2024')",
        "GE_PASSWORD = ge('GE_PASSWORD', 'ge-fallback-pass-2024')", "BASE_DIR = Path(__file__).resolve().parent.parent",
        "GETENV_ZONE = getenv('GETENV_ZONE', 'UTC')", "E = {}", "from pathlib import Path", "from os import getenv as fetch",
        "FETCHED = fetch('FETCHED', 'x')", "COPY = os.environ.copy()", "COPY_VALUE = COPY.get('COPY_VALUE', 'y')",
        "dotfile = os.path.join(BASE_DIR, '.env')", "if os.path.exists(dotfile):\n    load_dotenv(dotfile)", "ROOT = BASE_DIR",
        "EA: Mapping[str, str] = os.environ", "EA_REGION = EA.get('EA_REGION', 'eu')", "GA: Callable = os.getenv", "GA_ZONE = GA('GA_ZONE')",
    ]

    /// Every statement kind of flat modules.
    static let flatStatements = statements + readStatements

    /// Statements with syntax errors, unterminated strings and brackets, stray indentation and backslashes.
    static let broken: [String] = [
        "X = 'unterminated", "Y = (1, 2", "Z = [1, 2]]", "W = 1 2", "    INDENTED = 1", "V = ''' open", "U = {1: 2, 3}",
        "S = 'a' \\ ", "R = 1.", "else:\n    pass", "Q = 1 +", "if True:\nP = 1", "O = (1,\n", "N = \\",
        "LIMITS[] = 1", "f(x) = 1", "BAD = [*]", "BAD2 = [**LIMITS]", "BAD3 = {*LIMITS: 1}", "M: = 1", "L[0] = ", "K. = 1",
    ]


    static func module(_ random: inout SplitMix64, statements pool: [String] = flatStatements) -> [UInt8] {
        var lines: [String] = Bool.random(using: &random) ? ["\"\"\"Settings.\"\"\"", "import os"] : ["import os"]
        for _ in 0..<(3 + Int(random.next() % 30)) {
            lines.append(pool[Int(random.next() % UInt64(pool.count))])
        }
        if random.next() % 3 == 0 {
            lines.insert(broken[Int(random.next() % UInt64(broken.count))], at: 1 + Int(random.next() % UInt64(lines.count)))
        }
        var bytes = Array(lines.joined(separator: random.next() % 5 == 0 ? "\r\n" : "\n").utf8)
        if random.next() % 4 != 0 { bytes.append(0x0A) }
        if random.next() % 3 == 0 { MutationPropertyTests.mutate(&bytes, &random) }
        return bytes
    }

    @Test func generatedModulesAnalyseAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        // More cases (and another seed) on demand: DJLINT_SECRETS_DIFFERENTIAL_CASES=20000.
        let cases = getenv("DJLINT_SECRETS_DIFFERENTIAL_CASES").flatMap { Int(String(cString: $0)) } ?? 600
        var random = SplitMix64(seed: cases == 600 ? 0x20_20_20 : UInt64(cases))
        var selected = 0, leftOutPlain = 0, readsLeftOut = 0
        for _ in 0..<cases {
            let input = Self.module(&random)
            if properties.usesStatementSelection(input) {
                selected += 1
                if Self.leavesOutLines(input, startingWith: ["Path(", "MIDDLEWARE.", "LOGGING[", "pass", "raise", "print(", "'a string", "sys.exit"]) {
                    leftOutPlain += 1
                }
                if Self.leavesOutReaderReads(input) { readsLeftOut += 1 }
            }
            let violation = properties.check(input)
            #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")\ninput:\n\(String(decoding: input, as: UTF8.self))")
        }
        // The test is worth something only when the statement-level path is taken often, and leaves out
        // statements binding nothing and reads through helpers, reader instances and `config`.
        #expect(selected > cases * 5 / 12, "statement-level path taken for \(selected) of \(cases) inputs")
        #expect(leftOutPlain > cases / 6, "statements binding nothing left out in \(leftOutPlain) of \(cases) inputs")
        #expect(readsLeftOut > cases / 20, "reads through helpers and readers left out in \(readsLeftOut) of \(cases) inputs")
    }

    /// Reads through names bound to `os.environ` or `os.getenv` (`E.get("A")`, `ge("A")` hold no word the
    /// selection looks for) among the flat statements: the same findings, fix edits and `.env` on both paths.
    @Test func modulesReadingThroughEnvironmentAliasesAnalyseAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        let cases = getenv("DJLINT_SECRETS_DIFFERENTIAL_CASES").flatMap { Int(String(cString: $0)) } ?? 400
        var random = SplitMix64(seed: cases == 400 ? 0xE_A11A5 : UInt64(cases))
        let pool = Self.aliasStatements + Self.aliasStatements + Self.flatStatements
        var selected = 0
        for _ in 0..<cases {
            let input = Self.module(&random, statements: pool)
            if properties.usesStatementSelection(input) { selected += 1 }
            let violation = properties.check(input)
            #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")\ninput:\n\(String(decoding: input, as: UTF8.self))")
        }
        #expect(selected > cases / 3, "statement-level path taken for \(selected) of \(cases) inputs")
    }

    /// Whether the selection leaves out a statement that reads through a helper, a reader instance or `config`.
    static func leavesOutReaderReads(_ input: [UInt8]) -> Bool {
        guard let ranges = StatementSelection.keptRanges(of: SourceText(bytes: input), settings: LintSettings()),
              let split = input.withUnsafeBufferPointer({ ModuleStatements.split($0) }) else { return false }
        return split.contains { statement in
            guard statement.plainTarget != nil, !ranges.contains(where: { $0.contains(statement.range.lowerBound) }) else { return false }
            let text = String(decoding: input[statement.range], as: UTF8.self)
            return ["get_env_", "env.", "env(", "config("].contains { text.contains($0) }
        }
    }

    /// Compound statements whose blocks the split follows (`if`/`elif`/`else`, `try`/`except`/`else`/`finally`,
    /// `with`, `class`) and those it keeps whole (`for`, `while`, `def`), nested, with DEBUG and CI branches.
    static let headers: [[String]] = [
        ["if DEBUG:"], ["if not DEBUG:", "else:"], ["if DEBUG is True:", "elif ENVIRONMENT == 'staging':", "else:"],
        ["if os.environ.get('CI'):"], ["if 'test' in sys.argv:", "else:"], ["if os.environ.get('DJANGO_ENV') == 'production':", "else:"],
        ["if ENVIRONMENT == 'dev':", "elif ENVIRONMENT == 'ci':"], ["if HAS_REDIS and not DEBUG:  # a comment"],
        ["if (\n    FEATURE_ENABLED\n    and TIMEOUT > 3\n):"], ["if TIMEOUT: "],
        ["try:", "except ImportError:"], ["try:", "except (ImportError, KeyError) as error:", "else:", "finally:"],
        ["try:", "finally:"], ["with open(BASE / 'secret.txt') as handle:"], ["with (\n    lock,\n    other as o,\n):"],
        ["class Dev(Configuration):"], ["class Base:"], ["class Prod(Base):"], ["class LocalSettings(BaseSettings):"],
        ["for name in ['a', 'b']:"], ["while False:", "else:"], ["def get_secret(name, default=None):"],
        // Plain headers (a compound statement of plain parts is left out whole), one binding a name.
        ["if config.has_option('geoip', 'path'):"], ["if METRICS_ENABLED:", "elif PROFILING_RATE > 0:", "else:"],
        ["with open(PATH) as VALUE, lock:"], ["try:", "except (ImportError, KeyError):", "except:"],
        ["if bootstrap():"], ["if (VALUE := compute()):"],
    ]

    /// Clauses in orders Python refuses (now and then instead of `headers`).
    static let misorderedHeaders: [[String]] = [["try:"], ["try:", "else:"], ["if A:", "else:", "elif B:"], ["try:", "except:", "except KeyError:"]]

    /// Lines that break a block: stray or inconsistent indentation, tabs, clauses without their statement,
    /// unterminated strings and brackets, a statement after a header on its line.
    static let brokenInBlocks: [String] = [
        "  MISALIGNED = 1", "\tTABBED = 1", "        DEEPER = 2", "else:", "except ImportError:", "X = 'unterminated",
        "Y = (1,", "Z = '''open", "W = 1 2", "if A: B = 1", "V = ]", "@decorator", "elif X:", "U = 1 + \\",
    ]

    /// Broken statements that bind nothing, broken headers and clauses out of order, among statements the
    /// selection may leave out (now and then instead of `brokenInBlocks`).
    static let brokenPlain: [String] = [
        "Path(DATA_DIR).mkdir(", "print('a' 'b' c)", "raise (", "pass pass", "f(a b)", "if A", "with open(P) as:",
        "for in ITEMS:", "while:", "x.", "continue 1", "if A:\n  pass", "print(f'{x')", "raise from X", "for x in:\n    pass",
        "if A:\n    Path(A).mkdir()\n  pass", "with open(P) as f\n    pass", "while A:\n    pass\nelse:\n    pass\nelse:\n    pass",
    ]

    static func block(_ random: inout SplitMix64, indent: String, depth: Int) -> [String] {
        var lines: [String] = []
        for _ in 0..<(1 + Int(random.next() % 6)) {
            switch random.next() % 12 {
            case 0..<7:
                let statement = statements[Int(random.next() % UInt64(statements.count))]
                lines += statement.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }
            case 7..<10 where depth < 3:
                lines += compound(&random, indent: indent, depth: depth + 1)
            case 10:
                lines.append(indent + "# a comment between statements")
            default:
                lines.append("")
            }
        }
        // A block of blank lines and comments only is no block.
        let code = lines.contains { line in
            let text = line.drop { $0 == " " }
            return !text.isEmpty && !text.hasPrefix("#")
        }
        if !code { lines.append(indent + "pass") }
        return lines
    }

    static func compound(_ random: inout SplitMix64, indent: String, depth: Int) -> [String] {
        let clauses = random.next() % 40 == 0
            ? misorderedHeaders[Int(random.next() % UInt64(misorderedHeaders.count))] : headers[Int(random.next() % UInt64(headers.count))]
        var lines: [String] = []
        for (index, clause) in clauses.enumerated() where index == 0 || random.next() % 4 != 0 {
            lines += clause.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }
            lines += block(&random, indent: indent + (random.next() % 6 == 0 ? "  " : "    "), depth: depth)
        }
        return lines
    }

    static func compoundModule(_ random: inout SplitMix64) -> [UInt8] {
        var lines = ["\"\"\"Settings.\"\"\"", "import os", "import sys"]
        for _ in 0..<(2 + Int(random.next() % 8)) {
            if random.next() % 2 == 0 {
                lines += compound(&random, indent: "", depth: 0)
            } else {
                lines += statements[Int(random.next() % UInt64(statements.count))].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
        if random.next() % 3 == 0 {
            // Inside a block when the line before is indented: with its indentation.
            let at = 3 + Int(random.next() % UInt64(lines.count - 2))
            let indent = lines[at - 1].prefix { $0 == " " }
            let pool = random.next() % 4 == 0 ? brokenPlain : brokenInBlocks
            lines.insert(String(indent) + pool[Int(random.next() % UInt64(pool.count))], at: at)
        }
        var bytes = Array(lines.joined(separator: random.next() % 7 == 0 ? "\r\n" : "\n").utf8)
        if random.next() % 4 != 0 { bytes.append(0x0A) }
        if random.next() % 5 == 0 { MutationPropertyTests.mutate(&bytes, &random) }
        return bytes
    }

    @Test func generatedCompoundBlocksAnalyseAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        let cases = getenv("DJLINT_SECRETS_DIFFERENTIAL_CASES").flatMap { Int(String(cString: $0)) } ?? 600
        var random = SplitMix64(seed: cases == 600 ? 0xB10C : UInt64(cases) &+ 1)
        var selected = 0, leftOutInBlocks = 0, leftOutWhole = 0
        for _ in 0..<cases {
            let input = Self.compoundModule(&random)
            if properties.usesStatementSelection(input) {
                selected += 1
                if Self.leavesOutBlockStatements(input) { leftOutInBlocks += 1 }
                if Self.leavesOutLines(input, startingWith: ["if ", "with ", "try:", "else:", "elif ", "except"]) { leftOutWhole += 1 }
            }
            let violation = properties.check(input)
            #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")\ninput:\n\(String(decoding: input, as: UTF8.self))")
        }
        // Worth something only when the statement-level path is taken often, and leaves out lines of blocks.
        #expect(selected > cases / 3, "statement-level path taken for \(selected) of \(cases) inputs")
        #expect(leftOutInBlocks > cases / 6, "statements left out of blocks in \(leftOutInBlocks) of \(cases) inputs")
        #expect(leftOutWhole > cases / 10, "compound statements left out whole in \(leftOutWhole) of \(cases) inputs")
    }

    /// Whether the selection leaves out a line of code that starts with one of `prefixes` after its indentation.
    static func leavesOutLines(_ input: [UInt8], startingWith prefixes: [String]) -> Bool {
        guard let ranges = StatementSelection.keptRanges(of: SourceText(bytes: input), settings: LintSettings()) else { return false }
        var lineStart = 0
        for (index, byte) in input.enumerated() where byte == 0x0A || index == input.count - 1 {
            defer { lineStart = index + 1 }
            guard lineStart < input.count, let first = input[lineStart...index].firstIndex(where: { $0 != 0x20 }),
                  prefixes.contains(where: { input[first...index].starts(with: $0.utf8) }) else { continue }
            if !ranges.contains(where: { $0.contains(lineStart) }) { return true }
        }
        return false
    }

    /// Whether the selection leaves out a line of code that is indented (a statement inside a block).
    static func leavesOutBlockStatements(_ input: [UInt8]) -> Bool {
        guard let ranges = StatementSelection.keptRanges(of: SourceText(bytes: input), settings: LintSettings()) else { return false }
        var lineStart = 0
        for (index, byte) in input.enumerated() where byte == 0x0A || index == input.count - 1 {
            defer { lineStart = index + 1 }
            guard lineStart < input.count, input[lineStart] == 0x20,
                  let first = input[lineStart...index].firstIndex(where: { $0 != 0x20 }),
                  ![UInt8(ascii: "#"), 0x0A, 0x0D].contains(input[first]) else { continue }
            if !ranges.contains(where: { $0.contains(lineStart) }) { return true }
        }
        return false
    }

    /// Shapes of big real settings modules (a translation platform's, a ticket shop's), written here: a
    /// configuration file read in branches, a generated key kept in a data file, optional features behind
    /// `if`, handlers added to LOGGING, a local settings import in `try`, settings classes with branches.
    static let realShapes: [String] = [
        """
        import os
        from pathlib import Path

        from django.utils.crypto import get_random_string

        from .helpers import EnvOrParserConfig, get_env_bool, get_env_list, get_env_str

        BASE_DIR = Path(__file__).resolve().parent.parent
        DATA_DIR = os.environ.get("DATA_DIR", "data")
        if "APP_CONFIG_FILE" in os.environ:
            config_files = [os.environ["APP_CONFIG_FILE"]]
        else:
            config_files = ["/etc/app/app.cfg", "app.cfg"]
        config = EnvOrParserConfig(config_files)

        if config.has_option("django", "secret"):
            SECRET_KEY = config.get("django", "secret")
        else:
            SECRET_FILE = os.path.join(DATA_DIR, ".secret")
            if os.path.exists(SECRET_FILE):
                with open(SECRET_FILE) as handle:
                    SECRET_KEY = handle.read().strip()
            else:
                chars = "abcdefghijklmnopqrstuvwxyz0123456789"
                SECRET_KEY = get_random_string(50, chars)

        DEBUG = get_env_bool("APP_DEBUG", False)
        SITE_URL = get_env_str("APP_SITE_URL", "http://localhost:8000")
        if SITE_URL.endswith("/"):
            SITE_URL = SITE_URL[:-1]
            TRAILING = True
            LABEL = "site"

        HAS_REDIS = bool(get_env_str("APP_REDIS", ""))
        if HAS_REDIS:
            CACHE_TIMEOUT = 300
            CACHE_PREFIX = "app"
            CACHES = {"default": {"BACKEND": "redis", "LOCATION": "redis://:redis-pass-1234@redis:6379/1"}}
            SESSION_ENGINE = "django.contrib.sessions.backends.cache"
            RATE = 10
        else:
            CACHE_TIMEOUT = 60
            CACHE_PREFIX = "local"
            SESSION_ENGINE = "django.contrib.sessions.backends.db"

        LOGGING = {"version": 1, "handlers": {}, "loggers": {}}
        HAVE_SYSLOG = os.path.exists("/dev/log")
        if HAVE_SYSLOG:
            LOGGING["formatters"] = {"syslog": {"format": "app %(message)s"}}
            LOGGING["handlers"]["syslog"] = {"level": "DEBUG", "class": "logging.handlers.SysLogHandler"}
            SYSLOG_FACILITY = 2

        if not DEBUG:
            SESSION_COOKIE_SECURE = True
            CSRF_COOKIE_SECURE = True
            SECURE_HSTS_SECONDS = 31536000
            ALLOWED_HOSTS = get_env_list("APP_ALLOWED_HOSTS")
        else:
            ALLOWED_HOSTS = ["*"]
            INTERNAL_IPS = ["127.0.0.1"]
            EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

        if os.environ.get("CI"):
            TEST_RUNNER = "xmlrunner.extra.djangotestrunner.XMLTestRunner"
            TEST_OUTPUT_DIR = "reports"
            EMAIL_HOST_PASSWORD = "ci-mail-password-2024"
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": os.environ.get("CI_DB_PASSWORD", "ci-db-pass-1234")}}

        try:
            from .local_settings import *  # noqa
        except ImportError:
            LOCAL = False
            EXTRA = []
        else:
            LOCAL = True
        finally:
            LOADED = True

        class Dev:
            NAME = "dev"
            LEVEL = 3
            DEBUG = True
            API_TOKEN = "dev-token-1234567890"
            ITEMS = []

        """,
        """
        import os
        from configurations import Configuration, values


        class Base(Configuration):
            \"\"\"Settings every environment shares.\"\"\"

            NAME = "base"
            TIMEOUT = 30
            HOSTS = ["a.example.com"]
            SECRET_KEY = values.SecretValue()
            LIMITS = {"rate": 1}

            def helper(self):
                return os.environ.get("X")

            LAST = 1


        class Dev(Base):
            DEBUG = True
            NAME = "dev"
            TIMEOUT = 5
            if os.environ.get("DEV_FAST"):
                TIMEOUT = 1
                RATE = 2
                DEBUG = False
            EMAIL_HOST_PASSWORD = "dev-password-99887766"
            COUNT = 3


        class Prod(Base):
            NAME = "prod"
            DEBUG = values.BooleanValue(True)
            with open("/run/secrets/db") as handle:
                DB_NAME = "prod"
                DB_PASSWORD = handle.read()
                DB_PORT = 5432
        """,
        // Reads through a django-environ instance, decouple's `config` and helpers of the file, mostly of
        // ordinary variables: the instance bound after some reads, a flag read in a branch, URL defaults.
        """
        \"\"\"Settings read from the environment.\"\"\"
        import os
        from pathlib import Path

        import environ
        from decouple import config


        def get_env_str(name, default=None, required=False):
            value = os.environ.get(name, default)
            if required and value is None:
                raise ValueError(name)
            return value


        def get_env_bool(name, default=False):
            return os.environ.get(name, str(default)).lower() in ("1", "true", "yes")


        BASE_DIR = Path(__file__).resolve().parent.parent
        SITE_TITLE = get_env_str("SITE_TITLE", "Shop")
        SITE_DOMAIN = get_env_str("SITE_DOMAIN", required=True)
        DATA_DIR = get_env_str("DATA_DIR", "/app/data")
        TIME_ZONE = get_env_str("TIME_ZONE", "UTC")
        ENABLE_HTTPS = get_env_bool("ENABLE_HTTPS")
        LANGUAGE_CODE = config("LANGUAGE_CODE", default="en-us")
        READ_DOT_ENV_FILE = config("READ_DOT_ENV_FILE", default=False, cast=bool)
        env = environ.Env(DJANGO_DEBUG=(bool, False))
        if READ_DOT_ENV_FILE:
            env.read_env(str(BASE_DIR / ".env"))
        DEBUG = env.bool("DJANGO_DEBUG", default=True)
        SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-0123456789abcdefghijklmnopqrstuv")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])
        WORKERS = env.int("WORKERS", default=4)
        USE_S3 = env.bool("USE_S3", default=False)
        if USE_S3:
            BUCKET = env.str("BUCKET", default="media")
            REGION = env.str("REGION", default="eu-west-1")
            ENDPOINT = env.str("ENDPOINT", default="https://s3.example.com")
            LOCATION = config("LOCATION", default="media")
            AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default="aws-secret-0123456789abcdef")
            ACL = "private"
        else:
            MEDIA_ROOT = get_env_str("MEDIA_ROOT", "/app/media")
            MEDIA_URL = "/media/"
        CACHE_URL = env.str("CACHE_URL", default="redis://:cache-pw-1357@cache:6379/1")
        BROKER = config("BROKER", default="amqp://guest@rabbit//")
        EMAIL_HOST = config("EMAIL_HOST", default="localhost")
        EMAIL_PORT = config("EMAIL_PORT", default=25, cast=int)
        EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD", default="mail-pw-24680")
        GITHUB_CREDENTIALS = get_env_str("GITHUB_CREDENTIALS", "")
        SENTRY_ENVIRONMENT = get_env_str("SENTRY_ENVIRONMENT", "production")
        """,
    ]

    @Test func realShapedModulesWithBlocksAnalyseAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        for (index, shape) in Self.realShapes.enumerated() {
            let bytes = Array(shape.utf8)
            #expect(properties.usesStatementSelection(bytes), "shape \(index) takes the statement-level path")
            #expect(Self.leavesOutBlockStatements(bytes), "shape \(index) leaves out statements inside blocks")
            for path in ["mysite/settings.py", "app/module.py", "mysite/settings/dev.py"] {
                let violation = properties.check(bytes, path: path)
                #expect(violation == nil, "shape \(index) as \(path): \(violation.map(String.init(describing:)) ?? "")")
            }
            // Each line removed in turn: headers without blocks, blocks without headers, broken clauses.
            let lines = shape.split(separator: "\n", omittingEmptySubsequences: false)
            for removed in lines.indices where !lines[removed].isEmpty {
                var kept = lines
                kept.remove(at: removed)
                let violation = properties.check(Array(kept.joined(separator: "\n").utf8))
                #expect(violation == nil, "shape \(index) without line \(removed + 1): \(violation.map(String.init(describing:)) ?? "")")
            }
        }
    }

    @Test func fixturesAndProjectsAnalyseAlikeOnBothPaths() throws {
        let properties = try FixProperties()
        var files: [String] = []
        for folder in ["Fixtures", "Tests/EndToEnd/projects", "Tests/SecretsLintTests/Fixtures"] {
            files += URLlessFile.pythonFiles(under: folder)
        }
        #expect(files.count > 10)
        var selected = 0
        for file in files {
            let bytes = Array(URLlessFile.read(repositoryPath: file).utf8)
            for path in ["mysite/settings.py", "app/module.py"] {
                if properties.usesStatementSelection(bytes, path: path) { selected += 1 }
                let violation = properties.check(bytes, path: path)
                #expect(violation == nil, "\(file) as \(path): \(violation.map(String.init(describing:)) ?? "")")
            }
        }
        #expect(selected > 0)
    }

    /// A big module's split is thousands of statements, copied and moved along edits: offsets are held in 32
    /// bits, and a statement takes 40 bytes (64 with `Range<Int>`), its ranges read back as they were set.
    @Test func aStatementIsSmallAndKeepsItsRanges() {
        #expect(MemoryLayout<ModuleStatements.Statement>.stride <= 40)
        var statement = ModuleStatements.Statement(range: 10..<2_000_000_000, plainTarget: nil)
        #expect(statement.range == 10..<2_000_000_000 && statement.plainTarget == nil)
        statement.plainTarget = 12..<15
        #expect(statement.plainTarget == 12..<15)
        statement.plainTarget = 0..<0
        #expect(statement.plainTarget == 0..<0)
    }

    /// The language server moves the split along with each edit: it must be the split of the edited text.
    @Test func aSplitMovedAlongAnEditIsTheSplitOfTheEditedText() {
        var random = SplitMix64(seed: 0xED17)
        let fragments = ["x", "\n", "'", "(", ")", "    ", "X = 1\n", "if A:\n    B = 2\n", "else:\n", "@d\n", "# c\n", "\"\"\"", "\\\n", "",
                         "    C = 3\n", "try:\n    D = 4\n", "except ImportError:\n", "class K:\n"]
        var compared = 0
        for _ in 0..<400 {
            var text = random.next() % 2 == 0 ? Self.module(&random) : Self.compoundModule(&random)
            guard var statements = text.withUnsafeBufferPointer({ ModuleStatements.split($0) }) else { continue }
            for _ in 0..<8 {
                let start = Int(random.next() % UInt64(text.count + 1))
                let end = min(text.count, start + Int(random.next() % 12))
                let replacement = Array(fragments[Int(random.next() % UInt64(fragments.count))].utf8)
                text.replaceSubrange(start..<end, with: replacement)
                let moved = text.withUnsafeBufferPointer {
                    ModuleStatements.split($0, reusing: statements, change: (start..<end, replacement.count))
                }
                let fresh = text.withUnsafeBufferPointer { ModuleStatements.split($0) }
                #expect(moved?.map(\.range) == fresh?.map(\.range), "\(String(decoding: text, as: UTF8.self).debugDescription)")
                #expect(moved?.map(\.plainTarget) == fresh?.map(\.plainTarget))
                #expect(moved?.map(Self.describeParts) == fresh?.map(Self.describeParts))
                compared += 1
                guard let next = fresh else { break }
                statements = next
            }
        }
        #expect(compared > 400)
    }

    /// A fix's check of the fixed text moves the split along all its edits at once.
    @Test func aSplitMovedAlongSeveralChangesIsTheSplitOfTheChangedText() {
        var random = SplitMix64(seed: 0xF1_7E5)
        let fragments = ["x", "\n", "'", "(", "    ", "X = 1\n", "if A:\n    B = 2\n", "else:\n", "# c\n", "from dotenv import load_dotenv\n",
                         "os.environ[\"SECRET_KEY\"]", "load_dotenv(BASE_DIR / \".env\")\n", "    C = 3\n", ""]
        var compared = 0
        for _ in 0..<500 {
            let text = random.next() % 2 == 0 ? Self.module(&random) : Self.compoundModule(&random)
            guard let statements = text.withUnsafeBufferPointer({ ModuleStatements.split($0) }) else { continue }
            // Up to four non-overlapping changes, in the old text's offsets.
            var cuts = (0..<(2 * (1 + Int(random.next() % 4)))).map { _ in Int(random.next() % UInt64(text.count + 1)) }.sorted()
            if cuts.count % 2 == 1 { cuts.removeLast() }
            var changes: [(range: Range<Int>, replacement: [UInt8])] = []
            for pair in stride(from: 0, to: cuts.count, by: 2) {
                let end = min(cuts[pair + 1], cuts[pair] + Int(random.next() % 12))
                changes.append((cuts[pair]..<end, Array(fragments[Int(random.next() % UInt64(fragments.count))].utf8)))
            }
            var changed = text
            for change in changes.reversed() { changed.replaceSubrange(change.range, with: change.replacement) }
            let moved = ModuleStatements.split(changed, reusing: statements, old: text, changes: changes)
            let fresh = changed.withUnsafeBufferPointer { ModuleStatements.split($0) }
            #expect(moved?.map(\.range) == fresh?.map(\.range), "\(String(decoding: changed, as: UTF8.self).debugDescription)")
            #expect(moved?.map(\.plainTarget) == fresh?.map(\.plainTarget))
            #expect(moved?.map(Self.describeParts) == fresh?.map(Self.describeParts))
            if fresh != nil { compared += 1 }
        }
        // The split refuses texts whose clauses follow statements that cannot have any (inserted `else:` lines).
        #expect(compared > 60)
    }

    /// What the split says of a statement besides its range and name.
    static func describeParts(_ statement: ModuleStatements.Statement) -> String {
        "\(statement.depth) \(statement.partCount) \(statement.isStructural) \(statement.isClauseHeader) \(statement.isPlainStatement)"
    }

    @Test func theSplitRefusesWhatItCannotFollow() {
        // A clause after a statement that cannot have one is an error whose recovery depends on what follows.
        for unsure in ["X = 'open\n", "X = (1,\n", "X = 1\n    Y = 2\n", "X = 1\\\n", "X = 1\rY = 2\n", "@decorator\n", "X = ]\n",
                       "X = f'{a}'\nelse:\n    pass\n", "def f():\n    pass\nexcept KeyError:\n    pass\n"] {
            let bytes = Array(unsure.utf8)
            let split = bytes.withUnsafeBufferPointer { ModuleStatements.split($0) }
            #expect(split == nil, "\(unsure.debugDescription)")
        }
        let code = Array("import os\nX = 1\nif X:\n    Y = 2\nelse:\n    Y = 3\n# c\n\n@d\ndef f():\n    pass\nZ = {'a': [1, 2]}\n".utf8)
        let split = code.withUnsafeBufferPointer { ModuleStatements.split($0) }
        let moduleLevel = split?.filter { $0.depth == 0 }
        #expect(moduleLevel?.map(\.range) == [0..<10, 10..<16, 16..<48, 53..<74, 74..<92])
        #expect(moduleLevel?.map { $0.plainTarget != nil } == [false, true, false, false, true])
        // The `if` statement's blocks, statement by statement, after it: headers and each block's first and
        // last statement are structural (never left out), the rest may be.
        #expect(split?[2].partCount == 4)
        #expect(split?[3...6].map(\.range) == [16..<22, 22..<32, 32..<38, 38..<48])
        #expect(split?[3...6].map(\.isStructural) == [true, true, true, true])
        let block = Array("if DEBUG:\n    A = 1\n    # c\n    B = 2\n    try:\n        C = 3\n    except ImportError:\n        pass\n    D = 4\nelse:\n    E = 5\n".utf8)
        let parts = block.withUnsafeBufferPointer { ModuleStatements.split($0) }?.dropFirst()
        #expect(parts?.map { String(decoding: block[$0.range], as: UTF8.self) } == [
            "if DEBUG:\n", "    A = 1\n", "    B = 2\n", "    try:\n        C = 3\n    except ImportError:\n        pass\n",
            "    try:\n", "        C = 3\n", "    except ImportError:\n", "        pass\n", "    D = 4\n", "else:\n", "    E = 5\n",
        ])
        #expect(parts?.map(\.depth) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1])
        #expect(parts?.map(\.partCount) == [0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0])
        #expect(parts?.map(\.isStructural) == [true, true, false, false, true, true, true, true, true, true, true])
        // What the split does not follow stays whole: a tab, a stray indentation, a statement on the header's
        // line, a clause the statement cannot have, an empty block, an `async for` loop.
        for whole in ["if A:\n\tB = 1\n", "if A:\n    B = 1\n      C = 2\n", "if A:\n    B = 1\n  C = 2\n", "if A: B = 1\n",
                      "with A:\n    B = 1\nelse:\n    C = 2\n", "if A:\n# only a comment\nB = 1\n", "async for A in B:\n    C = 1\n",
                      "if A:\n    X = f'{a}'\n    else:\n    Y = 1\n    Z = 2\n",
                      // A line ending in `:` with no block below (found by a 4,000-case differential run).
                      "if A:\n    B = 1\n    DEBUG = TruEOUT:\n    if C:\n        pass\n    D = 2\n"] {
            let bytes = Array(whole.utf8)
            let statements = bytes.withUnsafeBufferPointer { ModuleStatements.split($0) }
            #expect(statements?.first?.partCount ?? 0 == 0, "\(whole.debugDescription)")
        }
    }

    /// Statements that bind nothing and clause headers, validated token by token as plain assignments are.
    @Test func theSplitVouchesForPlainStatementsAndHeaders() {
        func split(_ text: String) -> [ModuleStatements.Statement]? {
            Array(text.utf8).withUnsafeBufferPointer { ModuleStatements.split($0) }
        }
        for plain in ["Path(DATA_DIR).mkdir(parents=False, exist_ok=True)\n", "pass\n", "pass  # nothing", "raise\n",
                      "raise ImproperlyConfigured('x')\n", "raise(KeyError)\n", "continue\n", "break  # c\n", "print('a', file=sys.stderr)\n", "'''doc'''\n",
                      "LOGGING['handlers'].update({'a': 1})\n", "x\n", "f(a)(b)[c]\n", "-1\n", "not a\n", "a == b\n",
                      // Conditional expressions, nested in the other branch, in brackets, as keys and arguments.
                      "x if y else z\n", "x if y else z if w else v\n", "-a if not b else c\n", "f(a if b else c, d=e if f else g)\n",
                      "{a if b else c: d if e else f}\n", "[a if b or c else (d if e else f), g]\n", "x + 1 if y < 2 else 3\n",
                      // Assignments to items and attributes, unpacking in lists and calls, `...`.
                      "x[0] = 1\n", "x.y = 1\n", "x['a'][b].c = f(d)\n", "x [ 'a' ].b = 1\n", "x[\n    'a'  # ]\n] = 2\n",
                      "x.y = z if a else b\n", "...\n", "f(*a)\n", "f(**k)\n", "f(a, *b, c=1, **d)\n", "[*a, b, *c]\n", "f(...)\n"] {
            let statements = split(plain)
            #expect(statements?.count == 1 && statements?[0].isPlainStatement == true && statements?[0].plainTarget == nil, "\(plain.debugDescription)")
        }
        for other in ["print 'a'\n", "print (a)\n", "raise X from Y\n", "x += 1\n", "x[0] += 1\n", "x.y -= 1\n", "a, b = 1, 2\n",
                      "x[0] = y[1] = 2\n", "x[1:2] = 3\n", "x[] = 1\n", "f(x) = 1\n", "f(x).y = 1\n", "x.y: int = 1\n", "x[0] = \n",
                      "(x)[0] = 1\n", "x[0] == 1 = 2\n", "x.if = 1\n", "None[0] = 1\n", "[*]\n", "[**a]\n", "{*a: 1}\n", "(*a)\n",
                      "f(* *a)\n", "f(*)\n", "*a\n", "x = *a\n", "....\n",
                      "f(lambda: 1)\n", "f(f'{x}')\n", "await x\n", "yield x\n", "x: int\n", "del x\n", "global x\n", "assert x\n",
                      "f(x for x in y)\n", "x[1:2]\n", "(y := 1)\n", "pass; x = 1\n", "import os\n", "a, b\n", "pass x\n",
                      "exec('x')\n",
                      // Conditional expressions Python refuses: no `else`, no branch, an `if` in the condition, `else` alone.
                      "x if y\n", "x if y else\n", "x if y if z else w else v\n", "f(a if b)\n", "{a if b: c}\n", "[a if b, c]\n",
                      "x else y\n", "if_ = x if\n", "(a if b)\n", "f(a if b else c if d)\n", "x if else y\n"] {
            #expect(split(other)?.first?.isPlainStatement != true, "\(other.debugDescription)")
        }
        // Headers: plain ones bind at most the names after `as`.
        let text = """
            if A and f(B):
                C = 1
            elif D:
                pass
            else:  # c
                E()
            try:
                F = 1
            except (G, H) as error:
                pass
            finally:
                pass
            with open(P) as f, lock:
                Q = f.read()
            if (x := 1):
                pass
            with (open(P) as f):
                pass
            except_ = 1
            if A: # c
                pass
            try:
                pass
            except* KeyError:
                pass
            class K:
                pass
            if x[1:]:
                pass
            for a, b in ITEMS:
                continue
            else:
                break
            while READY and not DONE:
                pass
            for (a, b) in ITEMS:
                pass
            for a in b, c:
                pass

            """
        let bytes = Array(text.utf8)
        let headers = (split(text) ?? []).filter(\.isClauseHeader)
        #expect(headers.map { String(decoding: bytes[$0.range], as: UTF8.self).split(separator: ":")[0] } == [
            "if A and f(B)", "elif D", "else", "try", "except (G, H) as error", "finally", "with open(P) as f, lock", "if (x ",
            "with (open(P) as f)", "if A", "try", "except* KeyError", "class K", "if x[1", "for a, b in ITEMS", "else",
            "while READY and not DONE", "for (a, b) in ITEMS", "for a in b, c",
        ])
        #expect(headers.map(\.isPlainStatement) == [
            true, true, true, true, true, true, true, false, false, true, true, false, false, false, true, true, true, false, false,
        ])
        // A compound statement is plain whole when its clauses make a valid statement.
        let compounds: [(String, Bool)] = [
            ("try:\n    pass\nexcept KeyError:\n    pass\n", true), ("try:\n    pass\nfinally:\n    pass\n", true),
            ("try:\n    pass\n", false), ("try:\n    pass\nelse:\n    pass\n", false),
            ("try:\n    pass\nexcept:\n    pass\nexcept KeyError:\n    pass\n", false),
            ("try:\n    pass\nfinally:\n    pass\nexcept:\n    pass\n", false),
            ("try:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass\n", true),
            ("if A:\n    pass\nelif B:\n    pass\nelse:\n    pass\n", true), ("if A:\n    pass\nelse:\n    pass\nelif B:\n    pass\n", false),
            ("if A:\n    pass\nelse:\n    pass\nelse:\n    pass\n", false), ("with A:\n    pass\n", true), ("class K:\n    pass\n", false),
            ("for A in B:\n    pass\nelse:\n    pass\n", true), ("while A:\n    break\nelse:\n    pass\nelse:\n    pass\n", false),
        ]
        for (compound, valid) in compounds {
            let statements = split(compound)
            #expect(statements?.first?.partCount ?? 0 > 0 && statements?.first?.isPlainStatement == valid, "\(compound.debugDescription)")
        }
    }
}
