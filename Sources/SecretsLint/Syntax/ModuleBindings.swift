import PythonSyntax

/// What the module's imports and settings-level assignments bind, so that reads of the environment
/// are recognised under any spelling (`import os as o`, `from os import getenv`, an `environ.Env`
/// instance under any name, `from decouple import config`).
public struct ModuleBindings {
    /// Names bound to the `os` module.
    public var osModules: Set<String> = []
    /// The file mentions `os.environ` or `os.getenv`. Where `os` is not bound at settings level (the
    /// file forgot `import os`, or imports it out of sight) it is still taken for the module, so a fix
    /// that adds `import os` finds nothing more to fix on the next run.
    public var mentionsOsEnvironment = false
    /// Names bound to `os.environ`.
    public var environMappings: Set<String> = []
    /// Names bound to `os.getenv`.
    public var getenvFunctions: Set<String> = []
    /// Names bound to the django-environ module and its `Env` class.
    public var environModules: Set<String> = []
    public var environClasses: Set<String> = []
    /// django-environ `Env` instances by name, with the scheme each declares (`DEBUG=(bool, True)`).
    public var envInstances: [String: EnvScheme] = [:]
    /// The first `Env` instance's name, used for fixes in the django-environ style.
    public var primaryEnvInstance: String?
    /// The first `Env` instance that reads a `.env` file (`env.read_env(...)` / `Env.read_env(...)`).
    public var readsEnvFile = false
    /// The statement that makes each `Env` instance, and the class as the file spells it (`environ.Env`).
    public var envInstanceStatements: [String: SyntaxNode] = [:]
    public var envInstanceClasses: [String: String] = [:]
    /// The settings-level statement that binds each imported name, `Env` instance and decouple config.
    public var bindingStatements: [String: SyntaxNode] = [:]
    /// The file loads a `.env` into the environment itself (`load_dotenv(...)`, django-dotenv's `read_dotenv(...)`).
    public var loadsDotenv = false
    /// Names bound to python-decouple's `config` (or an `AutoConfig`/`Config` instance).
    public var decoupleConfigs: Set<String> = []
    public var decoupleModules: Set<String> = []
    /// Names bound to Django's `get_random_secret_key`, the `secrets` and `random` modules.
    public var randomKeyFunctions: Set<String> = []
    public var secretsModules: Set<String> = []
    public var secretsFunctions: Set<String> = []
    public var randomModules: Set<String> = []
    public var randomFunctions: Set<String> = []
    public var djangoUtilsModules: Set<String> = []
    /// Names bound to the `dj_database_url` module, and its functions imported by name (`config`, `parse`).
    public var databaseURLModules: Set<String> = []
    public var databaseURLFunctions: [String: String] = [:]
    /// Names bound to django-configurations' `values` module.
    public var configurationValuesModules: Set<String> = []
    /// Every name bound at settings level (imports, assignments, definitions).
    public var boundNames: Set<String> = []
    /// Names whose value is read from the environment (`ENVIRONMENT = os.environ.get(...)`).
    public var environmentDerivedNames: Set<String> = []
    /// Module-level functions whose result is an environment read of a parameter, by name.
    public var environmentHelpers: [String: EnvironmentHelper] = [:]
    /// The other module-level functions, by name: one may convert a read's string (`str2bool(os.getenv(…))`).
    public var localFunctions: [String: SyntaxNode] = [:]
    /// The module's `__all__`, when it is a list or tuple of string literals: what a star import binds.
    public var declaredExports: [String]?

    public var usesDecouple: Bool { !decoupleConfigs.isEmpty }

    /// Whether `name` stands for the `os` module here.
    func isOsModule(_ name: String) -> Bool {
        osModules.contains(name) || (mentionsOsEnvironment && name == "os" && !boundNames.contains("os"))
    }

    /// False while nothing bound so far can read the environment: every read needs one of these names
    /// (or the unbound `os`).
    public var hasEnvironmentReaders: Bool {
        !(osModules.isEmpty && !mentionsOsEnvironment && environMappings.isEmpty && getenvFunctions.isEmpty && environModules.isEmpty
            && environClasses.isEmpty && envInstances.isEmpty && decoupleConfigs.isEmpty && decoupleModules.isEmpty
            && environmentHelpers.isEmpty)
    }
}

/// A django-environ scheme entry: `NAME=(cast, default)` or `NAME=cast`.
public struct EnvSchemeEntry {
    public let castName: String?
    public let defaultNode: SyntaxNode?
    /// The keyword argument node that declares it, where a finding about it lands.
    public let declaration: SyntaxNode
}

public struct EnvScheme {
    public var entries: [String: EnvSchemeEntry] = [:]
}

extension ModuleBindings {
    mutating func record(importStatement node: SyntaxNode) {
        switch node.kind {
        case .importStatement:
            for name in node.children(field: .name) {
                let (module, alias) = Self.importedName(name)
                let bound = alias ?? String(module.split(separator: ".").first ?? "")
                boundNames.insert(bound)
                bindingStatements[bound] = node
                guard alias != nil || !module.containsBytes(".") else {
                    if module.hasPrefix("os.") { osModules.insert("os") }
                    if module == "django.core.management.utils" { djangoUtilsModules.insert(module) }
                    continue
                }
                switch module {
                case "os": osModules.insert(bound)
                case "environ": environModules.insert(bound)
                case "decouple": decoupleModules.insert(bound)
                case "secrets": secretsModules.insert(bound)
                case "random": randomModules.insert(bound)
                case "django.core.management.utils": djangoUtilsModules.insert(bound)
                case "dj_database_url": databaseURLModules.insert(bound)
                case "configurations.values": configurationValuesModules.insert(bound)
                default: break
                }
            }
        case .importFromStatement:
            let module = node.child(field: .moduleName)?.text ?? ""
            for name in node.children(field: .name) {
                let (imported, alias) = Self.importedName(name)
                let bound = alias ?? imported
                boundNames.insert(bound)
                bindingStatements[bound] = node
                switch (module, imported) {
                case ("os", "environ"): environMappings.insert(bound)
                case ("os", "getenv"): getenvFunctions.insert(bound)
                case ("environ", "Env"): environClasses.insert(bound)
                case ("decouple", "config"): decoupleConfigs.insert(bound)
                case ("django.core.management.utils", "get_random_secret_key"): randomKeyFunctions.insert(bound)
                case ("secrets", _): secretsFunctions.insert(bound)
                case ("random", _): randomFunctions.insert(bound)
                case ("dj_database_url", "config"), ("dj_database_url", "parse"): databaseURLFunctions[bound] = imported
                case ("configurations", "values"): configurationValuesModules.insert(bound)
                default: break
                }
            }
        default:
            break
        }
    }

    private static func importedName(_ node: SyntaxNode) -> (name: String, alias: String?) {
        if node.kind == .aliasedImport {
            return (node.child(field: .name)?.text ?? "", node.child(field: .alias)?.text)
        }
        return (node.text, nil)
    }

    /// `env = environ.Env(DEBUG=(bool, False))`, `config = AutoConfig(...)`, `env = os.environ`.
    mutating func record(assignmentTarget name: String, value: SyntaxNode) {
        boundNames.insert(name)
        if name == "__all__" {
            // Anything but literal names (a computed `__all__`) leaves the star import at its default.
            guard value.kind == .list || value.kind == .tuple else { declaredExports = nil; return }
            let items = value.namedChildren.filter { $0.kind != .comment }
            let names = items.compactMap { StaticValue.evaluate($0)?.stringValue }
            declaredExports = names.count == items.count ? names : nil
            return
        }
        // `env = os.environ` (or a copy of it): reads through `env.get(…)` and `env[…]` are reads.
        if isEnvironMapping(value) || (value.kind == .call && value.child(field: .function).map { function in
            function.kind == .attribute && function.child(field: .attribute)?.hasText("copy") == true
                && function.child(field: .object).map(isEnvironMapping) == true
        } == true) {
            environMappings.insert(name)
            return
        }
        // `getenv = os.getenv`: its calls are reads as `os.getenv(…)` is.
        if isGetenv(value) {
            getenvFunctions.insert(name)
            return
        }
        guard value.kind == .call, let function = value.child(field: .function) else { return }
        if isEnvClass(function) {
            envInstances[name] = Self.scheme(of: value)
            envInstanceStatements[name] = value.enclosingStatement
            envInstanceClasses[name] = function.text
            bindingStatements[name] = value.enclosingStatement
            if primaryEnvInstance == nil { primaryEnvInstance = name }
        } else if isDecoupleConfigFactory(function) {
            decoupleConfigs.insert(name)
            bindingStatements[name] = value.enclosingStatement
        }
    }

    /// A settings-level call that loads `.env`: `environ.Env.read_env(...)`, `env.read_env(...)`,
    /// `load_dotenv(...)`, `dotenv.load_dotenv(...)`, `read_dotenv(...)`.
    mutating func record(call: SyntaxNode) {
        guard let function = call.child(field: .function) else { return }
        switch function.kind == .attribute ? function.child(field: .attribute)?.text : function.text {
        case "read_env": readsEnvFile = true
        case "load_dotenv", "read_dotenv": loadsDotenv = true
        default: break
        }
    }

    func isEnvClass(_ function: SyntaxNode) -> Bool {
        switch function.kind {
        case .identifier: return environClasses.contains(function.text)
        case .attribute:
            if environClasses.contains(function.text) { return true }
            // `environ.Env` where the file binds no `environ` (it forgot `import environ`) is django-environ's, as
            // an unbound `os` is the module (`isOsModule`): a fix adding `import environ` for its loader then
            // finds nothing more to fix on the next run.
            return function.child(field: .attribute)?.hasText("Env") == true
                && (function.child(field: .object).map {
                    environModules.contains($0.text) || ($0.kind == .identifier && $0.hasText("environ") && !boundNames.contains("environ"))
                } ?? false)
        default: return false
        }
    }

    private func isDecoupleConfigFactory(_ function: SyntaxNode) -> Bool {
        let name: String
        switch function.kind {
        case .identifier: name = function.text
        case .attribute:
            guard let object = function.child(field: .object), decoupleModules.contains(object.text) else { return false }
            name = function.child(field: .attribute)?.text ?? ""
        default: return false
        }
        return name == "AutoConfig" || name == "Config" || name == "RepositoryEnv"
    }

    private static func scheme(of call: SyntaxNode) -> EnvScheme {
        var scheme = EnvScheme()
        guard let arguments = call.child(field: .arguments) else { return scheme }
        for argument in arguments.namedChildren where argument.kind == .keywordArgument {
            guard let name = argument.child(field: .name)?.text,
                  let value = argument.child(field: .value) else { continue }
            if value.kind == .tuple || value.kind == .parenthesizedExpression {
                let items = value.kind == .tuple ? value.namedChildren : (value.namedChild(0).map { $0.kind == .tuple ? $0.namedChildren : [$0] } ?? [])
                scheme.entries[name] = EnvSchemeEntry(
                    castName: items.first?.text, defaultNode: items.count > 1 ? items[1] : nil, declaration: argument)
            } else {
                scheme.entries[name] = EnvSchemeEntry(castName: value.text, defaultNode: nil, declaration: argument)
            }
        }
        return scheme
    }
}
