import PythonSyntax

/// A place in a document as the Language Server Protocol counts it: zero-based line, and UTF-16 code
/// units from the line's start.
public struct Position: Equatable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
}

/// The one conversion between the engine's UTF-8 byte offsets and the protocol's UTF-16 positions.
/// Lines end at `\n` (a `\r` before it belongs to the terminator); a byte order mark at the start of the
/// text is a character of line 0, as it is in the client's buffer.
public enum UTF16Positions {
    public static func position(ofByte offset: Int, in source: SourceText) -> Position {
        let bytes = source.bytes
        let clamped = min(max(offset, 0), bytes.count)
        let line = source.lineIndex(ofByte: clamped)
        var units = 0
        var index = lineStart(line, in: source)
        while index < clamped {
            let byte = bytes[index]
            // A lead byte starts a scalar: four-byte sequences are astral and take a surrogate pair.
            if byte & 0xC0 != 0x80 { units += byte >= 0xF0 ? 2 : 1 }
            index += 1
        }
        return Position(line: line, character: units)
    }

    /// The byte offset of `position`; a character past the line's end means the end of its content (before
    /// the terminator), a line past the last means the end of the text, as the protocol asks.
    public static func byteOffset(of position: Position, in source: SourceText) -> Int {
        let bytes = source.bytes
        guard position.line >= 0 else { return 0 }
        guard position.line < source.lineCount else { return bytes.count }
        var index = lineStart(position.line, in: source)
        let end = source.lineContentEnd(position.line)
        var units = 0
        while index < end, units < position.character {
            let byte = bytes[index]
            let width = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            let scalarUnits = width == 4 ? 2 : 1
            // A position inside a surrogate pair cannot split the scalar: it stays before it.
            if units + scalarUnits > position.character { break }
            units += scalarUnits
            index = min(index + width, end)
        }
        return index
    }

    private static func lineStart(_ line: Int, in source: SourceText) -> Int {
        line == 0 ? 0 : source.lineStart(line)
    }
}
