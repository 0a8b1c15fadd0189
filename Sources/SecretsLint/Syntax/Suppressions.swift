import PythonSyntax

/// `# noqa` and `# noqa: DJS001, DJS005` comments by line.
struct Suppressions {
    private enum Scope { case all, codes(Set<String>) }
    private var byLine: [Int: Scope] = [:]

    init(tree: SyntaxTree) {
        let source = tree.source
        tree.root.walk { node in
            guard node.type == "comment" else { return true }
            if let scope = Self.parse(node.text) {
                byLine[source.lineIndex(ofByte: node.startByte)] = scope
            }
            return false
        }
    }

    private static func parse(_ comment: String) -> Scope? {
        // ASCII-lowered copy keeps indices aligned with the original.
        let lowered = String(comment.map { $0.isASCII ? Character($0.lowercased()) : $0 })
        guard let marker = lowered.firstRange(of: "noqa") else { return nil }
        let before = lowered[..<marker.lowerBound]
        guard before.hasSuffix("#") || before.hasSuffix("# ") else { return nil }
        let rest = comment[marker.upperBound...]
        guard rest.first == ":" else { return .all }
        var codes = Set<String>()
        for token in rest.dropFirst().split(whereSeparator: { $0 == "," || $0 == " " }) {
            let code = token.uppercased()
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
