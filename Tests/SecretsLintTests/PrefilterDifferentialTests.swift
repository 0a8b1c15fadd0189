import Testing
import PythonSyntax
@testable import SecretsLint

/// The prefilter tries its patterns only where a match can start (`Candidates`, anchored with `\G`); this
/// holds its decisions to those of a plain reference that runs every pattern over the whole file, as the
/// prefilter did before: on the fixtures, the rule examples in every context the soundness tests use, the
/// mutated settings files, and generated files made of the shapes the candidates are worked out from.
/// The one difference allowed: a file with `ſ` or the Kelvin sign, which PCRE2 matches as `s` and `k`
/// without case, is let through where the reference might not (that costs a parse, never a finding).
struct PrefilterDifferentialTests {
    /// The prefilter's decision procedure with whole-file matching (`allMatches`) and the same lexical pass.
    struct Reference {
        let settings = LintSettings()
        let pattern: [String: BytePattern] = [
            "keyAssignment": try! BytePattern(Prefilter.keyAssignmentPattern),
            "keyInline": try! BytePattern(Prefilter.keyInlinePattern),
            "keyRead": try! BytePattern(Prefilter.keyReadPattern),
            "secretRead": try! BytePattern(Prefilter.secretReadPattern),
            "secretTarget": try! BytePattern(Prefilter.secretTargetPattern),
            "secretEntry": try! BytePattern(Prefilter.secretEntryPattern),
            "secretScheme": try! BytePattern(Prefilter.secretSchemePattern),
            "credentialLiteral": try! BytePattern(Prefilter.credentialLiteralPattern),
            "settingsMarker": try! BytePattern(Prefilter.settingsMarkerPattern),
            "passwordURL": try! BytePattern(Prefilter.passwordURLPattern),
            "generatedKey": try! BytePattern(Prefilter.generatedKeyPattern),
            "settingsImport": try! BytePattern(Prefilter.settingsImportPattern),
        ]

        func mayHaveFindings(_ bytes: [UInt8], path: String, isNamed: Bool = false) -> Bool {
            bytes.withUnsafeBufferPointer { decide($0, bytes, path: path, isNamed: isNamed) }
        }

        private func decide(_ buffer: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], path: String, isNamed: Bool) -> Bool {
            func has(_ word: String) -> Bool { Self.offsets(of: word, in: bytes).count > 0 }
            func outside(_ name: String) -> Bool {
                guard let matches = pattern[name]!.allMatches(in: buffer), matches.count < 1000 else { return true }
                return TopLevelCode.containsAny(of: matches.map(\.lowerBound), in: buffer, placement: .outsideFunctions)
            }
            func assigns(_ name: String) -> Bool {
                guard let matches = pattern[name]!.allMatches(in: buffer), matches.count < 1000 else { return true }
                return TopLevelCode.containsAny(of: matches.map { $0.upperBound - 1 }, in: buffer, placement: .statement)
            }
            let isSettingsPath = settings.isSettingsModule(path: path)
            let mentionsKey = has("DEBUG") || has("SECRET_KEY")
            let environName = Self.offsets(of: "environ", in: bytes).contains {
                $0 + 7 == bytes.count || !TopLevelCode.isIdentifierByte(bytes[$0 + 7])
            }
            let canRead = has("getenv") || has("decouple") || environName
                || (isSettingsPath && (has("from .") || has("import *") || pattern["settingsImport"]!.mayMatch(in: buffer)))
            if mentionsKey {
                if assigns("keyAssignment") || pattern["keyInline"]!.mayMatch(in: buffer) || (canRead && outside("keyRead")) { return true }
            }
            if canRead && (outside("secretRead") || outside("secretEntry") || outside("secretScheme") || assigns("secretTarget")
                || outside("generatedKey")) {
                return true
            }
            let hasURL = has("://")
            let readsURLs = canRead || has("dj_database_url") || has("URLValue")
            if readsURLs && hasURL && outside("passwordURL") { return true }
            if has("from configurations import") || has("import configurations") { return true }
            var lines: [Int] = []
            _ = Prefilter.settingsMarkerLines.contains(in: buffer) { start in
                if pattern["settingsMarker"]!.mayMatch(in: buffer, at: start) { lines.append(start) }
                return lines.count >= 1000
            }
            let marked = lines.count >= 1000 || TopLevelCode.containsAny(of: lines, in: buffer, placement: .statement)
            guard isSettingsPath || isNamed || marked else { return false }
            return outside("credentialLiteral") || (!readsURLs && hasURL && outside("passwordURL"))
                || (!canRead && outside("generatedKey"))
        }

        static func offsets(of word: String, in bytes: [UInt8]) -> [Int] {
            let needle = Array(word.utf8)
            guard bytes.count >= needle.count else { return [] }
            return (0...(bytes.count - needle.count)).filter { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
        }
    }

    static let paths = ["mysite/settings.py", "app/module.py", "tests/test_views.py", "project/conf/prod.py"]

    /// Pieces of the shapes each candidate start is worked out from: strings opened by `(`, `=` or `[` with
    /// white space, new lines and prefixes between, words in both letter cases and inside other names, keys
    /// after `;`, django-environ schemes, URLs with passwords, settings markers, and the bytes that fold.
    static let pieces = [
        "SECRET_KEY = 'django-insecure-abcdefghijklmnopqrstuvwxyz'", "DEBUG = True", "DEBUG=(bool, False)", "x = 1; DEBUG = 1",
        "x = 1;\tSECRET_KEY='k'", "A, DEBUG = 1, 2", "(DEBUG, X) = (1, 2)", "settings.DEBUG = True", "if DEBUG == 1:",
        "os.environ.get(", "os.environ[", "env(", "config(", "getenv(", " \"SECRET_KEY\"", "'DJANGO_SECRET_KEY')", "[ 'SECRET_KEY']",
        "[\n 'SECRET_KEY']", "(\n    rb'SECRET_KEY_X',", "= u\"SECRET_KEY\"\n", "(\"db_password\", \"pw\")", "( f'API_TOKEN' )",
        "(xb'TOKEN')", "(rbu'TOKEN')", "PASSWORD = \"hunter22\"", "'PASSWORD': 'x',", "Api_Key = 'abc'", "PRIVATEKEY: str = \"-----\"",
        "access_KEY = ACCESS = 'x'", "apikey", "private_", "ACCESS_", "sEcReT", "passwd", "TokenS", "token = get(\"t\")",
        "MAPQUEST_KEY=(str, \"abcdefghijklmnopqrstuv\")", "INSTANCE_KEY = \"abcdefghijklmnopqrstuvwxyz012\"", "KEY", "key=",
        "DATABASE_URL = 'postgres://app:pw@db/app'", "default='redis://:secret@cache:6379'", "://", "dj_database_url.config(",
        "URLValue(", "import environ", "from decouple import config", "from .base import *", "INSTALLED_APPS = []",
        "class Dev(Configuration):", "class Prod(BaseSettings):", "def helper():", "    return 1", "@override_settings(",
        "    DEBUG=True,", ")", "'''", "\"\"\"", "#", "# SECRET_KEY = 'x'", "\\", "\u{17F}ECRET = 'x'", "TO\u{212A}EN = 'x'", "é",
    ]

    static func generated(count: Int) -> [[UInt8]] {
        var random = SplitMix64(seed: 0xD1FF_E2E7)
        var files: [[UInt8]] = []
        let separators = ["\n", "\n", "\n", " ", "\r\n", "\n    ", "\n\t", "", "\n\n"]
        for _ in 0..<count {
            var text = ""
            for _ in 0..<(1 + Int(random.next() % 12)) {
                text += pieces[Int(random.next() % UInt64(pieces.count))]
                text += separators[Int(random.next() % UInt64(separators.count))]
            }
            files.append(Array(text.utf8))
        }
        return files
    }

    static func holdsFoldingBytes(_ bytes: [UInt8]) -> Bool {
        !Reference.offsets(of: "\u{17F}", in: bytes).isEmpty || !Reference.offsets(of: "\u{212A}", in: bytes).isEmpty
    }

    func compare(_ inputs: [[UInt8]], minimumLetThrough: Int) {
        let prefilter = Prefilter(settings: LintSettings())
        let reference = Reference()
        var letThrough = 0
        for bytes in inputs {
            for path in Self.paths {
                let expected = reference.mayHaveFindings(bytes, path: path)
                let decided = prefilter.mayHaveFindings(bytes, path: path)
                if decided { letThrough += 1 }
                #expect(decided == expected || (decided && Self.holdsFoldingBytes(bytes)),
                        "\(path): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
            #expect(prefilter.mayHaveFindings(bytes, path: "app/x.py", isNamed: true) == reference.mayHaveFindings(bytes, path: "app/x.py", isNamed: true)
                    || Self.holdsFoldingBytes(bytes))
        }
        #expect(letThrough >= minimumLetThrough)
    }

    @Test func generatedFilesAreDecidedAsByWholeFileMatching() {
        let inputs = Self.generated(count: 3000)
        compare(inputs, minimumLetThrough: 2000)
        // Both answers are common: the comparison is not all on one side.
        let prefilter = Prefilter(settings: LintSettings())
        #expect(inputs.filter { !prefilter.mayHaveFindings($0, path: "app/module.py") }.count > 300)
    }

    @Test func fixturesExamplesAndMutationsAreDecidedAsByWholeFileMatching() {
        var sources = MutationPropertyTests.inputs()
        for rule in RuleRegistry.descriptions where !rule.isProjectLevel {
            for example in rule.triggeringExamples.map(MarkedExample.init) + rule.nonTriggeringExamples.map(MarkedExample.init) {
                sources += PrefilterSoundnessTests.wrappers.map { Array($0(example.code).utf8) }
            }
        }
        for path in URLlessFile.pythonFiles(under: "Tests/SecretsLintTests/Fixtures") {
            sources.append(Array(URLlessFile.read(repositoryPath: path).utf8))
        }
        compare(sources, minimumLetThrough: 1000)
    }

    /// The candidates alone: every start of the word alternation, in any letter case, and no other.
    @Test func wordCandidatesAreTheStartsOfTheCredentialWords() throws {
        let word = try BytePattern(#"\G(?i:secret|passw|token|api_?key|private_?key|access_?key)"#)
        let scratch = MatchScratch()
        for bytes in Self.generated(count: 500) where !Self.holdsFoldingBytes(bytes) {
            let starts = bytes.withUnsafeBufferPointer { buffer in
                bytes.indices.filter { word.match(in: buffer, at: $0, using: scratch) != .none }
            }
            let candidates = bytes.withUnsafeBufferPointer { Candidates($0) }
            #expect(candidates.words == starts, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }
}
