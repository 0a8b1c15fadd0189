/// The bytes of one source file with the facts edits need to preserve: BOM, line ending, line starts.
/// Offsets are UTF-8 byte offsets into `bytes` (the BOM included); columns count Unicode scalars.
public final class SourceText {
    public let bytes: [UInt8]
    public let hasBOM: Bool
    /// The file's dominant line ending, used for every line an edit inserts.
    public let lineEnding: String
    private lazy var lineStarts: [Int] = computeLineStarts()

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        lineEnding = SourceText.dominantLineEnding(bytes)
    }

    public convenience init(_ string: String) {
        self.init(bytes: Array(string.utf8))
    }

    // Both scans run on every keystroke in the language server: over the raw buffer, without bounds checks.
    private static func dominantLineEnding(_ bytes: [UInt8]) -> String {
        var crlf = 0
        var lf = 0
        bytes.withUnsafeBufferPointer { buffer in
            var previous: UInt8 = 0
            for byte in buffer {
                if byte == 0x0A {
                    lf += 1
                    if previous == 0x0D { crlf += 1 }
                }
                previous = byte
            }
        }
        return crlf * 2 > lf ? "\r\n" : "\n"
    }

    private func computeLineStarts() -> [Int] {
        var starts = [hasBOM ? 3 : 0]
        bytes.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count where buffer[index] == 0x0A {
                starts.append(index + 1)
            }
        }
        return starts
    }

    public var lineCount: Int { lineStarts.count }

    /// Zero-based line index holding `offset`.
    public func lineIndex(ofByte offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    public func lineStart(_ line: Int) -> Int { lineStarts[line] }

    /// End of the line's content, before its line terminator.
    public func lineContentEnd(_ line: Int) -> Int {
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        if end > lineStarts[line], end <= bytes.count, end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        if end > lineStarts[line], bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// End of the line including its terminator.
    public func lineEnd(_ line: Int) -> Int {
        line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
    }

    /// One-based line and column (in Unicode scalars) of a byte offset.
    public func location(ofByte offset: Int) -> (line: Int, column: Int) {
        let line = lineIndex(ofByte: offset)
        var column = 1
        var index = max(lineStarts[line], 0)
        let end = min(offset, bytes.count)
        while index < end {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return (line + 1, column)
    }

    public func string(in range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<bytes.count)
        return String(decoding: bytes[clamped], as: UTF8.self)
    }

    public func line(_ line: Int) -> String {
        string(in: lineStart(line)..<lineContentEnd(line))
    }

    public var isValidUTF8: Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
