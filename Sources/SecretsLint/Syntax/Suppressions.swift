#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

/// `# noqa` and `# noqa: DJS001, DJS005` comments by line.
struct Suppressions {
    enum Scope { case all, codes(Set<String>) }
    private var byLine = OffsetTable<Scope>()

    init(tree: SyntaxTree) {
        let source = tree.source
        // Most files have no marker at all: one pass over the bytes spares the walk of the tree.
        guard Self.mayHoldMarker(source.bytes) else { return }
        tree.root.forEachNode(ofKind: .comment) { node in
            if let noqa = Self.parse(node.bytes) {
                byLine[source.lineIndex(ofByte: node.startByte)] = noqa.scope
            }
        }
    }

    var isEmpty: Bool { byLine.isEmpty }

    /// Whether `noqa` occurs in the bytes in any letter case: found from its `q`, a rare letter in Python,
    /// with the C library's vectorised `memchr`.
    static func mayHoldMarker(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= 4 else { return false }
            for letter in [UInt8(ascii: "q"), UInt8(ascii: "Q")] {
                var from = 2
                while from < buffer.count - 1, let found = memchr(base + from, Int32(letter), buffer.count - 1 - from) {
                    let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if base[index - 2] | 0x20 == UInt8(ascii: "n"), base[index - 1] | 0x20 == UInt8(ascii: "o"),
                       base[index + 1] | 0x20 == UInt8(ascii: "a") {
                        return true
                    }
                    from = index + 1
                }
            }
            return false
        }
    }

    /// A `# noqa` marker in one comment: what it silences, and where its list of codes ends (an offset
    /// into the comment), which is where `--add-noqa` appends codes.
    struct Marker {
        let scope: Scope
        let codeListEnd: Int
    }

    /// `# noqa` (any letter case), alone or with `: CODE, CODE`, at the comment's start or after
    /// other text and `#` (`# type: ignore  # noqa: DJS001`); the first such marker counts. Works on
    /// bytes: every comment of a file is looked at.
    static func parse(_ comment: ArraySlice<UInt8>) -> Marker? {
        var bytes = Array(comment)
        // tree-sitter's comment token runs to the newline: a CRLF file's comments end in `\r`.
        while bytes.last == 0x0D { bytes.removeLast() }
        func lowered(_ index: Int) -> UInt8 { bytes[index] | (bytes[index] >= 0x41 && bytes[index] <= 0x5A ? 0x20 : 0) }
        func isMarker(at index: Int) -> Bool {
            guard lowered(index) == UInt8(ascii: "n") && lowered(index + 1) == UInt8(ascii: "o") && lowered(index + 2) == UInt8(ascii: "q")
                && lowered(index + 3) == UInt8(ascii: "a") else { return false }
            let before = bytes[..<index]
            return before.last == UInt8(ascii: "#") || (before.last == UInt8(ascii: " ") && before.dropLast().last == UInt8(ascii: "#"))
        }
        guard let start = (0..<max(0, bytes.count - 3)).first(where: isMarker) else { return nil }
        var index = start + 4
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return Marker(scope: .all, codeListEnd: index) }
        index += 1
        let afterColon = index
        var codes = Set<String>()
        var listEnd: Int?
        var leadingCodes = true
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
                index += 1
                continue
            }
            let tokenStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\t") {
                index += 1
            }
            let token = bytes[tokenStart..<index]
            let code = String(decoding: token, as: UTF8.self).uppercased()
            guard code.count >= 2, code.first!.isLetter else { break }
            codes.insert(code)
            if leadingCodes && Self.isRuleCode(token) { listEnd = index } else { leadingCodes = false }
        }
        return codes.isEmpty ? Marker(scope: .all, codeListEnd: afterColon) : Marker(scope: .codes(codes), codeListEnd: listEnd ?? afterColon)
    }

    /// Letters then digits (`E501`, `DJS001`): a code, not a word of explanation after the list.
    private static func isRuleCode(_ token: ArraySlice<UInt8>) -> Bool {
        let letters = token.prefix { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
        let digits = token.dropFirst(letters.count)
        return !letters.isEmpty && !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
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

    /// The line where a comment about the code at `offset` can go: the first line from `offset`'s on
    /// whose end is neither inside a string (a triple-quoted value spanning lines) nor continued by a
    /// backslash. For most statements that is their first line. `--add-noqa` writes there, and a
    /// `# noqa` there counts for the statement.
    static func commentLine(from offset: Int, tree: SyntaxTree) -> Int {
        let source = tree.source
        var line = source.lineIndex(ofByte: offset)
        while line + 1 < source.lineCount {
            let end = source.lineContentEnd(line)
            if !Self.isInsideString(end, tree: tree) && !Self.endsWithContinuation(line, tree: tree) { return line }
            line += 1
        }
        return line
    }

    /// Whether `offset` lies strictly inside a string literal (or inside a comment, when asked).
    private static func isInsideString(_ offset: Int, tree: SyntaxTree, orComment: Bool = false) -> Bool {
        var node = tree.root
        while let child = node.child(endingAfter: offset), child.startByte <= offset, child.endByte > offset {
            if child.startByte < offset && child.kind == .string { return true }
            if orComment && child.kind == .comment { return true }
            node = child
        }
        return false
    }

    private static func endsWithContinuation(_ line: Int, tree: SyntaxTree) -> Bool {
        let source = tree.source
        let end = source.lineContentEnd(line)
        guard end > source.lineStart(line), source.bytes[end - 1] == UInt8(ascii: "\\") else { return false }
        return !isInsideString(end - 1, tree: tree, orComment: true)
    }
}
