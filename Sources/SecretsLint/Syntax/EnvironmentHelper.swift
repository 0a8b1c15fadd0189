import PythonSyntax

/// A module-level function of the settings file whose result is an environment read of one of its
/// parameters: `def get_bool_from_env(name, default): return os.environ.get(name, str(default)).lower() == "true"`.
/// Its calls are reads of the variable the call names; what a call gives with the variable unset
/// comes from running the body with the call's arguments (`UnsetEnvironmentEvaluator`).
public struct EnvironmentHelper {
    struct Parameter {
        let name: String
        let defaultValue: SyntaxNode?
        let isPositional: Bool
    }

    public let name: String
    let definition: SyntaxNode
    let body: SyntaxNode
    let parameters: [Parameter]
    /// The parameter that names the variable.
    let variableParameter: String
    /// The parameter whose value the helper gives when the variable is unset, if one does.
    let fallbackParameter: String?
    /// The library of the read inside the body, and the style fixes answer in.
    let library: EnvLibrary
    let style: EnvStyle?
    /// Every `return` gives the read's string as the environment holds it, or the fallback parameter.
    let returnsRawString: Bool
    /// What the defining module binds where the helper is defined: the body's reads are spelled in
    /// its terms, also when another module imports the helper.
    let definingBindings: ModuleBindings

    /// Bodies longer than this are not evaluated: helpers worth following are a few lines.
    static let maximumStatements = 12

    static func detect(_ definition: SyntaxNode, bindings: ModuleBindings) -> EnvironmentHelper? {
        guard definition.kind == .functionDefinition, bindings.hasEnvironmentReaders,
              let name = definition.child(field: .name)?.text,
              let body = definition.child(field: .body),
              body.namedChildCount <= maximumStatements,
              let parameterList = definition.child(field: .parameters) else { return nil }
        let parameters = Self.parameters(parameterList)
        let names = Set(parameters.map(\.name))
        guard !names.isEmpty else { return nil }

        var reads: [EnvironmentRead] = []
        var returnedValues: [SyntaxNode?] = []
        body.walk { node in
            switch node.type {
            case "function_definition", "class_definition", "lambda":
                return false
            case "return_statement":
                returnedValues.append(node.namedChildren.first { $0.kind != .comment })
            default:
                if let read = bindings.environmentRead(node), let nameNode = read.variableNameNode,
                   nameNode.kind == .identifier, names.contains(nameNode.text) {
                    reads.append(read)
                }
            }
            return true
        }
        guard let variableParameter = reads.first?.variableNameNode?.text else { return nil }
        let variableReads = reads.filter { $0.variableNameNode?.text == variableParameter }
        // The read that gives a value (not a membership test) decides the style and library.
        guard let innerRead = variableReads.first(where: { $0.kind != .membership }) ?? variableReads.first else { return nil }

        var fallbackParameter: String?
        for read in variableReads {
            if let fallback = read.defaultNode.flatMap(Self.unwrapped), fallback.kind == .identifier,
               names.contains(fallback.text), fallback.text != variableParameter {
                fallbackParameter = fallback.text
                break
            }
        }
        if fallbackParameter == nil {
            fallbackParameter = returnedValues.compactMap { $0 }.first {
                $0.kind == .identifier && names.contains($0.text) && $0.text != variableParameter
            }?.text
        }
        let returnsRawString = !returnedValues.isEmpty && returnedValues.allSatisfy { value in
            guard let value else { return false }
            if value.kind == .identifier { return value.text == fallbackParameter }
            return variableReads.contains { $0.node == value && $0.yieldsRawString && $0.kind != .membership }
        }
        return EnvironmentHelper(
            name: name, definition: definition, body: body, parameters: parameters,
            variableParameter: variableParameter, fallbackParameter: fallbackParameter,
            library: innerRead.library, style: innerRead.style, returnsRawString: returnsRawString,
            definingBindings: bindings)
    }

    /// `str(default)` and `(default)` stand for `default`.
    private static func unwrapped(_ node: SyntaxNode) -> SyntaxNode {
        switch node.type {
        case "parenthesized_expression":
            return node.namedChild(0).map(unwrapped) ?? node
        case "call" where node.child(field: .function)?.hasText("str") == true:
            return CallArguments(node).positional(0).map(unwrapped) ?? node
        default:
            return node
        }
    }

    private static func parameters(_ list: SyntaxNode) -> [Parameter] {
        var parameters: [Parameter] = []
        var positional = true
        for node in list.namedChildren {
            switch node.type {
            case "identifier":
                parameters.append(Parameter(name: node.text, defaultValue: nil, isPositional: positional))
            case "typed_parameter":
                if let name = node.namedChild(0), name.kind == .identifier {
                    parameters.append(Parameter(name: name.text, defaultValue: nil, isPositional: positional))
                }
            case "default_parameter", "typed_default_parameter":
                if let name = node.child(field: .name), name.kind == .identifier {
                    parameters.append(Parameter(name: name.text, defaultValue: node.child(field: .value), isPositional: positional))
                }
            case "keyword_separator", "list_splat_pattern", "dictionary_splat_pattern":
                positional = false
            default:
                break
            }
        }
        return parameters
    }

    /// The call's arguments by parameter name (positional, then keyword).
    func arguments(of call: SyntaxNode) -> [String: SyntaxNode] {
        let arguments = CallArguments(call)
        var bound: [String: SyntaxNode] = [:]
        for (index, parameter) in parameters.enumerated() where parameter.isPositional {
            if let argument = arguments.positional(index) { bound[parameter.name] = argument }
        }
        for parameter in parameters {
            if let argument = arguments.keyword(parameter.name) { bound[parameter.name] = argument }
        }
        return bound
    }

    /// A call of this helper as an environment read.
    func read(_ call: SyntaxNode) -> EnvironmentRead {
        let bound = arguments(of: call)
        let nameNode = bound[variableParameter]
        return EnvironmentRead(
            kind: .helperCall(function: name), library: library, node: call, variableNameNode: nameNode,
            variableName: nameNode.flatMap { StaticValue.evaluate($0)?.stringValue },
            defaultNode: fallbackParameter.flatMap { bound[$0] }, cast: returnsRawString ? nil : "helper",
            schemeEntry: nil, helper: self)
    }
}
