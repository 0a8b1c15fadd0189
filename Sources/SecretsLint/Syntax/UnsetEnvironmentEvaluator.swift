import PythonSyntax

/// Evaluates an expression as it runs when the environment variables it reads are unset: the value
/// production gets from a read whose variable was forgotten. nil when the expression is not static.
struct UnsetEnvironmentEvaluator {
    let bindings: ModuleBindings

    func evaluate(_ node: SyntaxNode) -> StaticValue? {
        if let read = bindings.environmentRead(node) { return unsetValue(of: read) }
        switch node.type {
        case "parenthesized_expression":
            return node.namedChildren.first { $0.type != "comment" }.flatMap(evaluate)
        case "not_operator":
            return node.child(field: "argument").flatMap(evaluate).map { .bool(!$0.isTruthy) }
        case "boolean_operator":
            guard let left = node.child(field: "left").flatMap(evaluate) else { return nil }
            let isAnd = node.child(field: "operator")?.type == "and"
            if isAnd ? !left.isTruthy : left.isTruthy { return left }
            return node.child(field: "right").flatMap(evaluate)
        case "comparison_operator":
            return comparison(node)
        case "call":
            return call(node)
        default:
            return StaticValue.evaluate(node)
        }
    }

    private func unsetValue(of read: EnvironmentRead) -> StaticValue? {
        switch read.kind {
        case .subscript: return nil  // KeyError: fails closed.
        case .membership: return .bool(false)
        default: break
        }
        guard let fallback = read.defaultNode else {
            // No default: os reads give None; django-environ and decouple raise.
            return read.library == .os ? StaticValue.none : nil
        }
        guard let value = evaluate(fallback) else { return nil }
        guard let cast = read.cast, cast != "str" else { return value }
        switch read.library {
        case .environ:
            // django-environ returns a non-string default as it is, and parses a string default only on request.
            if case .string(let text) = value, cast == "bool" { return .bool(Self.meansOn(text)) }
            return value
        case .decouple:
            if case .string(let text) = value, cast == "bool" { return .bool(Self.meansOn(text)) }
            return cast == "bool" ? .bool(value.isTruthy) : value
        case .os:
            return value
        }
    }

    private func comparison(_ node: SyntaxNode) -> StaticValue? {
        let operands = node.namedChildren
        let operators = node.children(field: "operators").map(\.type)
        guard operands.count == 2, operators.count >= 1,
              let left = evaluate(operands[0]) else { return nil }
        let op = operators.joined(separator: " ")
        switch op {
        case "==", "!=", "is", "is not":
            guard let right = evaluate(operands[1]) else { return nil }
            let equal = left == right
            return .bool(op == "==" || op == "is" ? equal : !equal)
        case "in", "not in":
            guard let members = literalMembers(operands[1]) else { return nil }
            let contained: Bool
            if case .string(let needle) = left, case .string(let haystack)? = evaluate(operands[1]) {
                contained = haystack.contains(needle)
            } else {
                contained = members.contains(left)
            }
            return .bool(op == "in" ? contained : !contained)
        default:
            return nil
        }
    }

    private func literalMembers(_ node: SyntaxNode) -> [StaticValue]? {
        switch node.type {
        case "tuple", "list", "set":
            let values = node.namedChildren.filter { $0.type != "comment" }.map(StaticValue.evaluate)
            return values.contains { $0 == nil } ? nil : values.compactMap { $0 }
        case "parenthesized_expression":
            return node.namedChild(0).flatMap(literalMembers)
        default:
            return StaticValue.evaluate(node).map { [$0] }
        }
    }

    private func call(_ node: SyntaxNode) -> StaticValue? {
        guard let function = node.child(field: "function") else { return nil }
        let arguments = CallArguments(node)
        if function.type == "attribute", let object = function.child(field: "object"),
           let method = function.child(field: "attribute")?.text {
            guard case .string(let text)? = evaluate(object) else { return nil }
            switch method {
            case "lower", "casefold": return .string(text.lowercased())
            case "upper": return .string(text.uppercased())
            case "strip", "lstrip", "rstrip": return .string(text.trimmingCharacters(in: " \t\n\r"))
            case "capitalize", "title": return .string(text.prefix(1).uppercased() + text.dropFirst().lowercased())
            default: return nil
            }
        }
        guard let argument = arguments.positional(0), let value = evaluate(argument) else { return nil }
        switch function.text {
        case "bool": return .bool(value.isTruthy)
        case "int":
            switch value {
            case .string(let text): return Int(text.trimmingCharacters(in: " ")).map(StaticValue.integer)
            case .bool(let flag): return .integer(flag ? 1 : 0)
            default: return value
            }
        case "str": return value.stringValue.map(StaticValue.string) ?? (value == .bool(true) ? .string("True") : value == .bool(false) ? .string("False") : nil)
        case "eval", "ast.literal_eval", "literal_eval", "json.loads":
            guard case .string(let text) = value else { return value }
            switch text.trimmingCharacters(in: " ") {
            case "True", "true": return .bool(true)
            case "False", "false": return .bool(false)
            case "None", "null": return StaticValue.none
            case let digits: return Int(digits).map(StaticValue.integer)
            }
        case "strtobool", "distutils.util.strtobool":
            guard case .string(let text) = value else { return nil }
            return .integer(Self.meansOn(text) ? 1 : 0)
        default:
            return nil
        }
    }

    /// The strings django-environ, decouple and strtobool read as true.
    static func meansOn(_ text: String) -> Bool {
        ["1", "true", "yes", "on", "y", "t", "ok"].contains(text.lowercased().trimmingCharacters(in: " "))
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        Substring(self).trimmingCharacters(in: set)
    }
}
