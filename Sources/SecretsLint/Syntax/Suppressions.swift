import PythonSyntax

/// `# noqa` and `# noqa: DJS001, DJS005` comments by line.
struct Suppressions {
    private enum Scope { case all, codes(Set<String>) }
    private var byLine: [Int: Scope] = [:]

    init(tree: SyntaxTree) {
        let source = tree.source
        tree.root.walk { node in
            guard node.type == "comment" else { return true }
            if let scope = Self.parse(node.bytes) {
                byLine[source.lineIndex(ofByte: node.startByte)] = scope
            }
            return false
        }
    }

    /// `# noqa` (any letter case), alone or with `: CODE, CODE`, at the comment's start or after
    /// other text and `#` (`# type: ignore  # noqa: DJS001`). Works on bytes: every comment of a file
    /// is looked at.
    private static func parse(_ comment: ArraySlice<UInt8>) -> Scope? {
        let bytes = Array(comment)
        func lowered(_ index: Int) -> UInt8 { bytes[index] | (bytes[index] >= 0x41 && bytes[index] <= 0x5A ? 0x20 : 0) }
        var marker: Int?
        var index = 0
        while index + 4 <= bytes.count {
            if lowered(index) == UInt8(ascii: "n") && lowered(index + 1) == UInt8(ascii: "o") && lowered(index + 2) == UInt8(ascii: "q")
                && lowered(index + 3) == UInt8(ascii: "a") {
                marker = index
                break
            }
            index += 1
        }
        guard let start = marker else { return nil }
        let before = bytes[..<start]
        guard before.last == UInt8(ascii: "#") || (before.last == UInt8(ascii: " ") && before.dropLast().last == UInt8(ascii: "#")) else {
            return nil
        }
        let rest = bytes[(start + 4)...]
        guard rest.first == UInt8(ascii: ":") else { return .all }
        var codes = Set<String>()
        for token in rest.dropFirst().split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") }) {
            let code = String(decoding: token, as: UTF8.self).uppercased()
            guard code.count >= 2, code.first!.isLetter else { break }
            codes.insert(code)
        }
        return codes.isEmpty ? .all : .codes(codes)
    }

    func suppresses(_ code: String, lines: [Int]) -> Bool {
        for line in lines {
            switch byLine[line] {
            case .all?: return true
            case .codes(let codes)?: if codes.contains(code) { return true }
            case nil: continue
            }
        }
        return false
    }
}
