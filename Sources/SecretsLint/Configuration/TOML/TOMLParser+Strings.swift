/// The four kinds of TOML string. Control characters, bare carriage returns and invalid UTF-8 were
/// rejected for the whole document before parsing, so only delimiters, newlines and escapes matter.
/// Newlines in multi-line strings come out as LF, whether written as LF or CRLF.
extension TOMLParser {
    /// `"..."`: escapes, no newlines.
    mutating func basicString() throws -> String {
        position += 1
        var segmentStart = position
        var decoded: [UInt8]? = nil
        while true {
            switch current {
            case TOMLByte.quote:
                defer { position += 1 }
                guard var decoded else { return text(segmentStart, position) }
                decoded.append(contentsOf: bytes[segmentStart..<position])
                return String(decoding: decoded, as: UTF8.self)
            case TOMLByte.backslash:
                var buffer = decoded ?? []
                buffer.append(contentsOf: bytes[segmentStart..<position])
                try escape(into: &buffer)
                decoded = buffer
                segmentStart = position
            case 0, TOMLByte.lineFeed, TOMLByte.carriageReturn:
                throw error("unterminated string: expected '\"' before the \(atEnd ? "end of the file" : "end of the line")")
            default:
                position += 1
            }
        }
    }

    /// `'...'`: no escapes, no newlines.
    mutating func literalString() throws -> String {
        position += 1
        let start = position
        while current != TOMLByte.apostrophe {
            if atEnd || current == TOMLByte.lineFeed || current == TOMLByte.carriageReturn {
                throw error("unterminated string: expected \"'\" before the \(atEnd ? "end of the file" : "end of the line")")
            }
            position += 1
        }
        defer { position += 1 }
        return text(start, position)
    }

    /// `"""..."""` (escapes and line-ending backslashes) or `'''...'''` (neither): newlines kept, one
    /// or two delimiter quotes may stand just before the closing delimiter.
    mutating func multilineString(delimiter: UInt8) throws -> String {
        let start = position
        let escapes = delimiter == TOMLByte.quote
        position += 3
        skipNewline()
        var decoded: [UInt8] = []
        var segmentStart = position
        while true {
            switch current {
            case delimiter:
                if let run = closingRun(of: delimiter) {
                    decoded.append(contentsOf: bytes[segmentStart..<position + run - 3])
                    position += run
                    return String(decoding: decoded, as: UTF8.self)
                }
                position += 1
            case TOMLByte.backslash where escapes:
                decoded.append(contentsOf: bytes[segmentStart..<position])
                var next = position + 1
                while byte(at: next) == TOMLByte.space || byte(at: next) == TOMLByte.tab { next += 1 }
                if byte(at: next) == TOMLByte.lineFeed || byte(at: next) == TOMLByte.carriageReturn {
                    // A line-ending backslash: drop it and all whitespace and newlines after it.
                    position = next
                    while TOMLByte.isWhitespaceOrNewline(current) { position += 1 }
                } else {
                    try escape(into: &decoded)
                }
                segmentStart = position
            case TOMLByte.carriageReturn:
                decoded.append(contentsOf: bytes[segmentStart..<position])
                decoded.append(TOMLByte.lineFeed)
                position += 2
                segmentStart = position
            case 0:
                let closing = escapes ? "'\"\"\"'" : "\"'''\""
                throw error("unterminated multi-line string: no closing \(closing) before the end of the file", at: start)
            default:
                position += 1
            }
        }
    }

    /// The newline right after an opening `"""` or `'''` is not part of the string.
    private mutating func skipNewline() {
        if current == TOMLByte.lineFeed {
            position += 1
        } else if current == TOMLByte.carriageReturn {
            position += 2
        }
    }

    /// At a quote in a multi-line string: the length of the run of `delimiter` that closes the string
    /// (3 to 5: up to two belong to the content), nil when the run is too short to close it.
    private func closingRun(of delimiter: UInt8) -> Int? {
        var run = 1
        while run < 6 && byte(at: position + run) == delimiter { run += 1 }
        return run >= 3 ? min(run, 5) : nil
    }

    /// `\X` at `position` in a basic string: appends the character it stands for.
    private mutating func escape(into buffer: inout [UInt8]) throws {
        let start = position
        position += 1
        let letter = current
        position += 1
        switch letter {
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case TOMLByte.quote: buffer.append(TOMLByte.quote)
        case TOMLByte.backslash: buffer.append(TOMLByte.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = letter == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let digit = TOMLByte.hexValue(current) else {
                    throw error("\\\(Character(Unicode.Scalar(letter))) needs \(digits) hexadecimal digits", at: start)
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("escape \(text(start, position)) is not a Unicode scalar value", at: start)
            }
            UTF8.encode(scalar) { buffer.append($0) }
        default:
            if letter > 0x20 && letter < 0x7F {
                throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(letter)))' in a basic string", at: start)
            }
            throw error("invalid escape sequence: '\\' followed by \(describe(at: start + 1))", at: start)
        }
    }
}

extension TOMLByte {
    static func isWhitespaceOrNewline(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == lineFeed || byte == carriageReturn
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
