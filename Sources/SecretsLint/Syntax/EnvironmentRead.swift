import PythonSyntax

/// Which library an environment read goes through; fixes answer in the same style.
public enum EnvLibrary: String {
    case os, environ, decouple
}

/// One read of an environment variable, in any of the spellings Django projects use.
public struct EnvironmentRead {
    public enum Kind: Equatable {
        case mappingGet          // os.environ.get(N, D)
        case getenv              // os.getenv(N, D)
        case `subscript`         // os.environ[N]
        case setdefault          // os.environ.setdefault(N, D)
        case membership          // "N" in os.environ
        case environCall(method: String?)  // env(N) / env.str(N) / env.bool(N)
        case decoupleConfig      // config(N, default=D, cast=...)
        case helperCall(function: String)  // get_bool_from_env(N, D), a helper of the same file
    }

    public let kind: Kind
    public let library: EnvLibrary
    /// The whole read expression.
    public let node: SyntaxNode
    public let variableNameNode: SyntaxNode?
    public let variableName: String?
    /// The fallback used when the variable is unset.
    public let defaultNode: SyntaxNode?
    /// The cast the library applies: `bool`, `int`, `str`, ... or nil for a raw string.
    public let cast: String?
    /// For django-environ: the instance scheme entry that applies to this variable.
    public let schemeEntry: EnvSchemeEntry?
    /// For a helper call: the helper, whose body decides the value.
    public var helper: EnvironmentHelper? = nil

    /// The value is a string as the process environment holds it (no cast to bool or number).
    public var yieldsRawString: Bool {
        if kind == .membership { return false }
        if let helper { return helper.returnsRawString }
        if let cast { return cast == "str" }
        return true
    }

    public var castsToBool: Bool { cast == "bool" }

    /// The style a replacement read should use to match this one.
    public var style: EnvStyle? {
        switch kind {
        case .mappingGet, .subscript, .setdefault, .membership:
            guard let function = node.kind == .call ? node.child(field: .function)?.child(field: .object)
                    : node.kind == .`subscript` ? node.child(field: .value) : nil else { return nil }
            if function.kind == .attribute, let module = function.child(field: .object) { return .os(module: module.text) }
            return .environMapping(name: function.text)
        case .getenv:
            guard let function = node.child(field: .function) else { return nil }
            if function.kind == .attribute, let module = function.child(field: .object) { return .os(module: module.text) }
            return nil
        case .environCall(let method):
            guard let function = node.child(field: .function) else { return nil }
            // `env(N)` and `base.env(N)` call the instance; `env.str(N)`, `base.env.str(N)` a method of it.
            let instance = method == nil ? function : function.child(field: .object)
            return instance.flatMap { $0.kind == .identifier || $0.kind == .attribute ? .environ(instance: $0.text) : nil }
        case .decoupleConfig:
            return node.child(field: .function).map { .decouple(config: $0.text) }
        case .helperCall:
            return helper?.style
        }
    }
}

extension ModuleBindings {
    /// `os.environ` or a name bound to it.
    public func isEnvironMapping(_ node: SyntaxNode) -> Bool {
        switch node.kind {
        case .identifier: return !environMappings.isEmpty && environMappings.contains(node.text)
        case .attribute:
            // `base.environ` where base.py did `from os import environ`; `base.os.environ`.
            if !environMappings.isEmpty && environMappings.contains(node.text) { return true }
            guard node.child(field: .attribute)?.hasText("environ") == true,
                  let object = node.child(field: .object) else { return false }
            return (object.kind == .identifier || object.kind == .attribute) && isOsModule(object.text)
        default: return false
        }
    }

    func isGetenv(_ node: SyntaxNode) -> Bool {
        switch node.kind {
        case .identifier: return !getenvFunctions.isEmpty && getenvFunctions.contains(node.text)
        case .attribute:
            if !getenvFunctions.isEmpty && getenvFunctions.contains(node.text) { return true }
            guard node.child(field: .attribute)?.hasText("getenv") == true,
                  let object = node.child(field: .object) else { return false }
            return (object.kind == .identifier || object.kind == .attribute) && isOsModule(object.text)
        default: return false
        }
    }

    private func isDecoupleConfig(_ node: SyntaxNode) -> Bool {
        switch node.kind {
        case .identifier: return !decoupleConfigs.isEmpty && decoupleConfigs.contains(node.text)
        case .attribute:
            if !decoupleConfigs.isEmpty && decoupleConfigs.contains(node.text) { return true }
            guard !decoupleModules.isEmpty, node.child(field: .attribute)?.hasText("config") == true,
                  let object = node.child(field: .object) else { return false }
            return decoupleModules.contains(object.text)
        default: return false
        }
    }

    /// The django-environ instance a callee refers to: `env`, `env.str`, `environ.Env()`.
    private func envInstance(_ node: SyntaxNode) -> (scheme: EnvScheme, method: String?)? {
        switch node.kind {
        case .identifier:
            guard !envInstances.isEmpty else { return nil }
            return envInstances[node.text].map { ($0, nil) }
        case .attribute:
            // `base.env` of `from . import base`, and its methods (`base.env.bool`).
            if !envInstances.isEmpty, let scheme = envInstances[node.text] { return (scheme, nil) }
            guard let object = node.child(field: .object), let attribute = node.child(field: .attribute) else { return nil }
            if object.kind == .identifier || object.kind == .attribute {
                guard !envInstances.isEmpty, let scheme = envInstances[object.text] else { return nil }
                return (scheme, attribute.text)
            }
            if object.kind == .call, let function = object.child(field: .function), isEnvClass(function) {
                return (EnvScheme(), attribute.text)
            }
            return nil
        case .call:
            guard let function = node.child(field: .function), isEnvClass(function) else { return nil }
            return (EnvScheme(), nil)
        default:
            return nil
        }
    }

    public func environmentRead(_ node: SyntaxNode) -> EnvironmentRead? {
        guard hasEnvironmentReaders else { return nil }
        switch node.kind {
        case .subscript:
            guard let value = node.child(field: .value), isEnvironMapping(value) else { return nil }
            let key = node.child(field: .subscript)
            return EnvironmentRead(
                kind: .subscript, library: .os, node: node, variableNameNode: key,
                variableName: key.flatMap { StaticValue.evaluate($0)?.stringValue },
                defaultNode: nil, cast: nil, schemeEntry: nil)
        case .comparisonOperator:
            let operands = node.namedChildren
            guard operands.count == 2, node.children(field: .operators).first?.type == "in",
                  isEnvironMapping(operands[1]) else { return nil }
            return EnvironmentRead(
                kind: .membership, library: .os, node: node, variableNameNode: operands[0],
                variableName: StaticValue.evaluate(operands[0])?.stringValue,
                defaultNode: nil, cast: "bool", schemeEntry: nil)
        case .call:
            return environmentCall(node)
        default:
            return nil
        }
    }

    private func environmentCall(_ call: SyntaxNode) -> EnvironmentRead? {
        guard let function = call.child(field: .function) else { return nil }
        // Arguments only for a callee that reads: most calls of a file are something else.
        lazy var arguments = CallArguments(call)
        lazy var nameNode = arguments.positional(0) ?? arguments.keyword("key") ?? arguments.keyword("var")
        lazy var name = nameNode.flatMap { StaticValue.evaluate($0)?.stringValue }

        if function.kind == .attribute, let object = function.child(field: .object), isEnvironMapping(object) {
            let method = function.child(field: .attribute)?.text
            let kind: EnvironmentRead.Kind
            switch method {
            case "get": kind = .mappingGet
            case "setdefault": kind = .setdefault
            default: return nil
            }
            return EnvironmentRead(
                kind: kind, library: .os, node: call, variableNameNode: nameNode, variableName: name,
                defaultNode: arguments.positional(1) ?? arguments.keyword("default"), cast: nil, schemeEntry: nil)
        }
        if isGetenv(function) {
            return EnvironmentRead(
                kind: .getenv, library: .os, node: call, variableNameNode: nameNode, variableName: name,
                defaultNode: arguments.positional(1) ?? arguments.keyword("default"), cast: nil, schemeEntry: nil)
        }
        if isDecoupleConfig(function) {
            return EnvironmentRead(
                kind: .decoupleConfig, library: .decouple, node: call, variableNameNode: nameNode,
                variableName: name, defaultNode: arguments.keyword("default") ?? arguments.positional(1),
                cast: arguments.keyword("cast").map(Self.castName), schemeEntry: nil)
        }
        if let (scheme, method) = envInstance(function) {
            let nonReadingMethods: Set<String> = ["read_env", "smart_cast", "parse_value", "ENVIRON", "escape_proxy"]
            if let method, nonReadingMethods.contains(method) { return nil }
            let entry = name.flatMap { scheme.entries[$0] }
            var cast: String?
            switch method {
            case nil, "get_value"?:
                cast = arguments.keyword("cast").map(Self.castName) ?? arguments.positional(1).map(Self.castName)
                    ?? entry?.castName
                // django-environ's smart cast: a bool or int default casts the value to its type.
                if cast == nil, let fallback = arguments.keyword("default") {
                    switch fallback.kind {
                    case .`true`, .`false`: cast = "bool"
                    case .integer: cast = "int"
                    default: break
                    }
                }
            case let method?:
                cast = method
            }
            let defaultNode = arguments.keyword("default")
                ?? (method == nil ? arguments.positional(2) : arguments.positional(1))
                ?? entry?.defaultNode
            return EnvironmentRead(
                kind: .environCall(method: method), library: .environ, node: call, variableNameNode: nameNode,
                variableName: name, defaultNode: defaultNode, cast: cast, schemeEntry: entry)
        }
        if function.kind == .identifier, !environmentHelpers.isEmpty, let helper = environmentHelpers[function.text] {
            return helper.read(call)
        }
        return nil
    }

    private static func castName(_ node: SyntaxNode) -> String {
        node.kind == .identifier ? node.text : node.type
    }

    private static let readingKinds = NodeKindSet([.subscript, .comparisonOperator, .call, .attribute])
    private static let readingKindsAndNames = NodeKindSet([.subscript, .comparisonOperator, .call, .attribute, .identifier])

    /// True when the expression contains any read of the environment, or a name derived from one.
    public func readsEnvironment(_ node: SyntaxNode) -> Bool {
        guard hasEnvironmentReaders else { return false }
        var found = false
        // The node type decides which test can answer: only nodes of those types are looked at (every
        // assignment's value is searched here).
        let namesToFind = !environMappings.isEmpty || !environmentDerivedNames.isEmpty
        node.forEachNode(ofKinds: namesToFind ? Self.readingKindsAndNames : Self.readingKinds) { current in
            switch current.kind {
            case .subscript, .comparisonOperator, .call:
                found = environmentRead(current) != nil
            case .attribute:
                found = isEnvironMapping(current)
            case .identifier:
                guard namesToFind else { break }
                let name = current.text
                found = environMappings.contains(name) || environmentDerivedNames.contains(name)
            default:
                break
            }
            return !found
        }
        return found
    }
}

extension ModuleBindings {
    /// The read, its literal fallback (value and node) and the whole expression to replace:
    /// `get(N, "x")`, `get(N) or "x"`, `get(N) if get(N) else "x"`.
    func literalFallbackRead(_ value: SyntaxNode) -> (EnvironmentRead, String, SyntaxNode, SyntaxNode)? {
        if let read = environmentRead(value), read.kind != .setdefault,
           read.schemeEntry == nil || read.defaultNode?.startByte ?? 0 >= value.startByte,
           let defaultNode = read.defaultNode,
           let fallback = StaticValue.evaluate(defaultNode)?.stringValue, !fallback.isEmpty {
            return (read, fallback, defaultNode, value)
        }
        if value.kind == .booleanOperator, value.child(field: .operator)?.type == "or",
           let left = value.child(field: .left), let right = value.child(field: .right),
           let read = environmentRead(left),
           let fallback = StaticValue.evaluate(right)?.stringValue, !fallback.isEmpty {
            return (read, fallback, right, value)
        }
        if value.kind == .parenthesizedExpression, let inner = value.namedChild(0) {
            return literalFallbackRead(inner).map { ($0.0, $0.1, $0.2, value) }
        }
        // `os.getenv(N) if os.getenv(N) else "x"`, or the other way round: `"x" if not os.getenv(N) else os.getenv(N)`.
        if value.kind == .conditionalExpression {
            let parts = value.namedChildren.filter { $0.kind != .comment }
            guard parts.count == 3, readsEnvironment(parts[1]) else { return nil }
            for (readNode, literalNode) in [(parts[0], parts[2]), (parts[2], parts[0])] {
                guard let read = Self.unwrapped(readNode).flatMap(environmentRead), read.kind != .setdefault, read.kind != .membership,
                      read.defaultNode.map({ StaticValue.evaluate($0) == StaticValue.none }) ?? true,
                      let fallback = StaticValue.evaluate(literalNode)?.stringValue, !fallback.isEmpty else { continue }
                return (read, fallback, literalNode, value)
            }
        }
        return nil
    }

    private static func unwrapped(_ node: SyntaxNode) -> SyntaxNode? {
        var node = node
        while node.kind == .parenthesizedExpression, let inner = node.namedChild(0) { node = inner }
        return node
    }
}

/// Positional and keyword arguments of a call node.
struct CallArguments {
    private(set) var positionals: [SyntaxNode] = []
    private(set) var keywords: [String: SyntaxNode] = [:]

    init(_ call: SyntaxNode) {
        guard let list = call.child(field: .arguments), list.kind == .argumentList else { return }
        for argument in list.namedChildren {
            switch argument.kind {
            case .keywordArgument:
                if let name = argument.child(field: .name)?.text, let value = argument.child(field: .value) {
                    keywords[name] = value
                }
            case .comment, .listSplat, .dictionarySplat:
                continue
            default:
                positionals.append(argument)
            }
        }
    }

    func positional(_ index: Int) -> SyntaxNode? { index < positionals.count ? positionals[index] : nil }
    func keyword(_ name: String) -> SyntaxNode? { keywords[name] }
}
