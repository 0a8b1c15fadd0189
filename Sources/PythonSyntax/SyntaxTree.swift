import CTreeSitter
import TreeSitterPython

/// The Python grammar, loaded once per process.
public final class PythonLanguage: @unchecked Sendable {
    public static let shared = PythonLanguage()

    let raw: OpaquePointer
    /// Node type names indexed by symbol, copied once so `SyntaxNode.type` needs no C string per call.
    let symbolNames: [String]
    let fieldIDs: [String: TSFieldId]

    private init() {
        let language = tree_sitter_python()!
        raw = language
        let count = Int(ts_language_symbol_count(language))
        symbolNames = (0..<count).map { symbol in
            ts_language_symbol_name(language, TSSymbol(symbol)).map { String(cString: $0) } ?? ""
        }
        let fieldCount = ts_language_field_count(language)
        var fields = [String: TSFieldId](minimumCapacity: Int(fieldCount))
        if fieldCount > 0 {
            for id in 1...fieldCount {
                if let name = ts_language_field_name_for_id(language, TSFieldId(id)) {
                    fields[String(cString: name)] = TSFieldId(id)
                }
            }
        }
        fieldIDs = fields
    }
}

public enum ParserError: Error, CustomStringConvertible {
    case incompatibleGrammar(version: UInt32)
    case parseFailed

    public var description: String {
        switch self {
        case .incompatibleGrammar(let version):
            return "the tree-sitter runtime rejects the Python grammar (language ABI \(version))"
        case .parseFailed:
            return "tree-sitter could not parse the file"
        }
    }
}

/// Owns a tree-sitter parser configured for Python. Not thread-safe: use one per thread.
public final class PythonParser {
    private let raw: OpaquePointer

    public init() throws {
        guard let parser = ts_parser_new() else { throw ParserError.parseFailed }
        raw = parser
        let language = PythonLanguage.shared
        guard ts_parser_set_language(raw, language.raw) else {
            ts_parser_delete(raw)
            throw ParserError.incompatibleGrammar(version: ts_language_version(language.raw))
        }
    }

    deinit { ts_parser_delete(raw) }

    public func parse(_ source: SourceText) throws -> SyntaxTree {
        try parse(source, reusing: nil)
    }

    /// Parses only `ranges` of `source` (ascending, not overlapping, each whole lines: from a line's start
    /// to a line's start or the end): tree-sitter skips the bytes between them, and every node keeps its
    /// true offset in `source`. With no ranges it parses nothing but an empty module.
    public func parse(_ source: SourceText, including ranges: [Range<Int>]) throws -> SyntaxTree {
        try setIncludedRanges(ranges, in: source)
        defer { _ = ts_parser_set_included_ranges(raw, nil, 0) }
        return try parse(source, reusing: nil)
    }

    /// `parse(_:including:)` of `source`, which is `tree`'s source with `changes` made, reusing what the
    /// changes left of `tree` (a tree of included ranges too): tree-sitter parses again only what the
    /// changes and the differences between the old and the new ranges touched.
    public func reparse(_ source: SourceText, including ranges: [Range<Int>], changing tree: SyntaxTree, by changes: [SourceChange]) throws -> SyntaxTree {
        try setIncludedRanges(ranges, in: source)
        defer { _ = ts_parser_set_included_ranges(raw, nil, 0) }
        return try reparse(source, changing: tree, by: changes)
    }

    private func setIncludedRanges(_ ranges: [Range<Int>], in source: SourceText) throws {
        var included = ranges.map { range -> TSRange in
            TSRange(
                start_point: source.point(ofByte: range.lowerBound), end_point: source.point(ofByte: range.upperBound),
                start_byte: UInt32(range.lowerBound), end_byte: UInt32(range.upperBound))
        }
        if included.isEmpty {
            // An empty range list means the whole file to tree-sitter: one empty range at the end instead.
            let end = source.bytes.count
            included = [TSRange(start_point: source.point(ofByte: end), end_point: source.point(ofByte: end),
                                start_byte: UInt32(end), end_byte: UInt32(end))]
        }
        guard ts_parser_set_included_ranges(raw, included, UInt32(included.count)) else { throw ParserError.parseFailed }
    }

    private func parse(_ source: SourceText, reusing oldTree: OpaquePointer?) throws -> SyntaxTree {
        let tree = source.bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    ts_parser_parse_string(raw, oldTree, $0, UInt32(buffer.count))
                }
            } ?? ts_parser_parse_string(raw, nil, "", 0)
        }
        guard let tree else { throw ParserError.parseFailed }
        return SyntaxTree(raw: tree, source: source)
    }

    /// Parses `source`, which is `tree`'s source with `changes` made (none overlapping), reusing the
    /// parts of `tree` the changes did not touch: the same tree `parse(source)` gives, for far less work.
    public func reparse(_ source: SourceText, changing tree: SyntaxTree, by changes: [SourceChange]) throws -> SyntaxTree {
        guard let edited = ts_tree_copy(tree.raw) else { throw ParserError.parseFailed }
        defer { ts_tree_delete(edited) }
        // From the last change back, so each one's offsets still hold in the tree being edited.
        for change in changes.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            var edit = tree.source.inputEdit(for: change)
            ts_tree_edit(edited, &edit)
        }
        return try parse(source, reusing: edited)
    }
}

extension SyntaxTree {
    /// This tree with `change` made to its text but not parsed again: nodes after the change move, nodes
    /// around it grow or shrink. Right only when the caller knows the change leaves the structure as it
    /// was (a character typed inside a literal); nil when tree-sitter cannot copy the tree.
    public func applying(_ change: SourceChange, giving newSource: SourceText) -> SyntaxTree? {
        guard let copy = ts_tree_copy(raw) else { return nil }
        var edit = source.inputEdit(for: change)
        ts_tree_edit(copy, &edit)
        return SyntaxTree(raw: copy, source: newSource)
    }
}

/// A change made to a parsed source: the bytes of `range` replaced by `replacement`.
public struct SourceChange {
    public let range: Range<Int>
    public let replacement: [UInt8]

    public init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }
}

extension SourceText {
    /// The edit tree-sitter needs to move a tree of this text to the text with `change` made.
    fileprivate func inputEdit(for change: SourceChange) -> TSInputEdit {
        let start = point(ofByte: change.range.lowerBound)
        var newEnd = start
        for byte in change.replacement {
            if byte == 0x0A { newEnd = TSPoint(row: newEnd.row + 1, column: 0) } else { newEnd.column += 1 }
        }
        return TSInputEdit(
            start_byte: UInt32(change.range.lowerBound), old_end_byte: UInt32(change.range.upperBound),
            new_end_byte: UInt32(change.range.lowerBound + change.replacement.count),
            start_point: start, old_end_point: point(ofByte: change.range.upperBound), new_end_point: newEnd)
    }

    /// The tree-sitter position of a byte offset: row, and bytes since the row's start.
    func point(ofByte offset: Int) -> TSPoint {
        let line = lineIndex(ofByte: offset)
        let lineStart = line == 0 ? 0 : self.lineStart(line)
        return TSPoint(row: UInt32(line), column: UInt32(offset - lineStart))
    }
}

/// A parsed file. Nodes keep their tree alive, so they can never outlive it.
public final class SyntaxTree {
    let raw: OpaquePointer
    public let source: SourceText

    init(raw: OpaquePointer, source: SourceText) {
        self.raw = raw
        self.source = source
    }

    deinit { ts_tree_delete(raw) }

    public var root: SyntaxNode { SyntaxNode(raw: ts_tree_root_node(raw), tree: self) }
}

public struct SyntaxNode {
    let raw: TSNode
    public let tree: SyntaxTree

    init(raw: TSNode, tree: SyntaxTree) {
        self.raw = raw
        self.tree = tree
    }

    private func wrap(_ node: TSNode) -> SyntaxNode? {
        ts_node_is_null(node) ? nil : SyntaxNode(raw: node, tree: tree)
    }

    /// The node's grammar name. Error nodes carry tree-sitter's built-in symbol (65535), outside the
    /// grammar's table: they are "ERROR".
    public var type: String {
        let symbol = Int(ts_node_symbol(raw))
        let names = PythonLanguage.shared.symbolNames
        return symbol < names.count ? names[symbol] : "ERROR"
    }
    public var isNamed: Bool { ts_node_is_named(raw) }
    public var isError: Bool { type == "ERROR" }
    public var isMissing: Bool { ts_node_is_missing(raw) }
    public var hasError: Bool { ts_node_has_error(raw) }

    public var startByte: Int { Int(ts_node_start_byte(raw)) }
    public var endByte: Int { Int(ts_node_end_byte(raw)) }
    public var byteRange: Range<Int> { startByte..<endByte }
    /// Zero-based row of the first byte.
    public var startRow: Int { Int(ts_node_start_point(raw).row) }
    public var endRow: Int { Int(ts_node_end_point(raw).row) }

    public var parent: SyntaxNode? { wrap(ts_node_parent(raw)) }
    public var childCount: Int { Int(ts_node_child_count(raw)) }
    public var namedChildCount: Int { Int(ts_node_named_child_count(raw)) }
    public func child(_ index: Int) -> SyntaxNode? { wrap(ts_node_child(raw, UInt32(index))) }
    public func namedChild(_ index: Int) -> SyntaxNode? { wrap(ts_node_named_child(raw, UInt32(index))) }
    public var nextSibling: SyntaxNode? { wrap(ts_node_next_sibling(raw)) }
    public var nextNamedSibling: SyntaxNode? { wrap(ts_node_next_named_sibling(raw)) }
    public var previousSibling: SyntaxNode? { wrap(ts_node_prev_sibling(raw)) }

    /// Every child, in order. Read with a cursor: `ts_node_child(i)` walks from the first child each
    /// time, which made a module's thousand statements cost a million steps.
    public var children: [SyntaxNode] { childNodes(namedOnly: false) }
    public var namedChildren: [SyntaxNode] { childNodes(namedOnly: true) }

    private func childNodes(namedOnly: Bool) -> [SyntaxNode] {
        var cursor = ts_tree_cursor_new(raw)
        defer { ts_tree_cursor_delete(&cursor) }
        var result: [SyntaxNode] = []
        guard ts_tree_cursor_goto_first_child(&cursor) else { return [] }
        repeat {
            let node = ts_tree_cursor_current_node(&cursor)
            if !namedOnly || ts_node_is_named(node) { result.append(SyntaxNode(raw: node, tree: tree)) }
        } while ts_tree_cursor_goto_next_sibling(&cursor)
        return result
    }

    /// The first child that ends after `offset` (the one holding it, when one does), found by
    /// tree-sitter's own search rather than by walking every child before it.
    public func child(endingAfter offset: Int) -> SyntaxNode? {
        var cursor = ts_tree_cursor_new(raw)
        defer { ts_tree_cursor_delete(&cursor) }
        guard ts_tree_cursor_goto_first_child_for_byte(&cursor, UInt32(max(offset, 0))) >= 0 else { return nil }
        return SyntaxNode(raw: ts_tree_cursor_current_node(&cursor), tree: tree)
    }

    public func child(field: String) -> SyntaxNode? {
        guard let id = PythonLanguage.shared.fieldIDs[field] else { return nil }
        return wrap(ts_node_child_by_field_id(raw, id))
    }

    /// Every child that the grammar labels with `field`, in order.
    public func children(field: String) -> [SyntaxNode] {
        guard let id = PythonLanguage.shared.fieldIDs[field] else { return [] }
        var cursor = ts_tree_cursor_new(raw)
        defer { ts_tree_cursor_delete(&cursor) }
        var result: [SyntaxNode] = []
        guard ts_tree_cursor_goto_first_child(&cursor) else { return [] }
        repeat {
            if ts_tree_cursor_current_field_id(&cursor) == id {
                result.append(SyntaxNode(raw: ts_tree_cursor_current_node(&cursor), tree: tree))
            }
        } while ts_tree_cursor_goto_next_sibling(&cursor)
        return result
    }

    /// The field name under which this node hangs from its parent, if any.
    public var fieldNameInParent: String? {
        guard let parent else { return nil }
        var cursor = ts_tree_cursor_new(parent.raw)
        defer { ts_tree_cursor_delete(&cursor) }
        guard ts_tree_cursor_goto_first_child(&cursor) else { return nil }
        repeat {
            let current = ts_tree_cursor_current_node(&cursor)
            if ts_node_eq(current, raw) {
                return ts_tree_cursor_current_field_name(&cursor).map { String(cString: $0) }
            }
        } while ts_tree_cursor_goto_next_sibling(&cursor)
        return nil
    }

    /// The tree as tree-sitter prints it (S-expression): two trees with the same text are the same parse.
    public var treeDescription: String {
        guard let text = ts_node_string(raw) else { return "" }
        defer { free(text) }
        return String(cString: text)
    }

    /// The node's source text, decoded leniently.
    public var text: String { tree.source.string(in: byteRange) }
    public var bytes: ArraySlice<UInt8> { tree.source.bytes[byteRange] }

    public static func == (lhs: SyntaxNode, rhs: SyntaxNode) -> Bool { ts_node_eq(lhs.raw, rhs.raw) }

    /// Whether some node below this one lies more than `limit` levels down. Counted with a cursor, never
    /// by recursion, and stops as soon as the limit is passed: a guard for code that recurses on the tree.
    public func nests(deeperThan limit: Int) -> Bool {
        var cursor = ts_tree_cursor_new(raw)
        defer { ts_tree_cursor_delete(&cursor) }
        var depth = 0
        while true {
            if ts_tree_cursor_goto_first_child(&cursor) {
                depth += 1
                if depth > limit { return true }
                continue
            }
            while !ts_tree_cursor_goto_next_sibling(&cursor) {
                guard depth > 1, ts_tree_cursor_goto_parent(&cursor) else { return false }
                depth -= 1
            }
        }
    }

    /// Depth-first pre-order walk; `visit` returns false to skip a node's children.
    public func walk(_ visit: (SyntaxNode) -> Bool) {
        var cursor = ts_tree_cursor_new(raw)
        defer { ts_tree_cursor_delete(&cursor) }
        while true {
            let node = SyntaxNode(raw: ts_tree_cursor_current_node(&cursor), tree: tree)
            if visit(node), ts_tree_cursor_goto_first_child(&cursor) { continue }
            while !ts_tree_cursor_goto_next_sibling(&cursor) {
                guard ts_tree_cursor_goto_parent(&cursor) else { return }
                if ts_node_eq(ts_tree_cursor_current_node(&cursor), raw) { return }
            }
            if ts_node_eq(ts_tree_cursor_current_node(&cursor), raw) { return }
        }
    }
}
