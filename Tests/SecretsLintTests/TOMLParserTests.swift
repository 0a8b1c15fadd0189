import Testing
@testable import SecretsLint

private func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(Array(text.utf8)) }

private func value(_ toml: String, _ key: String = "v") throws -> TOMLValue? { try parse(toml)[key] }

/// The error for `toml`, or nil when it parses.
private func failure(_ toml: String) -> TOMLError? {
    failure(Array(toml.utf8))
}

private func failure(_ bytes: [UInt8]) -> TOMLError? {
    do {
        _ = try TOMLParser.parse(bytes)
        return nil
    } catch let error as TOMLError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

struct TOMLParserValueTests {
    @Test func scalarsOfEveryType() throws {
        let table = try parse("""
            s = "a\\tb"
            i = -17
            f = 6.626e-34
            b = true
            odt = 1979-05-27T00:32:00.999999-07:00
            ldt = 1979-05-27T07:32:00
            ld = 1979-05-27
            lt = 07:32:00
            """)
        #expect(table["s"] == .string("a\tb"))
        #expect(table["i"] == .integer(-17))
        #expect(table["f"] == .float(6.626e-34))
        #expect(table["b"] == .boolean(true))
        #expect(table["odt"] == .dateTime("1979-05-27T00:32:00.999999-07:00"))
        #expect(table["ldt"] == .dateTime("1979-05-27T07:32:00"))
        #expect(table["ld"] == .dateTime("1979-05-27"))
        #expect(table["lt"] == .dateTime("07:32:00"))
        #expect(table["missing"] == nil)
    }

    @Test func accessorsAnswerOnlyForTheirType() throws {
        let table = try parse("s = 'x'\na = [1]\n[t]\nk = 1\n")
        #expect(table["s"]?.string == "x")
        #expect(table["s"]?.array == nil)
        #expect(table["a"]?.array == [.integer(1)])
        #expect(table["a"]?.table == nil)
        #expect(table["t"]?.table?["k"]?.integer == 1)
        #expect(table["t"]?.string == nil)
        #expect(table["t"]?.typeName == "table")
    }

    @Test func keysKeepDocumentOrder() throws {
        let table = try parse("zeta = 1\nalpha = 2\nmid.x = 3\n[beta]\n[aardvark.z]\n[aardvark]\ny = 1\n")
        #expect(table.keys == ["zeta", "alpha", "mid", "beta", "aardvark"])
        #expect(table.map(\.key) == table.keys)
        #expect(table["aardvark"]?.table?.keys == ["z", "y"])
    }

    @Test func stringsOfAllFourKinds() throws {
        #expect(try value(#"v = "\b\t\n\f\r\"\\\u00E9\U0001F600""#) == .string("\u{8}\t\n\u{C}\r\"\\é😀"))
        #expect(try value(#"v = 'C:\Users\n'"#) == .string(#"C:\Users\n"#))
        #expect(try value("v = \"\"\"\nRoses\nViolets\"\"\"") == .string("Roses\nViolets"))
        #expect(try value("v = \"\"\"\\\n   The quick \\\n\n   fox\\\n   \"\"\"") == .string("The quick fox"))
        #expect(try value("v = \"\"\"a \\  \t\n  b\"\"\"") == .string("a b"))
        #expect(try value("v = \"\"\"\"This,\" she said.\"\"\"\"") == .string("\"This,\" she said.\""))
        #expect(try value("v = \"\"\"two: \"\"\"\"\"") == .string("two: \"\""))
        #expect(try value("v = '''\nfirst\n  kept '' \\n'''") == .string("first\n  kept '' \\n"))
        #expect(try value("v = '''a'''''") == .string("a''"))
    }

    @Test func crlfInMultilineStringsBecomesLF() throws {
        let bytes = Array("v = \"\"\"\r\na\r\nb\"\"\"\r\nw = '''\r\nc\r\n'''\r\n".utf8)
        let table = try TOMLParser.parse(bytes)
        #expect(table["v"] == .string("a\nb"))
        #expect(table["w"] == .string("c\n"))
    }

    @Test func integersInEveryBase() throws {
        let table = try parse("""
            a = +99
            b = 1_000
            c = 0xdead_BEEF
            d = 0o755
            e = 0b1101
            f = -0
            max = 9223372036854775807
            min = -9223372036854775808
            hexmax = 0x7fffffffffffffff
            """)
        #expect(table["a"] == .integer(99))
        #expect(table["b"] == .integer(1000))
        #expect(table["c"] == .integer(0xDEAD_BEEF))
        #expect(table["d"] == .integer(0o755))
        #expect(table["e"] == .integer(13))
        #expect(table["f"] == .integer(0))
        #expect(table["max"] == .integer(.max))
        #expect(table["min"] == .integer(.min))
        #expect(table["hexmax"] == .integer(.max))
    }

    /// The spec asks for an error when an integer does not fit in 64 bits (tomllib has big integers,
    /// so these are not in the differential fixtures).
    @Test(arguments: ["9223372036854775808", "-9223372036854775809", "0x8000000000000000", "99999999999999999999"])
    func integersBeyond64BitsAreErrors(literal: String) {
        #expect(failure("v = \(literal)")?.message.contains("does not fit in 64 bits") == true)
    }

    @Test func floatsIncludingSpecialValues() throws {
        let table = try parse("a = 224_617.445_991_228\nb = -inf\nc = nan\nd = -0.0\ne = 1e06\nf = -nan\ng = +inf\n")
        #expect(table["a"] == .float(224_617.445_991_228))
        #expect(table["b"] == .float(-.infinity))
        #expect(table["c"]?.float?.isNaN == true)
        #expect(table["d"]?.float == 0 && table["d"]?.float?.sign == .minus)
        #expect(table["e"] == .float(1_000_000))
        #expect(table["f"]?.float?.isNaN == true)
        #expect(table["g"] == .float(.infinity))
    }

    @Test func dateTimesAreKeptAsWritten() throws {
        for text in ["1979-05-27 07:32:00Z", "1979-05-27t07:32:00z", "2000-02-29", "23:59:59.123456789", "0000-01-01"] {
            #expect(try value("v = \(text)") == .dateTime(text))
        }
    }

    @Test func arraysAndInlineTables() throws {
        let table = try parse("""
            a = [ 1, "two", [3.0], { x = 4 }, ]
            b = [
              # comment
              1, # one
              2
            ]
            t = { name.first = "Tom", point = { x = 1, y = 2 }, empty = {} }
            """)
        #expect(table["a"] == .array([.integer(1), .string("two"), .array([.float(3)]), .table(TOMLTable([("x", .integer(4))]))]))
        #expect(table["b"] == .array([.integer(1), .integer(2)]))
        let inline = try #require(table["t"]?.table)
        #expect(inline.keys == ["name", "point", "empty"])
        #expect(inline["name"]?.table?["first"] == .string("Tom"))
        #expect(inline["point"]?.table?["y"] == .integer(2))
        #expect(inline["empty"]?.table?.isEmpty == true)
    }

    @Test func tablesArraysOfTablesAndDottedKeys() throws {
        let table = try parse("""
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits]]
            name = "banana"
            [x.y.z.w]
            [x]
            a.b = 1
            [x.a.c]
            d = 2
            """)
        let fruits = try #require(table["fruits"]?.array)
        #expect(fruits.count == 2)
        #expect(fruits[0].table?["physical"]?.table?["color"] == .string("red"))
        #expect(fruits[0].table?["varieties"]?.array?.first?.table?["name"] == .string("red delicious"))
        #expect(fruits[1].table?.keys == ["name"])
        let x = try #require(table["x"]?.table)
        #expect(x.keys == ["y", "a"])
        #expect(x["a"]?.table?["b"] == .integer(1))
        #expect(x["a"]?.table?["c"]?.table?["d"] == .integer(2))
    }

    @Test func keysAreNotUnicodeNormalized() throws {
        let table = try parse("\"\u{E9}\" = 1\n\"e\u{301}\" = 2\n")
        #expect(table.count == 2)
        #expect(table["\u{E9}"] == .integer(1))
        #expect(table["e\u{301}"] == .integer(2))
    }

    @Test func emptyDocumentsAndAByteOrderMark() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("# only a comment").isEmpty)
        #expect(try TOMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a = 1\n".utf8))["a"] == .integer(1))
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        let depth = TOMLParser.maximumNesting
        let arrays = "v = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try parse(arrays)["v"] != nil)
        let inline = "v = " + String(repeating: "{a=", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        #expect(try parse(inline)["v"] != nil)
        let header = "[" + Array(repeating: "a", count: depth).joined(separator: ".") + "]"
        #expect(try parse(header)["a"] != nil)
    }

    @Test func nestingBeyondTheLimitIsAnErrorNotACrash() {
        let depth = TOMLParser.maximumNesting + 1
        let tooDeep = [
            "v = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
            "v = " + String(repeating: "{a=", count: depth) + "1" + String(repeating: "}", count: depth),
            "[" + Array(repeating: "a", count: depth).joined(separator: ".") + "]",
            Array(repeating: "a", count: depth + 1).joined(separator: ".") + " = 1",
            "[" + Array(repeating: "a", count: 60).joined(separator: ".") + "]\n"
                + Array(repeating: "b", count: 42).joined(separator: ".") + " = 1",
            "[" + Array(repeating: "a", count: 100).joined(separator: ".") + "]\nv = []",
            "v = " + String(repeating: "[", count: 100_000),
        ]
        for toml in tooDeep {
            #expect(failure(toml)?.message.contains("nest deeper than") == true, "\(toml.prefix(40))")
        }
    }

    @Test func aLargeDocumentParses() throws {
        var toml = ""
        for index in 0..<2_000 {
            toml += "[section-\(index)]\nname = \"value \(index)\"\nlist = [1, 2, 3, \"x\"]\ninline = { a = 1, b.c = 2 }\n"
        }
        let table = try parse(toml)
        #expect(table.count == 2_000)
        #expect(table["section-1999"]?.table?["inline"]?.table?["b"]?.table?["c"] == .integer(2))
    }
}

struct TOMLParserErrorTests {
    /// Invalid documents from the spec and around it, with the line (and column) of the error.
    @Test(arguments: [
        ("key = # INVALID", 1, 7),
        ("a = 1\nfirst = \"Tom\" last = \"Preston-Werner\"", 2, 15),
        ("= \"no key name\"", 1, 1),
        ("name = \"Tom\"\nname = \"Pradyun\"", 2, 1),
        ("spelling = \"favorite\"\n\"spelling\" = \"favourite\"", 2, 1),
        ("fruit.apple = 1\nfruit.apple.smooth = true", 2, 7),
        ("str = \"\\x\"", 1, 8),
        ("str = \"\\uD800\"", 1, 8),
        ("str = \"\\U00110000\"", 1, 8),
        ("\n\nstr = \"unterminated\n", 3, 20),
        ("str = 'a\nb'", 1, 9),
        ("str5 = \"\"\"three: \"\"\".\"\"\"", 1, 21),
        ("a = 1\nstr = \"\"\"\nnever closed\n", 2, 7),
        ("int = 01", 1, 7),
        ("int = 1__0", 1, 9),
        ("int = +0xFF", 1, 7),
        ("flt = .7", 1, 7),
        ("flt = 7.", 1, 9),
        ("flt = 3.e+20", 1, 9),
        ("b = True", 1, 5),
        ("d = 2023-02-29", 1, 5),
        ("d = 1979-05-27T24:00:00", 1, 16),
        ("d = 1979-05-27T07:32:60", 1, 16),
        ("t = 07:32:00Z", 1, 13),
        ("arr = [1 2]", 1, 10),
        ("x = 1\narr = [\n  1,\n", 2, 7),
        ("p = { x = 1, }", 1, 14),
        ("p = { x = 1,\n y = 2 }", 1, 13),
        ("[product]\ntype = { name = \"Nail\" }\ntype.edible = false", 3, 1),
        ("[product]\ntype.name = \"Nail\"\ntype = { edible = false }", 3, 1),
        ("[fruit]\napple = \"red\"\n\n[fruit]", 4, 2),
        ("[fruit]\napple = \"red\"\n\n[fruit.apple]", 4, 8),
        ("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 8),
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3),
        ("fruits = []\n\n[[fruits]]", 3, 3),
        ("[fruit.physical]\n[[fruit]]", 2, 3),
        ("[[fruits]]\n[[fruits.varieties]]\n[fruits.varieties]", 3, 9),
        ("[[fruits]]\n[fruits.physical]\n[[fruits.physical]]", 3, 10),
        ("a = {}\n[a.b]", 2, 2),
        ("[a] b = 1", 1, 5),
        ("[a\n]", 1, 3),
        ("[[a] ]", 1, 5),
        ("ok = 1\nkey = value", 2, 7),
    ])
    func errorsPointAtTheProblem(toml: String, line: Int, column: Int) {
        let error = failure(toml)
        #expect(error?.line == line, "\(toml): \(String(describing: error))")
        #expect(error?.column == column, "\(toml): \(String(describing: error))")
    }

    @Test(arguments: [
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0x01, 0x22] as [UInt8], "control character U+0001"),
        (Array("a = 1\n# \u{7F}\n".utf8), "control character U+007F"),
        (Array("a = 1\rb = 2".utf8), "carriage return"),
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xE9, 0x22], "invalid UTF-8"),
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8"),
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8"),
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8"),
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0xE2, 0x82], "invalid UTF-8"),
        ([0x61, 0x20, 0x3D, 0x20, 0x22, 0x00, 0x22], "control character U+0000"),
    ])
    func forbiddenBytesAreRejectedWhereTheyAre(bytes: [UInt8], message: String) {
        let error = failure(bytes)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.line == (message == "control character U+007F" ? 2 : 1))
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = failure("\"ʎǝʞ\" = 1\n\"ǝʞ\" = \"é\" x")
        #expect(error?.line == 2)
        #expect(error?.column == 12)
    }

    @Test func messagesSayWhatWasExpectedAndFound() {
        #expect(failure("a = 1 b = 2")?.message == "expected a newline after a key/value pair, found 'b'")
        #expect(failure("a = 1\na = 2")?.message == "key 'a' is defined more than once")
        #expect(failure("[a]\n[a]")?.message == "table [a] is defined more than once")
        #expect(failure("a = \"\\q\"")?.message == "invalid escape sequence '\\q' in a basic string")
        #expect(failure("a = [1,")?.message == "unterminated array: no ']' before the end of the file")
        #expect(failure("\"x y\".z = 1\n\"x y\".z = 2")?.message == "key '\"x y\".z' is defined more than once")
        #expect(failure("[a]\nb = 1\n[a.b]")?.message == "'a.b' is already an integer, not a table")
        #expect(failure("a.b = 'x'\na.b.c = 1")?.message == "'a.b' is already a string, not a table")
        #expect(failure("a = 1\n[[a]]")?.message == "'a' is already an integer, not an array of tables")
        #expect(failure("a = [1]\n[[a]]")?.message == "[[a]] cannot append to an array defined as a value")
        #expect(failure("a = {}\na.b = 1")?.message == "'a' is an inline table, which cannot be extended or defined again")
        #expect(failure("[a.b]\n[a]\nb.c = 1")?.message == "table 'a.b' was defined by a [header]; dotted keys cannot add to it")
    }

    /// tomllib cannot represent these (Python's datetime has no year 0 and no leap second); TOML 1.0
    /// allows year 0 and we keep leap seconds out, like tomllib.
    @Test func dateEdgesWherePythonDiffers() throws {
        #expect(try value("v = 0000-01-01") == .dateTime("0000-01-01"))
        #expect(failure("v = 1990-12-31T23:59:60Z") != nil)
    }
}

struct TOMLConfigurationTests {
    @Test func configurationErrorsKeepTheirForm() throws {
        let project = try TemporaryProject(["pyproject.toml": "[tool.black]\nline-length = 99\n[tool.djlint-secrets]\nselect = [\"DJS001\"\n"])
        var settings = LintSettings()
        do {
            try ConfigurationFile.load(project.root + "/pyproject.toml", into: &settings)
            Issue.record("no error")
        } catch let error as ConfigurationError {
            #expect(error.message == "invalid TOML at line 4, column 10: unterminated array: no ']' before the end of the file")
        }
    }

    @Test func otherToolsSectionsAreParsedPast() throws {
        let project = try TemporaryProject(["pyproject.toml": """
            [project]
            dependencies = ["Django>=5"]
            [[tool.mypy.overrides]]
            module = "environ.*"
            [tool.poetry.dependencies]
            django = { version = "^4.2", extras = ["argon2"] }
            [tool.djlint-secrets]
            env-prefix = "SHOP_"
            [tool.djlint-secrets.per-file-ignores]
            "tests/*.py" = ["djs003"]
            """])
        var settings = LintSettings()
        try ConfigurationFile.load(project.root + "/pyproject.toml", into: &settings)
        #expect(settings.envPrefix == "SHOP_")
        #expect(settings.perFileIgnores.map(\.glob) == ["tests/*.py"])
        #expect(settings.perFileIgnores.first?.codes == ["DJS003"])
    }
}
