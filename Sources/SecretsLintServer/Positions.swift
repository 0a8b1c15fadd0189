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
/// Lines end at `\r\n`, `\r` or `\n`, as LSP 3.17 says: the engine's lines (which end at `\n`) are split
/// again at the text's lone carriage returns (`SourceText.loneCarriageReturns`, almost always none). A byte
/// order mark at the start of the text is a character of line 0, as it is in the client's buffer.
public enum UTF16Positions {
    public static func position(ofByte offset: Int, in source: SourceText) -> Position {
        let bytes = source.bytes
        let clamped = min(max(offset, 0), bytes.count)
        var line = source.lineIndex(ofByte: clamped)
        var index = lineStart(line, in: source)
        let lone = source.loneCarriageReturns
        if !lone.isEmpty {
            let before = countBelow(clamped, in: lone)
            line += before
            if before > 0 { index = max(index, lone[before - 1] + 1) }
        }
        var units = 0
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
        let lone = source.loneCarriageReturns
        guard position.line < source.lineCount + lone.count else { return bytes.count }
        var index = lone.isEmpty ? lineStart(position.line, in: source) : lineStart(position.line, in: source, lone: lone)
        var units = 0
        while index < bytes.count, units < position.character {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D { break }
            let width = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            let scalarUnits = width == 4 ? 2 : 1
            // A position inside a surrogate pair cannot split the scalar: it stays before it.
            if units + scalarUnits > position.character { break }
            units += scalarUnits
            index = min(index + width, bytes.count)
        }
        return index
    }

    private static func lineStart(_ line: Int, in source: SourceText) -> Int {
        line == 0 ? 0 : source.lineStart(line)
    }

    /// The start of the protocol's line `line`, the engine's line starts and those after lone carriage returns
    /// merged: engine line `i` is protocol line `i + (lone returns before it)`, which grows with `i`.
    private static func lineStart(_ line: Int, in source: SourceText, lone: [Int]) -> Int {
        var low = 0
        var high = min(line, source.lineCount - 1)
        // The last engine line whose protocol line is at most `line`.
        while low < high {
            let mid = (low + high + 1) / 2
            if mid + countBelow(lineStart(mid, in: source), in: lone) <= line { low = mid } else { high = mid - 1 }
        }
        let merged = low + countBelow(lineStart(low, in: source), in: lone)
        if merged == line { return lineStart(low, in: source) }
        // Otherwise the line starts after a lone carriage return within engine line `low`.
        return lone[line - low - 1] + 1
    }

    /// How many of the sorted `offsets` are below `bound`.
    private static func countBelow(_ bound: Int, in offsets: [Int]) -> Int {
        var low = 0
        var high = offsets.count
        while low < high {
            let mid = (low + high) / 2
            if offsets[mid] < bound { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
