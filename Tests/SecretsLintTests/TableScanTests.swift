import CScan
import Testing

/// `table_scan_first_pair` finds exactly the first position a byte-by-byte reading finds: a byte with a
/// table entry followed by that entry (ASCII letters compared in lower case), before the last byte.
struct TableScanTests {
    @Test func firstPairAgreesWithAByteLoop() {
        var seconds = [UInt8](repeating: 0, count: 256)
        for word in ["secret", "env", "://", "key"] {
            let bytes = Array(word.utf8)
            seconds[Int(bytes[0])] = bytes[1]
            if bytes[0] >= UInt8(ascii: "a") { seconds[Int(bytes[0]) - 0x20] = bytes[1] }
        }
        let alphabet = Array("seSEnNkK:/ xy\u{0f}\u{2f}".utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let start = Int.random(in: 0...bytes.count, using: &generator)
            let end = Int.random(in: start...bytes.count, using: &generator)
            var expected = end
            if end >= 1 {
                for index in start..<max(start, end - 1) where seconds[Int(bytes[index])] != 0 && bytes[index + 1] | 0x20 == seconds[Int(bytes[index])] {
                    expected = index
                    break
                }
            }
            let found = bytes.withUnsafeBufferPointer { buffer in
                seconds.withUnsafeBufferPointer { table_scan_first_pair(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, start, end, $0.baseAddress!) }
            }
            #expect(found == expected, "\(bytes) \(start)..<\(end)")
        }
    }
}
