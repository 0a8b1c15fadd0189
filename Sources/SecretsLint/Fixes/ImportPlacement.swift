import PythonSyntax

/// Where a new module-level import goes: after any BOM, shebang, encoding cookie, module docstring
/// and `from __future__` imports, at the start of the first line of the first other statement.
enum ImportPlacement {
    static func insertion(_ line: String, into source: SourceText, root: SyntaxNode) -> Edit {
        var offset: Int?
        var lastSkipped: SyntaxNode?
        for statement in root.namedChildren {
            if statement.type == "comment" { continue }
            let isDocstring = lastSkipped == nil && statement.type == "expression_statement"
                && statement.namedChild(0)?.type == "string"
            let isFuture = statement.type == "future_import_statement"
            if isDocstring || isFuture {
                lastSkipped = statement
                continue
            }
            let lineIndex = source.lineIndex(ofByte: statement.startByte)
            // A statement sharing its line with the skipped one (`"""doc"""; x = 1`) starts the next line.
            if let lastSkipped, source.lineIndex(ofByte: lastSkipped.endByte) == lineIndex {
                offset = source.lineEnd(lineIndex)
            } else {
                offset = source.lineStart(lineIndex)
            }
            break
        }
        let newline = source.lineEnding
        if let offset {
            let needsNewline = offset == source.bytes.count && offset > 0 && source.bytes.last != 0x0A
            return .insert((needsNewline ? newline : "") + line + newline, at: offset)
        }
        if let lastSkipped {
            let end = source.lineEnd(source.lineIndex(ofByte: lastSkipped.endByte))
            let needsNewline = end == source.bytes.count && source.bytes.last != 0x0A
            return .insert((needsNewline ? newline : "") + line + newline, at: end)
        }
        // Only comments (shebang, cookie) or nothing: append after them.
        let end = source.bytes.count
        let needsNewline = end > (source.hasBOM ? 3 : 0) && source.bytes.last != 0x0A
        return .insert((needsNewline ? newline : "") + line + newline, at: end)
    }
}
