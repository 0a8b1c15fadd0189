import Testing
import PythonSyntax
@testable import SecretsLint

struct LiteralSetTests {
    /// Up to eight literals are tested together by their rarest three-byte windows (`byte_scan_nibbles`),
    /// more by two anchor bytes each: both searches, a two-byte literal, and the prefilter's own set.
    static let wordLists: [[String]] = [
        ["DEBUG", "SECRET_KEY", "environ", "getenv", "decouple"],
        ["DEBUG", "SECRET_KEY", "environ", "getenv", "decouple", "dj_database_url", "URLValue", "configurations"],
        ["DEBUG", "SECRET_KEY", "environ", "getenv", "decouple", "dj_database_url", "URLValue", "configurations", "://"],
        ["ab", "KEY", "a_b"],
    ]

    func occurrences(_ text: String, of words: [String]) -> [String] {
        let set = LiteralSet(words)
        let bits = Array(text.utf8).withUnsafeBufferPointer { set.occurrences(in: $0) }
        return words.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { words[$0] }
    }

    @Test(arguments: wordLists) func findsEachLiteralAnywhere(_ words: [String]) {
        // Every offset of buffers of several lengths, so that the blocks, the zero-padded last block and
        // the byte-by-byte tail are all covered.
        for filler in [String(repeating: "x = 1  # plain code\n", count: 6), "x = 1\n", "", String(repeating: "y", count: 33)] {
            for word in words {
                for offset in 0...filler.utf8.count {
                    let text = String(filler.prefix(offset)) + word + String(filler.dropFirst(offset))
                    #expect(occurrences(text, of: words) == words.filter { text.contains($0) }, "\(word) at \(offset)")
                }
            }
        }
    }

    @Test func reportsOnlyWholeLiterals() {
        let words = Self.wordLists[0]
        #expect(occurrences("DEBU G SECRET_KE environ getenv", of: words).sorted() == ["environ", "getenv"])
        #expect(occurrences("", of: words).isEmpty)
        #expect(occurrences("DEBUG", of: words).count == 1)
        #expect(occurrences(String(repeating: "decoupl", count: 50) + "e", of: words).sorted() == ["decouple"])
        #expect(occurrences(String(repeating: "ab", count: 100), of: words).isEmpty)
        // A window of a literal found where the literal is not, also at the very end.
        #expect(occurrences(String(repeating: "onfiguration ", count: 9) + "configuration", of: Self.wordLists[1]).isEmpty)
        #expect(occurrences(String(repeating: "x", count: 40) + "SECRET_KE", of: Self.wordLists[1]).isEmpty)
    }

    @Test(arguments: wordLists) func agreesWithASubstringSearchOnMixedText(_ words: [String]) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(Set(words.joined().utf8) + Array(" \n=".utf8))
        for _ in 0..<400 {
            let bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(occurrences(text, of: words) == words.filter { text.contains($0) }, "\(text)")
        }
    }
}

struct TopLevelCodeTests {
    /// Whether the `=` that follows the marker `$` is in top-level code.
    func isTopLevel(_ marked: String) -> Bool {
        let bytes = Array(marked.utf8)
        let offsets = bytes.indices.filter { bytes[$0] == UInt8(ascii: "$") }.map { $0 + 1 }
        return bytes.withUnsafeBufferPointer { TopLevelCode.containsAny(of: offsets, in: $0) }
    }

    @Test(arguments: [
        "DEBUG $= True\n",
        "class Dev(Configuration):\n    DEBUG $= True\n",
        "if x:\n    DEBUG $= True\n",
        "x = (1,\n     2)\nDEBUG $= True\n",
        "s = 'a#b'  # c ( [ {\nDEBUG $= True\n",
        "s = '''\n(\n'''\nDEBUG $= True\n",
        "s = f\"{x['k']}\"\nDEBUG $= True\n",
        "s = f\"{x[\"k\"]}\"\nDEBUG $= True\n",
        "s = f'{x:>{width}}'\nDEBUG $= True\n",
        "s = f'{{not a field'\nDEBUG $= True\n",
        "s = '\\N{EM DASH}' + f'\\N{EM DASH}'\nDEBUG $= True\n",
        "s = r'\\'' + b\"\\\"\"\nDEBUG $= True\n",
        "x = 1 + \\\n    2\nDEBUG $= True\n",
    ])
    func assignmentsInCodeAreTopLevel(code: String) {
        #expect(isTopLevel(code))
    }

    @Test(arguments: [
        "@override_settings(\n    DEBUG$=True,\n)\ndef test(): pass\n",
        "call(\n    x,\n    SECRET_KEY$='x',\n)\n",
        "TEMPLATE = '''\nDEBUG $= True\n'''\n",
        "TEMPLATE = f\"\"\"\n{name}\nDEBUG $= True\n\"\"\"\n",
        "# DEBUG $= True\n",
        "d = {\n    'a': [\n        DEBUG$=1,\n    ],\n}\n",
        "s = f'{dict(DEBUG$=1)}'\n",
    ])
    func keywordArgumentsStringsAndCommentsAreNot(code: String) {
        #expect(!isTopLevel(code))
    }

    @Test(arguments: [
        "s = 'unterminated\ncall(\n    DEBUG$=True,\n)\n",
        "call(\n    DEBUG$=True,\n",
        "x = )\ncall(\n    DEBUG$=True)\n",
        "s = '''open\ncall(\n    DEBUG$=True)\n",
    ])
    func sourceItCannotFollowCountsAsTopLevel(code: String) {
        #expect(isTopLevel(code))
    }

    /// Whether the offset after the marker `$` counts as outside every function.
    func isOutsideFunctions(_ marked: String) -> Bool {
        let bytes = Array(marked.utf8)
        let offsets = bytes.indices.filter { bytes[$0] == UInt8(ascii: "$") }.map { $0 + 1 }
        return bytes.withUnsafeBufferPointer { TopLevelCode.containsAny(of: offsets, in: $0, placement: .outsideFunctions) }
    }

    @Test(arguments: [
        "def test():\n    DEBUG $= True\n",
        "class T(TestCase):\n    def test(self):\n        if x:\n            SECRET_KEY $= 'x'\n",
        "async def f():\n    DEBUG $= 1\n",
        "def f(): DEBUG $= 1\n",
        "def f():\n    x = (\n1,\n)\n    DEBUG $= 1\n",
        "def f():\n\n# a comment at column 0\n    DEBUG $= 1\n",
        "@decorator\ndef f():\n    DEBUG $= 1\n",
    ])
    func assignmentsInFunctionsAreNotSettings(code: String) {
        #expect(!isTopLevel(code))
        #expect(!isOutsideFunctions(code))
    }

    @Test(arguments: [
        "def f():\n    pass\nDEBUG $= True\n",
        "class Dev(Configuration):\n    def f(self):\n        pass\n    DEBUG $= True\n",
        "if True:\n    def f():\n        pass\n    DEBUG $= True\n",
        "def f():\n    pass\r\nDEBUG $= True\r\n",
        "def f():\n    pass\rDEBUG $= True\r",
        "x = '''\ndef f():\n'''\nDEBUG $= True\n",
        "define = 1\nDEBUG $= True\n",
    ])
    func assignmentsAfterFunctionsAreSettings(code: String) {
        #expect(isTopLevel(code))
        #expect(isOutsideFunctions(code))
    }

    @Test func readsAnywhereOutsideFunctionsCount() {
        #expect(isOutsideFunctions("X = {'a': $os.environ.get('K', 'v')}\n"))
        #expect(isOutsideFunctions("X = f('$PASSWORD')\n"))
        #expect(!isOutsideFunctions("def t():\n    self.login(password=$'pw')\n"))
    }

    @Test func decoratorArgumentsAreNotSettings() {
        #expect(!isOutsideFunctions("@mock.patch.dict(os.environ, {$'DJANGO_PASSWORD': 'pw'})\nclass T:\n    pass\n"))
        #expect(!isOutsideFunctions("class T:\n    @override_settings(\n        SECRET_KEY=$'x',\n    )\n    def test(self):\n        pass\n"))
        #expect(isOutsideFunctions("@decorator\nclass T:\n    pass\nX = {$'PASSWORD': 'pw'}\n"))
    }

    @Test func noOffsetsMeansNo() {
        #expect(!Array("DEBUG = True\n".utf8).withUnsafeBufferPointer { TopLevelCode.containsAny(of: [], in: $0) })
    }
}

struct LineStartSetTests {
    func starts(_ text: String, _ first: String) -> [Int] {
        var found: [Int] = []
        _ = Array(text.utf8).withUnsafeBufferPointer { buffer in
            LineStartSet(firstBytes: first).contains(in: buffer) { found.append($0); return false }
        }
        return found
    }

    @Test func findsLinesByTheirFirstByte() {
        #expect(starts("Abc\nxyz\nAq\n  A\r\nA", "A") == [0, 8, 16])
        #expect(starts("", "A").isEmpty)
        #expect(starts("\n\n\n", "A").isEmpty)
        // Long enough for the sixteen-byte blocks and their tail.
        let long = String(repeating: "x = 1  # a line\n", count: 9) + "DEBUG = True\n" + String(repeating: "y\n", count: 5) + "D"
        #expect(starts(long, "D") == [144, long.utf8.count - 1])
    }

    /// Every length up to a few blocks, so that the 32-byte blocks (AVX2), the 16-byte ones and the byte
    /// loop each meet line starts at every place, also right at a block's edge.
    @Test func agreesWithALineByLineReading() {
        var random = SplitMix64(seed: 0x11AE_57A7)
        let alphabet = Array("ab D\n\n\r\t".utf8)
        for length in 0..<140 {
            for _ in 0..<6 {
                let bytes = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                let text = String(decoding: bytes, as: UTF8.self)
                let expected = bytes.indices.filter { ($0 == 0 || bytes[$0 - 1] == 0x0A) && (bytes[$0] == UInt8(ascii: "a") || bytes[$0] == UInt8(ascii: "D")) }
                #expect(starts(text, "aD") == expected, "\(text.debugDescription)")
            }
        }
    }

    @Test func stopsAtTheFirstAccepted() {
        let found = Array("a\nb\na\n".utf8).withUnsafeBufferPointer { buffer in
            LineStartSet(firstBytes: "a").contains(in: buffer) { $0 == 4 }
        }
        #expect(found)
    }
}

struct SettingsModulePathTests {
    @Test(arguments: [
        "mysite/settings.py", "mysite/settings/production.py", "config/settings/base.py", "project/conf/prod.py",
        "app/config.py", "local_settings.py", "settings_prod.py", "SETTINGS.PY", "tests/settings.py", "src/Config/base.py",
        "/home/me/conference/mysite/settings.py",
    ])
    func settingsModules(path: String) {
        #expect(LintSettings().isSettingsModule(path: path))
    }

    @Test(arguments: [
        "app/views.py", "/home/me/conference/app/views.py", "/srv/configurator/app.py", "wagtail/contrib/settings/tests/test_admin.py",
        "settings/tests/generic/test_models.py", "conf/test_views.py",
        "a/b", "views_test.py",
    ])
    func otherModules(path: String) {
        #expect(!LintSettings().isSettingsModule(path: path))
    }
}
