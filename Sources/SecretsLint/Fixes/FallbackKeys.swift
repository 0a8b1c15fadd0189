import PythonSyntax

/// `SECRET_KEY_FALLBACKS` kept in the environment (SPEC "Key lifecycle"): the variable that holds the old
/// keys, comma-separated and newest first, the list read of it in each style, and which keys may be kept.
/// The DJS010/DJS014 fix and `rotate` share it.
public enum FallbackReader: Equatable {
    /// `[k for k in os.environ.get(N, "").split(",") if k]` (also through a bound `environ` mapping).
    case split(EnvStyle)
    /// django-environ `env.list(N, default=[])`.
    case environList(instance: String)
    /// python-decouple `config(N, default="", cast=Csv())`.
    case decoupleCsv(config: String)
    /// django-configurations `values.ListValue([], environ_name=…)` in a settings class.
    case listValue(module: String)

    /// The reader of a file whose settings read their environment in `style`; `inConfigurationClass`
    /// for a setting of a django-configurations class.
    static func forStyle(_ style: EnvStyle, bindings: ModuleBindings, inConfigurationClass: Bool) -> FallbackReader {
        if inConfigurationClass, let module = bindings.configurationValuesModules.sorted().first { return .listValue(module: module) }
        switch style {
        case .os, .environMapping: return .split(style)
        case .environ(let instance): return .environList(instance: instance)
        case .decouple(let config): return .decoupleCsv(config: config)
        }
    }

    /// The expression that reads `variable` as a list of keys.
    public func expression(_ variable: String) -> String {
        let name = PythonQuoting.doubleQuoted(variable)
        switch self {
        case .split(.os(let module)): return "[k for k in \(module).environ.get(\(name), \"\").split(\",\") if k]"
        case .split(.environMapping(let mapping)): return "[k for k in \(mapping).get(\(name), \"\").split(\",\") if k]"
        case .split(let other): return FallbackReader.forStyle(other, bindings: ModuleBindings(), inConfigurationClass: false).expression(variable)
        case .environList(let instance): return "\(instance).list(\(name), default=[])"
        case .decoupleCsv(let config): return "\(config)(\(name), default=\"\", cast=Csv())"
        case .listValue(let module):
            // django-configurations reads DJANGO_ + environ_name unless the prefix is turned off.
            if variable.hasPrefix("DJANGO_"), variable.count > "DJANGO_".count {
                return "\(module).ListValue([], environ_name=\(PythonQuoting.doubleQuoted(String(variable.dropFirst("DJANGO_".count)))))"
            }
            return "\(module).ListValue([], environ_name=\(name), environ_prefix=None)"
        }
    }

    /// Why this reader would not read `key` back exactly from a comma-separated value; nil when it would.
    /// Each reason is what the library does to such a value (python-decouple splits with `shlex`, which
    /// takes quotes, backslashes and `#` comments; django-configurations strips every item).
    public func unreadableReason(_ key: String) -> String? {
        if key.contains(",") { return "it holds a comma, which splits the list" }
        if key.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0.value < 0x20 || $0.value == 0x7F }) {
            return "it holds white space or a control character, which list readers strip"
        }
        if key.hasPrefix("$") { return "it starts with `$`, which django-environ reads as the name of another variable" }
        if case .decoupleCsv = self, let bad = key.first(where: { "#'\"\\".contains($0) }) {
            return "it holds `\(bad)`, which python-decouple's Csv (shlex) does not read literally"
        }
        return EnvFile.unstorableReason(key)
    }

    /// The import the read needs beyond the style's own.
    func missingImport(_ bindings: ModuleBindings) -> String? {
        guard case .decoupleCsv = self, !bindings.boundNames.contains("Csv") else { return nil }
        return "from decouple import Csv"
    }
}

public enum FallbackKeys {
    /// The variable holding a key's fallbacks: `<key variable>_FALLBACKS`.
    public static func variable(forKeyVariable keyVariable: String) -> String { keyVariable + "_FALLBACKS" }

    /// The fallbacks a variable's value lists, newest first.
    public static func parse(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
    }

    /// Why `key` counts as leaked without asking git: a `django-insecure-` key, or one below W009.
    public static func staticLeak(_ key: String) -> String? {
        if key.hasPrefix(SecretKeyLiteral.insecurePrefix) { return "it is a django-insecure- key" }
        if !KeyGenerator.isStrong(key) { return "it is below Django's W009 thresholds" }
        return nil
    }

    /// The variable this file reads `SECRET_KEY` from, or the one `--fix` would give it.
    static func keyVariable(_ model: SettingsModel, settings: LintSettings) -> String {
        for assignment in model.assignments where assignment.path == ["SECRET_KEY"] {
            if let name = model.bindings.environmentRead(assignment.value)?.variableName { return name }
            if let value = ConfigurationValue(assignment.value, setting: "SECRET_KEY", bindings: model.bindings), let name = value.variable {
                return name
            }
        }
        return FileFixer.variableName(for: ["SECRET_KEY"], prefix: settings.envPrefix)
    }

    /// The environment variables a `SECRET_KEY_FALLBACKS` value reads (`[k for k in os.environ.get(N, "")…]`,
    /// `env.list(N)`, `values.ListValue(...)`).
    static func variablesRead(by assignment: SettingAssignment, bindings: ModuleBindings) -> [String] {
        if let value = ConfigurationValue(assignment.value, setting: "SECRET_KEY_FALLBACKS", bindings: bindings), let name = value.variable {
            return [name]
        }
        var names: [String] = []
        assignment.value.walk { node in
            if let name = bindings.environmentRead(node)?.variableName {
                if !names.contains(name) { names.append(name) }
                return false
            }
            return true
        }
        return names
    }

    /// The literal entries of a `SECRET_KEY_FALLBACKS` assignment, and the whole-list fix when every entry
    /// is a literal key.
    struct LiteralList {
        let assignment: SettingAssignment
        let entries: [(node: SyntaxNode, value: String)]
        let fix: FixIntent?
    }

    static func literalLists(in context: RuleContext) -> [LiteralList] {
        var lists: [LiteralList] = []
        for assignment in context.model.assignments where assignment.path == ["SECRET_KEY_FALLBACKS"] {
            var container = assignment.value
            while container.type == "parenthesized_expression", let inner = container.namedChild(0) { container = inner }
            guard ["list", "tuple", "set"].contains(container.type) else { continue }
            var entries: [(node: SyntaxNode, value: String)] = []
            var everyEntryIsAKey = true
            for entry in container.namedChildren where entry.type != "comment" {
                guard let value = StaticValue.evaluate(entry)?.stringValue, !value.isEmpty, !TemplatePlaceholder.appears(in: value) else {
                    everyEntryIsAKey = false
                    continue
                }
                entries.append((entry, value))
            }
            guard !entries.isEmpty else { continue }
            var fix: FixIntent?
            if everyEntryIsAKey {
                let style = EnvStyle.detect(context.bindings, choice: context.settings.envStyle)
                let inClass = assignment.context.inClassBody && !context.bindings.configurationValuesModules.isEmpty
                let reader = FallbackReader.forStyle(style, bindings: context.bindings, inConfigurationClass: inClass)
                let variable = variable(forKeyVariable: keyVariable(context.model, settings: context.settings))
                fix = .replaceWithRead(
                    expression: assignment.value.byteRange, setting: ["SECRET_KEY_FALLBACKS"], variable: variable,
                    form: .literal(reader.expression(variable)), stored: .fallbackKeys(entries.map(\.value), reader: reader),
                    style: inClass ? ConfigurationValue.fixStyle : nil)
            }
            lists.append(LiteralList(assignment: assignment, entries: entries, fix: fix))
        }
        return lists
    }
}
