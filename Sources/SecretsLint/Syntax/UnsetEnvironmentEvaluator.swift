import PythonSyntax

/// Evaluates an expression as it runs when the environment variables it reads are unset: the value
/// production gets from a read whose variable was forgotten. nil when the expression is not static.
struct UnsetEnvironmentEvaluator {
    let bindings: ModuleBindings
    /// Inside a helper's body: its parameters and local variables with static values.
    private var locals: [String: StaticValue] = [:]
    /// Helpers calling helpers: each level runs one more body.
    private var helperDepth = 0
    private static let maximumHelperDepth = 4

    /// Variables that are set, as the process would see them (`env --check`); empty: all unset.
    var environment: [String: String] = [:]

    init(bindings: ModuleBindings, environment: [String: String] = [:]) {
        self.bindings = bindings
        self.environment = environment
    }

    func evaluate(_ node: SyntaxNode) -> StaticValue? {
        if let read = bindings.environmentRead(node) { return unsetValue(of: read) }
        switch node.kind {
        case .identifier:
            return locals[node.text]
        case .conditionalExpression:
            let parts = node.namedChildren.filter { $0.kind != .comment }
            guard parts.count == 3, let condition = evaluate(parts[1]) else { return nil }
            return evaluate(condition.isTruthy ? parts[0] : parts[2])
        case .parenthesizedExpression:
            return node.namedChildren.first { $0.kind != .comment }.flatMap(evaluate)
        case .notOperator:
            return node.child(field: .argument).flatMap(evaluate).map { .bool(!$0.isTruthy) }
        case .booleanOperator:
            guard let left = node.child(field: .left).flatMap(evaluate) else { return nil }
            let isAnd = node.child(field: .operator)?.type == "and"
            if isAnd ? !left.isTruthy : left.isTruthy { return left }
            return node.child(field: .right).flatMap(evaluate)
        case .comparisonOperator:
            return comparison(node)
        case .call:
            return call(node)
        default:
            return StaticValue.evaluate(node)
        }
    }

    private func unsetValue(of read: EnvironmentRead) -> StaticValue? {
        if let helper = read.helper { return unsetValue(ofCallTo: helper, call: read.node) }
        if let name = read.variableName, let value = environment[name] {
            if read.kind == .membership { return .bool(true) }
            switch read.cast {
            case "bool"?: return .bool(Self.meansOn(value))
            case "int"?: return Int(value.trimmingCharacters(in: " ")).map(StaticValue.integer)
            default: return .string(value)
            }
        }
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

    // MARK: Helper bodies

    /// Runs the helper's body with the call's arguments bound (evaluated here, in the caller's scope)
    /// and the definition's defaults for the others.
    private func unsetValue(ofCallTo helper: EnvironmentHelper, call: SyntaxNode) -> StaticValue? {
        guard helperDepth < Self.maximumHelperDepth else { return nil }
        let arguments = helper.arguments(of: call)
        var body = UnsetEnvironmentEvaluator(bindings: helper.definingBindings, environment: environment)
        body.helperDepth = helperDepth + 1
        for parameter in helper.parameters {
            let value: StaticValue?
            if let argument = arguments[parameter.name] {
                value = evaluate(argument)
            } else {
                value = parameter.defaultValue.flatMap(UnsetEnvironmentEvaluator(bindings: helper.definingBindings).evaluate)
            }
            if let value { body.locals[parameter.name] = value }
        }
        switch body.execute(helper.body) {
        case .returned(let value): return value
        case .fellThrough: return StaticValue.none
        case .raised, .unknown: return nil
        }
    }

    private enum Outcome {
        case returned(StaticValue)
        case fellThrough
        /// The missing variable raised (`os.environ[name]`): an `except` may give the value.
        case raised
        case unknown
    }

    private mutating func execute(_ block: SyntaxNode) -> Outcome {
        for statement in block.namedChildren {
            switch statement.type {
            case "comment", "pass_statement":
                continue
            case "expression_statement":
                guard let expression = statement.namedChild(0) else { continue }
                if expression.kind == .assignment {
                    guard let target = expression.child(field: .left), target.kind == .identifier,
                          let value = expression.child(field: .right) else { return .unknown }
                    if raisesWhenUnset(value) { return .raised }
                    locals[target.text] = evaluate(value)
                } else if raisesWhenUnset(expression) {
                    return .raised
                }
                // Other expressions (a docstring, a log call) leave the result as it is.
            case "return_statement":
                guard let value = statement.namedChildren.first(where: { $0.kind != .comment }) else {
                    return .returned(StaticValue.none)
                }
                if raisesWhenUnset(value) { return .raised }
                guard let result = evaluate(value) else { return .unknown }
                return .returned(result)
            case "raise_statement":
                return .raised
            case "if_statement":
                let outcome = executeIf(statement)
                if case .fellThrough = outcome { continue }
                return outcome
            case "try_statement":
                let outcome = executeTry(statement)
                if case .fellThrough = outcome { continue }
                return outcome
            default:
                return .unknown
            }
        }
        return .fellThrough
    }

    private mutating func executeIf(_ statement: SyntaxNode) -> Outcome {
        guard let condition = statement.child(field: .condition), let taken = evaluate(condition) else { return .unknown }
        if taken.isTruthy {
            guard let body = statement.child(field: .consequence) else { return .unknown }
            return execute(body)
        }
        for alternative in statement.children(field: .alternative) {
            if alternative.kind == .elifClause {
                guard let condition = alternative.child(field: .condition), let taken = evaluate(condition) else { return .unknown }
                guard taken.isTruthy else { continue }
                guard let body = alternative.child(field: .consequence) else { return .unknown }
                return execute(body)
            }
            guard let body = alternative.child(field: .body) else { return .unknown }
            return execute(body)
        }
        return .fellThrough
    }

    /// `try: return os.environ[name]` / `except KeyError: return default`: a handler around a read is
    /// there for the missing variable, whatever it names.
    private mutating func executeTry(_ statement: SyntaxNode) -> Outcome {
        let parts = statement.namedChildren
        guard let body = parts.first(where: { $0.kind == .block }) else { return .unknown }
        let outcome = execute(body)
        switch outcome {
        case .raised:
            guard let handler = parts.first(where: { $0.kind == .exceptClause }),
                  let block = handler.namedChildren.last(where: { $0.kind == .block }) else { return .raised }
            return execute(block)
        case .fellThrough:
            guard let elseClause = parts.first(where: { $0.kind == .elseClause }) else { return .fellThrough }
            guard let block = elseClause.child(field: .body) ?? elseClause.namedChildren.first(where: { $0.kind == .block }) else { return .unknown }
            return execute(block)
        default:
            return outcome
        }
    }

    /// The expression raises when its variable is missing: `os.environ[name]`, `int(os.environ[name])`,
    /// `os.environ[name].lower()`, or a library read without a default.
    private func raisesWhenUnset(_ node: SyntaxNode) -> Bool {
        if let read = bindings.environmentRead(node) {
            if read.kind == .subscript { return true }
            if read.helper != nil || read.kind == .membership { return false }
            return read.library != .os && read.defaultNode == nil
        }
        switch node.kind {
        case .parenthesizedExpression:
            return node.namedChild(0).map(raisesWhenUnset) ?? false
        case .call:
            if let function = node.child(field: .function), function.kind == .attribute,
               let object = function.child(field: .object), raisesWhenUnset(object) { return true }
            return CallArguments(node).positional(0).map(raisesWhenUnset) ?? false
        case .comparisonOperator:
            return node.namedChild(0).map(raisesWhenUnset) ?? false
        default:
            return false
        }
    }

    private func comparison(_ node: SyntaxNode) -> StaticValue? {
        let operands = node.namedChildren
        let operators = node.children(field: .operators).map(\.type)
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
        switch node.kind {
        case .tuple, .list, .set:
            let values = node.namedChildren.filter { $0.kind != .comment }.map(StaticValue.evaluate)
            return values.contains { $0 == nil } ? nil : values.compactMap { $0 }
        case .parenthesizedExpression:
            return node.namedChild(0).flatMap(literalMembers)
        default:
            return StaticValue.evaluate(node).map { [$0] }
        }
    }

    private func call(_ node: SyntaxNode) -> StaticValue? {
        guard let function = node.child(field: .function) else { return nil }
        let arguments = CallArguments(node)
        if function.kind == .attribute, let object = function.child(field: .object),
           let method = function.child(field: .attribute)?.text, case .string(let text)? = evaluate(object) {
            switch method {
            case "lower", "casefold": return .string(text.lowercased())
            case "upper": return .string(text.uppercased())
            case "strip", "lstrip", "rstrip": return .string(text.trimmingCharacters(in: " \t\n\r"))
            case "capitalize", "title": return .string(text.prefix(1).uppercased() + text.dropFirst().lowercased())
            default: return nil
            }
        }
        guard let argument = arguments.positional(0), let value = evaluate(argument) else { return nil }
        if function.kind == .identifier, let definition = bindings.localFunctions[function.text] {
            return unsetValue(ofCallTo: definition, argument: value)
        }
        switch function.text {
        case "bool": return .bool(value.isTruthy)
        case "str": return value.stringValue.map(StaticValue.string) ?? (value == .bool(true) ? .string("True") : value == .bool(false) ? .string("False") : nil)
        default: return StringConversion(callee: function.text)?.apply(to: value)
        }
    }

    /// A function of the same file given the read's value (`def str2bool(v): return v.lower() in (…)`):
    /// its body runs with the first parameter bound, the others at their defaults.
    private func unsetValue(ofCallTo definition: SyntaxNode, argument: StaticValue) -> StaticValue? {
        guard helperDepth < Self.maximumHelperDepth, let body = definition.child(field: .body),
              body.namedChildCount <= EnvironmentHelper.maximumStatements,
              let parameters = definition.child(field: .parameters),
              let first = parameters.namedChildren.first(where: { $0.kind != .comment }) else { return nil }
        let name = first.kind == .identifier ? first : first.child(field: .name) ?? first.namedChild(0)
        guard let name, name.kind == .identifier else { return nil }
        var inner = UnsetEnvironmentEvaluator(bindings: bindings)
        inner.helperDepth = helperDepth + 1
        inner.locals[name.text] = argument
        switch inner.execute(body) {
        case .returned(let value): return value
        case .fellThrough: return StaticValue.none
        case .raised, .unknown: return nil
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
