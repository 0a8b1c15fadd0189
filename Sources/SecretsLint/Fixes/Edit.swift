/// A replacement of one UTF-8 byte range; the only way source files change.
public struct Edit: Equatable {
    public let range: Range<Int>
    public let replacement: [UInt8]

    public init(range: Range<Int>, replacement: String) {
        self.range = range
        self.replacement = Array(replacement.utf8)
    }

    public static func insert(_ text: String, at offset: Int) -> Edit {
        Edit(range: offset..<offset, replacement: text)
    }
}

public enum EditApplier {
    /// Applies edits sorted by position, skipping any edit that overlaps one already taken.
    /// Returns the new bytes and the indices (into `edits`) that were applied.
    public static func apply(_ edits: [Edit], to bytes: [UInt8]) -> (bytes: [UInt8], applied: [Int]) {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.replacement.count })
        var cursor = 0
        let applied = forEachApplied(edits, count: bytes.count) { edit in
            result.append(contentsOf: bytes[cursor..<edit.range.lowerBound])
            result.append(contentsOf: edit.replacement)
            cursor = edit.range.upperBound
        }
        result.append(contentsOf: bytes[cursor...])
        return (result, applied)
    }

    /// The indices (into `edits`) `apply` would apply to a text of `count` bytes, without making the new text
    /// (a big module's copy is most of what a save spends on memory).
    public static func applied(_ edits: [Edit], count: Int) -> [Int] {
        forEachApplied(edits, count: count) { _ in }
    }

    /// Calls `body` with each edit that applies, in the order of the text; returns their indices, ascending.
    private static func forEachApplied(_ edits: [Edit], count: Int, _ body: (Edit) -> Void) -> [Int] {
        let order = edits.indices.sorted {
            (edits[$0].range.lowerBound, edits[$0].range.upperBound) < (edits[$1].range.lowerBound, edits[$1].range.upperBound)
        }
        var cursor = 0
        var applied: [Int] = []
        var lastInsertionPoint = -1
        for index in order {
            let edit = edits[index]
            guard edit.range.lowerBound >= cursor, edit.range.upperBound <= count else { continue }
            // Two insertions at one point would be ambiguous in order: keep the first.
            if edit.range.isEmpty, edit.range.lowerBound == lastInsertionPoint { continue }
            body(edit)
            cursor = edit.range.upperBound
            if edit.range.isEmpty { lastInsertionPoint = edit.range.lowerBound }
            applied.append(index)
        }
        return applied.sorted()
    }
}
