import PythonSyntax
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SecretsLint
@testable import SecretsLintServer

/// Issue #20: the language server keeps what it worked out across edits (the statement split, the
/// statement-level tree, the findings when an edit leaves the statements the rules read alone). After every
/// edit of random sequences (statements typed, pasted and deleted, syntax errors, unterminated strings and
/// brackets, several changes in one notification), what it publishes must be what a fresh analysis of the
/// whole text, without the statement-level path, gives.
struct LanguageServerDifferentialTests {
    typealias Wire = LanguageServerTests.Wire

    private static func message(_ object: [(String, JSON)]) -> [UInt8] {
        Array(JSON.object([("jsonrpc", .string("2.0"))] + object).compact.utf8)
    }

    private static func position(_ position: Position) -> JSON {
        .object([("line", .number(position.line)), ("character", .number(position.character))])
    }

    /// What gets typed or pasted: whole statements (with their line end), broken ones, and single tokens.
    static let insertions: [String] = StatementSelectionDifferentialTests.flatStatements.map { $0 + "\n" }
        + StatementSelectionDifferentialTests.broken.map { $0 + "\n" }
        + MutationPropertyTests.fragments + ["x", "x", "1", " ", "\n", "k", "'", "DEBUG = False\n", "# noqa\n", "", "# os.environ\n"]

    /// A document: a startproject-like head, then many statements no rule reads among the ones that matter.
    static func document(_ random: inout SplitMix64) -> [UInt8] {
        if random.next() % 4 == 0 { return StatementSelectionDifferentialTests.module(&random) }
        var lines = ["\"\"\"Settings.\"\"\"", "import os", "from pathlib import Path", "", "BASE_DIR = Path(__file__).resolve().parent",
                     "SECRET_KEY = 'django-insecure-7q#z0v!k3m^8w@f$1x%b2n&4p*5r(6t)9y_h'", "DEBUG = True", "INSTALLED_APPS = []"]
        let plain: [(String) -> String] = [
            { "# Feature group \($0)" }, { "\($0)_ENABLED = True" }, { "\($0)_TIMEOUT = 31" }, { "\($0)_NAME = 'feature'" },
            { "\($0)_LIMITS = {'rate': 1, 'burst': 2}" }, { "\($0)_REGION = os.environ.get('\($0)_REGION', 'eu')" }, { _ in "" },
            { "\($0)_ZONE = get_env_str('\($0)_ZONE', 'UTC')" }, { "\($0)_SITE = env.str('\($0)_SITE', default='site')" },
            { "\($0)_LANG = config('\($0)_LANG', default='en')" },
        ]
        let statements = StatementSelectionDifferentialTests.flatStatements
        for index in 0..<(20 + Int(random.next() % 40)) {
            if random.next() % 6 == 0 {
                lines.append(statements[Int(random.next() % UInt64(statements.count))])
            } else {
                lines.append(plain[index % plain.count]("FEATURE_\(index / plain.count)"))
            }
        }
        lines.append("EMAIL_HOST_PASSWORD = os.environ.get('EMAIL_HOST_PASSWORD', 'smtp-fallback-pass-2024')")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// A byte offset of `text` at a character's start, never between a carriage return and its line feed.
    static func boundary(_ text: [UInt8], _ offset: Int) -> Int {
        var offset = min(max(offset, 0), text.count)
        while offset < text.count, text[offset] & 0xC0 == 0x80 { offset += 1 }
        if offset > 0, offset < text.count, text[offset] == 0x0A, text[offset - 1] == 0x0D { offset += 1 }
        return offset
    }

    /// One random change of `text`: where and what, and how likely the next change takes it back. Mostly what
    /// typing does (a character in a name, a string or a comment, a statement line inserted or deleted, a block
    /// pasted), sometimes anything anywhere (a fragment that breaks the syntax, which typing on often repairs).
    static func change(_ text: [UInt8], _ random: inout SplitMix64) -> (range: Range<Int>, replacement: [UInt8], undo: UInt64) {
        let lineStarts = [0] + text.indices.filter { text[$0] == 0x0A }.map { $0 + 1 }
        let lineStart = lineStarts[Int(random.next() % UInt64(lineStarts.count))]
        let anywhere = boundary(text, Int(random.next() % UInt64(text.count + 1)))
        let statements = StatementSelectionDifferentialTests.flatStatements
        func statement() -> [UInt8] { Array((statements[Int(random.next() % UInt64(statements.count))] + "\n").utf8) }
        switch random.next() % 10 {
        case 0:  // a character typed in a line the rules read (a key, DEBUG, a password, a read)
            let words = ["SECRET", "DEBUG", "PASSWORD", "TOKEN", "KEY", "environ", "env(", "config("].map { Array($0.utf8) }
            let candidates = lineStarts.indices.filter { line in
                let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : text.count
                let content = text[lineStarts[line]..<end]
                return words.contains { word in content.indices.contains { content[$0...].starts(with: word) } }
            }
            guard !candidates.isEmpty else { return (anywhere..<anywhere, Array("x".utf8), 4) }
            let line = candidates[Int(random.next() % UInt64(candidates.count))]
            let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : text.count
            // Mostly in the value, after the first `=`.
            let equals = random.next() % 4 == 0 ? nil : (lineStarts[line]..<end).first { text[$0] == UInt8(ascii: "=") }
            let letters = ((equals ?? lineStarts[line])..<end).filter { text[$0] | 0x20 >= UInt8(ascii: "a") && text[$0] | 0x20 <= UInt8(ascii: "z") }
            let after = letters.isEmpty ? lineStarts[line] : letters[Int(random.next() % UInt64(letters.count))] + 1
            let typed = ["x", "1", "_", "K", "é", " ", "'", "False", "True"][Int(random.next() % 9)]
            return (after..<after, Array(typed.utf8), 3)
        case 1, 2, 3:  // a character typed after a capital letter, or a letter in a string or comment
            var after = anywhere
            var quoted = false
            while after < text.count {
                let byte = text[after]
                if byte == 0x0A { quoted = false }
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "#") { quoted = true }
                if (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (quoted && byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) { break }
                after += 1
            }
            after = min(after + 1, text.count)
            let typed = ["x", "1", "_", "K", "é", " "][Int(random.next() % 6)]
            return (after..<after, Array(typed.utf8), 4)
        case 4, 5:  // a statement line inserted
            return (lineStart..<lineStart, statement(), 0)
        case 6:  // lines deleted
            let end = lineStarts.filter { $0 > lineStart }.dropFirst(Int(random.next() % 3)).first ?? text.count
            return (lineStart..<end, [], 2)
        case 7:  // a block pasted
            return (lineStart..<lineStart, (0..<(5 + Int(random.next() % 20))).flatMap { _ in statement() }, 3)
        default:  // anything, anywhere
            let end = random.next() % 2 == 0 ? anywhere : boundary(text, anywhere + Int(random.next() % 8))
            var replacement = Array(insertions[Int(random.next() % UInt64(insertions.count))].utf8)
            if random.next() % 8 == 0 { replacement = [] }
            return (anywhere..<end, replacement, 1)
        }
    }

    @Test func everyEditPublishesTheFindingsOfAFreshFullAnalysis() throws {
        let parser = try PythonParser()
        var full = Linter(settings: LintSettings())
        full.usesStatementSelection = false
        // More documents (and another seed) on demand: DJLINT_SECRETS_SERVER_DIFFERENTIAL_DOCUMENTS=2000.
        let documents = getenv("DJLINT_SECRETS_SERVER_DIFFERENTIAL_DOCUMENTS").flatMap { Int(String(cString: $0)) } ?? 60
        var random = SplitMix64(seed: documents == 60 ? 0x20_5E_55 : UInt64(documents))
        var compared = 0
        var moved = 0
        var oneStatement = 0
        var withFindings = 0
        let uri = "untitled:settings.py"
        for _ in 0..<documents {
            let wire = Wire()
            let server = try LanguageServer(send: wire.take, log: { _ in })
            server.handle(Self.message([("id", .number(1)), ("method", .string("initialize")), ("params", .object([]))]))
            var text = Self.document(&random)
            var version = 1
            server.handle(Self.message([("method", .string("textDocument/didOpen")), ("params", .object([
                ("textDocument", .object([
                    ("uri", .string(uri)), ("languageId", .string("python")), ("version", .number(1)),
                    ("text", .string(String(decoding: text, as: UTF8.self))),
                ])),
            ]))]))
            var undo: (Range<Int>, [UInt8])?
            for _ in 0..<20 {
                // Mostly one change per notification, sometimes two (the second counts in the text after the first).
                var changes: [JSON] = []
                for _ in 0..<(random.next() % 6 == 0 ? 2 : 1) {
                    var (range, replacement, oneIn) = Self.change(text, &random)
                    if let last = undo {
                        (range, replacement) = last
                        oneIn = 0
                    }
                    // Taken back by the next change: one time in `oneIn` (never for 0).
                    undo = oneIn > 0 && random.next() % oneIn == 0 ? (range.lowerBound..<(range.lowerBound + replacement.count), Array(text[range])) : nil
                    let source = SourceText(bytes: text)
                    changes.append(.object([
                        ("range", .object([
                            ("start", Self.position(UTF16Positions.position(ofByte: range.lowerBound, in: source))),
                            ("end", Self.position(UTF16Positions.position(ofByte: range.upperBound, in: source))),
                        ])),
                        ("text", .string(String(decoding: replacement, as: UTF8.self))),
                    ]))
                    text.replaceSubrange(range, with: replacement)
                }
                version += 1
                server.handle(Self.message([("method", .string("textDocument/didChange")), ("params", .object([
                    ("textDocument", .object([("uri", .string(uri)), ("version", .number(version))])),
                    ("contentChanges", .array(changes)),
                ]))]))
                #expect(server.documents[uri]?.source.bytes == text)
                let published = try #require(wire.sent.last)
                #expect(published["params"]?["version"]?.intValue == version)
                let expectedSource = SourceText(bytes: text)
                let expected = (try? full.analyze(
                    path: uri, source: expectedSource, parser: parser, imports: SettingsImports(parser: parser, baseFolder: nil)))?.findings ?? []
                let shown = published["params"]?["diagnostics"]?.arrayValue?.map { [$0["code"], $0["range"], $0["message"], $0["severity"]] }
                let wanted = expected.map {
                    [JSON.string($0.code), LanguageServer.range($0.range, in: expectedSource), JSON.string($0.message),
                     JSON.number($0.severity == .error ? 1 : 2)]
                }
                #expect(shown == wanted, "after \(changes.map(\.compact)) giving\n\(String(decoding: text, as: UTF8.self))")
                compared += 1
                if !wanted.isEmpty { withFindings += 1 }
            }
            moved += server.documents[uri]?.editsWithFindingsMoved ?? 0
            oneStatement += server.documents[uri]?.editsWithOneStatementAnalysed ?? 0
        }
        #expect(compared == documents * 20)
        // Worth something only when both paths run often: findings moved without an analysis, and analysed.
        #expect(moved > compared / 10, "findings moved without an analysis after \(moved) of \(compared) edits")
        #expect(moved < compared * 4 / 5, "findings moved without an analysis after \(moved) of \(compared) edits")
        #expect(withFindings > compared / 2)
        #expect(oneStatement > compared / 40, "only the edited statement analysed after \(oneStatement) of \(compared) edits")
    }

    /// The line starts of an edited text are worked out from the text before: they must be a fresh count's.
    @Test func lineStartsMovedAlongAnEditAreThoseOfTheEditedText() {
        var random = SplitMix64(seed: 0x11E5)
        let pieces = ["\n", "\r\n", "x", "é\n", "\u{FEFF}", "a\nb\nc", "", "\n\n"]
        for _ in 0..<300 {
            var text = Array(pieces.shuffled(using: &random).joined().utf8)
            var source = SourceText(bytes: text)
            _ = source.lineCount
            for _ in 0..<10 {
                let start = Int(random.next() % UInt64(text.count + 1))
                let end = min(text.count, start + Int(random.next() % 4))
                let change = SourceChange(range: start..<end, replacement: Array(pieces[Int(random.next() % UInt64(pieces.count))].utf8))
                text.replaceSubrange(change.range, with: change.replacement)
                source = SourceText(bytes: text, editing: source, change: change)
                let fresh = SourceText(bytes: text)
                #expect(source.lineCount == fresh.lineCount, "\(text)")
                #expect((0..<fresh.lineCount).map(source.lineStart) == (0..<fresh.lineCount).map(fresh.lineStart), "\(text)")
                #expect(source.lineEnding == fresh.lineEnding)
            }
        }
    }

    /// A document that star-imports its readers from another module keeps the fast paths while that module's
    /// file holds what it held, and sees a change saved there on its next edit.
    /// A server initialized on `project`, with the document at `uri` open holding `text`.
    private static func openedServer(_ project: TemporaryProject, uri: String, text: String) throws -> (LanguageServer, Wire) {
        let wire = Wire()
        let server = try LanguageServer(send: wire.take, log: { _ in })
        server.handle(message([("id", .number(1)), ("method", .string("initialize")), ("params", .object([
            ("rootUri", .string("file://" + project.root)),
        ]))]))
        server.handle(message([("method", .string("textDocument/didOpen")), ("params", .object([
            ("textDocument", .object([("uri", .string(uri)), ("languageId", .string("python")), ("version", .number(1)), ("text", .string(text))])),
        ]))]))
        return (server, wire)
    }

    @Test func aChangeSavedInAStarImportedModuleIsSeenOnTheNextEdit() throws {
        let base = SettingsImportTests.environBase
        let production = SettingsImportTests.production + "# Production\nFEATURE_NAME = 'feature'\n"
        let project = try TemporaryProject(["manage.py": "", "mysite/settings/base.py": base, "mysite/settings/production.py": production])
        let path = project.root + "/mysite/settings/production.py"
        let uri = "file://" + path
        let (server, wire) = try Self.openedServer(project, uri: uri, text: production)
        let parser = try PythonParser()
        var text = production
        var version = 1
        func type(_ inserted: String, after anchor: String) throws -> [String] {
            let offset = text.utf8.count - text[text.range(of: anchor)!.upperBound...].utf8.count
            let source = SourceText(text)
            let position = Self.position(UTF16Positions.position(ofByte: offset, in: source))
            version += 1
            server.handle(Self.message([("method", .string("textDocument/didChange")), ("params", .object([
                ("textDocument", .object([("uri", .string(uri)), ("version", .number(version))])),
                ("contentChanges", .array([.object([("range", .object([("start", position), ("end", position)])), ("text", .string(inserted))])])),
            ]))]))
            text = String(text[..<text.range(of: anchor)!.upperBound]) + inserted + String(text[text.range(of: anchor)!.upperBound...])
            let expectedSource = SourceText(text)
            let expected = try Linter(settings: LintSettings()).analyze(
                path: path, source: expectedSource, parser: parser, imports: SettingsImports(parser: parser)).findings
            let published = try #require(wire.sent.last)
            #expect(published["params"]?["version"]?.intValue == version)
            let shown = published["params"]?["diagnostics"]?.arrayValue?.map { [$0["code"], $0["range"], $0["message"]] }
            #expect(shown == expected.map { [JSON.string($0.code), LanguageServer.range($0.range, in: expectedSource), JSON.string($0.message)] })
            return shown?.compactMap { $0[0]?.stringValue } ?? []
        }
        #expect(try type("x", after: "# Production") == ["DJS004", "DJS007", "DJS004"])
        #expect(try type("x", after: "django-insecure-") == ["DJS004", "DJS007", "DJS004"])
        let moved = server.documents[uri]?.editsWithFindingsMoved ?? 0
        let oneStatement = server.documents[uri]?.editsWithOneStatementAnalysed ?? 0
        #expect(moved + oneStatement == 2, "the fast paths are taken while base.py holds what it held")
        // base.py saved without its env instance: nothing here reads the environment any more.
        try project.write("mysite/settings/base.py", base.replacingFirst("env = environ.Env(DEBUG=(bool, False))", with: "env = dict"))
        #expect(try type("x", after: "# Production") == [])
        try project.write("mysite/settings/base.py", base)
        #expect(try type("x", after: "# Production") == ["DJS004", "DJS007", "DJS004"])
        #expect(try type("y", after: "django-insecure-") == ["DJS004", "DJS007", "DJS004"])
    }

    /// A text with an error (here an unterminated triple-quoted string) is parsed afresh on each edit: tree-sitter,
    /// reusing the tree of the text before, recovered from the error otherwise than a fresh parse and showed a
    /// DJS004 that `check` does not (found by ImportServerDifferentialTests).
    @Test func anEditOfATextWithAnErrorPublishesWhatAFreshParseFinds() throws {
        let before = "TZ_NAME = config('TZ_NAME', \"\"\"t='UTC')\nSECRET_KEY: str = os.environ.get('SECRET_KEY', 'annot-fallback-key-1234')\n    HOSfrom dotenv import load_dotenv, dotenv_values\n = 'db.internal'\n"
        let inserted = "obj[1].x[2] = FALLBACK\nDATABASES = {'default': {'PASSWORD': HOST}}\nHASHERS = ['x.PasswordHasher', \"y.SecretHasher\"]\nLEVELS = {'level': 'DEBUG', 'db': os.environ.get('LEVEL', 'INFO')}\nDATABASES['default'] = {'PASSWORD': HOST}\nBACKENDS: tuple[str, ...] = ('a', 'b')\nDATA_DIR = get_env_str(\"DATA_DIR\")\nWITH_ENV = ['secret-default-2024'] + [os.environ.get('WITH_ENV', 'x')]\nfrom decouple import config\nENABLE_HTTPS = get_env_bool('ENABLE_HTTPS', False)\nDEBUG = True\nSTRIPE_API_KEY = env.str('STRIPE_API_KEY')\nloaded = load_dotenv('.env')\nHOSTS_LIST = env.list('HOSTS_LIST', default=['a'])\n"
        let project = try TemporaryProject(["manage.py": "", "mysite/__init__.py": "", "mysite/settings.py": before])
        let path = project.root + "/mysite/settings.py"
        let uri = "file://" + path
        let (server, wire) = try Self.openedServer(project, uri: uri, text: before)
        let position = Self.position(UTF16Positions.position(ofByte: before.utf8.count, in: SourceText(before)))
        server.handle(Self.message([("method", .string("textDocument/didChange")), ("params", .object([
            ("textDocument", .object([("uri", .string(uri)), ("version", .number(2))])),
            ("contentChanges", .array([.object([("range", .object([("start", position), ("end", position)])), ("text", .string(inserted))])])),
        ]))]))
        let parser = try PythonParser()
        let after = SourceText(before + inserted)
        let expected = try Linter(settings: LintSettings()).analyze(path: path, source: after, parser: parser, imports: SettingsImports(parser: parser)).findings
        let shown = wire.sent.last?["params"]?["diagnostics"]?.arrayValue?.map { [$0["code"], $0["range"], $0["message"]] }
        #expect(shown == expected.map { [JSON.string($0.code), LanguageServer.range($0.range, in: after), JSON.string($0.message)] })
        #expect(!expected.contains { $0.code == "DJS004" })
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
