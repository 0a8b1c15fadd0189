/// Why a header block could not be read; the block is dropped and reading goes on after it.
public enum FramingError: Error, Equatable {
    case missingContentLength
    case badContentLength
}

/// The base protocol's framing on the way in: header lines (`Content-Length: N`), an empty line, then
/// N bytes of JSON. Bytes arrive in any pieces; complete bodies come out in order.
public struct FrameDecoder {
    private var buffer: [UInt8] = []
    private var start = 0
    /// Far above any settings file (the engine reads at most 10 MiB): a larger length is a broken header.
    static let maximumBodySize = 64 << 20

    public init() {}

    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete body; nil until enough bytes have arrived.
    public mutating func next() throws -> [UInt8]? {
        guard let headerEnd = headerTerminator() else { return nil }
        var length: Int?
        var malformed = false
        var lineStart = start
        while lineStart < headerEnd {
            var lineEnd = lineStart
            while lineEnd < headerEnd, buffer[lineEnd] != 0x0D { lineEnd += 1 }
            let line = buffer[lineStart..<lineEnd]
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: line[lineStart..<colon], as: UTF8.self).lowercased()
                if name == "content-length" {
                    let digits = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }.prefix { $0 != 0x20 && $0 != 0x09 }
                    if let value = Int(String(decoding: digits, as: UTF8.self)), value >= 0, value <= Self.maximumBodySize {
                        length = value
                    } else {
                        malformed = true
                    }
                }
            }
            lineStart = lineEnd + 2
        }
        let bodyStart = headerEnd + 4
        guard let length, !malformed else {
            start = bodyStart
            throw malformed ? FramingError.badContentLength : FramingError.missingContentLength
        }
        guard buffer.count - bodyStart >= length else { return nil }
        start = bodyStart + length
        return Array(buffer[bodyStart..<start])
    }

    /// The offset of the `\r\n\r\n` that ends the pending header block.
    private func headerTerminator() -> Int? {
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A, buffer[index + 2] == 0x0D, buffer[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }
}

/// The base protocol's framing on the way out.
public enum MessageFrame {
    public static func encode(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
