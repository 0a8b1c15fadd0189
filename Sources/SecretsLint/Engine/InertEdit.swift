import PythonSyntax

/// Edits after which a file's findings are those it had, moved by the edit's length: the language server
/// then neither analyses the file again nor re-parses it (typing in a value is most of what happens while
/// a settings file is open). Only one kind qualifies: the edit stays strictly inside the one plain literal
/// of a module-level `NAME = literal` statement, and that statement, parsed alone after the edit, is still
/// `NAME = literal` for the same name. No rule reads that name nor that kind of value, and a literal binds
/// nothing another statement reads (it is no reader, no env instance, no import). Anything else is parsed
/// and analysed again.
public enum InertEdit {
    /// The tree of the edited text when `change` (to `tree`'s text, giving `newSource`) is inert: `tree`
    /// moved by the change, not parsed again. Nil when the file must be parsed and analysed again.
    public static func apply(
        _ change: SourceChange, to tree: SyntaxTree, giving newSource: SourceText, parser: PythonParser, settings: LintSettings
    ) -> SyntaxTree? {
        let range = change.range
        guard !tree.root.hasError, let before = plainAssignment(in: tree.root, around: range),
              before.value.startByte < range.lowerBound, range.upperBound < before.value.endByte,
              isUnread(before.name, settings: settings), isPlainValue(before.value)
        else { return nil }
        // The statement alone, as it reads after the edit: one statement, the same name, a plain literal
        // spanning what the old one spanned plus the change. Python's module-level statements parse alike
        // alone and in their file, and the bytes around this one did not change.
        let delta = change.replacement.count - range.count
        let start = before.statement.startByte
        let end = before.statement.endByte + delta
        guard end <= newSource.bytes.count,
              let alone = try? parser.parse(SourceText(bytes: Array(newSource.bytes[start..<end]))),
              !alone.root.hasError, alone.root.namedChildCount == 1,
              let after = plainAssignment(in: alone.root, around: (range.lowerBound - start)..<(range.lowerBound - start)),
              after.statement.startByte == 0, after.statement.endByte == end - start,
              after.value.startByte == before.value.startByte - start, after.value.endByte == before.value.endByte + delta - start,
              after.name == before.name, isPlainValue(after.value)
        else { return nil }
        return tree.applying(change, giving: newSource)
    }

    private static func plainAssignment(in module: SyntaxNode, around range: Range<Int>) -> (statement: SyntaxNode, name: String, value: SyntaxNode)? {
        guard let statement = module.child(endingAfter: range.lowerBound), statement.type == "expression_statement",
              statement.startByte <= range.lowerBound, range.upperBound <= statement.endByte,
              statement.namedChildCount == 1, let assignment = statement.namedChild(0), assignment.type == "assignment",
              assignment.child(field: .type) == nil,
              let target = assignment.child(field: .left), target.type == "identifier",
              let value = assignment.child(field: .right)
        else { return nil }
        return (statement, target.text, value)
    }

    /// A name no rule reports nor reads: not DEBUG or a key setting, not a credential or `…KEY` name, not a
    /// Django setting (those make a module a settings module).
    private static func isUnread(_ name: String, settings: LintSettings) -> Bool {
        let upper = name.uppercased()
        if upper.containsBytes("DEBUG") || upper.containsBytes("SECRET") || upper.hasSuffix("KEY") { return false }
        if HardcodedCredentialRule.djangoSettingNames.contains(name) { return false }
        return !SecretSettings(settings: settings).isSecretVariable(name)
    }

    /// One literal that holds no URL, address or credential shape: a number, a boolean, None, or a string
    /// without interpolation or escapes, `:` or `@`.
    private static func isPlainValue(_ value: SyntaxNode) -> Bool {
        switch value.type {
        case "integer", "float", "true", "false", "none":
            return true
        case "string":
            return value.namedChildren.allSatisfy { $0.type == "string_start" || $0.type == "string_content" || $0.type == "string_end" }
                && !value.bytes.contains(UInt8(ascii: ":")) && !value.bytes.contains(UInt8(ascii: "@"))
        default:
            return false
        }
    }
}
