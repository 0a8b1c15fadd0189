import PythonSyntax

/// How a `DEBUG = <environment read>` behaves: on by default, or a string used as a bool.
struct DebugReadAnalysis {
    enum Verdict {
        case defaultOn
        case stringTruthiness
    }

    let assignment: SettingAssignment
    let read: EnvironmentRead
    let verdict: Verdict
    /// DEBUG's value on a machine without the variable, as Python sees it (local development).
    let unsetTruthiness: Bool?

    static func all(in context: RuleContext) -> [DebugReadAnalysis] {
        guard !context.isDevelopmentSettings else { return [] }
        let evaluator = UnsetEnvironmentEvaluator(bindings: context.bindings)
        return context.model.assignments.compactMap { assignment in
            guard assignment.path == ["DEBUG"] else { return nil }
            let primary = primaryRead(assignment.value, bindings: context.bindings)
            guard let read = primary ?? anyRead(in: assignment.value, bindings: context.bindings) else { return nil }
            let unset = evaluator.evaluate(assignment.value)
            if let unset, meansOn(unset) {
                // A django-environ scheme default is reported where the scheme declares it.
                if read.schemeEntry != nil, read.defaultNode.map({ $0.startByte < assignment.value.startByte }) ?? false {
                    return nil
                }
                return DebugReadAnalysis(assignment: assignment, read: read, verdict: .defaultOn, unsetTruthiness: true)
            }
            guard primary != nil, read.yieldsRawString || read.kind == .membership,
                  isUsedAsBool(assignment.value, read: read) else { return nil }
            return DebugReadAnalysis(
                assignment: assignment, read: read, verdict: .stringTruthiness, unsetTruthiness: unset?.isTruthy)
        }
    }

    static func meansOn(_ value: StaticValue) -> Bool {
        if case .string(let text) = value { return UnsetEnvironmentEvaluator.meansOn(text) }
        return value.isTruthy
    }

    /// The read whose value becomes DEBUG: through `bool()`, `eval()`, parentheses and `or`. A proper
    /// conversion (`ast.literal_eval`, `json.loads`, `strtobool`, `int`, a function of the file) is not
    /// truthiness: only the value it gives unset counts.
    static func primaryRead(_ node: SyntaxNode, bindings: ModuleBindings) -> EnvironmentRead? {
        if let read = bindings.environmentRead(node) { return read }
        switch node.kind {
        case .parenthesizedExpression:
            return node.namedChild(0).flatMap { primaryRead($0, bindings: bindings) }
        case .call:
            let name = node.child(field: .function)?.text ?? ""
            guard name == "bool" || name == "eval" else { return nil }
            return CallArguments(node).positional(0).flatMap { primaryRead($0, bindings: bindings) }
        case .booleanOperator:
            return node.child(field: .left).flatMap { primaryRead($0, bindings: bindings) }
        case .comparisonOperator, .notOperator:
            // A comparison turns the string into a bool: only its default can be wrong.
            return anyRead(in: node, bindings: bindings)
        default:
            return nil
        }
    }

    private static let readKinds = NodeKindSet([.subscript, .comparisonOperator, .call])

    /// Any read inside the value (`strtobool(os.getenv(...))`, `int(env("DEBUG"))`): its default can still mean on.
    static func anyRead(in node: SyntaxNode, bindings: ModuleBindings) -> EnvironmentRead? {
        var found: EnvironmentRead?
        // Only these kinds of node can be a read (`environmentRead`).
        node.forEachNode(ofKinds: Self.readKinds) { child in
            found = bindings.environmentRead(child)
            return found == nil
        }
        return found
    }

    /// The string itself (not a comparison of it) decides DEBUG.
    private static func isUsedAsBool(_ node: SyntaxNode, read: EnvironmentRead) -> Bool {
        if node == read.node { return true }
        switch node.kind {
        case .parenthesizedExpression: return node.namedChild(0).map { isUsedAsBool($0, read: read) } ?? false
        case .call:
            guard let name = node.child(field: .function)?.text, name == "bool" || name == "eval" else { return false }
            return CallArguments(node).positional(0).map { isUsedAsBool($0, read: read) } ?? false
        case .booleanOperator: return node.child(field: .left).map { isUsedAsBool($0, read: read) } ?? false
        default: return false
        }
    }

    func fix() -> FixIntent? {
        guard let variable = read.variableName else { return nil }
        return .replaceWithRead(
            expression: assignment.value.byteRange, setting: assignment.path, variable: variable, form: .bool,
            stored: .debugFlag(unsetTruthiness), style: read.style)
    }
}
