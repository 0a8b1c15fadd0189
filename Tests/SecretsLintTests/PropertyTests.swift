import FixProperties
import Testing
@testable import SecretsLint
import PythonSyntax

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
