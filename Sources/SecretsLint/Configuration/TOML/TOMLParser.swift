import PythonSyntax
/// A TOML 1.0 parser over UTF-8 bytes, standard library only.
///
/// One pass over the bytes checks the encoding and the characters TOML forbids everywhere (invalid
/// UTF-8, control characters other than tab, a carriage return outside CRLF); the grammar then
/// reads the document byte by byte and builds its tables with the rules of `TOMLTableBuilder`.
public struct TOMLParser {
    /// How deeply tables, arrays and inline tables may nest; deeper documents are an error, so
    /// hostile input cannot exhaust the stack.
    public static let maximumNesting = 100

    public static func parse(_ bytes: [UInt8]) throws -> TOMLTable {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = TOMLParser(buffer)
            return try parser.document()
        }
    }

    public static func parse(_ text: String) throws -> TOMLTable {
        try parse(Array(text.utf8))
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: - Reading

    /// The byte at `position`; 0 at the end (the encoding check rejects NUL, so 0 means the end).
    var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    func byte(at offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }

    var atEnd: Bool { position >= bytes.count }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    func error(_ message: String, at offset: Int? = nil) -> TOMLError {
        TOMLError(message, at: offset ?? position, in: bytes)
    }

    /// The character at `offset` as messages name it.
    func describe(at offset: Int) -> String {
        let value = byte(at: offset)
        switch value {
        case 0: return "end of file"
        case TOMLByte.lineFeed, TOMLByte.carriageReturn: return "end of line"
        case TOMLByte.tab: return "tab"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(value)))'"
        default:
            var end = offset + 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'\(text(offset, end))'"
        }
    }

    mutating func skipWhitespace() {
        while current == TOMLByte.space || current == TOMLByte.tab { position += 1 }
    }

    /// Skips from `#` to the end of the line (the newline itself stays).
    mutating func skipComment() {
        while !atEnd && current != TOMLByte.lineFeed && current != TOMLByte.carriageReturn { position += 1 }
    }

    /// Whitespace, newlines and comments, as allowed between array elements.
    mutating func skipWhitespaceNewlinesAndComments() {
        while true {
            switch current {
            case TOMLByte.space, TOMLByte.tab, TOMLByte.lineFeed, TOMLByte.carriageReturn: position += 1
            case TOMLByte.hash: skipComment()
            default: return
            }
        }
    }

    /// After a key/value pair or a header: whitespace, an optional comment, then a newline or the end.
    mutating func endOfLine(after what: String) throws {
        skipWhitespace()
        if current == TOMLByte.hash { skipComment() }
        switch current {
        case TOMLByte.lineFeed: position += 1
        case TOMLByte.carriageReturn: position += 2
        case 0: return
        default: throw error("expected a newline after \(what), found \(describe(at: position))")
        }
    }

    // MARK: - Encoding

    /// Rejects invalid UTF-8 and the characters TOML allows nowhere: controls other than tab
    /// (U+0000–U+0008, U+000A–U+001F, U+007F) except LF and CRLF. Strings and comments then need no
    /// character checks of their own.
    func checkEncoding() throws {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead >= 0x20 && lead != 0x7F || lead == TOMLByte.tab || lead == TOMLByte.lineFeed {
                    index += 1
                } else if lead == TOMLByte.carriageReturn {
                    guard index + 1 < count && bytes[index + 1] == TOMLByte.lineFeed else {
                        throw error("carriage return not followed by a line feed", at: index)
                    }
                    index += 2
                } else {
                    let hex = String(lead, radix: 16, uppercase: true)
                    throw error(
                        "control character U+\(String(repeating: "0", count: 4 - hex.count))\(hex) is not allowed "
                            + "(escape it in a basic string)", at: index)
                }
                continue
            }
            guard let length = WellFormedUTF8.sequenceLength(in: bytes, at: index) else { throw error("invalid UTF-8", at: index) }
            index += length
        }
    }

    // MARK: - Document

    mutating func document() throws -> TOMLTable {
        try checkEncoding()
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        let root = TOMLTableBuilder(origin: .header, depth: 0)
        var section = root
        var sectionKey: [KeyPart] = []
        while true {
            skipWhitespace()
            switch current {
            case 0: return root.table()
            case TOMLByte.lineFeed: position += 1
            case TOMLByte.carriageReturn: position += 2
            case TOMLByte.hash: skipComment()
            case TOMLByte.openBracket:
                (section, sectionKey) = try header(root)
                try endOfLine(after: "a table header")
            default:
                try keyValue(into: section, under: sectionKey)
                try endOfLine(after: "a key/value pair")
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`; returns the table that the following key/value pairs go to, and its key.
    mutating func header(_ root: TOMLTableBuilder) throws -> (TOMLTableBuilder, [KeyPart]) {
        position += 1
        let isArray = current == TOMLByte.openBracket
        if isArray { position += 1 }
        skipWhitespace()
        let key = try self.key()
        guard current == TOMLByte.closeBracket else {
            throw error("expected '\(isArray ? "]]" : "]")' to end the table header, found \(describe(at: position))")
        }
        position += 1
        if isArray {
            guard current == TOMLByte.closeBracket else {
                throw error("expected ']]' to end the array of tables header, found \(describe(at: position))")
            }
            position += 1
            return (try appendArrayTable(key, in: root), key)
        }
        return (try defineTable(key, in: root), key)
    }

    /// `key = value` in `table`, whose own key (for messages) is `tableKey`.
    mutating func keyValue(into table: TOMLTableBuilder, under tableKey: [KeyPart]) throws {
        let key = try self.key()
        guard current == TOMLByte.equals else {
            throw error("expected '=' after the key, found \(describe(at: position))")
        }
        position += 1
        skipWhitespace()
        let value = try self.value(depth: table.depth + key.count - 1)
        try insert(value, at: key, into: table, under: tableKey)
    }

    // MARK: - Keys

    struct KeyPart {
        let name: String
        let offset: Int
    }

    /// A bare, quoted or dotted key, and the whitespace after it.
    mutating func key() throws -> [KeyPart] {
        var parts = [try simpleKey()]
        skipWhitespace()
        while current == TOMLByte.dot {
            position += 1
            skipWhitespace()
            parts.append(try simpleKey())
            skipWhitespace()
        }
        return parts
    }

    mutating func simpleKey() throws -> KeyPart {
        let start = position
        switch current {
        case TOMLByte.quote:
            if byte(at: position + 1) == TOMLByte.quote && byte(at: position + 2) == TOMLByte.quote {
                throw error("a multi-line string cannot be a key")
            }
            return KeyPart(name: try basicString(), offset: start)
        case TOMLByte.apostrophe:
            if byte(at: position + 1) == TOMLByte.apostrophe && byte(at: position + 2) == TOMLByte.apostrophe {
                throw error("a multi-line string cannot be a key")
            }
            return KeyPart(name: try literalString(), offset: start)
        default:
            while TOMLByte.isBareKey(current) { position += 1 }
            guard position > start else { throw error("expected a key, found \(describe(at: position))") }
            return KeyPart(name: text(start, position), offset: start)
        }
    }

    // MARK: - Values

    /// The value at `position`; `depth` is the nesting level of the table or array that holds it.
    mutating func value(depth: Int) throws -> TOMLValue {
        switch current {
        case TOMLByte.quote:
            if byte(at: position + 1) == TOMLByte.quote && byte(at: position + 2) == TOMLByte.quote {
                return .string(try multilineString(delimiter: TOMLByte.quote))
            }
            return .string(try basicString())
        case TOMLByte.apostrophe:
            if byte(at: position + 1) == TOMLByte.apostrophe && byte(at: position + 2) == TOMLByte.apostrophe {
                return .string(try multilineString(delimiter: TOMLByte.apostrophe))
            }
            return .string(try literalString())
        case TOMLByte.openBracket:
            guard depth < Self.maximumNesting else { throw error("arrays and tables nest deeper than \(Self.maximumNesting) levels") }
            return try array(depth: depth + 1)
        case TOMLByte.openBrace:
            guard depth < Self.maximumNesting else { throw error("arrays and tables nest deeper than \(Self.maximumNesting) levels") }
            return try inlineTable(depth: depth + 1)
        case UInt8(ascii: "t"):
            try word("true")
            return .boolean(true)
        case UInt8(ascii: "f"):
            try word("false")
            return .boolean(false)
        case TOMLByte.plus, TOMLByte.minus, UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try numberOrDateTime()
        default:
            throw error("expected a value, found \(describe(at: position))")
        }
    }

    mutating func word(_ expected: StaticString) throws {
        let start = position
        var matches = true
        expected.withUTF8Buffer { word in
            for (index, expectedByte) in word.enumerated() where byte(at: start + index) != expectedByte {
                matches = false
                break
            }
        }
        guard matches else { throw error("expected a value (did you mean \(expected)?)") }
        position += expected.utf8CodeUnitCount
    }

    mutating func array(depth: Int) throws -> TOMLValue {
        let start = position
        position += 1
        var items: [TOMLValue] = []
        while true {
            skipWhitespaceNewlinesAndComments()
            if current == TOMLByte.closeBracket {
                position += 1
                return .array(items)
            }
            if atEnd { throw error("unterminated array: no ']' before the end of the file", at: start) }
            items.append(try value(depth: depth))
            skipWhitespaceNewlinesAndComments()
            switch current {
            case TOMLByte.comma: position += 1
            case TOMLByte.closeBracket:
                position += 1
                return .array(items)
            case 0: throw error("unterminated array: no ']' before the end of the file", at: start)
            default: throw error("expected ',' or ']' in the array, found \(describe(at: position))")
            }
        }
    }

    mutating func inlineTable(depth: Int) throws -> TOMLValue {
        position += 1
        let table = TOMLTableBuilder(origin: .inline, depth: depth)
        skipWhitespace()
        if current == TOMLByte.closeBrace {
            position += 1
            return .table(table.table())
        }
        while true {
            skipWhitespace()
            try keyValue(into: table, under: [])
            skipWhitespace()
            switch current {
            case TOMLByte.comma:
                position += 1
                skipWhitespace()
                if current == TOMLByte.closeBrace { throw error("an inline table cannot end with a comma") }
            case TOMLByte.closeBrace:
                position += 1
                return .table(table.table())
            case 0, TOMLByte.lineFeed, TOMLByte.carriageReturn, TOMLByte.hash:
                throw error("an inline table must end with '}' on the same line, found \(describe(at: position))")
            default:
                throw error("expected ',' or '}' in the inline table, found \(describe(at: position))")
            }
        }
    }
}

/// The bytes the grammar names.
enum TOMLByte {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `A-Za-z0-9_-`
    static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, underscore, minus: return true
        default: return false
        }
    }
}
