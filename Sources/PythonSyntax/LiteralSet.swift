import CScan

/// A few byte literals searched for together in one pass over a buffer: which of them occur.
///
/// Up to eight literals (where the processor has AVX2): each is found by its three consecutive bytes
/// that are rarest in Python source, all literals tested together 32 positions at a time by nibble
/// table look-ups, and only where a whole three-byte window agrees the whole literal is compared.
/// Otherwise each literal is found by two of its rare bytes (upper-case letters, `v`, `k`…), the
/// rarest of every literal first, in one test per block, then the second, then the whole literal.
/// One pass costs about what a single `memmem` costs, whatever the number of literals.
public final class LiteralSet: @unchecked Sendable {
    /// Immutable after `init`, so one set serves every checking thread.
    private let table: UnsafeMutablePointer<byte_scan_literal>
    private let storage: UnsafeMutablePointer<UInt8>
    /// The window tables, for sets of at most eight literals.
    private let nibbles: UnsafeMutablePointer<byte_scan_nibbles>?
    public let count: Int

    /// At most 64 literals, each at least two bytes long. `caseless` ones (in lower case) come after `literals`
    /// (their indices go on from there) and also match with their ASCII letters in upper case; with them, a
    /// set holds at most eight.
    public init(_ literals: [String], caseless: [String] = []) {
        let caselessFrom = literals.count
        let literals = literals + caseless
        precondition(literals.count <= 64 && literals.allSatisfy { $0.utf8.count >= 2 })
        precondition(caseless.isEmpty || (literals.count <= 8 && caseless.allSatisfy { $0.utf8.allSatisfy { !(0x41...0x5A).contains($0) } }))
        count = literals.count
        let total = literals.reduce(0) { $0 + $1.utf8.count }
        storage = .allocate(capacity: max(total, 1))
        table = .allocate(capacity: max(literals.count, 1))
        var offset = 0
        for (index, literal) in literals.enumerated() {
            let bytes = Array(literal.utf8)
            (storage + offset).initialize(from: bytes, count: bytes.count)
            let (first, second) = Self.anchors(bytes)
            table[index] = byte_scan_literal(
                bytes: storage + offset, length: bytes.count, first: first, second: second, window: Self.window(bytes),
                caseless: index >= caselessFrom ? 1 : 0)
            offset += bytes.count
        }
        if literals.count <= 8 {
            let nibbles = UnsafeMutablePointer<byte_scan_nibbles>.allocate(capacity: 1)
            byte_scan_prepare_nibbles(table, literals.count, nibbles)
            self.nibbles = nibbles
        } else {
            nibbles = nil
        }
    }

    deinit {
        table.deallocate()
        storage.deallocate()
        nibbles?.deallocate()
    }

    /// A bit per literal, in the order given to `init`: set when the literal occurs in `buffer`.
    public func occurrences(in buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = buffer.baseAddress else { return 0 }
        return byte_scan_occurrences(base, buffer.count, table, count, nibbles)
    }

    /// Calls `body` with each literal's index and the offset of each of its occurrences in `buffer`: a
    /// literal's own occurrences in order (those of different literals may interleave out of order).
    /// Overlapping occurrences are all reported. At most eight literals.
    public func forEachOccurrence(in buffer: UnsafeBufferPointer<UInt8>, _ body: (_ literal: Int, _ offset: Int) -> Void) {
        precondition(count <= 8)
        guard let base = buffer.baseAddress else { return }
        let capacity = 1024
        withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { starts in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { kinds in
                var from = 0
                while from < buffer.count {
                    var resume = 0
                    let found = byte_scan_collect(
                        base, buffer.count, from, table, count, nibbles, starts.baseAddress!, kinds.baseAddress!, capacity, &resume)
                    for index in 0..<found { body(Int(kinds[index]), starts[index]) }
                    from = resume
                }
            }
        }
    }

    /// The offset of the three consecutive bytes that are together rarest (the whole literal when shorter).
    private static func window(_ bytes: [UInt8]) -> Int {
        guard bytes.count > 3 else { return 0 }
        return (0...(bytes.count - 3)).min { start, other in
            bytes[start..<start + 3].reduce(0) { $0 + commonness($1) } < bytes[other..<other + 3].reduce(0) { $0 + commonness($1) }
        }!
    }

    /// The offsets of the rarest byte and of the next rarest distinct one.
    private static func anchors(_ bytes: [UInt8]) -> (Int, Int) {
        let ranked = bytes.indices.sorted { (commonness(bytes[$0]), $0) < (commonness(bytes[$1]), $1) }
        return (ranked[0], ranked.dropFirst().first { bytes[$0] != bytes[ranked[0]] } ?? ranked[1])
    }

    /// The bytes of Python source from most to least frequent (measured on Django and five large
    /// Django packages, 35 MB); a byte not listed is rarer than all of them.
    private static let frequencyOrder = Array(#" etsaroiln\#nd_"cfu.pm)(g,h=b:ywvkETxq0jSAC'F[]1IN"#.utf8)

    /// A rank of how often a byte appears in Python source: lower is rarer.
    private static func commonness(_ byte: UInt8) -> Int {
        frequencyOrder.firstIndex(of: byte).map { frequencyOrder.count - $0 } ?? 0
    }
}

/// The lines of a buffer that begin (in column 0) with one of a few bytes, found by a SIMD scan for
/// newlines: a line-anchored test then runs on those lines alone instead of on every line.
public struct LineStartSet: Sendable {
    private let table: [UInt8]

    /// `firstBytes`: ASCII letters.
    public init(firstBytes: String) {
        precondition(firstBytes.utf8.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") })
        var table = [UInt8](repeating: 0, count: 256)
        for byte in firstBytes.utf8 { table[Int(byte)] = 1 }
        self.table = table
    }

    /// Calls `body` with the offset of each such line start, in order, until it returns true; whether one did.
    public func contains(in buffer: UnsafeBufferPointer<UInt8>, where body: (Int) -> Bool) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        return table.withUnsafeBufferPointer { table in
            var from = 0
            while from < buffer.count {
                let start = byte_scan_next_line_start(base, buffer.count, from, table.baseAddress!)
                if start >= buffer.count { return false }
                if body(start) { return true }
                from = start + 1
            }
            return false
        }
    }
}
