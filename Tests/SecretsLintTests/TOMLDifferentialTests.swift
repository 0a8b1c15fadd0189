import Testing
@testable import SecretsLint

/// Our TOML parser against Python's `tomllib` on every file of Fixtures/toml: valid files must give
/// the same values (compared as type-tagged canonical text), invalid files must be rejected by both.
/// Python runs once for all files.
struct TOMLDifferentialTests {
    static let folder = "Tests/SecretsLintTests/Fixtures/toml"
    static let validFiles = URLlessFile.files(in: folder + "/valid") ?? []
    static let invalidFiles = URLlessFile.files(in: folder + "/invalid") ?? []

    /// `tomllib`'s canonical text for each fixture ("valid/NAME.toml" → text, or "INVALID").
    static let python: [String: String] = {
        let root = URLlessFile.repositoryRoot() + "/" + folder + "/"
        let paths = validFiles.map { root + "valid/" + $0 } + invalidFiles.map { root + "invalid/" + $0 }
        guard let result = Subprocess.run(["python3", "-c", pythonScript] + paths), result.status == 0 else { return [:] }
        var answers: [String: String] = [:]
        for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2, fields[0].hasPrefix(root) else { continue }
            answers[String(fields[0].dropFirst(root.count))] = String(fields[1])
        }
        return answers
    }()

    @Test func fixturesArePresentAndPythonAnswers() {
        #expect(Self.validFiles.count >= 40)
        #expect(Self.invalidFiles.count >= 40)
        #expect(Self.python.count == Self.validFiles.count + Self.invalidFiles.count,
                "python3 with tomllib (3.11+) must be on PATH")
    }

    @Test(arguments: validFiles)
    func validFileParsesAsTomllibDoes(name: String) throws {
        let bytes = try FileSystem.read(URLlessFile.repositoryRoot() + "/" + Self.folder + "/valid/" + name)
        let expected = try #require(Self.python["valid/" + name])
        let table: TOMLTable
        do { table = try TOMLParser.parse(bytes) } catch {
            Issue.record("rejected: \(error); tomllib: \(expected)")
            return
        }
        #expect(TOMLCanonical.text(.table(table)) == expected)
    }

    @Test(arguments: invalidFiles)
    func invalidFileIsRejectedByBoth(name: String) throws {
        let bytes = try FileSystem.read(URLlessFile.repositoryRoot() + "/" + Self.folder + "/invalid/" + name)
        #expect(Self.python["invalid/" + name] == "INVALID")
        #expect(throws: TOMLError.self) { try TOMLParser.parse(bytes) }
    }

    /// Prints `PATH<TAB>canonical text` (or INVALID) for each path; the same canonical form as
    /// `TOMLCanonical`.
    static let pythonScript = #"""
        import datetime, math, sys, tomllib

        def quote(text):
            out = ['"']
            for c in text:
                if c in '"\\':
                    out.append('\\' + c)
                elif 0x20 <= ord(c) < 0x7F:
                    out.append(c)
                else:
                    out.append('\\u{%X}' % ord(c))
            out.append('"')
            return ''.join(out)

        def tagged(kind, value):
            return '{"type":"%s","value":%s}' % (kind, quote(value))

        def canonical(v):
            if isinstance(v, bool):
                return tagged('bool', 'true' if v else 'false')
            if isinstance(v, int):
                return tagged('integer', str(v))
            if isinstance(v, float):
                return tagged('float', 'nan' if math.isnan(v) else repr(v))
            if isinstance(v, str):
                return tagged('string', v)
            if isinstance(v, datetime.datetime):
                return tagged('datetime' if v.tzinfo else 'datetime-local', v.isoformat())
            if isinstance(v, datetime.date):
                return tagged('date-local', v.isoformat())
            if isinstance(v, datetime.time):
                return tagged('time-local', v.isoformat())
            if isinstance(v, list):
                return '[' + ','.join(canonical(x) for x in v) + ']'
            if isinstance(v, dict):
                return '{' + ','.join(quote(k) + ':' + canonical(v[k]) for k in sorted(v)) + '}'
            raise TypeError(type(v))

        for path in sys.argv[1:]:
            try:
                with open(path, 'rb') as f:
                    text = canonical(tomllib.loads(f.read().decode('utf-8')))
            except Exception:
                text = 'INVALID'
            print(path + '\t' + text)
        """#
}

/// The canonical text of a value that the Python script above prints for `tomllib`'s: type-tagged
/// scalars, tables with keys sorted by code point, floats as Python's `repr` (NaN without a sign),
/// date-times as Python's `isoformat()` of what `tomllib` makes of them.
enum TOMLCanonical {
    static func text(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return tagged("string", text)
        case .integer(let number): return tagged("integer", String(number))
        case .float(let number): return tagged("float", number.isNaN ? "nan" : number.description)
        case .boolean(let flag): return tagged("bool", flag ? "true" : "false")
        case .dateTime(let text):
            let (kind, normalized) = dateTime(text)
            return tagged(kind, normalized)
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .table(let table):
            let keys = table.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
            return "{" + keys.map { quote($0) + ":" + text(table[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func tagged(_ kind: String, _ value: String) -> String {
        "{\"type\":\"\(kind)\",\"value\":\(quote(value))}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                out += "\\" + String(scalar)
            } else if scalar.value >= 0x20 && scalar.value < 0x7F {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out + "\""
    }

    /// The kind of date-time and its text as Python's `isoformat()` writes it: `T` between date and
    /// time, the fraction cut to microseconds and left out when zero, `Z` and `-00:00` as `+00:00`.
    static func dateTime(_ text: String) -> (kind: String, text: String) {
        let characters = Array(text)
        let hasDate = characters.count >= 10 && characters[4] == "-"
        if hasDate && characters.count == 10 { return ("date-local", text) }
        let date = hasDate ? String(characters[0..<10]) + "T" : ""
        var index = hasDate ? 11 : 0
        var time = String(characters[index..<index + 8])
        index += 8
        if index < characters.count && characters[index] == "." {
            index += 1
            var digits = ""
            while index < characters.count && characters[index].isASCII && characters[index].isNumber {
                digits.append(characters[index])
                index += 1
            }
            let micro = String((digits + "000000").prefix(6))
            if micro != "000000" { time += "." + micro }
        }
        guard hasDate else { return ("time-local", time) }
        let offset = String(characters[index...])
        if offset.isEmpty { return ("datetime-local", date + time) }
        let normalized = offset == "Z" || offset == "z" || offset == "-00:00" ? "+00:00" : offset
        return ("datetime", date + time + normalized)
    }
}
