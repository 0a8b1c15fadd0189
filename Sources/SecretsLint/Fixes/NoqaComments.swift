import PythonSyntax

/// `--add-noqa`: the edits that silence given findings with `# noqa: CODE` comments, so a codebase can
/// adopt the checks and fail only on new findings. Codes join an existing `# noqa:` list on the line;
/// another comment gets the marker after it; a line without one gets a new comment. Only comments are
/// added: every other byte, line endings included, stays.
public struct NoqaComments {
    private let tree: SyntaxTree
    private var commentByLine: [Int: SyntaxNode] = [:]

    public init(tree: SyntaxTree) {
        self.tree = tree
        let source = tree.source
        tree.root.walk { node in
            guard node.type == "comment" else { return true }
            commentByLine[source.lineIndex(ofByte: node.startByte)] = node
            return false
        }
    }

    /// The line taking the comment for code at `offset` (a statement's first byte, or a finding's).
    public func line(for offset: Int) -> Int { Suppressions.commentLine(from: offset, tree: tree) }

    /// Edits adding each line's `codes`, and how many codes they add (codes a comment on the line already
    /// silences are not added again).
    public func edits(adding codesByLine: [Int: Set<String>]) -> (edits: [Edit], added: Int) {
        let source = tree.source
        var edits: [Edit] = []
        var added = 0
        for line in codesByLine.keys.sorted() {
            let codes = codesByLine[line]!
            if let comment = commentByLine[line] {
                if let marker = Suppressions.parse(comment.bytes) {
                    guard case .codes(let present) = marker.scope else { continue }  // a bare `# noqa` silences all
                    let missing = codes.subtracting(present).sorted()
                    guard !missing.isEmpty else { continue }
                    let at = comment.startByte + marker.codeListEnd
                    // After the list's last code, or right after `noqa:` when the list holds no code.
                    let listHasCode = source.bytes[comment.startByte..<at].last.map { $0 != UInt8(ascii: ":") } ?? false
                    let text = listHasCode ? ", " + missing.joined(separator: ", ") : " " + missing.joined(separator: ", ") + ","
                    edits.append(.insert(text, at: at))
                    added += missing.count
                } else {
                    let end = min(comment.endByte, source.lineContentEnd(line))
                    edits.append(Edit(range: trimmedEnd(end, line: line)..<end, replacement: "  # noqa: " + codes.sorted().joined(separator: ", ")))
                    added += codes.count
                }
            } else {
                let end = source.lineContentEnd(line)
                let start = trimmedEnd(end, line: line)
                edits.append(Edit(range: start..<end, replacement: "  # noqa: " + codes.sorted().joined(separator: ", ")))
                added += codes.count
            }
        }
        return (edits, added)
    }

    /// `end` moved back over trailing spaces and tabs of its line, which the comment replaces.
    private func trimmedEnd(_ end: Int, line: Int) -> Int {
        let bytes = tree.source.bytes
        var start = end
        while start > tree.source.lineStart(line), bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "\t") {
            start -= 1
        }
        return start
    }
}

extension SourceText {
    /// The byte offset of a one-based line and column (in Unicode scalars), as reports give them.
    func offset(line: Int, column: Int) -> Int {
        let index = min(max(line - 1, 0), lineCount - 1)
        var offset = lineStart(index)
        var remaining = column - 1
        let end = lineContentEnd(index)
        while remaining > 0 && offset < end {
            offset += 1
            while offset < end && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return offset
    }
}
