import CScan
import CTreeSitter
import TreeSitterPython
#if canImport(Glibc)
import Glibc
#endif

/// The Python grammar, loaded once per process.
public final class PythonLanguage: @unchecked Sendable {
    public static let shared = PythonLanguage()

    let raw: OpaquePointer
    /// Node type names indexed by symbol, copied once so `SyntaxNode.type` needs no C string per call.
    /// The tables below live as long as the process (the language is never freed): nodes read them through
    /// buffers, without the reference counting of an array.
    let symbolNames: UnsafeBufferPointer<String>
    let fieldIDs: [String: TSFieldId]
    /// `NodeKind` by symbol: the same name test as `SyntaxNode.type ==`, made once.
    let kinds: UnsafeBufferPointer<NodeKind>
    /// The grammar's id of each `NodeField` (by raw value), 0 for a name the grammar lacks.
    let nodeFieldIDs: UnsafeBufferPointer<TSFieldId>

    private init() {
        let language = tree_sitter_python()!
        raw = language
        let count = Int(ts_language_symbol_count(language))
        let names = (0..<count).map { symbol in
            ts_language_symbol_name(language, TSSymbol(symbol)).map { String(cString: $0) } ?? ""
        }
        symbolNames = Self.permanent(names)
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
        nodeFieldIDs = Self.permanent(NodeField.allCases.map { fields[$0.grammarName] ?? 0 })
        var kindsByName = [String: NodeKind](minimumCapacity: NodeKind.allCases.count)
        for kind in NodeKind.allCases where kind != .other { kindsByName[kind.grammarName] = kind }
        kinds = Self.permanent(names.map { kindsByName[$0] ?? .other })
    }

    /// A copy of `elements` that is never freed.
    private static func permanent<Element>(_ elements: [Element]) -> UnsafeBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = buffer.initialize(from: elements)
        return UnsafeBufferPointer(buffer)
    }
}

/// The node types the analysis tells apart most, so that telling them apart is an integer compare rather than a
/// string one (`node.kind == .call` holds exactly when `node.type == "call"`). Any other type is `.other`.
public enum NodeKind: UInt8, CaseIterable, Sendable {
    case other, error
    case identifier, attribute, call, `subscript`, string, integer, float, `true`, `false`, none
    case parenthesizedExpression, conditionalExpression, booleanOperator, comparisonOperator, binaryOperator, notOperator
    case unaryOperator, concatenatedString, dictionary, pair, list, tuple, set, argumentList, keywordArgument
    case assignment, augmentedAssignment, expressionStatement, comment, block, module, lambda
    case importStatement, importFromStatement, functionDefinition, classDefinition, decoratedDefinition
    case ifStatement, elifClause, elseClause, tryStatement, withStatement, forStatement
    case aliasedImport, dottedName, wildcardImport, relativeImport, importPrefix, patternList, tuplePattern
    case listPattern, expressionList, exceptClause, exceptGroupClause, finallyClause, listSplat, dictionarySplat
    case stringStart, stringContent, stringEnd, interpolation, typedDefaultParameter, defaultParameter, withClause
    case listComprehension, futureImportStatement

    /// The grammar's name for the type.
    public var grammarName: String {
        switch self {
        case .other: return ""
        case .error: return "ERROR"
        case .identifier: return "identifier"
        case .attribute: return "attribute"
        case .call: return "call"
        case .subscript: return "subscript"
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .true: return "true"
        case .false: return "false"
        case .none: return "none"
        case .parenthesizedExpression: return "parenthesized_expression"
        case .conditionalExpression: return "conditional_expression"
        case .booleanOperator: return "boolean_operator"
        case .comparisonOperator: return "comparison_operator"
        case .binaryOperator: return "binary_operator"
        case .notOperator: return "not_operator"
        case .unaryOperator: return "unary_operator"
        case .concatenatedString: return "concatenated_string"
        case .dictionary: return "dictionary"
        case .pair: return "pair"
        case .list: return "list"
        case .tuple: return "tuple"
        case .set: return "set"
        case .argumentList: return "argument_list"
        case .keywordArgument: return "keyword_argument"
        case .assignment: return "assignment"
        case .augmentedAssignment: return "augmented_assignment"
        case .expressionStatement: return "expression_statement"
        case .comment: return "comment"
        case .block: return "block"
        case .module: return "module"
        case .lambda: return "lambda"
        case .importStatement: return "import_statement"
        case .importFromStatement: return "import_from_statement"
        case .functionDefinition: return "function_definition"
        case .classDefinition: return "class_definition"
        case .decoratedDefinition: return "decorated_definition"
        case .ifStatement: return "if_statement"
        case .elifClause: return "elif_clause"
        case .elseClause: return "else_clause"
        case .tryStatement: return "try_statement"
        case .withStatement: return "with_statement"
        case .forStatement: return "for_statement"
        case .aliasedImport: return "aliased_import"
        case .dottedName: return "dotted_name"
        case .wildcardImport: return "wildcard_import"
        case .relativeImport: return "relative_import"
        case .importPrefix: return "import_prefix"
        case .patternList: return "pattern_list"
        case .tuplePattern: return "tuple_pattern"
        case .listPattern: return "list_pattern"
        case .expressionList: return "expression_list"
        case .exceptClause: return "except_clause"
        case .exceptGroupClause: return "except_group_clause"
        case .finallyClause: return "finally_clause"
        case .listSplat: return "list_splat"
        case .dictionarySplat: return "dictionary_splat"
        case .stringStart: return "string_start"
        case .stringContent: return "string_content"
        case .stringEnd: return "string_end"
        case .interpolation: return "interpolation"
        case .typedDefaultParameter: return "typed_default_parameter"
        case .defaultParameter: return "default_parameter"
        case .withClause: return "with_clause"
        case .listComprehension: return "list_comprehension"
        case .futureImportStatement: return "future_import_statement"
        }
    }
}

/// A set of `NodeKind`s, tested with a shift and a mask.
public struct NodeKindSet: Sendable {
    private var bits: (UInt64, UInt64) = (0, 0)

    public init(_ kinds: [NodeKind]) {
        for kind in kinds {
            let raw = Int(kind.rawValue)
            if raw < 64 { bits.0 |= 1 << UInt64(raw) } else { bits.1 |= 1 << UInt64(raw - 64) }
        }
    }

    public func contains(_ kind: NodeKind) -> Bool {
        let raw = Int(kind.rawValue)
        return (raw < 64 ? bits.0 >> UInt64(raw) : bits.1 >> UInt64(raw - 64)) & 1 != 0
    }
}

/// The grammar's fields the analysis asks for, so that a field look-up is an integer compare rather than a string
/// hash (`child(field: .function)` is `child(field: .function)`).
public enum NodeField: UInt8, CaseIterable, Sendable {
    case alias, alternative, argument, arguments, attribute, body, condition, consequence, definition, function, key, left
    case moduleName, name, object, `operator`, operators, parameters, right, `subscript`, superclasses, type, value

    /// The grammar's name for the field.
    public var grammarName: String {
        switch self {
        case .alias: return "alias"
        case .alternative: return "alternative"
        case .argument: return "argument"
        case .arguments: return "arguments"
        case .attribute: return "attribute"
        case .body: return "body"
        case .condition: return "condition"
        case .consequence: return "consequence"
        case .definition: return "definition"
        case .function: return "function"
        case .key: return "key"
        case .left: return "left"
        case .moduleName: return "module_name"
        case .name: return "name"
        case .object: return "object"
        case .`operator`: return "operator"
        case .operators: return "operators"
        case .parameters: return "parameters"
        case .right: return "right"
        case .`subscript`: return "subscript"
        case .superclasses: return "superclasses"
        case .type: return "type"
        case .value: return "value"
        }
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
        parse_arena_expect(source.bytes.count)
        return try parse(source, reusing: nil)
    }

    /// Parses only `ranges` of `source` (ascending, not overlapping, each whole lines: from a line's start
    /// to a line's start or the end): tree-sitter skips the bytes between them, and every node keeps its
    /// true offset in `source`. With no ranges it parses nothing but an empty module.
    public func parse(_ source: SourceText, including ranges: [Range<Int>]) throws -> SyntaxTree {
        try setIncludedRanges(ranges, in: source)
        defer { _ = ts_parser_set_included_ranges(raw, nil, 0) }
        parse_arena_expect(ranges.reduce(0) { $0 + $1.count })
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
///
/// The first time a node is asked for, the whole tree is copied out of tree-sitter in one pre-order walk
/// (`NodeTable`): the rules then move about the copy by array index. Reading tree-sitter's nodes directly cost
/// more than the parse itself, since every walk, child list and field look-up goes through tree-sitter's
/// child iterators again (issue #20).
public final class SyntaxTree: @unchecked Sendable {
    let raw: OpaquePointer
    public let source: SourceText
    private var table: NodeTable?
    private let tableLock: UnsafeMutablePointer<pthread_mutex_t>

    init(raw: OpaquePointer, source: SourceText) {
        self.raw = raw
        self.source = source
        tableLock = .allocate(capacity: 1)
        pthread_mutex_init(tableLock, nil)
    }

    deinit {
        ts_tree_delete(raw)
        pthread_mutex_destroy(tableLock)
        tableLock.deallocate()
    }

    /// The copy of the tree, made once (a tree may be read from several threads).
    var nodes: NodeTable {
        pthread_mutex_lock(tableLock)
        defer { pthread_mutex_unlock(tableLock) }
        if let table { return table }
        let made = NodeTable(raw, expectedCount: source.bytes.count / 4 + 16)
        table = made
        return made
    }

    public var root: SyntaxNode { SyntaxNode(tree: self, table: nodes, index: 0) }
}

/// One node as tree-sitter reported it, with its place in the pre-order copy.
struct NodeRecord {
    var startByte: UInt32
    var endByte: UInt32
    /// -1 for the root.
    var parent: Int32
    /// The index after the node's last descendant: its next sibling's, when it has one.
    var subtreeEnd: Int32
    var symbol: TSSymbol
    /// The field under which the node hangs from its parent; 0 for none.
    var field: TSFieldId
    var flags: UInt8
    /// `symbol` as a `NodeKind` (tree-sitter's error symbol, outside the grammar's table, is `.error`).
    var kind: NodeKind

    static let named: UInt8 = 1, missing: UInt8 = 2, hasError: UInt8 = 4
}

/// Every node of a tree that a cursor visits (the nodes `ts_node_child` and the field look-ups reach), in
/// pre-order: a node's children follow it, and its subtree ends at `subtreeEnd`.
final class NodeTable {
    /// Owned here; indices come only from the walk that filled it.
    let records: UnsafeMutableBufferPointer<NodeRecord>
    /// How many levels below the root the deepest node lies.
    let depth: Int
    /// Grammar names by symbol, held here so that `SyntaxNode.type` reads them without a look-up of the shared
    /// language.
    let symbolNames: UnsafeBufferPointer<String>
    let nodeFieldIDs: UnsafeBufferPointer<TSFieldId>

    /// `expectedCount`: room reserved at first (Python has a node per three to five bytes).
    init(_ tree: OpaquePointer, expectedCount: Int) {
        symbolNames = PythonLanguage.shared.symbolNames
        let kinds = PythonLanguage.shared.kinds
        nodeFieldIDs = PythonLanguage.shared.nodeFieldIDs
        var storage = UnsafeMutablePointer<NodeRecord>.allocate(capacity: max(expectedCount, 16))
        var capacity = max(expectedCount, 16)
        var count = 0
        var cursor = ts_tree_cursor_new(ts_tree_root_node(tree))
        defer { ts_tree_cursor_delete(&cursor) }
        var parent: Int32 = -1
        var level = 0, deepest = 0
        walk: while true {
            let node = ts_tree_cursor_current_node(&cursor)
            var flags: UInt8 = 0
            if ts_node_is_named(node) { flags |= NodeRecord.named }
            // A missing node is an error (tree-sitter gives it an error cost): only then is it asked.
            if ts_node_has_error(node) {
                flags |= NodeRecord.hasError
                if ts_node_is_missing(node) { flags |= NodeRecord.missing }
            }
            if count == capacity {
                let grown = UnsafeMutablePointer<NodeRecord>.allocate(capacity: capacity * 2)
                grown.moveInitialize(from: storage, count: count)
                storage.deallocate()
                storage = grown
                capacity *= 2
            }
            let index = Int32(count)
            let symbol = ts_node_symbol(node)
            (storage + count).initialize(to: NodeRecord(
                startByte: ts_node_start_byte(node), endByte: ts_node_end_byte(node), parent: parent, subtreeEnd: index + 1,
                symbol: symbol, field: ts_tree_cursor_current_field_id(&cursor), flags: flags,
                kind: Int(symbol) < kinds.count ? kinds[Int(symbol)] : .error))
            count += 1
            // A leaf (most nodes) has no visible child: one read of a count spares the cursor's failing descent.
            if ts_node_child_count(node) > 0 && ts_tree_cursor_goto_first_child(&cursor) {
                parent = index
                level += 1
                deepest = max(deepest, level)
                continue
            }
            while !ts_tree_cursor_goto_next_sibling(&cursor) {
                guard parent >= 0, ts_tree_cursor_goto_parent(&cursor) else { break walk }
                storage[Int(parent)].subtreeEnd = Int32(count)
                parent = storage[Int(parent)].parent
                level -= 1
            }
        }
        while parent >= 0 {
            storage[Int(parent)].subtreeEnd = Int32(count)
            parent = storage[Int(parent)].parent
        }
        records = UnsafeMutableBufferPointer(start: storage, count: count)
        depth = deepest
    }

    deinit {
        records.baseAddress?.deinitialize(count: records.count)
        records.baseAddress?.deallocate()
    }
}

public struct SyntaxNode {
    public let tree: SyntaxTree
    /// Owned by `tree`, which the node keeps alive.
    private unowned(unsafe) let table: NodeTable
    private let index: Int32

    init(tree: SyntaxTree, table: NodeTable, index: Int32) {
        self.tree = tree
        self.table = table
        self.index = index
    }

    @inline(__always) private var record: NodeRecord { table.records[Int(index)] }

    @inline(__always) private func node(_ index: Int32) -> SyntaxNode { SyntaxNode(tree: tree, table: table, index: index) }

    /// The node's grammar name. Error nodes carry tree-sitter's built-in symbol (65535), outside the
    /// grammar's table: they are "ERROR".
    public var type: String {
        let symbol = Int(record.symbol)
        let names = table.symbolNames
        return symbol < names.count ? names[symbol] : "ERROR"
    }
    /// `type` as a `NodeKind`: an integer compare.
    public var kind: NodeKind { record.kind }

    /// Whether the node's text is exactly `text`, with no string made.
    public func hasText(_ text: StaticString) -> Bool {
        let record = record
        let count = Int(record.endByte &- record.startByte)
        guard count == text.utf8CodeUnitCount else { return false }
        return tree.source.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, Int(record.endByte) <= buffer.count else { return false }
            return memcmp(base + Int(record.startByte), text.utf8Start, count) == 0
        }
    }

    public var isNamed: Bool { record.flags & NodeRecord.named != 0 }
    public var isError: Bool { kind == .error }
    public var isMissing: Bool { record.flags & NodeRecord.missing != 0 }
    public var hasError: Bool { record.flags & NodeRecord.hasError != 0 }

    public var startByte: Int { Int(record.startByte) }
    public var endByte: Int { Int(record.endByte) }
    public var byteRange: Range<Int> {
        let record = record
        return Int(record.startByte)..<Int(record.endByte)
    }
    /// Zero-based row of the first byte.
    public var startRow: Int { tree.source.lineIndex(ofByte: startByte) }
    public var endRow: Int { tree.source.lineIndex(ofByte: endByte) }

    public var parent: SyntaxNode? {
        let parent = record.parent
        return parent < 0 ? nil : node(parent)
    }

    /// The first child's index, or nil for a leaf.
    @inline(__always) private var firstChildIndex: Int32? {
        let first = index + 1
        return first < record.subtreeEnd ? first : nil
    }

    /// Calls `body` with each child's index in order until it returns false.
    @inline(__always) private func forEachChildIndex(_ body: (Int32) -> Bool) {
        let records = table.records
        let end = records[Int(index)].subtreeEnd
        var child = index + 1
        while child < end {
            guard body(child) else { return }
            child = records[Int(child)].subtreeEnd
        }
    }

    public var childCount: Int {
        var count = 0
        forEachChildIndex { _ in count += 1; return true }
        return count
    }
    public var namedChildCount: Int {
        var count = 0
        let records = table.records
        forEachChildIndex { child in
            if records[Int(child)].flags & NodeRecord.named != 0 { count += 1 }
            return true
        }
        return count
    }
    public func child(_ position: Int) -> SyntaxNode? {
        guard position >= 0 else { return nil }
        var seen = 0
        var found: Int32?
        forEachChildIndex { child in
            if seen == position { found = child; return false }
            seen += 1
            return true
        }
        return found.map(node)
    }
    public func namedChild(_ position: Int) -> SyntaxNode? {
        guard position >= 0 else { return nil }
        var seen = 0
        var found: Int32?
        let records = table.records
        forEachChildIndex { child in
            guard records[Int(child)].flags & NodeRecord.named != 0 else { return true }
            if seen == position { found = child; return false }
            seen += 1
            return true
        }
        return found.map(node)
    }
    public var nextSibling: SyntaxNode? {
        let record = record
        guard record.parent >= 0 else { return nil }
        let next = record.subtreeEnd
        return next < table.records[Int(record.parent)].subtreeEnd ? node(next) : nil
    }
    public var nextNamedSibling: SyntaxNode? {
        var sibling = nextSibling
        while let current = sibling, !current.isNamed { sibling = current.nextSibling }
        return sibling
    }
    public var previousSibling: SyntaxNode? {
        let parent = record.parent
        guard parent >= 0 else { return nil }
        var previous: Int32?
        node(parent).forEachChildIndex { child in
            guard child != index else { return false }
            previous = child
            return true
        }
        return previous.map(node)
    }

    /// Every child, in order.
    public var children: [SyntaxNode] {
        var result: [SyntaxNode] = []
        forEachChildIndex { result.append(node($0)); return true }
        return result
    }
    public var namedChildren: [SyntaxNode] {
        var result: [SyntaxNode] = []
        let records = table.records
        forEachChildIndex { child in
            if records[Int(child)].flags & NodeRecord.named != 0 { result.append(node(child)) }
            return true
        }
        return result
    }

    /// The first child that ends after `offset` (the one holding it, when one does).
    public func child(endingAfter offset: Int) -> SyntaxNode? {
        let offset = max(offset, 0)
        var found: Int32?
        let records = table.records
        forEachChildIndex { child in
            guard Int(records[Int(child)].endByte) > offset else { return true }
            found = child
            return false
        }
        return found.map(node)
    }

    public func child(field: String) -> SyntaxNode? {
        guard let id = PythonLanguage.shared.fieldIDs[field] else { return nil }
        return child(fieldID: id)
    }

    public func child(field: NodeField) -> SyntaxNode? {
        let id = table.nodeFieldIDs[Int(field.rawValue)]
        guard id != 0 else { return nil }
        return child(fieldID: id)
    }

    @inline(__always) private func child(fieldID id: TSFieldId) -> SyntaxNode? {
        var found: Int32?
        let records = table.records
        forEachChildIndex { child in
            guard records[Int(child)].field == id else { return true }
            found = child
            return false
        }
        return found.map(node)
    }

    /// Every child that the grammar labels with `field`, in order.
    public func children(field: String) -> [SyntaxNode] {
        guard let id = PythonLanguage.shared.fieldIDs[field] else { return [] }
        return children(fieldID: id)
    }

    public func children(field: NodeField) -> [SyntaxNode] {
        let id = table.nodeFieldIDs[Int(field.rawValue)]
        guard id != 0 else { return [] }
        return children(fieldID: id)
    }

    private func children(fieldID id: TSFieldId) -> [SyntaxNode] {
        var result: [SyntaxNode] = []
        let records = table.records
        forEachChildIndex { child in
            if records[Int(child)].field == id { result.append(node(child)) }
            return true
        }
        return result
    }

    /// The field name under which this node hangs from its parent, if any.
    public var fieldNameInParent: String? {
        let field = record.field
        guard field != 0, let name = ts_language_field_name_for_id(PythonLanguage.shared.raw, field) else { return nil }
        return String(cString: name)
    }

    /// The tree as tree-sitter prints it (S-expression): two trees with the same text are the same parse.
    public var treeDescription: String {
        // tree-sitter's own node, reached by the same child positions from the root.
        var positions: [Int] = []
        var current = self
        while let parent = current.parent {
            var position = 0
            parent.forEachChildIndex { child in
                guard child != current.index else { return false }
                position += 1
                return true
            }
            positions.append(position)
            current = parent
        }
        var cursor = ts_tree_cursor_new(ts_tree_root_node(tree.raw))
        defer { ts_tree_cursor_delete(&cursor) }
        for position in positions.reversed() {
            _ = ts_tree_cursor_goto_first_child(&cursor)
            for _ in 0..<position { _ = ts_tree_cursor_goto_next_sibling(&cursor) }
        }
        guard let text = ts_node_string(ts_tree_cursor_current_node(&cursor)) else { return "" }
        defer { free(text) }
        return String(cString: text)
    }

    /// The node's source text, decoded leniently.
    public var text: String { tree.source.string(in: byteRange) }
    public var bytes: ArraySlice<UInt8> { tree.source.bytes[byteRange] }

    public static func == (lhs: SyntaxNode, rhs: SyntaxNode) -> Bool { lhs.index == rhs.index && lhs.tree === rhs.tree }

    /// Whether some node below this one lies more than `limit` levels down: a guard for code that recurses
    /// on the tree.
    public func nests(deeperThan limit: Int) -> Bool {
        if index == 0 { return table.depth > limit }
        let records = table.records
        let end = records[Int(index)].subtreeEnd
        var child = index + 1
        while child < end {
            var depth = 0
            var ancestor = child
            while ancestor != index {
                depth += 1
                if depth > limit { return true }
                ancestor = records[Int(ancestor)].parent
            }
            child += 1
        }
        return false
    }

    /// Calls `body` with each node of the subtree (this one included) of kind `kind`, in pre-order: what a `walk`
    /// that looks at nothing else finds, without making a `SyntaxNode` of every other node.
    public func forEachNode(ofKind kind: NodeKind, _ body: (SyntaxNode) -> Void) {
        let records = table.records
        let end = records[Int(index)].subtreeEnd
        var current = index
        while current < end {
            if records[Int(current)].kind == kind { body(node(current)) }
            current += 1
        }
    }

    /// Calls `body` with each node of the subtree (this one included) whose kind is in `kinds`, in pre-order,
    /// until it returns false: a `walk` that stops at a find and looks at nothing else.
    public func forEachNode(ofKinds kinds: NodeKindSet, _ body: (SyntaxNode) -> Bool) {
        let records = table.records
        let end = records[Int(index)].subtreeEnd
        var current = index
        while current < end {
            if kinds.contains(records[Int(current)].kind), !body(node(current)) { return }
            current += 1
        }
    }

    /// Depth-first pre-order walk; `visit` returns false to skip a node's children.
    public func walk(_ visit: (SyntaxNode) -> Bool) {
        let end = record.subtreeEnd
        var current = index
        while current < end {
            if visit(node(current)) {
                current += 1
            } else {
                current = table.records[Int(current)].subtreeEnd
            }
        }
    }
}
