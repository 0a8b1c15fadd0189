/// The module-level statements of a Python source, found lexically in one pass over its bytes, so that a
/// caller can have tree-sitter parse only the statements it needs (`PythonParser.parse(_:including:)`).
///
/// It tells two things per statement: its byte range (whole physical lines, from the start of its first
/// line to the end of its last, the terminator included; decorators, `elif`/`else`/`except`/`finally`
/// clauses and indented blocks belong to the statement above them), and, for a statement of the form
/// `NAME = expression` (or `NAME: ANNOTATION = expression`) made of plain tokens only (names, numbers,
/// non-f strings, `...`, operators, calls, attribute access, lists, tuples, dicts, sets, unpacking in lists
/// and calls), the range of `NAME`. Such a statement has been
/// checked token by token to be a complete, valid statement on its own: leaving it out of a parse
/// cannot change how the statements around it parse (Python's grammar starts afresh at each
/// module-level line), nor hide a syntax error. Statements that bind nothing (a call, `pass`, `raise`), the
/// clause headers of the compound statements it follows and those statements themselves are validated the
/// same way (`Statement.isPlainStatement`).
///
/// Whatever the scan cannot follow with certainty (an unterminated string or bracket, a stray backslash,
/// a lone carriage return, an indented line outside any block, a NUL byte) makes `split` return nil: the
/// caller then parses the whole file.
public enum ModuleStatements {
    public struct Statement {
        /// Whole lines, terminators included.
        public var range: Range<Int> {
            get { Int(start)..<Int(end) }
            set {
                start = Int32(newValue.lowerBound)
                end = Int32(newValue.upperBound)
            }
        }
        /// The assigned name of a validated standalone `NAME = expression` statement; nil for any other.
        public var plainTarget: Range<Int>? {
            get { targetStart < 0 ? nil : Int(targetStart)..<Int(targetEnd) }
            set {
                targetStart = newValue.map { Int32($0.lowerBound) } ?? -1
                targetEnd = newValue.map { Int32($0.upperBound) } ?? -1
            }
        }
        /// Free for the caller like `mark`, for a value it derived (kept and reset with it).
        public var note: UInt64 = 0
        // Offsets held in 32 bits (a source is at most 10 MiB): a big module's split is thousands of these, and
        // each array of them is copied and moved along edits; 40 bytes a statement instead of 64.
        private var start: Int32
        private var end: Int32
        private var targetStart: Int32 = -1
        private var targetEnd: Int32 = -1
        /// Free for the caller to note what it derived from the statement's bytes: `split(_:reusing:change:)`
        /// keeps it on the statements it moves unchanged (0 at first).
        public var mark: UInt8 = 0
        /// 0 for a module-level statement; for a part of a compound statement (see `partCount`), one more
        /// than the statement it is a part of.
        public var depth: UInt8 = 0
        /// For an `if`/`elif`/`else`, `try`/`except`/`else`/`finally`, `with`, `for`/`else`, `while`/`else` or
        /// `class` statement whose blocks
        /// were followed line by line: how many entries after it are its parts, in order: its clause headers
        /// (each a logical line ending in `:`) and the statements of its blocks, a nested compound statement
        /// split the same way (its own parts following it). 0 for any other statement (parsed whole or not
        /// at all). Each block's statements are at one indentation of spaces, and a `NAME = expression` among
        /// them has been validated as at module level: leaving it out changes no other line's tokens, nor the
        /// indentation the parser sees (the statement before it in its block is at the same indentation).
        public var partCount: Int32 = 0
        /// A part that is a clause header, the first or last statement of a block (a block cannot be empty,
        /// and the compound statement ends where its last block does), or a class body's first `NAME = …`
        /// (whether a class assigns anything). Such a part is left out only with its whole compound statement.
        public var isStructural = false
        /// A part that is one of its compound statement's clause headers (`if …:`, `else:`, `except … as e:`).
        public var isClauseHeader = false
        /// A statement that is not `NAME = expression` but was validated token by token the same way (complete
        /// on its own, plain tokens only: no f-string, lambda, walrus, comprehension, slice, `yield` or
        /// `await`; a conditional expression is followed), so that leaving it out of a parse changes no other line's tokens
        /// and hides no syntax error:
        /// - a statement that binds no name: an expression statement (`Path(DATA_DIR).mkdir(exist_ok=True)`,
        ///   a string, `print(…)`), an assignment to an item or attribute of a name (`LOGGING["root"] = …`,
        ///   `app.conf.timezone = …`), `pass`, `continue`, `break`, `raise` alone or with such an expression;
        /// - a clause header (`isClauseHeader`) of an `if`/`elif`/`while` with such a condition, `else:`, `try:`,
        ///   `finally:`, `except:`, `except EXPR:`, `except EXPR as NAME:`, `with EXPR [as NAME], …:`: it binds
        ///   at most the names after `as`; `for NAME, … in EXPR:`, which binds the names before `in`;
        /// - an `if`, `try`, `with`, `for` or `while` statement split into parts (`partCount`) whose clauses make
        ///   a valid statement (a `try` with a handler, `else` after the `except` clauses, `finally` last, one
        ///   `else` last elsewhere); whether its parts are plain is theirs to say.
        public var isPlainStatement = false

        public init(
            range: Range<Int>, plainTarget: Range<Int>?, mark: UInt8 = 0, depth: UInt8 = 0, isStructural: Bool = false,
            isClauseHeader: Bool = false, isPlainStatement: Bool = false
        ) {
            start = Int32(range.lowerBound)
            end = Int32(range.upperBound)
            self.plainTarget = plainTarget
            self.mark = mark
            self.depth = depth
            self.isStructural = isStructural
            self.isClauseHeader = isClauseHeader
            self.isPlainStatement = isPlainStatement
        }

        /// The statement moved by `delta` bytes.
        func moved(by delta: Int) -> Statement {
            var moved = self
            moved.range = (range.lowerBound + delta)..<(range.upperBound + delta)
            moved.plainTarget = plainTarget.map { ($0.lowerBound + delta)..<($0.upperBound + delta) }
            return moved
        }
    }

    /// The module's statements in order (each compound statement followed by its parts, `partCount`), or nil
    /// when the scan is unsure of the split.
    public static func split(_ buffer: UnsafeBufferPointer<UInt8>) -> [Statement]? {
        // Offsets are held in 32 bits: a bigger text is parsed whole.
        guard buffer.count < Int32.max else { return nil }
        var scanner = Scanner(buffer: buffer)
        return scanner.split()
    }

    /// What `Scanner.split(from:keeping:resume:)`'s `resume` appended: the rest of the statements, or
    /// those up to the statement starting `at`, where the scan goes on.
    private enum Resumption { case end, at(Int) }

    private struct Scanner {
        let buffer: UnsafeBufferPointer<UInt8>
        var count: Int { buffer.count }

        @inline(__always) func byte(_ index: Int) -> UInt8 { index < buffer.count ? buffer[index] : 0 }

        mutating func split() -> [Statement]? {
            let hasBOM = count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
            return split(from: hasBOM ? 3 : 0, keeping: [], resume: { _, _ in nil })
        }

        /// Splits from `start` (a statement's start, or the text's start), after the `kept` statements before
        /// it. At each new statement's start `resume` may append the statements from there on (the scan then
        /// ends) or up to a later statement's start (where the scan goes on), and says which.
        mutating func split(
            from start: Int, keeping kept: [Statement], resume: (Int, inout [Statement]) -> Resumption?
        ) -> [Statement]? {
            var statements = kept
            // About one statement per 40 bytes in big modules: no array growth copying them over and over.
            statements.reserveCapacity(kept.count + (count - start) / 32)
            let hasBOM = count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
            var position = start
            /// The latest module-level statement (its parts follow it).
            var last = statements.lastIndex { $0.depth == 0 } ?? -1
            /// The latest statement may take indented lines and clauses (a compound statement, or one we keep anyway).
            var pendingDecorator = false
            while position < count {
                let lineStart = hasBOM && position == 3 ? 0 : position
                // Indentation and blank or comment-only lines.
                var index = position
                while index < count, buffer[index] == 0x20 || buffer[index] == 0x09 || buffer[index] == 0x0C { index += 1 }
                let first = byte(index)
                if index >= count { break }
                if first == UInt8(ascii: "#") || first == 0x0A || (first == 0x0D && byte(index + 1) == 0x0A) {
                    // A line with no code: it belongs to no statement, but does not end a block.
                    guard let next = lineEnd(from: index) else { return nil }
                    position = next
                    continue
                }
                if first == 0x0D || first == 0 { return nil }
                let indented = index > position
                // Most statements of a big module are plain `NAME = value`: validated and ended in one pass.
                if !indented && !pendingDecorator && !isClauseKeyword(at: index), let resumption = resume(lineStart, &statements) {
                    guard case .at(let next) = resumption else { return statements }
                    last = statements.lastIndex { $0.depth == 0 } ?? -1
                    position = next
                    continue
                }
                if !indented && !pendingDecorator, let (name, end) = plainAssignment(from: index) {
                    last = statements.count
                    statements.append(Statement(range: lineStart..<end, plainTarget: name))
                    position = end
                    continue
                }
                if !indented && !pendingDecorator, let end = plainStatementEnd(from: index) {
                    last = statements.count
                    statements.append(Statement(range: lineStart..<end, plainTarget: nil, isPlainStatement: true))
                    position = end
                    continue
                }
                guard let end = logicalLineEnd(from: index) else { return nil }
                if indented || isClauseKeyword(at: index) {
                    // Part of the statement above: a block line or a clause. A statement that is not
                    // compound followed by an indented line is an error the full parse must see.
                    guard !pendingDecorator, last >= 0, statements[last].plainTarget == nil, !statements[last].isPlainStatement,
                          indented || mayHaveClauses(at: statements[last].range.lowerBound + (hasBOM && statements[last].range.lowerBound == 0 ? 3 : 0))
                    else { return nil }
                    statements[last].range = statements[last].range.lowerBound..<end
                    // A line its split did not take: the statement is parsed whole.
                    statements.removeSubrange((last + 1)...)
                    statements[last].partCount = 0
                    position = end
                    continue
                }
                if pendingDecorator {
                    statements[last].range = statements[last].range.lowerBound..<end
                    pendingDecorator = first == UInt8(ascii: "@")
                    position = end
                    continue
                }
                pendingDecorator = first == UInt8(ascii: "@")
                last = statements.count
                if !pendingDecorator, let compoundEnd = compound(lineStart: lineStart, keyword: index, indent: 0, depth: 0, into: &statements) {
                    position = compoundEnd
                    continue
                }
                statements.append(Statement(range: lineStart..<end, plainTarget: nil))
                position = end
            }
            if pendingDecorator { return nil }
            return statements
        }

        // MARK: Compound statements followed into their blocks

        private enum CompoundKind { case ifStatement, tryStatement, withStatement, classDefinition, forStatement, whileStatement }

        private func keyword(_ word: StaticString, at index: Int) -> Bool {
            matches(word, at: index) && !isNameByte(byte(index + word.utf8CodeUnitCount))
        }

        private func compoundKind(at index: Int) -> CompoundKind? {
            switch byte(index) {
            case UInt8(ascii: "i"): return keyword("if", at: index) ? .ifStatement : nil
            case UInt8(ascii: "t"): return keyword("try", at: index) ? .tryStatement : nil
            case UInt8(ascii: "w"): return keyword("with", at: index) ? .withStatement : keyword("while", at: index) ? .whileStatement : nil
            case UInt8(ascii: "f"): return keyword("for", at: index) ? .forStatement : nil
            case UInt8(ascii: "c"): return keyword("class", at: index) ? .classDefinition : nil
            default: return nil
            }
        }

        private func isClause(of kind: CompoundKind, at index: Int) -> Bool {
            switch kind {
            case .ifStatement: return keyword("elif", at: index) || keyword("else", at: index)
            case .tryStatement: return keyword("except", at: index) || keyword("else", at: index) || keyword("finally", at: index)
            case .forStatement, .whileStatement: return keyword("else", at: index)
            case .withStatement, .classDefinition: return false
            }
        }

        /// The end (after its terminator) of the logical line from `start` when it is a block's header: its
        /// last token is `:` (a comment may follow). Nil otherwise, or when unsure.
        private func headerEnd(from start: Int) -> Int? {
            guard let end = logicalLineEnd(from: start) else { return nil }
            // The last code byte: strings skipped whole, comments and line joins passed over.
            var index = start
            var lastCode = -1
            while index < end {
                let current = buffer[index]
                switch current {
                case UInt8(ascii: "#"):
                    while index < end && buffer[index] != 0x0A { index += 1 }
                    continue
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    guard let after = skipString(at: index) else { return nil }
                    lastCode = after - 1
                    index = after
                    continue
                case 0x20, 0x09, 0x0C, 0x0A, 0x0D, UInt8(ascii: "\\"):
                    break
                default:
                    lastCode = index
                }
                index += 1
            }
            guard lastCode >= 0, buffer[lastCode] == UInt8(ascii: ":") else { return nil }
            return end
        }

        /// How many spaces indent the line at `lineStart`, and where its code starts; nil for a line with
        /// no code (blank or comment only, `next` after it), a tab or form feed in the indentation (the
        /// caller keeps the statement whole), or the text's end.
        private enum Line { case code(indent: Int, start: Int), empty(next: Int), unsure, end }

        private func line(at lineStart: Int) -> Line {
            var index = lineStart
            while index < count, buffer[index] == 0x20 { index += 1 }
            guard index < count else { return .end }
            let first = buffer[index]
            if first == UInt8(ascii: "#") || first == 0x0A || (first == 0x0D && byte(index + 1) == 0x0A) {
                guard let next = lineEnd(from: index) else { return .unsure }
                return .empty(next: next)
            }
            if first == 0x09 || first == 0x0C || first == 0x0D || first == 0 { return .unsure }
            return .code(indent: index - lineStart, start: index)
        }

        /// The first code line at or after `position`: its start and indentation; `count` at the text's end.
        private func nextCodeLine(from position: Int) -> (lineStart: Int, indent: Int, start: Int)? {
            var position = position
            while true {
                switch line(at: position) {
                case .code(let indent, let start): return (position, indent, start)
                case .empty(let next): position = next
                case .unsure: return nil
                case .end: return (count, 0, count)
                }
            }
        }

        /// The compound statement whose header starts at `keyword`, on the line at `lineStart` indented by
        /// `indent` spaces, appended to `out` followed by its parts (its blocks split into statements); the
        /// statement's end. Nil, and nothing appended, when it is not one of the kinds followed or the scan
        /// is unsure (the caller then takes it whole).
        private func compound(lineStart: Int, keyword: Int, indent: Int, depth: UInt8, into out: inout [Statement]) -> Int? {
            guard depth < 16, let kind = compoundKind(at: keyword) else { return nil }
            let index = out.count
            out.append(Statement(range: lineStart..<lineStart, plainTarget: nil, depth: depth))
            var headerLine = lineStart
            var header = keyword
            var end = lineStart
            // Whether the clauses come in an order Python accepts (`else` last in an `if`; in a `try`, an
            // `except` or a `finally`, excepts before `else`, a bare `except` last of them, `finally` last).
            var ordered = true, excepts = false, bareExcept = false, elseSeen = false, finallySeen = false
            while true {
                guard let afterHeader = headerEnd(from: header),
                      case _ = out.append(Statement(
                          range: headerLine..<afterHeader, plainTarget: nil, depth: depth + 1, isStructural: true, isClauseHeader: true,
                          isPlainStatement: kind != .classDefinition && plainHeader(at: header, end: afterHeader))),
                      let (blockEnd, next) = block(from: afterHeader, parentIndent: indent, classBody: kind == .classDefinition,
                                                   depth: depth + 1, into: &out) else {
                    out.removeSubrange(index...)
                    return nil
                }
                end = blockEnd
                guard next.lineStart < count, next.indent == indent, isClauseKeyword(at: next.start) else { break }
                // A clause of this statement, or one it cannot have (the caller keeps it whole).
                guard isClause(of: kind, at: next.start) else {
                    out.removeSubrange(index...)
                    return nil
                }
                if finallySeen || (elseSeen && kind != .tryStatement) {
                    ordered = false
                } else if self.keyword("except", at: next.start) {
                    if elseSeen || bareExcept { ordered = false }
                    excepts = true
                    var colon = next.start + 6
                    while byte(colon) == 0x20 || byte(colon) == 0x09 { colon += 1 }
                    bareExcept = byte(colon) == UInt8(ascii: ":")
                } else if self.keyword("else", at: next.start) {
                    if elseSeen || (kind == .tryStatement && !excepts) { ordered = false }
                    elseSeen = true
                } else if self.keyword("finally", at: next.start) {
                    finallySeen = true
                }
                headerLine = next.lineStart
                header = next.start
            }
            out[index].range = lineStart..<end
            out[index].partCount = Int32(out.count - index - 1)
            // Whole, the statement is valid on its own (a `try` has a handler).
            out[index].isPlainStatement = kind != .classDefinition && ordered && (kind != .tryStatement || excepts || finallySeen)
            return end
        }

        /// The statements of the block whose first line starts at `start`, appended to `out` at `depth`; the
        /// end of the block's last logical line and the next code line after the block (indented
        /// `parentIndent` or less). Nil when unsure: an empty block, an indentation that is not the block's
        /// (a stray indent or an inconsistent dedent), a decorator, a clause without its statement.
        private func block(
            from start: Int, parentIndent: Int, classBody: Bool, depth: UInt8, into out: inout [Statement]
        ) -> (end: Int, next: (lineStart: Int, indent: Int, start: Int))? {
            var firstChild = -1, lastChild = -1
            var blockIndent = -1
            var position = start
            var end = start
            var classAssignmentSeen = !classBody
            while true {
                guard let next = nextCodeLine(from: position) else { return nil }
                if next.lineStart >= count || next.indent <= parentIndent {
                    guard firstChild >= 0 else { return nil }
                    out[firstChild].isStructural = true
                    out[lastChild].isStructural = true
                    return (end, next)
                }
                if blockIndent < 0 { blockIndent = next.indent }
                guard next.indent == blockIndent, !isClauseKeyword(at: next.start), buffer[next.start] != UInt8(ascii: "@") else { return nil }
                lastChild = out.count
                if firstChild < 0 { firstChild = lastChild }
                if let (name, statementEnd) = plainAssignment(from: next.start) {
                    out.append(Statement(range: next.lineStart..<statementEnd, plainTarget: name, depth: depth, isStructural: !classAssignmentSeen))
                    classAssignmentSeen = true
                    position = statementEnd
                } else if compoundKind(at: next.start) != nil,
                          let statementEnd = compound(lineStart: next.lineStart, keyword: next.start, indent: blockIndent, depth: depth, into: &out) {
                    position = statementEnd
                } else if let statementEnd = plainStatementEnd(from: next.start) {
                    out.append(Statement(range: next.lineStart..<statementEnd, plainTarget: nil, depth: depth, isPlainStatement: true))
                    position = statementEnd
                } else {
                    // Any other statement, whole: its logical line, the lines indented deeper after it and
                    // its clauses (a `def` here, or a compound statement the scan could not follow; an error the
                    // parse will see otherwise). A clause after a statement that cannot have one is an error
                    // whose recovery may depend on the lines after it: unsure.
                    guard var statementEnd = logicalLineEnd(from: next.start) else { return nil }
                    let firstLineEnd = statementEnd
                    let takesClauses = mayHaveClauses(at: next.start)
                    while true {
                        guard let following = nextCodeLine(from: statementEnd) else { return nil }
                        let isClause = following.indent == blockIndent && isClauseKeyword(at: following.start)
                        if following.lineStart < count && isClause && !takesClauses { return nil }
                        guard following.lineStart < count, following.indent > blockIndent || isClause,
                              let lineEnd = logicalLineEnd(from: following.start) else { break }
                        statementEnd = lineEnd
                    }
                    // A line ending in `:` with no block below it is an error whose recovery depends on the
                    // statements after it (`DEBUG = True:` before a statement left out): unsure.
                    if statementEnd == firstLineEnd && headerEnd(from: next.start) != nil { return nil }
                    out.append(Statement(range: next.lineStart..<statementEnd, plainTarget: nil, depth: depth))
                    position = statementEnd
                }
                end = position
            }
        }

        /// After the line terminator of the line holding `index` (comment lines only: no code on them).
        func lineEnd(from index: Int) -> Int? {
            var index = index
            while index < count && buffer[index] != 0x0A {
                if buffer[index] == 0x0D && byte(index + 1) != 0x0A { return nil }
                if buffer[index] == 0 { return nil }
                index += 1
            }
            return min(index + 1, count)
        }

        /// Whether the statement starting at `index` may have clauses (`if`, `for`, `while`, `try`, `with`,
        /// `async for`/`async with`): a clause after any other is a syntax error.
        func mayHaveClauses(at index: Int) -> Bool {
            for word in ["if", "for", "while", "try", "with", "async"] as [StaticString] where matches(word, at: index) {
                if !isNameByte(byte(index + word.utf8CodeUnitCount)) { return true }
            }
            return false
        }

        /// `elif`, `else`, `except`, `finally` at a line's start: a clause of the compound statement above.
        func isClauseKeyword(at index: Int) -> Bool {
            // Every line's start passes here: most start no clause keyword.
            guard index < count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "f") else { return false }
            for word in ["elif", "else", "except", "finally"] as [StaticString] where matches(word, at: index) {
                return !isNameByte(byte(index + word.utf8CodeUnitCount))
            }
            return false
        }

        func matches(_ word: StaticString, at index: Int) -> Bool {
            let length = word.utf8CodeUnitCount
            guard index + length <= count else { return false }
            for offset in 0..<length where buffer[index + offset] != word.utf8Start[offset] { return false }
            return true
        }

        /// The end (after its terminator) of the logical line starting at `start`: brackets closed,
        /// strings of every kind skipped, backslash continuations followed. Nil when unsure.
        func logicalLineEnd(from start: Int) -> Int? {
            var index = start
            var depth = 0
            while index < count {
                let current = buffer[index]
                switch current {
                case UInt8(ascii: "#"):
                    while index < count && buffer[index] != 0x0A {
                        if buffer[index] == 0x0D && byte(index + 1) != 0x0A { return nil }
                        index += 1
                    }
                    continue
                case 0x0A:
                    if depth == 0 { return index + 1 }
                case 0x0D:
                    guard byte(index + 1) == 0x0A else { return nil }
                    if depth == 0 { return index + 2 }
                    index += 1
                case UInt8(ascii: "\\"):
                    if byte(index + 1) == 0x0A { index += 1 } else if byte(index + 1) == 0x0D && byte(index + 2) == 0x0A { index += 2 } else { return nil }
                    // A continuation into the end of the file continues nothing.
                    if index + 1 >= count { return nil }
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    guard let after = skipString(at: index) else { return nil }
                    index = after
                    continue
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth < 0 { return nil }
                case 0:
                    return nil
                default:
                    break
                }
                index += 1
            }
            return depth == 0 ? count : nil
        }

        /// After the closing quote of the string whose opening quote is at `quote`; f-string fields are
        /// followed as code. Nil when the string does not end.
        func skipString(at quote: Int) -> Int? {
            let prefix = TopLevelCode.stringPrefix(before: quote, in: buffer)
            let mark = buffer[quote]
            let triple = byte(quote + 1) == mark && byte(quote + 2) == mark
            var index = quote + (triple ? 3 : 1)
            while index < count {
                let current = buffer[index]
                switch current {
                case UInt8(ascii: "\\"):
                    let escaped = byte(index + 1)
                    if prefix.format && !prefix.raw && escaped == UInt8(ascii: "N") && byte(index + 2) == UInt8(ascii: "{") {
                        index += 3
                        while index < count && buffer[index] != UInt8(ascii: "}") && buffer[index] != 0x0A { index += 1 }
                    } else if prefix.format && (escaped == UInt8(ascii: "{") || escaped == UInt8(ascii: "}")) {
                        // `\{` in an f-string: the brace still opens a field; look at it next.
                    } else {
                        index += escaped == 0x0D && byte(index + 2) == 0x0A ? 2 : 1
                    }
                case mark:
                    if !triple { return index + 1 }
                    if byte(index + 1) == mark && byte(index + 2) == mark { return index + 3 }
                case 0x0A where !triple, 0x0D where !triple:
                    return nil
                case 0:
                    return nil
                case UInt8(ascii: "{") where prefix.format:
                    if byte(index + 1) == UInt8(ascii: "{") {
                        index += 1
                    } else {
                        guard let after = skipField(from: index + 1, triple: triple) else { return nil }
                        index = after
                        continue
                    }
                case UInt8(ascii: "}") where prefix.format:
                    if byte(index + 1) == UInt8(ascii: "}") { index += 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        }

        /// After the `}` closing an f-string field that starts (after its `{`) at `start`.
        func skipField(from start: Int, triple: Bool) -> Int? {
            var index = start
            var depth = 0
            while index < count {
                let current = buffer[index]
                switch current {
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    guard let after = skipString(at: index) else { return nil }
                    index = after
                    continue
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth < 0 { return nil }
                case UInt8(ascii: "}"):
                    if depth == 0 { return index + 1 }
                    depth -= 1
                case UInt8(ascii: ":") where depth == 0:
                    // A format spec: text with nested fields, up to the field's `}`.
                    index += 1
                    while index < count {
                        let spec = buffer[index]
                        if spec == UInt8(ascii: "}") { return index + 1 }
                        if spec == UInt8(ascii: "{") {
                            guard let after = skipField(from: index + 1, triple: triple) else { return nil }
                            index = after
                            continue
                        }
                        if spec == 0 || ((spec == 0x0A || spec == 0x0D) && !triple) { return nil }
                        index += 1
                    }
                    return nil
                case UInt8(ascii: "#"), 0:
                    return nil
                case 0x0A, 0x0D:
                    if !triple && depth == 0 { return nil }
                case UInt8(ascii: "\\"):
                    return nil
                default:
                    break
                }
                index += 1
            }
            return nil
        }

        // MARK: Standalone `NAME = expression` statements

        private enum FrameKind { case parenthesis, call, list, `subscript`, brace }
        private struct Frame {
            let kind: FrameKind
            /// Braces: 0 unknown, 1 dict, 2 set.
            var braceMode = 0
            var colonInElement = false
            var elementEmpty = true
            /// After the `if` of a conditional expression (`BODY if CONDITION else OTHER`), before its `else`.
            var awaitingElse = false
        }

        /// Words that are never plain names here: keywords, soft keywords, Python 2 statements. Looked up
        /// by length and first letter (every name of a big module passes here).
        private static let reservedWords: [[StaticString]] = {
            var table = [[StaticString]](repeating: [], count: 9 * 26)
            let words: [StaticString] = [
                "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
                "exec", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
                "print", "raise", "return", "try", "while", "with", "yield", "match", "case", "type", "False", "None", "True",
            ]
            for word in words {
                table[word.utf8CodeUnitCount * 26 + Int(word.utf8Start[0] | 0x20) - 0x61].append(word)
            }
            return table
        }()

        private func name(at index: Int) -> Range<Int>? {
            guard index < count, isNameStart(buffer[index]) else { return nil }
            var end = index + 1
            while end < count, isASCIINameByte(buffer[end]) { end += 1 }
            return index..<end
        }

        private func isReserved(_ range: Range<Int>) -> Bool {
            guard range.count >= 2 && range.count <= 8 else { return false }
            let first = buffer[range.lowerBound] | 0x20
            guard first >= 0x61 && first <= 0x7A else { return false }
            for word in Self.reservedWords[range.count * 26 + Int(first) - 0x61] where matches(word, at: range.lowerBound) { return true }
            return false
        }

        private func word(_ range: Range<Int>, is literal: StaticString) -> Bool {
            range.count == literal.utf8CodeUnitCount && matches(literal, at: range.lowerBound)
        }

        /// The name of a `NAME = expression` or `NAME: ANNOTATION = expression` statement at `start` made of plain
        /// tokens only, and the end of its logical line (after the terminator); nil for any other statement.
        func plainAssignment(from start: Int) -> (name: Range<Int>, end: Int)? {
            guard let target = name(at: start), !isReserved(target) else { return nil }
            var index = target.upperBound
            while index < count, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
            if byte(index) == UInt8(ascii: ":") && byte(index + 1) != UInt8(ascii: "=") {
                // `NAME: ANNOTATION = expression` (an annotation alone binds nothing: not taken).
                guard let valueStart = validExpression(from: index + 1, assignmentTarget: true),
                      let end = validExpression(from: valueStart) else { return nil }
                return (target, end)
            }
            guard byte(index) == UInt8(ascii: "="), byte(index + 1) != UInt8(ascii: "="),
                  let end = validExpression(from: index + 1) else { return nil }
            return (target, end)
        }

        /// The end of the logical line (after its terminator) of a statement at `start` that binds no name and
        /// is made of plain tokens only (`Statement.isPlainStatement`): an expression, `print(…)`, `pass`,
        /// `continue`, `break` (a syntax error outside a loop for Python, not for the parser), `raise` alone or
        /// with an expression. Nil for any other statement.
        func plainStatementEnd(from start: Int) -> Int? {
            if let word = name(at: start) {
                if self.word(word, is: "pass") || self.word(word, is: "continue") || self.word(word, is: "break") {
                    return emptyLineRestEnd(from: word.upperBound)
                }
                if self.word(word, is: "raise") {
                    if let end = emptyLineRestEnd(from: word.upperBound) { return end }
                    // `raise(X)` needs no space; `raise X from Y` is not taken.
                    return validExpression(from: word.upperBound)
                }
                // Python 2's `print x` is another statement: only a call right after the name.
                if self.word(word, is: "print") {
                    return byte(word.upperBound) == UInt8(ascii: "(") ? validExpression(from: word.upperBound, afterOperand: true) : nil
                }
            }
            if let valueStart = itemTargetEnd(from: start) { return validExpression(from: valueStart) }
            return validExpression(from: start)
        }

        /// After the `=` of an assignment at `start` whose one target is a name followed by subscripts and
        /// attributes only (`LOGGING["handlers"]["console"] = …`, `app.conf.timezone = …`): it binds no name,
        /// it changes an object. Each subscript holds a plain expression (no slice). Nil for any other
        /// statement, found from the shape alone before any token is validated (`X.append(…)` stops at `(`).
        private func itemTargetEnd(from start: Int) -> Int? {
            guard let root = name(at: start), !isReserved(root) else { return nil }
            var index = root.upperBound
            var items = 0
            func spacesSkipped(_ from: Int) -> Int {
                var index = from
                while true {
                    let current = byte(index)
                    if current == 0x20 || current == 0x09 || current == 0x0C {
                        index += 1
                    } else if current == UInt8(ascii: "\\"), byte(index + 1) == 0x0A {
                        index += 2
                    } else if current == UInt8(ascii: "\\"), byte(index + 1) == 0x0D, byte(index + 2) == 0x0A {
                        index += 3
                    } else {
                        return index
                    }
                }
            }
            while true {
                index = spacesSkipped(index)
                let current = byte(index)
                if current == UInt8(ascii: ".") {
                    guard let attribute = name(at: spacesSkipped(index + 1)), !isReserved(attribute) else { return nil }
                    index = attribute.upperBound
                } else if current == UInt8(ascii: "[") {
                    // To the matching bracket: strings and comments passed over whole (the tokens are validated below).
                    var depth = 0
                    while true {
                        guard index < count else { return nil }
                        let inner = buffer[index]
                        if inner == UInt8(ascii: "'") || inner == UInt8(ascii: "\"") {
                            guard let after = plainStringEnd(at: index, end: count) else { return nil }
                            index = after
                            continue
                        }
                        if inner == UInt8(ascii: "#") {
                            while index < count && buffer[index] != 0x0A { index += 1 }
                            continue
                        }
                        if inner == UInt8(ascii: "[") || inner == UInt8(ascii: "(") || inner == UInt8(ascii: "{") { depth += 1 }
                        if inner == UInt8(ascii: "]") || inner == UInt8(ascii: ")") || inner == UInt8(ascii: "}") { depth -= 1 }
                        index += 1
                        if depth == 0 { break }
                    }
                } else {
                    break
                }
                items += 1
            }
            guard items > 0, byte(index) == UInt8(ascii: "="), byte(index + 1) != UInt8(ascii: "="),
                  validExpression(from: start, assignmentTarget: true) == index + 1 else { return nil }
            return index + 1
        }

        /// After the line terminator when only spaces and a comment follow `start` on its line (the text's end
        /// counts as one); nil otherwise.
        private func emptyLineRestEnd(from start: Int) -> Int? {
            var index = start
            while index < count, buffer[index] == 0x20 || buffer[index] == 0x09 || buffer[index] == 0x0C { index += 1 }
            if index < count, buffer[index] == UInt8(ascii: "#") {
                while index < count, buffer[index] != 0x0A, buffer[index] != 0x0D {
                    if buffer[index] == 0 { return nil }
                    index += 1
                }
            }
            if index >= count { return count }
            if buffer[index] == 0x0A { return index + 1 }
            if buffer[index] == 0x0D && byte(index + 1) == 0x0A { return index + 2 }
            return nil
        }

        /// Whether the clause header whose keyword is at `header`, whose logical line ends at `end`
        /// (`headerEnd`'s), is made of plain tokens (`Statement.isPlainStatement`): `if`/`elif EXPR:`,
        /// `else:`, `try:`, `finally:`, `except:`, `except EXPR [as NAME]:`, `with EXPR [as NAME], …:`, with
        /// only a comment after the colon.
        private func plainHeader(at header: Int, end: Int) -> Bool {
            guard let keywordName = name(at: header) else { return false }
            func spacesSkipped(_ start: Int) -> Int {
                var index = start
                while index < count, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
                return index
            }
            var index = keywordName.upperBound
            let isWith = word(keywordName, is: "with"), isExcept = word(keywordName, is: "except")
            if word(keywordName, is: "if") || word(keywordName, is: "elif") || word(keywordName, is: "while") {
                guard let stop = validExpression(from: index, header: true) else { return false }
                index = stop
            } else if word(keywordName, is: "for") {
                // `for NAME, NAME in EXPR:`: names only as targets.
                while true {
                    guard let target = name(at: spacesSkipped(index)), !isReserved(target) else { return false }
                    index = spacesSkipped(target.upperBound)
                    guard byte(index) == UInt8(ascii: ",") else { break }
                    index += 1
                }
                guard let inWord = name(at: index), word(inWord, is: "in"),
                      let stop = validExpression(from: inWord.upperBound, header: true) else { return false }
                index = stop
            } else if isWith || isExcept {
                index = spacesSkipped(index)
                if !(isExcept && byte(index) == UInt8(ascii: ":")) {
                    while true {
                        guard let stop = validExpression(from: index, header: true) else { return false }
                        index = stop
                        if let alias = name(at: index), word(alias, is: "as") {
                            guard let target = name(at: spacesSkipped(alias.upperBound)), !isReserved(target) else { return false }
                            index = spacesSkipped(target.upperBound)
                        }
                        guard isWith, byte(index) == UInt8(ascii: ",") else { break }
                        index += 1
                    }
                }
            } else if word(keywordName, is: "else") || word(keywordName, is: "try") || word(keywordName, is: "finally") {
                index = spacesSkipped(index)
            } else {
                return false
            }
            guard byte(index) == UInt8(ascii: ":"), byte(index + 1) != UInt8(ascii: "=") else { return false }
            return emptyLineRestEnd(from: index + 1) == end
        }

        /// The end of the logical line (after its terminator) when the expression from `start` to there is
        /// valid and made of plain tokens only; nil otherwise. `assignmentTarget`: the expression ends at an `=`
        /// at no bracket's depth, after which the offset is returned; never at the line's end. `afterOperand`: an operand (a name) comes just
        /// before `start`. `header`: the expression ends, at no bracket's depth, before a `:`, a `,` or an
        /// `as` (a clause header's), whose offset is returned instead; never at the line's end.
        // swiftlint:disable:next cyclomatic_complexity function_body_length
        private func validExpression(from start: Int, afterOperand: Bool = false, header: Bool = false, assignmentTarget: Bool = false) -> Int? {
            let end = count
            // Where a line's end is no expression's end.
            let stopsBefore = header || assignmentTarget
            var frames: [Frame] = []
            var expectOperand = !afterOperand
            /// After an opening bracket or a comma: a closing bracket may come instead of an operand.
            var mayClose = false
            /// The previous operand was a string: another string continues it (implicit concatenation).
            var lastWasString = false
            /// In a call, the argument so far is one bare name: `=` makes it a keyword argument.
            var argumentIsBareName = false
            var argumentStart = false
            /// `awaitingElse` at no bracket's depth.
            var topAwaitingElse = false
            var index = start
            // An operand was read (written out at each place: a local function capturing these variables made
            // every access a checked one, a quarter of the split's time).
            while index < end {
                let current = buffer[index]
                switch current {
                case 0x20, 0x09, 0x0C:
                    index += 1
                    continue
                case UInt8(ascii: "\\"):
                    // A continuation, never into the end of the file.
                    if byte(index + 1) == 0x0A && index + 2 < end { index += 2; continue }
                    if byte(index + 1) == 0x0D && byte(index + 2) == 0x0A && index + 3 < end { index += 3; continue }
                    return nil
                case UInt8(ascii: "#"):
                    while index < end && buffer[index] != 0x0A {
                        if buffer[index] == 0x0D && byte(index + 1) != 0x0A { return nil }
                        index += 1
                    }
                    continue
                case 0x0A, 0x0D:
                    if frames.isEmpty {
                        // The line's end.
                        guard !stopsBefore, !expectOperand, !topAwaitingElse, current == 0x0A || byte(index + 1) == 0x0A else { return nil }
                        return current == 0x0D ? index + 2 : index + 1
                    }
                    if current == 0x0D && byte(index + 1) != 0x0A { return nil }
                    index += 1
                    continue
                default:
                    break
                }
                let wasBareNameArgument = argumentIsBareName
                let wasArgumentStart = argumentStart
                argumentIsBareName = false
                argumentStart = false
                if isNameStart(current) {
                    guard let token = name(at: index) else { return nil }
                    let after = byte(token.upperBound)
                    if after == UInt8(ascii: "'") || after == UInt8(ascii: "\"") {
                        // A string prefix: plain strings only (no f-, t- or Python 2 `ur` strings).
                        guard expectOperand || lastWasString, token.count <= 2 else { return nil }
                        let letters = buffer[token].map { $0 | 0x20 }
                        guard letters.allSatisfy({ $0 == UInt8(ascii: "r") || $0 == UInt8(ascii: "b") || $0 == UInt8(ascii: "u") }),
                              !(letters.contains(UInt8(ascii: "u")) && token.count > 1),
                              let close = plainStringEnd(at: token.upperBound, end: end) else { return nil }
                        expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                        lastWasString = true
                        index = close
                        continue
                    }
                    lastWasString = false
                    if isReserved(token) {
                        if self.word(token, is: "True") || self.word(token, is: "False") || self.word(token, is: "None") {
                            guard expectOperand else { return nil }
                            expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                        } else if self.word(token, is: "not") {
                            if expectOperand {
                                mayClose = false
                            } else {
                                // `not in`
                                var next = token.upperBound
                                while next < end, buffer[next] == 0x20 || buffer[next] == 0x09 { next += 1 }
                                guard let following = name(at: next), self.word(following, is: "in") else { return nil }
                                index = following.upperBound
                                expectOperand = true
                                mayClose = false
                                continue
                            }
                        } else if self.word(token, is: "and") || self.word(token, is: "or") || self.word(token, is: "in") {
                            guard !expectOperand else { return nil }
                            expectOperand = true
                            mayClose = false
                        } else if header && frames.isEmpty && !expectOperand && !topAwaitingElse && self.word(token, is: "as") {
                            return token.lowerBound
                        } else if self.word(token, is: "if") {
                            // A conditional expression: `BODY if CONDITION else OTHER`, whose condition holds no
                            // other unbracketed `if` (OTHER may be another conditional expression).
                            guard !expectOperand else { return nil }
                            if frames.isEmpty {
                                guard !topAwaitingElse else { return nil }
                                topAwaitingElse = true
                            } else {
                                guard !frames[frames.count - 1].awaitingElse else { return nil }
                                frames[frames.count - 1].awaitingElse = true
                            }
                            expectOperand = true
                            mayClose = false
                        } else if self.word(token, is: "else") {
                            guard !expectOperand else { return nil }
                            if frames.isEmpty {
                                guard topAwaitingElse else { return nil }
                                topAwaitingElse = false
                            } else {
                                guard frames[frames.count - 1].awaitingElse else { return nil }
                                frames[frames.count - 1].awaitingElse = false
                            }
                            expectOperand = true
                            mayClose = false
                        } else if self.word(token, is: "is") {
                            guard !expectOperand else { return nil }
                            var next = token.upperBound
                            while next < end, buffer[next] == 0x20 || buffer[next] == 0x09 { next += 1 }
                            if let following = name(at: next), self.word(following, is: "not") { index = following.upperBound } else { index = token.upperBound }
                            expectOperand = true
                            mayClose = false
                            continue
                        } else {
                            return nil
                        }
                        index = token.upperBound
                        continue
                    }
                    guard expectOperand else { return nil }
                    expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                    argumentIsBareName = wasArgumentStart && frames.last?.kind == .call
                    index = token.upperBound
                    continue
                }
                if current >= 0x30 && current <= 0x39 {
                    guard expectOperand, let after = numberEnd(at: index, end: end) else { return nil }
                    expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                    lastWasString = false
                    index = after
                    continue
                }
                if current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") {
                    guard expectOperand || lastWasString, let close = plainStringEnd(at: index, end: end) else { return nil }
                    expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                    lastWasString = true
                    index = close
                    continue
                }
                lastWasString = false
                switch current {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    let kind: FrameKind
                    switch (current, expectOperand) {
                    case (UInt8(ascii: "("), true): kind = .parenthesis
                    case (UInt8(ascii: "("), false): kind = .call
                    case (UInt8(ascii: "["), true): kind = .list
                    case (UInt8(ascii: "["), false): kind = .subscript
                    case (_, true): kind = .brace
                    default: return nil
                    }
                    if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                    // Deep nesting is the full parse's to refuse (`Linter.maximumNesting`).
                    guard frames.count < 64 else { return nil }
                    frames.append(Frame(kind: kind))
                    expectOperand = true
                    mayClose = kind != .subscript
                    argumentStart = kind == .call
                    index += 1
                    continue
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    guard let frame = frames.last, !frame.awaitingElse, !expectOperand || mayClose else { return nil }
                    switch (current, frame.kind) {
                    case (UInt8(ascii: ")"), .parenthesis), (UInt8(ascii: ")"), .call), (UInt8(ascii: "]"), .list),
                         (UInt8(ascii: "]"), .subscript), (UInt8(ascii: "}"), .brace):
                        break
                    default:
                        return nil
                    }
                    if frame.kind == .brace, !frame.elementEmpty, !finishElement(frame) { return nil }
                    frames.removeLast()
                    expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                    index += 1
                    continue
                case UInt8(ascii: ","):
                    if header && frames.isEmpty { return expectOperand || topAwaitingElse ? nil : index }
                    guard var frame = frames.last, !frame.awaitingElse, !expectOperand else { return nil }
                    if frame.kind == .brace {
                        guard finishElement(frame) else { return nil }
                        frame.braceMode = frame.colonInElement ? 1 : 2
                        frame.colonInElement = false
                    }
                    frame.elementEmpty = true
                    frames[frames.count - 1] = frame
                    expectOperand = true
                    mayClose = true
                    argumentStart = frame.kind == .call
                    index += 1
                    continue
                case UInt8(ascii: ":"):
                    if header && frames.isEmpty { return expectOperand || topAwaitingElse || byte(index + 1) == UInt8(ascii: "=") ? nil : index }
                    guard var frame = frames.last, frame.kind == .brace, !frame.awaitingElse, !expectOperand, !frame.colonInElement,
                          byte(index + 1) != UInt8(ascii: "=") else { return nil }
                    frame.colonInElement = true
                    frames[frames.count - 1] = frame
                    expectOperand = true
                    mayClose = false
                    index += 1
                    continue
                case UInt8(ascii: "="):
                    if byte(index + 1) == UInt8(ascii: "=") {
                        guard !expectOperand else { return nil }
                        expectOperand = true
                        mayClose = false
                        index += 2
                        continue
                    }
                    // A keyword argument, else the end of an assignment's target (`itemTargetEnd`'s).
                    guard wasBareNameArgument, !expectOperand else {
                        return assignmentTarget && frames.isEmpty && !expectOperand && !topAwaitingElse ? index + 1 : nil
                    }
                    expectOperand = true
                    mayClose = false
                    index += 1
                    continue
                case UInt8(ascii: "."):
                    guard !expectOperand, let attribute = name(at: index + 1), !isReserved(attribute) else {
                        // `...`, an operand (`tuple[str, ...]`).
                        guard expectOperand && byte(index + 1) == UInt8(ascii: ".") && byte(index + 2) == UInt8(ascii: ".") else { return nil }
                        expectOperand = false; mayClose = false; if !frames.isEmpty { frames[frames.count - 1].elementEmpty = false }
                        index += 3
                        continue
                    }
                    index = attribute.upperBound
                    continue
                case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "~"):
                    if expectOperand {
                        mayClose = false
                        index += 1
                        continue
                    }
                    guard current != UInt8(ascii: "~"), byte(index + 1) != UInt8(ascii: "="), byte(index + 1) != UInt8(ascii: ">") else { return nil }
                    expectOperand = true
                    index += 1
                    continue
                case UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                    guard !expectOperand else {
                        // An unpacking, as an element or argument of its own: `[*A, *B]`, `f(*args, **kwargs)`.
                        guard current == UInt8(ascii: "*"), mayClose, let kind = frames.last?.kind, kind == .list || kind == .call else { return nil }
                        let double = byte(index + 1) == UInt8(ascii: "*")
                        guard !double || kind == .call else { return nil }
                        frames[frames.count - 1].elementEmpty = false
                        mayClose = false
                        index += double ? 2 : 1
                        continue
                    }
                    var length = 1
                    let next = byte(index + 1)
                    if next == current { length = 2 } else if (current == UInt8(ascii: "<") || current == UInt8(ascii: ">")) && next == UInt8(ascii: "=") { length = 2 }
                    if current == UInt8(ascii: "<") && next == UInt8(ascii: ">") { return nil }
                    // `+=`-like augmented forms, `**=`, `//=`, `<<=`: not in an expression.
                    if byte(index + length) == UInt8(ascii: "=") && !(length == 2 && next == UInt8(ascii: "=")) { return nil }
                    expectOperand = true
                    mayClose = false
                    index += length
                    continue
                case UInt8(ascii: "%"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "^"), UInt8(ascii: "@"):
                    guard !expectOperand, byte(index + 1) != UInt8(ascii: "=") else { return nil }
                    expectOperand = true
                    mayClose = false
                    index += 1
                    continue
                case UInt8(ascii: "!"):
                    guard !expectOperand, byte(index + 1) == UInt8(ascii: "=") else { return nil }
                    expectOperand = true
                    mayClose = false
                    index += 2
                    continue
                default:
                    return nil
                }
            }
            // The file's end without a terminator.
            return frames.isEmpty && !expectOperand && !stopsBefore && !topAwaitingElse ? end : nil
        }

        /// A brace element ends: a dict's entries all have a key and a value, a set's none.
        private func finishElement(_ frame: Frame) -> Bool {
            if frame.elementEmpty { return false }
            switch frame.braceMode {
            case 1: return frame.colonInElement
            case 2: return !frame.colonInElement
            default: return true
            }
        }

        /// After the closing quote of a plain (not f-) string at `quote`; nil when it does not end before `end`.
        private func plainStringEnd(at quote: Int, end: Int) -> Int? {
            let mark = buffer[quote]
            let triple = byte(quote + 1) == mark && byte(quote + 2) == mark
            var index = quote + (triple ? 3 : 1)
            while index < end {
                let current = buffer[index]
                if current == UInt8(ascii: "\\") {
                    index += byte(index + 1) == 0x0D && byte(index + 2) == 0x0A ? 3 : 2
                    continue
                }
                if current == mark {
                    if !triple { return index + 1 }
                    if byte(index + 1) == mark && byte(index + 2) == mark { return index + 3 }
                } else if current == 0 || (!triple && (current == 0x0A || current == 0x0D)) {
                    return nil
                }
                index += 1
            }
            return nil
        }

        /// After a decimal, hexadecimal, octal or binary number (float, exponent and `j` included).
        private func numberEnd(at start: Int, end: Int) -> Int? {
            func digits(_ index: Int, _ isDigit: (UInt8) -> Bool) -> Int? {
                guard index < end, isDigit(buffer[index]) else { return nil }
                var index = index + 1
                while index < end {
                    if isDigit(buffer[index]) { index += 1 } else if buffer[index] == UInt8(ascii: "_"), index + 1 < end, isDigit(buffer[index + 1]) { index += 2 } else { break }
                }
                return index
            }
            let decimal: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
            var index: Int
            let prefix = byte(start + 1) | 0x20
            if buffer[start] == 0x30 && (prefix == UInt8(ascii: "x") || prefix == UInt8(ascii: "o") || prefix == UInt8(ascii: "b")) {
                let isDigit: (UInt8) -> Bool
                switch prefix {
                case UInt8(ascii: "x"): isDigit = { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
                case UInt8(ascii: "o"): isDigit = { $0 >= 0x30 && $0 <= 0x37 }
                default: isDigit = { $0 == 0x30 || $0 == 0x31 }
                }
                var first = start + 2
                if byte(first) == UInt8(ascii: "_") { first += 1 }
                guard let after = digits(first, isDigit) else { return nil }
                index = after
            } else {
                guard let after = digits(start, decimal) else { return nil }
                index = after
                if byte(index) == UInt8(ascii: ".") {
                    guard let fraction = digits(index + 1, decimal) else { return nil }
                    index = fraction
                }
                if byte(index) | 0x20 == UInt8(ascii: "e") {
                    var exponent = index + 1
                    if byte(exponent) == UInt8(ascii: "+") || byte(exponent) == UInt8(ascii: "-") { exponent += 1 }
                    guard let after = digits(exponent, decimal) else { return nil }
                    index = after
                }
                if byte(index) | 0x20 == UInt8(ascii: "j") { index += 1 }
            }
            // A number runs into no name and no dot (`1if`, `1.2.3`, `0x1g`).
            guard index >= end || !(isNameByte(buffer[index]) || buffer[index] == UInt8(ascii: ".")) else { return nil }
            return index
        }

        @inline(__always) private func isNameStart(_ byte: UInt8) -> Bool {
            (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
        }

        @inline(__always) private func isASCIINameByte(_ byte: UInt8) -> Bool {
            isNameStart(byte) || (byte >= 0x30 && byte <= 0x39)
        }

        /// A byte that can be part of a name, non-ASCII included (Python names may be Unicode).
        @inline(__always) func isNameByte(_ byte: UInt8) -> Bool {
            isASCIINameByte(byte) || byte >= 0x80
        }
    }
}

extension ModuleStatements {
    /// The statements of `text`, which is the text `previous` was split from with `changes` made (in the
    /// old text's offsets, none overlapping): scanned again from the statement before each change until
    /// a statement starts, after the change, where an old one started; the old statements between are
    /// moved. The split `split(text)` gives, marks kept on what the changes did not touch; nil when unsure.
    public static func split(
        _ text: [UInt8], reusing previous: [Statement], old: [UInt8], changes: [(range: Range<Int>, replacement: [UInt8])]
    ) -> [Statement]? {
        let sorted = changes.map { ($0.range, $0.replacement.count) }.sorted { $0.0.lowerBound < $1.0.lowerBound }
        for index in sorted.indices.dropFirst() where sorted[index].0.lowerBound < sorted[index - 1].0.upperBound {
            return text.withUnsafeBufferPointer { split($0) }
        }
        guard text.count == old.count + sorted.reduce(0, { $0 + $1.1 - $1.0.count }) else { return nil }
        return text.withUnsafeBufferPointer { split($0, reusing: previous, changes: sorted) }
    }

    /// The statements of `buffer`, which is the text `previous` was split from with `change` made (bytes
    /// `change.range` of the old text replaced by `change.replacementCount` bytes): the same result
    /// `split(buffer)` gives, for what the change touched. Nil when unsure.
    public static func split(
        _ buffer: UnsafeBufferPointer<UInt8>, reusing previous: [Statement], change: (range: Range<Int>, replacementCount: Int)
    ) -> [Statement]? {
        split(buffer, reusing: previous, changes: [change])
    }

    /// `changes`: ascending, not overlapping, in the old text's offsets.
    private static func split(
        _ buffer: UnsafeBufferPointer<UInt8>, reusing previous: [Statement], changes: [(range: Range<Int>, replacementCount: Int)]
    ) -> [Statement]? {
        guard !changes.isEmpty else { return split(buffer) }
        guard buffer.count < Int32.max else { return nil }
        /// The old module-level statement before the first one reaching the old offset `offset` (scanned
        /// again: a change at a statement's start may join it to the one before), -1 when there is none.
        func restart(before offset: Int, from start: Int) -> Int {
            var index = start, restart = -1
            while index < previous.count && previous[index].range.upperBound < offset {
                if previous[index].depth == 0 { restart = index }
                index += 1 + Int(previous[index].partCount)
            }
            return restart
        }
        // Each change's start and end in the new text, and the shift of what follows it.
        var newStarts: [Int] = [], newEnds: [Int] = [], deltas: [Int] = []
        var delta = 0
        for change in changes {
            newStarts.append(change.range.lowerBound + delta)
            newEnds.append(change.range.lowerBound + delta + change.replacementCount)
            delta += change.replacementCount - change.range.count
            deltas.append(delta)
        }
        let first = restart(before: changes[0].range.lowerBound, from: 0)
        var scanner = Scanner(buffer: buffer)
        let hasBOM = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
        return scanner.split(
            // From the text's start when the first statement is scanned again (it may follow a byte order mark).
            from: first >= 1 ? previous[first].range.lowerBound : (hasBOM ? 3 : 0), keeping: first >= 1 ? Array(previous[..<first]) : [],
            resume: { start, statements in
                // The last change starting at or before `start`: a statement after its end, where an old
                // one started, is followed by the old statements up to the next change's restart.
                var change = 0
                while change + 1 < changes.count && newStarts[change + 1] <= start { change += 1 }
                guard start >= newEnds[change] else { return nil }
                let old = start - deltas[change]
                var low = 0
                var high = previous.count
                while low < high {
                    let middle = (low + high) / 2
                    if previous[middle].range.lowerBound < old { low = middle + 1 } else { high = middle }
                }
                // A compound statement comes before its first part, which starts where it does.
                guard low < previous.count, previous[low].range.lowerBound == old, previous[low].depth == 0 else { return nil }
                let moved = deltas[change]
                guard change + 1 < changes.count else {
                    statements.append(contentsOf: previous[low...].lazy.map { $0.moved(by: moved) })
                    return .end
                }
                let next = restart(before: changes[change + 1].range.lowerBound, from: low)
                guard next > low else { return nil }
                statements.append(contentsOf: previous[low..<next].lazy.map { $0.moved(by: moved) })
                return .at(previous[next].range.lowerBound + moved)
            })
    }
}
