#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one source file with the facts edits need to preserve: BOM, line ending, line starts.
/// Offsets are UTF-8 byte offsets into `bytes` (the BOM included); columns count Unicode scalars.
public final class SourceText {
    public let bytes: [UInt8]
    public let hasBOM: Bool
    /// The file's dominant line ending, used for every line an edit inserts; only fixes ask for it.
    public private(set) lazy var lineEnding: String = {
        let lineFeeds = lineStarts.count - 1
        var crlf = 0
        for start in lineStarts.dropFirst() where start >= 2 && bytes[start - 2] == 0x0D { crlf += 1 }
        return crlf * 2 > lineFeeds ? "\r\n" : "\n"
    }()
    private lazy var lineStarts: [Int] = inheritedLineStarts ?? computeLineStarts()
    /// Line starts worked out from the text this one was edited from (`init(bytes:editing:change:)`).
    private var inheritedLineStarts: [Int]?
    /// See `loneCarriageReturns`: nil until first asked (only the language server asks), then moved along edits.
    private var knownLoneCarriageReturns: [Int]?

    /// Offsets of the carriage returns no line feed follows. The engine's lines end at `\n`; the Language
    /// Server Protocol ends a line at `\r` too, so the server's positions count these as line ends.
    public var loneCarriageReturns: [Int] {
        if let known = knownLoneCarriageReturns { return known }
        let found = Self.loneCarriageReturns(in: bytes, from: 0, to: bytes.count)
        knownLoneCarriageReturns = found
        return found
    }

    private static func loneCarriageReturns(in bytes: [UInt8], from start: Int, to end: Int) -> [Int] {
        var found: [Int] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = start
            while index < end, let hit = memchr(base + index, 0x0D, end - index) {
                let offset = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                if offset + 1 >= buffer.count || buffer[offset + 1] != 0x0A { found.append(offset) }
                index = offset + 1
            }
        }
        return found
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// `bytes` is `old`'s text with `change` made: the line starts are `old`'s, moved past the change, with the
    /// replacement's own (the language server makes one of these per keystroke; no pass over the whole text).
    public convenience init(bytes: [UInt8], editing old: SourceText, change: SourceChange) {
        self.init(bytes: bytes)
        // A carriage return's fate depends on the byte after it: those before the change's start byte and
        // after its end keep theirs (moved), the one just before it and those it inserts are looked at again.
        if let old = old.knownLoneCarriageReturns {
            let lower = change.range.lowerBound
            let delta = change.replacement.count - change.range.count
            var lone = Array(old.prefix(while: { $0 + 1 < lower }))
            lone += Self.loneCarriageReturns(in: bytes, from: max(lower - 1, 0), to: lower + change.replacement.count)
            lone += old.drop(while: { $0 < change.range.upperBound }).map { $0 + delta }
            knownLoneCarriageReturns = lone
        }
        // The first line's start depends on the BOM: an edit there is worked out afresh.
        guard change.range.lowerBound >= 3 || (!hasBOM && !old.hasBOM) else { return }
        let starts = old.lineStarts
        let delta = change.replacement.count - change.range.count
        // Starts at or before the change's start stay (their line feed is before it); those after its end move.
        // (The guard above puts the first start at or before the change: a line index + 1 counts the starts.)
        let kept = old.lineIndex(ofByte: change.range.lowerBound) + 1
        let moved = old.lineIndex(ofByte: change.range.upperBound) + 1
        var result = [Int]()
        result.reserveCapacity(kept + (starts.count - moved) + 8)
        result.append(contentsOf: starts[..<kept])
        for (offset, byte) in change.replacement.enumerated() where byte == 0x0A {
            result.append(change.range.lowerBound + offset + 1)
        }
        for start in starts[moved...] { result.append(start + delta) }
        inheritedLineStarts = result
    }

    public convenience init(_ string: String) {
        self.init(bytes: Array(string.utf8))
    }

    // One memchr (vectorised by libc) pass finds the line starts.
    private func computeLineStarts() -> [Int] {
        var starts = [hasBOM ? 3 : 0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            while index < buffer.count,
                  let found = memchr(base + index, 0x0A, buffer.count - index) {
                let newline = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                starts.append(newline + 1)
                index = newline + 1
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

    /// Well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). Runs of ASCII are
    /// skipped eight bytes at a time: every checked file passes here, and most are almost all ASCII.
    public var isValidUTF8: Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            let count = buffer.count
            var index = 0
            while index < count {
                if index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        index += 8
                        continue
                    }
                }
                let lead = base[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                guard let length = WellFormedUTF8.sequenceLength(in: buffer, at: index) else { return false }
                index += length
            }
            return true
        }
    }
}

/// Well-formed UTF-8 (RFC 3629): no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF.
public enum WellFormedUTF8 {
    /// The length of the well-formed sequence whose lead byte (0x80 or above) is at `index`, or nil.
    @inlinable
    public static func sequenceLength<Bytes: RandomAccessCollection>(in bytes: Bytes, at index: Int) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return nil
        }
        guard index + length <= bytes.endIndex, (lower...upper).contains(bytes[index + 1]) else { return nil }
        for next in index + 2 ..< index + length where bytes[next] & 0xC0 != 0x80 { return nil }
        return length
    }
}
