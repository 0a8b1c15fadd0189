import PythonSyntax

/// A django-configurations value in a `Configuration` class (`DEBUG = values.BooleanValue(True)`): the
/// setting is read from the environment variable `DJANGO_<NAME>` (or the value's `environ_name` /
/// `environ_prefix`), with the value's default when the variable is unset.
struct ConfigurationValue {
    let call: SyntaxNode
    /// `values`, as the module is spelled here.
    let module: String
    /// `BooleanValue`, `Value`, `SecretValue`, …
    let kind: String
    /// The default: the first positional argument or `default=`.
    let defaultNode: SyntaxNode?
    /// The variable django-configurations reads; nil when the names are not literals.
    let variable: String?
    let arguments: CallArguments

    init?(_ node: SyntaxNode, setting: String, bindings: ModuleBindings) {
        guard node.kind == .call, let function = node.child(field: .function), function.kind == .attribute,
              let object = function.child(field: .object), object.kind == .identifier,
              bindings.configurationValuesModules.contains(object.text),
              let kind = function.child(field: .attribute)?.text else { return nil }
        let arguments = CallArguments(node)
        // `environ=False` reads nothing: the default is the value.
        if let environ = arguments.keyword("environ"), StaticValue.evaluate(environ) == .bool(false) { return nil }
        call = node
        module = object.text
        self.kind = kind
        self.arguments = arguments
        defaultNode = arguments.positional(0) ?? arguments.keyword("default")
        variable = Self.variable(setting: setting, arguments: arguments)
    }

    /// `DJANGO_` + the setting name, as `Value.full_environ_name` builds it.
    private static func variable(setting: String, arguments: CallArguments) -> String? {
        var prefix: String? = "DJANGO"
        if let node = arguments.keyword("environ_prefix") {
            switch StaticValue.evaluate(node) {
            case .string(let text)?: prefix = text.hasSuffix("_") ? String(text.dropLast()) : text
            case StaticValue.none?: prefix = nil
            default: return nil
            }
        }
        var name = setting.uppercased()
        if let node = arguments.keyword("environ_name") {
            guard case .string(let text)? = StaticValue.evaluate(node) else { return nil }
            name = text
        }
        guard let prefix, !prefix.isEmpty else { return name }
        return prefix + "_" + name
    }

    /// The style a fix of the value is written in: django-configurations reads the variable itself, so the
    /// file needs neither another module's import nor code that loads `.env`.
    static let fixStyle = EnvStyle.environMapping(name: "values")

    /// The same value as `kind` without its default: `values.SecretValue(environ_name="X")`.
    func replacement(kind: String) -> String {
        let kept = call.child(field: .arguments)?.namedChildren.filter { argument in
            argument.kind == .keywordArgument && argument.child(field: .name)?.hasText("default") != true
        }.map(\.text) ?? []
        return "\(module).\(kind)(\(kept.joined(separator: ", ")))"
    }
}

/// Classes whose name marks them as development or test settings (`DevConfig`, `Local`, `TestSettings`):
/// django-configurations projects keep one class per environment in one file. Such a class does not
/// get the DEBUG rules, unless a class that is not so named inherits from it (`class Prod(Dev)`).
enum DevelopmentClasses {
    static let words: Set<String> = ["dev", "develop", "development", "local", "test", "tests", "testing", "ci"]

    /// The byte ranges of the bodies of such classes at module level.
    static func bodies(in root: SyntaxNode) -> [Range<Int>] {
        var classes: [(name: String, bases: [String], body: Range<Int>)] = []
        for statement in root.namedChildren {
            let definition = statement.kind == .decoratedDefinition ? statement.child(field: .definition) : statement
            guard let definition, definition.kind == .classDefinition, let name = definition.child(field: .name)?.text,
                  let body = definition.child(field: .body) else { continue }
            let bases = definition.child(field: .superclasses)?.namedChildren.map(\.text) ?? []
            classes.append((name, bases, body.byteRange))
        }
        var development = Set(classes.map(\.name).filter(isDevelopmentName))
        // A production class built on a development one makes that one production code too.
        var changed = true
        while changed {
            changed = false
            for entry in classes where !development.contains(entry.name) {
                for base in entry.bases where development.contains(base) {
                    development.remove(base)
                    changed = true
                }
            }
        }
        return classes.filter { development.contains($0.name) }.map(\.body)
    }

    static func isDevelopmentName(_ name: String) -> Bool {
        camelCaseWords(name).contains { words.contains($0) }
    }

    /// `DevConfig` → dev, config; `CISettings` → ci, settings; `local_settings` → local, settings.
    static func camelCaseWords(_ name: String) -> [String] {
        let characters = Array(name)
        var words: [String] = []
        var current = ""
        for (index, character) in characters.enumerated() {
            if character == "_" || !(character.isLetter || character.isNumber) {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
                continue
            }
            if character.isUppercase, !current.isEmpty {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    words.append(current.lowercased())
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}
