/// A lexical pass over Python source bytes for the prefilter, and nothing else: it tells where a
/// byte offset lies — in a string or comment, inside brackets, inside a function body — so that
/// files whose `DEBUG=` lines are all keyword arguments (`override_settings(` spread over lines),
/// text in strings, or code in test functions are not parsed. Settings are module-level (and class
/// body) statements; no rule looks inside a function or at a decorator's arguments. It never decides what a file means
/// (tree-sitter does that), and whatever it cannot follow makes it answer yes.
public enum TopLevelCode {
    /// Where an offset must be to count.
    public enum Placement {
        /// Where a settings statement starts or assigns: code outside brackets and functions.
        case statement
        /// Anywhere in code (brackets included) that is not in a function body.
        case outsideFunctions
    }

    private enum Context {
        /// Code; at the bottom of the stack it is the module's own code.
        case code(depth: Int)
        case string(quote: UInt8, triple: Bool, format: Bool, raw: Bool)
        /// Code inside an f-string's `{…}`; `depth` counts brackets opened inside it.
        case field(depth: Int)
        /// After `:` in an f-string field: text with nested fields, up to the field's `}`.
        case formatSpec
    }

    /// What a list of offsets worked out as the scan goes gives next.
    public enum NextOffset {
        case offset(Int)
        case end
        /// The list cannot be told (too long, or matching failed): `containsAny` answers true.
        case unknown
    }

    /// True when some offset of `offsets` (ascending) is where `placement` asks, or when the scan
    /// could not follow the source to its end (an unterminated string, unbalanced brackets…).
    public static func containsAny(
        of offsets: [Int], in buffer: UnsafeBufferPointer<UInt8>, placement: Placement = .statement
    ) -> Bool {
        var index = 0
        return containsAny(in: buffer, placement: placement) {
            guard index < offsets.count else { return .end }
            index += 1
            return .offset(offsets[index - 1])
        }
    }

    /// `containsAny(of:in:placement:)` for offsets asked for one at a time, in ascending order, as the scan
    /// reaches them: where the first one counts, the others are never worked out.
    public static func containsAny(
        in buffer: UnsafeBufferPointer<UInt8>, placement: Placement = .statement, offsets nextOffset: () -> NextOffset
    ) -> Bool {
        var pending: Int
        switch nextOffset() {
        case .offset(let offset): pending = offset
        case .end: return false
        case .unknown: return true
        }
        var allMet = false
        var stack: [Context] = [.code(depth: 0)]
        /// Indentation of each `def` whose body the scan is in.
        var functions: [Int] = []
        /// In a decorator line (`@override_settings(SECRET_KEY=…)`): its arguments are never settings.
        var inDecorator = false
        var atLineStart = true
        var position = 0
        let count = buffer.count
        @inline(__always) func byte(_ index: Int) -> UInt8 { index < count ? buffer[index] : 0 }

        while position < count {
            if atLineStart {
                atLineStart = false
                // A logical line of module code: its indentation ends the functions it is not inside.
                var indentation = 0
                var end = position
                while end < count && (buffer[end] == 0x20 || buffer[end] == 0x09 || buffer[end] == 0x0C) {
                    indentation = buffer[end] == 0x09 ? (indentation / 8 + 1) * 8 : indentation + 1
                    end += 1
                }
                let first = byte(end)
                if first != 0x0A && first != 0x0D && first != UInt8(ascii: "#") && end < count {
                    while let innermost = functions.last, innermost >= indentation { functions.removeLast() }
                    if startsFunction(at: end, in: buffer) { functions.append(indentation) }
                    inDecorator = first == UInt8(ascii: "@")
                }
            }
            while !allMet && pending <= position {
                // A statement position must be met exactly (not inside a skipped comment); any other
                // offset counts by the function it is in, whatever the text around it.
                // Written out here: a local function reading these variables would check each access at run time.
                if (pending == position || placement == .outsideFunctions) && functions.isEmpty && !inDecorator {
                    switch placement {
                    case .statement: if stack.count == 1, case .code(0) = stack[0] { return true }
                    case .outsideFunctions: return true
                    }
                }
                switch nextOffset() {
                case .offset(let offset): pending = offset
                case .end: allMet = true
                case .unknown: return true
                }
            }
            let current = buffer[position]
            switch stack[stack.count - 1] {
            case .code(let depth), .field(let depth):
                let isField: Bool
                if case .field = stack[stack.count - 1] { isField = true } else { isField = false }
                switch current {
                case UInt8(ascii: "#"):
                    while position < count && buffer[position] != 0x0A { position += 1 }
                    continue
                case 0x0A where stack.count == 1 && depth == 0:
                    atLineStart = true
                case 0x0D where stack.count == 1 && depth == 0 && byte(position + 1) != 0x0A:
                    atLineStart = true  // a line that ends with a lone carriage return
                case UInt8(ascii: "\\"):
                    position += 1  // a line continuation, or a stray backslash: the next byte is not code
                    if byte(position) == 0x0D && byte(position + 1) == 0x0A { position += 1 }
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    let prefix = stringPrefix(before: position, in: buffer)
                    let triple = byte(position + 1) == current && byte(position + 2) == current
                    stack.append(.string(quote: current, triple: triple, format: prefix.format, raw: prefix.raw))
                    position += triple ? 2 : 0
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    stack[stack.count - 1] = isField ? .field(depth: depth + 1) : .code(depth: depth + 1)
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if isField && depth == 0 {
                        guard current == UInt8(ascii: "}") else { return true }
                        stack.removeLast()  // back to the f-string's text
                    } else {
                        guard depth > 0 else { return true }
                        stack[stack.count - 1] = isField ? .field(depth: depth - 1) : .code(depth: depth - 1)
                    }
                case UInt8(ascii: ":") where isField && depth == 0:
                    stack[stack.count - 1] = .formatSpec
                default:
                    break
                }
            case .string(let quote, let triple, let format, let raw):
                switch current {
                case UInt8(ascii: "\\"):
                    let escaped = byte(position + 1)
                    if format && !raw && escaped == UInt8(ascii: "N") && byte(position + 2) == UInt8(ascii: "{") {
                        // A named escape, \N{…}: its braces are not a field.
                        position += 3
                        while position < count && buffer[position] != UInt8(ascii: "}") && buffer[position] != 0x0A { position += 1 }
                    } else if !(format && (escaped == UInt8(ascii: "{") || escaped == UInt8(ascii: "}"))) {
                        position += escaped == 0x0D && byte(position + 2) == 0x0A ? 2 : 1
                    }
                case quote:
                    if !triple {
                        stack.removeLast()
                    } else if byte(position + 1) == quote && byte(position + 2) == quote {
                        stack.removeLast()
                        position += 2
                    }
                case 0x0A where !triple, 0x0D where !triple:
                    return true  // an unterminated string: not source this scan can follow
                case UInt8(ascii: "{") where format:
                    if byte(position + 1) == UInt8(ascii: "{") { position += 1 } else { stack.append(.field(depth: 0)) }
                case UInt8(ascii: "}") where format:
                    if byte(position + 1) == UInt8(ascii: "}") { position += 1 }
                default:
                    break
                }
            case .formatSpec:
                switch current {
                case UInt8(ascii: "{"):
                    stack.append(.field(depth: 0))
                case UInt8(ascii: "}"):
                    stack.removeLast()  // the field ends with its format spec
                case 0x0A:
                    // A newline ends a single-quoted f-string's spec: only triple-quoted ones may hold it.
                    if case .string(_, false, _, _)? = stack.dropLast().last { return true }
                default:
                    break
                }
            }
            position += 1
        }
        // Offsets at or past the end, or a string or bracket still open: say yes rather than guess.
        guard allMet, stack.count == 1, case .code(0) = stack[0] else { return true }
        return false
    }

    /// `def ` or `async def ` at `start`: a function whose body is the lines indented deeper.
    private static func startsFunction(at start: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        func keyword(_ word: StaticString, at offset: Int) -> Int? {
            let length = word.utf8CodeUnitCount
            guard offset + length < buffer.count else { return nil }
            for index in 0..<length where buffer[offset + index] != word.utf8Start[index] { return nil }
            let after = buffer[offset + length]
            return after == 0x20 || after == 0x09 ? offset + length : nil
        }
        if keyword("def", at: start) != nil { return true }
        guard var offset = keyword("async", at: start) else { return false }
        while offset < buffer.count && (buffer[offset] == 0x20 || buffer[offset] == 0x09) { offset += 1 }
        return keyword("def", at: offset) != nil
    }

    /// The string prefix letters just before a quote (`rb`, `f`, `Rt`…): (is an f/t-string, is raw);
    /// not a prefix when the letters before the quote are part of a name. Shared with `ModuleStatements`.
    public static func stringPrefix(before quote: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (format: Bool, raw: Bool) {
        var start = quote
        while start > 0, start > quote - 3, isIdentifierByte(buffer[start - 1]) { start -= 1 }
        // Longer than a prefix, or part of a longer name: not a prefix (and not valid Python).
        if start > 0 && isIdentifierByte(buffer[start - 1]) { return (false, false) }
        var format = false
        var raw = false
        for index in start..<quote {
            switch buffer[index] | 0x20 {
            case UInt8(ascii: "f"), UInt8(ascii: "t"): format = true
            case UInt8(ascii: "r"): raw = true
            case UInt8(ascii: "b"), UInt8(ascii: "u"): break
            default: return (false, false)
            }
        }
        return (format, raw)
    }

    /// Calls `body` with the range of every name-like run of bytes in `range`, in order (in strings and
    /// comments too: callers use it where a false mention only costs time).
    @inlinable
    public static func forEachNameRun<Bytes: RandomAccessCollection>(in bytes: Bytes, _ range: Range<Int>, _ body: (Range<Int>) -> Void)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var index = range.lowerBound
        while index < range.upperBound {
            guard isIdentifierByte(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < range.upperBound, isIdentifierByte(bytes[index]) { index += 1 }
            body(start..<index)
        }
    }

    /// A byte that can be part of a Python name (non-ASCII bytes included: names may be Unicode).
    @inlinable
    public static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }
}
