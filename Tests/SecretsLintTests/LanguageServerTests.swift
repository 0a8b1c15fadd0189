import PythonSyntax
import Testing
@testable import SecretsLint
@testable import SecretsLintServer

struct PositionConversionTests {
    @Test func asciiAndMultiByteCharactersCountAsOneUnit() {
        // é is 2 bytes, 日 is 3 bytes: one UTF-16 unit each.
        let source = SourceText("a = 'é日'\nSECRET_KEY = 1\n")
        let key = Array(source.bytes).firstIndex(of: UInt8(ascii: "S"))!
        #expect(UTF16Positions.position(ofByte: key, in: source) == Position(line: 1, character: 0))
        let quote = 4 + 1 + 2 + 3  // `a = '` + é + 日
        #expect(UTF16Positions.position(ofByte: quote, in: source) == Position(line: 0, character: 7))
        #expect(UTF16Positions.byteOffset(of: Position(line: 0, character: 7), in: source) == quote)
    }

    @Test func astralCharactersCountAsTwoUnits() {
        let text = "x = '😀🎉'; y = 1\n"
        let source = SourceText(text)
        let y = Array(text.utf8).firstIndex(of: UInt8(ascii: "y"))!
        let expected = Array("x = '😀🎉'; ".utf16).count
        #expect(expected == 12)
        #expect(UTF16Positions.position(ofByte: y, in: source) == Position(line: 0, character: expected))
        #expect(UTF16Positions.byteOffset(of: Position(line: 0, character: expected), in: source) == y)
        // Inside a surrogate pair: the position stays before the character, never splits it.
        #expect(UTF16Positions.byteOffset(of: Position(line: 0, character: 6), in: source) == 5)
    }

    @Test func everyScalarBoundaryRoundTrips() {
        let text = "\u{FEFF}# ü😀\r\nA = '𝄞x'\n\nB = \"日本\""
        let source = SourceText(text)
        var offset = 0
        for scalar in text.unicodeScalars {
            let position = UTF16Positions.position(ofByte: offset, in: source)
            #expect(UTF16Positions.byteOffset(of: position, in: source) == offset || scalar == "\n")
            offset += String(scalar).utf8.count
        }
        #expect(UTF16Positions.position(ofByte: source.bytes.count, in: source) == Position(line: 3, character: 8))
    }

    @Test func theByteOrderMarkIsACharacterOfTheFirstLine() {
        let source = SourceText("\u{FEFF}DEBUG = True\n")
        #expect(UTF16Positions.position(ofByte: 3, in: source) == Position(line: 0, character: 1))
        #expect(UTF16Positions.byteOffset(of: Position(line: 0, character: 1), in: source) == 3)
    }

    @Test func positionsPastALineOrTheTextAreClamped() {
        let source = SourceText("ab\r\ncd\n")
        #expect(UTF16Positions.byteOffset(of: Position(line: 0, character: 99), in: source) == 2)
        #expect(UTF16Positions.byteOffset(of: Position(line: 1, character: 1), in: source) == 5)
        #expect(UTF16Positions.byteOffset(of: Position(line: 9, character: 0), in: source) == source.bytes.count)
    }
}

/// The client's side of LSP 3.17 text synchronisation, written from the protocol, in UTF-16 code units: lines
/// end at `\r\n`, `\r` or `\n`; a character past a line's content means the end of that content, a line past
/// the last means the end of the text (what vscode-languageserver-textdocument does).
struct ClientDocument {
    var units: [UInt16]

    var text: String { String(decoding: units, as: UTF16.self) }

    var lineStarts: [Int] {
        var starts = [0]
        var index = 0
        while index < units.count {
            if units[index] == 0x0D {
                if index + 1 < units.count, units[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            } else if units[index] == 0x0A {
                starts.append(index + 1)
            }
            index += 1
        }
        return starts
    }

    func offset(_ position: Position) -> Int {
        let starts = lineStarts
        guard position.line < starts.count else { return units.count }
        var end = position.line + 1 < starts.count ? starts[position.line + 1] : units.count
        while end > starts[position.line], units[end - 1] == 0x0A || units[end - 1] == 0x0D { end -= 1 }
        return min(starts[position.line] + position.character, end)
    }

    func position(_ offset: Int) -> Position {
        let starts = lineStarts
        let line = starts.lastIndex { $0 <= offset }!
        return Position(line: line, character: offset - starts[line])
    }
}

/// Issue: the server's text drifted from the client's after an edit next to a lone `\r` (the engine's lines end
/// at `\n` only). Random edits at random positions, over texts mixing `\r`, `\n`, `\r\n`, multi-byte and
/// astral characters and a byte order mark, must leave the server with the client's text, byte for byte; and
/// every position the server reports must be the client's for the same place.
struct LineTerminatorTests {
    private func message(_ object: [(String, JSON)]) -> [UInt8] { Array(JSON.object([("jsonrpc", .string("2.0"))] + object).compact.utf8) }

    private func json(_ position: Position) -> JSON {
        .object([("line", .number(position.line)), ("character", .number(position.character))])
    }

    static let pieces = ["\r", "\n", "\r\n", "\n\r", "a", "x = 1", "é", "日", "😀", "𝄞", " ", "\r\r", "#"]

    static func randomText(_ random: inout SplitMix64, pieces count: Int) -> String {
        (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    /// A position the client may send: a code point boundary of a line, past its end, or a line past the last.
    static func randomPosition(in client: ClientDocument, _ random: inout SplitMix64) -> Position {
        let starts = client.lineStarts
        let line = Int(random.next() % UInt64(starts.count + 1))
        guard line < starts.count else { return Position(line: line, character: Int(random.next() % 3)) }
        let end = line + 1 < starts.count ? starts[line + 1] : client.units.count
        var boundaries = [0]
        var index = starts[line]
        while index < end {
            index += UTF16.isLeadSurrogate(client.units[index]) ? 2 : 1
            boundaries.append(index - starts[line])
        }
        let character = boundaries[Int(random.next() % UInt64(boundaries.count))]
        // Past the line's end now and then (the client clamps it to the end of the line's content).
        return Position(line: line, character: character == boundaries.last! && random.next() % 3 == 0 ? character + 2 : character)
    }

    @Test func aLoneCarriageReturnEndsALine() {
        let source = SourceText("a\rb\n\r")
        #expect(UTF16Positions.position(ofByte: 2, in: source) == Position(line: 1, character: 0))
        #expect(UTF16Positions.byteOffset(of: Position(line: 1, character: 1), in: source) == 3)
        // "\n\r" at the end: line 2 is empty, and so is line 3 after the lone return.
        #expect(UTF16Positions.position(ofByte: 4, in: source) == Position(line: 2, character: 0))
        #expect(UTF16Positions.position(ofByte: 5, in: source) == Position(line: 3, character: 0))
        #expect(UTF16Positions.byteOffset(of: Position(line: 3, character: 0), in: source) == 5)
        #expect(UTF16Positions.byteOffset(of: Position(line: 2, character: 5), in: source) == 4)
        #expect(UTF16Positions.byteOffset(of: Position(line: 4, character: 0), in: source) == 5)
    }

    @Test func positionsAreTheClientsOnTextsWithEveryLineEnding() {
        var random = SplitMix64(seed: 0x0D0A)
        for _ in 0..<400 {
            var text = Self.randomText(&random, pieces: Int(random.next() % 12))
            if random.next() % 5 == 0 { text = "\u{FEFF}" + text }
            let source = SourceText(text)
            let client = ClientDocument(units: Array(text.utf16))
            var byte = 0, unit = 0
            for scalar in text.unicodeScalars {
                #expect(UTF16Positions.position(ofByte: byte, in: source) == client.position(unit), "\(text.debugDescription) at \(byte)")
                #expect(UTF16Positions.byteOffset(of: client.position(unit), in: source) == byte || scalar == "\n", "\(text.debugDescription) at \(byte)")
                byte += String(scalar).utf8.count
                unit += String(scalar).utf16.count
            }
            #expect(UTF16Positions.position(ofByte: byte, in: source) == client.position(unit), "\(text.debugDescription) at the end")
        }
    }

    /// The lone carriage returns of an edited text are worked out from the text before: a fresh count's.
    @Test func loneCarriageReturnsMovedAlongAnEditAreThoseOfTheEditedText() {
        var random = SplitMix64(seed: 0xC12)
        for _ in 0..<300 {
            var text = Array(Self.randomText(&random, pieces: Int(random.next() % 10)).utf8)
            var source = SourceText(bytes: text)
            _ = source.loneCarriageReturns
            for _ in 0..<10 {
                let start = Int(random.next() % UInt64(text.count + 1))
                let end = min(text.count, start + Int(random.next() % 4))
                let change = SourceChange(range: start..<end, replacement: Array(Self.randomText(&random, pieces: Int(random.next() % 3)).utf8))
                text.replaceSubrange(change.range, with: change.replacement)
                source = SourceText(bytes: text, editing: source, change: change)
                #expect(source.loneCarriageReturns == SourceText(bytes: text).loneCarriageReturns, "\(text)")
            }
        }
    }

    @Test func randomEditsLeaveTheServerWithTheClientsText() throws {
        var random = SplitMix64(seed: 0x5EED_0D)
        let uri = "untitled:settings.py"
        for _ in 0..<40 {
            let server = try LanguageServer(send: { _ in }, log: { _ in })
            server.handle(message([("id", .number(1)), ("method", .string("initialize")), ("params", .object([]))]))
            var client = ClientDocument(units: Array(Self.randomText(&random, pieces: 2 + Int(random.next() % 10)).utf16))
            server.handle(message([("method", .string("textDocument/didOpen")), ("params", .object([
                ("textDocument", .object([("uri", .string(uri)), ("languageId", .string("python")), ("version", .number(1)), ("text", .string(client.text))])),
            ]))]))
            for version in 2..<32 {
                var changes: [JSON] = []
                var applied: [String] = []
                for _ in 0..<(random.next() % 4 == 0 ? 2 : 1) {
                    var start = Self.randomPosition(in: client, &random)
                    var end = random.next() % 3 == 0 ? start : Self.randomPosition(in: client, &random)
                    if client.offset(end) < client.offset(start) { swap(&start, &end) }
                    let inserted = Self.randomText(&random, pieces: Int(random.next() % 3))
                    let range = client.offset(start)..<client.offset(end)
                    client.units.replaceSubrange(range, with: Array(inserted.utf16))
                    applied.append("\(start)-\(end) \(inserted.debugDescription)")
                    changes.append(.object([("range", .object([("start", json(start)), ("end", json(end))])), ("text", .string(inserted))]))
                }
                server.handle(message([("method", .string("textDocument/didChange")), ("params", .object([
                    ("textDocument", .object([("uri", .string(uri)), ("version", .number(version))])), ("contentChanges", .array(changes)),
                ]))]))
                let held = server.documents[uri].map { String(decoding: $0.source.bytes, as: UTF8.self) }
                #expect(held == client.text, "after \(applied)")
                if held != client.text { return }
            }
        }
    }
}

struct FramingTests {
    private func frame(_ body: String) -> [UInt8] { MessageFrame.encode(Array(body.utf8)) }

    @Test func framesArriveInAnyPieces() throws {
        let stream = frame("{\"a\":1}") + frame("{\"b\":\"é\"}")
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            var bodies: [String] = []
            for piece in [Array(stream[..<split]), Array(stream[split...])] {
                decoder.append(piece)
                while let body = try decoder.next() { bodies.append(String(decoding: body, as: UTF8.self)) }
            }
            #expect(bodies == ["{\"a\":1}", "{\"b\":\"é\"}"])
        }
    }

    @Test func theLengthCountsBytesAndOtherHeadersAreSkipped() throws {
        var decoder = FrameDecoder()
        let body = Array("\"😀\"".utf8)  // 3 characters, 6 bytes
        decoder.append(Array("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 6\r\n\r\n".utf8))
        decoder.append(body.prefix(4))
        #expect(try decoder.next() == nil)
        decoder.append(body.dropFirst(4))
        #expect(try decoder.next() == body)
        #expect(try decoder.next() == nil)
    }

    @Test func aHeaderWithoutLengthIsDroppedAndReadingGoesOn() throws {
        var decoder = FrameDecoder()
        decoder.append(Array("X-Nothing: 1\r\n\r\n".utf8) + Array("Content-Length: x\r\n\r\n".utf8) + frame("{}"))
        #expect(throws: FramingError.missingContentLength) { try decoder.next() }
        #expect(throws: FramingError.badContentLength) { try decoder.next() }
        #expect(try decoder.next() == Array("{}".utf8))
    }
}

struct JSONReadingTests {
    @Test func readsWhatProtocolMessagesHold() throws {
        let value = try JSON.parse(Array(#" {"id": 3, "s": "a\"\\\/\n\u00e9\ud83d\ude00", "f": -1.5e-2, "n": null, "b": [true, false], "o": {}} "#.utf8))
        #expect(value["id"]?.intValue == 3)
        #expect(value["s"]?.stringValue == "a\"\\/\né😀")
        #expect(value["f"] == .double(-0.015))
        #expect(value["n"] == .null)
        #expect(value["b"] == .array([.bool(true), .bool(false)]))
        #expect(try JSON.parse(Array(value.compact.utf8)) == value)
    }

    @Test func rejectsWhatIsNotJSON() {
        for text in ["{", "{\"a\" 1}", "[1,]", "\"\\ud800\"", "01", "\"tab\there\"", "nul", "{} x", String(repeating: "[", count: 300)] {
            #expect(throws: JSONParseError.self) { try JSON.parse(Array(text.utf8)) }
        }
    }
}

/// The server as a client sees it: messages in, messages out, with no process in between.
struct LanguageServerTests {
    final class Wire {
        var sent: [JSON] = []
        func take(_ bytes: [UInt8]) {
            var decoder = FrameDecoder()
            decoder.append(bytes)
            while let body = try? decoder.next() { sent.append(try! JSON.parse(body)) }
        }
    }

    private func message(_ object: [(String, JSON)]) -> [UInt8] { Array(JSON.object([("jsonrpc", .string("2.0"))] + object).compact.utf8) }

    private func position(_ position: Position) -> JSON {
        .object([("line", .number(position.line)), ("character", .number(position.character))])
    }

    @Test func incrementalChangesGiveTheFindingsOfAFullParse() throws {
        let wire = Wire()
        let server = try LanguageServer(send: wire.take, log: { _ in })
        server.handle(message([("id", .number(1)), ("method", .string("initialize")), ("params", .object([]))]))
        var text = "X = 'é😀'\nDEBUG = True\nSECRET_KEY = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123456789'\n"
            + "NAME = 'a'\nLIMIT = 5\nOPTIONS = {'x': 'nested'}\nAPI_TOKEN = 'tok-1234567890abcdef'\n"
        let uri = "untitled:settings.py"
        server.handle(message([("method", .string("textDocument/didOpen")), ("params", .object([
            ("textDocument", .object([("uri", .string(uri)), ("languageId", .string("python")), ("version", .number(1)), ("text", .string(text))])),
        ]))]))
        // Edits that make and unmake findings, touch non-ASCII text and break the syntax for a while.
        // Typing in a plain value moves the findings after it without a new analysis (`InertEdit`); the
        // rest is analysed again. Either way the result must be what a full parse and analysis give.
        let edits: [(String, String)] = [
            ("True", "False"), ("False", "1"), ("'é😀'", "'日本'"), ("日本", "日本x"), ("日本x", "日本x😀"), ("'日本x😀'", "'日本x😀 y'"),
            ("X = ", "X = 0 + "), ("SECRET_KEY =", "SECRET_KEY = ("), ("SECRET_KEY = (", "SECRET_KEY ="),
            ("\nDEBUG", "\nPASSWORD = 'p4ssw0rd-long'\nDEBUG"), ("p4ssw0rd", "p4ssw0rdd"), ("'p4ssw0rdd-long'", "os.environ['P']"),
            ("NAME = 'a'", "NAME = 'ab'"), ("NAME = 'ab'", "NAME = 'a:b@c'"), ("LIMIT = 5", "LIMIT = 50"), ("'nested'", "'nested2'"),
        ]
        var version = 1
        let linter = Linter(settings: LintSettings())
        let parser = try PythonParser()
        for (old, new) in edits {
            let range = text.range(of: old)!
            let source = SourceText(text)
            let lower = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
            let upper = text.utf8.distance(from: text.startIndex, to: range.upperBound)
            version += 1
            server.handle(message([("method", .string("textDocument/didChange")), ("params", .object([
                ("textDocument", .object([("uri", .string(uri)), ("version", .number(version))])),
                ("contentChanges", .array([.object([
                    ("range", .object([
                        ("start", position(UTF16Positions.position(ofByte: lower, in: source))),
                        ("end", position(UTF16Positions.position(ofByte: upper, in: source))),
                    ])),
                    ("text", .string(new)),
                ])])),
            ]))]))
            text.replaceSubrange(range, with: new)
            let published = try #require(wire.sent.last)
            #expect(published["method"]?.stringValue == "textDocument/publishDiagnostics")
            #expect(published["params"]?["version"]?.intValue == version)
            let expectedSource = SourceText(text)
            let expected = try linter.analyze(path: uri, source: expectedSource, parser: parser).findings
            let shown = published["params"]?["diagnostics"]?.arrayValue?.map { [$0["code"], $0["range"], $0["message"]] }
            let wanted = expected.map { [JSON.string($0.code), LanguageServer.range($0.range, in: expectedSource), JSON.string($0.message)] }
            #expect(shown == wanted, "after \(old) → \(new)")
            #expect(server.documents[uri]?.source.bytes == Array(text.utf8))
        }
    }
}

struct InertEditTests {
    /// Whether replacing the first `old` of `text` with `new` counts as inert.
    private func isInert(_ text: String, _ old: String, _ new: String) throws -> Bool {
        let parser = try PythonParser()
        let range = text.range(of: old)!
        let lower = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        let upper = lower + old.utf8.count
        var edited = text
        edited.replaceSubrange(range, with: new)
        let before = try parser.parse(SourceText(text))
        let change = SourceChange(range: lower..<upper, replacement: Array(new.utf8))
        guard let moved = InertEdit.apply(change, to: before, giving: SourceText(edited), parser: parser, settings: LintSettings()) else {
            return false
        }
        // The moved tree is the tree a parse gives.
        #expect(moved.root.treeDescription == (try parser.parse(SourceText(edited))).root.treeDescription)
        return true
    }

    @Test func typingInAPlainValueIsInert() throws {
        let text = "import os\nTITLE = 'shop'\nLIMIT = 10\nDEBUG = True\n"
        #expect(try isInert(text, "shop", "shops"))
        #expect(try isInert(text, "hop", "hop 日本😀"))
        #expect(try isInert(text, "'shop'", "'shops'") == false)  // the quotes are the literal's edge
        #expect(try isInert(text, "LIMIT = 10", "LIMIT = 10") == false)
        #expect(try isInert(text, "= 10", "= 10") == false)
    }

    @Test func whatARuleReadsIsAnalysedAgain() throws {
        let text = "import os\nTITLE = 'shop'\nDEBUG = True\nDB_PASSWORD = 'x'\nAPP_KEY = 'k'\nURL = 'h'\nALLOWED_HOSTS = 'a'\nenv = 'e'\n"
        #expect(try !isInert(text, "True", "False"))            // DEBUG
        #expect(try !isInert(text, "'x'", "'xy'"))              // a credential name
        #expect(try !isInert(text, "'k'", "'kk'"))              // a …KEY name
        #expect(try !isInert(text, "'h'", "'u:p@h'"))           // a URL with a password
        #expect(try !isInert(text, "'a'", "'b'"))               // a Django setting
        #expect(try !isInert(text, "TITLE", "TITLES"))          // another name
        #expect(try !isInert(text, "'shop'", "os.environ"))     // no longer a literal
        #expect(try !isInert(text, "'shop'", "'shop"))          // a syntax error
        #expect(try !isInert(text, "'shop'\n", "'shop'\nX = 1\n"))  // another statement
    }
}
