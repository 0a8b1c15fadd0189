import PythonSyntax

/// Evaluates one Python string literal node (any prefix and quote kind) to its runtime value.
enum PythonStringLiteral {
    static func evaluate(_ node: SyntaxNode) -> StaticValue? {
        guard let start = node.child(0), start.kind == .stringStart,
              let end = node.child(node.childCount - 1), end.kind == .stringEnd
        else { return nil }
        // The prefix letters before the quote, in either case.
        var isRaw = false, isBytes = false, isFormatted = false
        for byte in node.tree.source.bytes[start.byteRange] {
            guard byte != UInt8(ascii: "\""), byte != UInt8(ascii: "'") else { break }
            switch byte | 0x20 {
            case UInt8(ascii: "r"): isRaw = true
            case UInt8(ascii: "b"): isBytes = true
            case UInt8(ascii: "f"), UInt8(ascii: "t"): isFormatted = true
            default: break
            }
        }
        if isFormatted {
            for child in node.children where child.kind == .interpolation { return nil }
        }
        let content = Array(node.tree.source.bytes[start.endByte..<end.startByte])
        // Most literals hold no escape at all: they decode to themselves.
        var decoded = isRaw || !content.contains(UInt8(ascii: "\\")) ? content : decodeEscapes(content, bytesLiteral: isBytes)
        if isFormatted { decoded = collapseDoubledBraces(decoded) }
        return isBytes ? .bytes(decoded) : .string(String(decoding: decoded, as: UTF8.self))
    }

    private static func collapseDoubledBraces(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            result.append(byte)
            if (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")),
               index + 1 < bytes.count, bytes[index + 1] == byte {
                index += 2
            } else {
                index += 1
            }
        }
        return result
    }

    private static func appendScalar(_ value: UInt32, to result: inout [UInt8]) {
        if let scalar = Unicode.Scalar(value) {
            result.append(contentsOf: Array(String(Character(scalar)).utf8))
        } else {
            result.append(contentsOf: Array("\u{FFFD}".utf8))
        }
    }

    static func decodeEscapes(_ bytes: [UInt8], bytesLiteral: Bool) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        func hexValue(_ count: Int) -> UInt32? {
            guard index + count <= bytes.count else { return nil }
            let text = String(decoding: bytes[index..<index + count], as: UTF8.self)
            guard let value = UInt32(text, radix: 16) else { return nil }
            index += count
            return value
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                result.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\r"):
                if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): result.append(escape)
            case UInt8(ascii: "a"): result.append(0x07)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "v"): result.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(escape - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < bytes.count,
                      (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index]) {
                    value = value * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                if bytesLiteral { result.append(UInt8(truncatingIfNeeded: value)) } else { appendScalar(value, to: &result) }
            case UInt8(ascii: "x"):
                if let value = hexValue(2) {
                    if bytesLiteral { result.append(UInt8(value)) } else { appendScalar(value, to: &result) }
                } else {
                    result.append(contentsOf: [UInt8(ascii: "\\"), escape])
                }
            case UInt8(ascii: "u") where !bytesLiteral:
                if let value = hexValue(4) { appendScalar(value, to: &result) } else { result.append(contentsOf: [UInt8(ascii: "\\"), escape]) }
            case UInt8(ascii: "U") where !bytesLiteral:
                if let value = hexValue(8) { appendScalar(value, to: &result) } else { result.append(contentsOf: [UInt8(ascii: "\\"), escape]) }
            case UInt8(ascii: "N") where !bytesLiteral:
                // A named character is one character; its name is not needed to measure the key.
                if index < bytes.count, bytes[index] == UInt8(ascii: "{"),
                   let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) {
                    let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                    index = close + 1
                    appendScalar(0xE000 &+ (name.utf8.reduce(UInt32(0)) { $0 &* 31 &+ UInt32($1) } & 0x7FF), to: &result)
                } else {
                    result.append(contentsOf: [UInt8(ascii: "\\"), escape])
                }
            default:
                result.append(contentsOf: [UInt8(ascii: "\\"), escape])
            }
        }
        return result
    }
}
