import PythonSyntax

/// The value of an expression that is built only from literals, evaluated the way Python would.
public enum StaticValue: Equatable {
    case string(String)
    case bytes([UInt8])
    case bool(Bool)
    case integer(Int)
    case none

    /// Python truthiness of the literal.
    public var isTruthy: Bool {
        switch self {
        case .string(let value): return !value.isEmpty
        case .bytes(let value): return !value.isEmpty
        case .bool(let value): return value
        case .integer(let value): return value != 0
        case .none: return false
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let value): return value
        case .bytes(let value): return String(decoding: value, as: UTF8.self)
        default: return nil
        }
    }

    /// Evaluates literals, implicit and `+` concatenation and parentheses; nil for anything else.
    public static func evaluate(_ node: SyntaxNode) -> StaticValue? {
        switch node.kind {
        case .string:
            return PythonStringLiteral.evaluate(node)
        case .concatenatedString:
            return concatenate(node.namedChildren.filter { $0.kind != .comment }.map(evaluate))
        case .parenthesizedExpression:
            let inner = node.namedChildren.filter { $0.kind != .comment }
            guard inner.count == 1 else { return nil }
            return evaluate(inner[0])
        case .binaryOperator:
            guard node.child(field: .operator)?.type == "+",
                  let left = node.child(field: .left), let right = node.child(field: .right)
            else { return nil }
            return concatenate([evaluate(left), evaluate(right)])
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .none: return StaticValue.none
        case .integer:
            let digits = node.text.replacingUnderscores()
            if let value = Int(digits) { return .integer(value) }
            let lowered = digits.lowercased()
            for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lowered.hasPrefix(prefix) {
                return Int(lowered.dropFirst(2), radix: radix).map(StaticValue.integer)
            }
            return nil
        default:
            return nil
        }
    }

    private static func concatenate(_ parts: [StaticValue?]) -> StaticValue? {
        var text = ""
        var bytes: [UInt8] = []
        var sawString = false
        var sawBytes = false
        for part in parts {
            switch part {
            case .string(let value)?: text += value; sawString = true
            case .bytes(let value)?: bytes += value; sawBytes = true
            default: return nil
            }
        }
        if sawString && sawBytes { return nil }
        return sawBytes ? .bytes(bytes) : .string(text)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
