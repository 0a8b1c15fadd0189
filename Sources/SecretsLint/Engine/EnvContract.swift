import PythonSyntax

/// One place the settings read an environment variable.
public struct EnvUse {
    /// The setting it feeds (`SECRET_KEY`, `DATABASES["default"]["PASSWORD"]`); nil for a read outside a setting.
    public let setting: String?
    public let path: String
    public let line: Int
    /// str, bool, int, float, list, json, database URL, cache URL, …
    public let type: String
    /// The process fails at import without the variable.
    public let required: Bool
    /// The default as the code spells it; nil when required, and never shown for a secret.
    public let defaultText: String?
    /// Not required: a default applies (shown only for non-secrets).
    public var hasDefault: Bool { !required }
}

/// A variable of the contract with every place it is read.
public struct EnvVariable {
    public let name: String
    public var secret: Bool
    public var uses: [EnvUse]

    public var required: Bool { uses.contains(where: \.required) }
}

/// `djlint-secrets env` (SPEC "Key lifecycle and the environment contract"): every variable the settings
/// read, from their code (never imported), split settings followed; and `--check`, the deploy preflight.
public struct EnvContract {
    public let project: ProjectSettings
    public private(set) var variables: [EnvVariable] = []
    private let settings: LintSettings

    public init(project: ProjectSettings, settings: LintSettings) {
        self.project = project
        self.settings = settings
        let secrets = SecretSettings(settings: settings)
        var indexByName: [String: Int] = [:]
        for module in project.modules {
            for (name, use) in Self.uses(in: module, settings: settings) {
                let isSecret = secrets.isSecretVariable(name) || name.uppercased().containsBytes("SECRET_KEY")
                    || use.setting.map { setting in
                        module.analysis.model.assignments.contains { SecretSettings.display($0.path) == setting && secrets.isSecretSetting($0.path) }
                            || setting == "SECRET_KEY_FALLBACKS"
                    } ?? false
                let shown = EnvUse(
                    setting: use.setting, path: use.path, line: use.line, type: use.type, required: use.required,
                    defaultText: isSecret ? nil : use.defaultText)
                if let index = indexByName[name] {
                    variables[index].uses.append(shown)
                    variables[index].secret = variables[index].secret || isSecret
                } else {
                    indexByName[name] = variables.count
                    variables.append(EnvVariable(name: name, secret: isSecret, uses: [shown]))
                }
            }
        }
    }

    /// The reads of one module, in file order.
    static func uses(in module: ProjectSettings.Module, settings: LintSettings) -> [(String, EnvUse)] {
        let analysis = module.analysis
        let bindings = analysis.model.bindings
        var claimed = Set<Int>()
        var found: [(start: Int, name: String, use: EnvUse)] = []
        func line(_ node: SyntaxNode) -> Int { analysis.source.location(ofByte: node.startByte).line }
        // The most specific setting first: an entry of a dict before the dict.
        let assignments = analysis.model.assignments.sorted { $0.path.count > $1.path.count }
        for assignment in assignments {
            let setting = SecretSettings.display(assignment.path)
            if let value = ConfigurationValue(assignment.value, setting: assignment.name, bindings: bindings), assignment.path.count == 1 {
                guard claimed.insert(value.call.startByte).inserted, let name = Self.configurationVariable(value, setting: assignment.name) else { continue }
                let required = value.kind == "SecretValue" || value.arguments.keyword("environ_required").map { StaticValue.evaluate($0) == .bool(true) } ?? false
                found.append((value.call.startByte, name, EnvUse(
                    setting: setting, path: module.path, line: line(assignment.statement), type: Self.configurationType(value.kind),
                    required: required, defaultText: required ? nil : (value.defaultNode?.text ?? "None"))))
                continue
            }
            assignment.value.walk { node in
                if let use = Self.use(of: node, bindings: bindings, setting: setting, assignment: assignment, path: module.path, line: line(node)) {
                    if claimed.insert(node.startByte).inserted { found.append((node.startByte, use.0, use.1)) }
                    return false
                }
                return node.type != "lambda" && node.type != "function_definition"
            }
        }
        // Reads outside a setting: branch conditions (`if os.environ.get("DJANGO_ENV") == "production":`).
        analysis.tree.root.walk { node in
            if node.type == "function_definition" || node.type == "lambda" { return false }
            if !claimed.contains(node.startByte),
               let read = bindings.environmentRead(node), read.kind != .setdefault, let name = read.variableName {
                claimed.insert(node.startByte)
                found.append((node.startByte, name, EnvUse(
                    setting: nil, path: module.path, line: line(node), type: Self.type(of: read, context: nil),
                    required: Self.isRequired(read), defaultText: Self.defaultText(read))))
                return false
            }
            return true
        }
        return found.sorted { $0.start < $1.start }.map { ($0.name, $0.use) }
    }

    private static func use(
        of node: SyntaxNode, bindings: ModuleBindings, setting: String, assignment: SettingAssignment, path: String, line: Int
    ) -> (String, EnvUse)? {
        // dj_database_url.config() reads DATABASE_URL (or `env=`) itself.
        if node.type == "call", let function = node.child(field: .function), Self.isDatabaseURLConfig(function, bindings: bindings) {
            let arguments = CallArguments(node)
            let name = arguments.keyword("env").flatMap { StaticValue.evaluate($0)?.stringValue } ?? "DATABASE_URL"
            let fallback = arguments.keyword("default")
            return (name, EnvUse(setting: setting, path: path, line: line, type: "database URL", required: false,
                                 defaultText: fallback?.text ?? "{} (no database)"))
        }
        guard let read = bindings.environmentRead(node), read.kind != .setdefault, let name = read.variableName ?? urlVariable(read) else { return nil }
        // `int(os.environ.get("EMAIL_PORT", 587))`: the conversion around the read is its type.
        var type = type(of: read, context: assignment.value)
        if let parent = node.parent?.parent, parent.type == "call", let function = parent.child(field: .function),
           function.type == "identifier", ["int", "float", "bool"].contains(function.text),
           CallArguments(parent).positional(0)?.startByte == node.startByte {
            type = function.text
        }
        return (name, EnvUse(
            setting: setting, path: path, line: line, type: type,
            required: isRequired(read), defaultText: defaultText(read)))
    }

    private static func isDatabaseURLConfig(_ function: SyntaxNode, bindings: ModuleBindings) -> Bool {
        switch function.type {
        case "identifier": return bindings.databaseURLFunctions[function.text] == "config"
        case "attribute":
            guard let object = function.child(field: .object), object.type == "identifier" else { return false }
            return bindings.databaseURLModules.contains(object.text) && function.child(field: .attribute)?.text == "config"
        default: return false
        }
    }

    /// django-environ's URL readers without a name read their conventional variable: `env.db()` → DATABASE_URL.
    static func urlVariable(_ read: EnvironmentRead) -> String? {
        guard case .environCall(let method?) = read.kind, read.variableNameNode == nil else { return nil }
        return CredentialInUrlRule.environURLReaders[method]
    }

    static func isRequired(_ read: EnvironmentRead) -> Bool {
        switch read.kind {
        case .subscript: return true
        case .membership, .setdefault, .helperCall: return false
        case .mappingGet, .getenv: return false
        case .environCall, .decoupleConfig:
            return read.defaultNode == nil && read.schemeEntry?.defaultNode == nil
        }
    }

    static func defaultText(_ read: EnvironmentRead) -> String? {
        if isRequired(read) { return nil }
        if read.kind == .membership { return "unset: False" }
        if let node = read.defaultNode ?? read.schemeEntry?.defaultNode { return node.text }
        if case .helperCall = read.kind { return "(the helper's)" }
        return "None"
    }

    static func type(of read: EnvironmentRead, context: SyntaxNode?) -> String {
        if read.kind == .membership { return "bool (set or not)" }
        if case .environCall(let method?) = read.kind {
            switch method {
            case "db", "db_url": return "database URL"
            case "cache", "cache_url": return "cache URL"
            case "email", "email_url": return "email URL"
            case "search_url": return "search URL"
            case "list", "tuple": return "list"
            case "dict": return "dict"
            case "json": return "json"
            case "int", "float", "bool", "str", "url", "path": return method
            default: break
            }
        }
        if let cast = read.cast ?? read.schemeEntry?.castName {
            if cast.hasPrefix("Csv") || cast == "list" { return "list" }
            return cast
        }
        if let context, context.type == "comparison_operator" || context.type == "not_operator" { return "bool" }
        if let context, context.type == "list_comprehension" || context.text.containsBytes(".split(") { return "list" }
        return "str"
    }

    static func configurationVariable(_ value: ConfigurationValue, setting: String) -> String? {
        let urlNames = ["DatabaseURLValue": "DATABASE_URL", "CacheURLValue": "CACHE_URL", "EmailURLValue": "EMAIL_URL", "SearchURLValue": "SEARCH_URL"]
        if let name = urlNames[value.kind], value.arguments.keyword("environ_name") == nil, value.arguments.keyword("environ_prefix") == nil {
            return name
        }
        return value.variable
    }

    static func configurationType(_ kind: String) -> String {
        switch kind {
        case "BooleanValue": return "bool"
        case "IntegerValue", "PositiveIntegerValue": return "int"
        case "FloatValue", "DecimalValue": return "float"
        case "ListValue", "TupleValue", "SetValue", "SingleNestedListValue", "SingleNestedTupleValue": return "list"
        case "DictValue": return "dict"
        case "DatabaseURLValue": return "database URL"
        case "CacheURLValue": return "cache URL"
        case "EmailURLValue": return "email URL"
        default: return "str"
        }
    }

    // MARK: - Preflight

    /// `env --check`: what stops a deploy, against `environment` (the process's, with `--env-file` under
    /// it). Never holds a value.
    public func problems(environment: [String: String]) -> [String] {
        var problems: [String] = []
        for variable in variables where variable.required {
            let use = variable.uses.first(where: \.required)!
            let place = "\(use.setting ?? "read") at \(use.path):\(use.line)"
            switch environment[variable.name] {
            case nil: problems.append("\(variable.name) is required (\(place)) and not set")
            case ""?: problems.append("\(variable.name) is required (\(place)) and set but empty")
            default: break
            }
        }
        if let key = variables.first(where: { $0.uses.contains { $0.setting == "SECRET_KEY" } }), let value = environment[key.name], !value.isEmpty {
            if value.hasPrefix(SecretKeyLiteral.insecurePrefix) {
                problems.append("\(key.name) (SECRET_KEY) is a django-insecure- key: \(EnvExample.Hint.secretKey)")
            } else if !KeyGenerator.isStrong(value) {
                problems.append("\(key.name) (SECRET_KEY) is weak: fewer than 50 characters or fewer than 5 distinct ones (Django's security.W009)")
            }
        }
        if let debug = debugWouldBeOn(environment) { problems.append(debug) }
        return problems
    }

    /// DEBUG as the settings would compute it with `environment`: the last assignment Python runs.
    func debugWouldBeOn(_ environment: [String: String]) -> String? {
        var last: (module: ProjectSettings.Module, assignment: SettingAssignment)?
        for module in project.modules {
            for assignment in module.analysis.model.assignments where assignment.path == ["DEBUG"] && !assignment.context.environmentGated {
                last = (module, assignment)
            }
        }
        guard let (module, assignment) = last else { return nil }
        let bindings = module.analysis.model.bindings
        let place = "\(module.path):\(module.analysis.source.location(ofByte: assignment.statement.startByte).line)"
        var on: Bool?
        if let value = ConfigurationValue(assignment.value, setting: "DEBUG", bindings: bindings) {
            if let name = value.variable, let text = environment[name] {
                on = UnsetEnvironmentEvaluator.meansOn(text)
            } else {
                on = value.defaultNode.flatMap(StaticValue.evaluate)?.isTruthy ?? false
            }
        } else if let value = UnsetEnvironmentEvaluator(bindings: bindings, environment: environment).evaluate(assignment.value) {
            on = value.isTruthy
        }
        guard on == true else { return nil }
        let variable = variables.first { $0.uses.contains { $0.setting == "DEBUG" } }?.name
        return "DEBUG would be on (\(place))" + (variable.map { ": set \($0)=False" } ?? "")
    }
}

// MARK: - Rendering (values never appear: only names, places and the defaults of non-secrets)

extension EnvContract {
    public func renderText() -> String {
        guard !variables.isEmpty else { return "The settings read no environment variables.\n" }
        let width = min(40, variables.map(\.name.count).max() ?? 0)
        var text = ""
        for variable in variables {
            for (index, use) in variable.uses.enumerated() {
                let name = index == 0 ? variable.name : ""
                var need = use.required ? "required" : "default " + (use.defaultText ?? "(hidden: secret)")
                if need.count > 40 { need = String(need.prefix(39)) + "…" }
                let columns = [
                    name.padding(width), use.type.padding(12), need.padding(24), (variable.secret ? "secret" : "").padding(6),
                    (use.setting ?? "-").padding(28), "\(use.path):\(use.line)",
                ]
                text += columns.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            }
        }
        return text
    }

    public func renderJSON() -> String {
        let members: [(String, JSON)] = [
            ("settings_module", project.entryModule.map(JSON.string) ?? .null),
            ("modules", .array(project.modules.map { .string($0.path) })),
            ("variables", .array(variables.map { variable in
                .object([
                    ("name", .string(variable.name)),
                    ("secret", .bool(variable.secret)),
                    ("required", .bool(variable.required)),
                    ("type", .string(variable.uses[0].type)),
                    ("uses", .array(variable.uses.map { use in
                        .object([
                            ("setting", use.setting.map(JSON.string) ?? .null),
                            ("path", .string(use.path)),
                            ("line", .number(use.line)),
                            ("type", .string(use.type)),
                            ("required", .bool(use.required)),
                            ("default", use.defaultText.map(JSON.string) ?? (use.hasDefault ? .string("(hidden: secret)") : .null)),
                        ])
                    })),
                ])
            })),
        ]
        return JSON.object(members).rendered() + "\n"
    }

    /// An example env file: names only; secrets empty with how to make one, non-secret defaults commented out.
    public func renderDotenv() -> String {
        var text = "# The environment the settings read (djlint-secrets env --format dotenv). Never commit real values.\n"
        for variable in variables {
            let use = variable.uses[0]
            var comment = "# \(use.setting ?? "read") (\(use.path):\(use.line)), \(use.type)"
            comment += variable.required ? ", required" : ""
            if variable.secret {
                let name = variable.name.uppercased()
                let how = name.hasSuffix("FALLBACKS") ? EnvExample.Hint.fallbackKeys
                    : SecretSettings(settings: settings).isDjangoKeyName(variable.name) || use.setting == "SECRET_KEY" ? EnvExample.Hint.secretKey : EnvExample.Hint.issuedValue
                text += "\n\(comment), secret: \(how)\n\(variable.name)=\n"
            } else if variable.required {
                text += "\n\(comment)\n\(variable.name)=\n"
            } else {
                let defaultText = Self.plainDefault(use.defaultText ?? "")
                text += "\n\(comment)\n# \(variable.name)=\(defaultText)\n"
            }
        }
        return text
    }

    /// A default as an env file would spell it: string literals without their quotes.
    static func plainDefault(_ code: String) -> String {
        if code.count >= 2, let first = code.first, first == "\"" || first == "'", code.last == first {
            return String(code.dropFirst().dropLast())
        }
        return code == "None" ? "" : code
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
