import PythonSyntax

/// How a settings file reads its environment; fixes write reads in the same style.
public enum EnvStyle: Equatable {
    case os(module: String)
    /// `from os import environ`: reads through that name.
    case environMapping(name: String)
    case environ(instance: String)
    case decouple(config: String)

    /// The style a file already uses, or the configured one.
    static func detect(_ bindings: ModuleBindings, choice: EnvStyleChoice) -> EnvStyle {
        let osStyle = EnvStyle.os(module: bindings.osModules.sorted().first ?? "os")
        switch choice {
        case .os: return osStyle
        case .environ: return bindings.primaryEnvInstance.map(EnvStyle.environ) ?? osStyle
        case .decouple: return .decouple(config: bindings.decoupleConfigs.sorted().first ?? "config")
        case .auto:
            if let instance = bindings.primaryEnvInstance { return .environ(instance: instance) }
            if let config = bindings.decoupleConfigs.sorted().first { return .decouple(config: config) }
            return osStyle
        }
    }

    func read(_ variable: String, form: ReadForm) -> String {
        let name = PythonQuoting.doubleQuoted(variable)
        switch (self, form) {
        case (_, .literal(let text)): return text
        case (_, .requiredInside(let before, let after)): return before + read(variable, form: .required) + after
        case (.os(let module), .required): return "\(module).environ[\(name)]"
        case (.os(let module), .bool):
            return "\(module).environ.get(\(name), \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")"
        case (.environMapping(let mapping), .required): return "\(mapping)[\(name)]"
        case (.environMapping(let mapping), .bool):
            return "\(mapping).get(\(name), \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")"
        case (.environ(let instance), .required): return "\(instance)(\(name))"
        case (.environ(let instance), .bool): return "\(instance).bool(\(name), default=False)"
        case (.decouple(let config), .required): return "\(config)(\(name))"
        case (.decouple(let config), .bool): return "\(config)(\(name), default=False, cast=bool)"
        }
    }

    /// The import the style needs when the file does not bind it yet.
    func missingImport(_ bindings: ModuleBindings) -> String? {
        switch self {
        case .os(let module):
            return bindings.osModules.contains(module) ? nil : "import os"
        case .environ, .environMapping:
            return nil
        case .decouple(let config):
            return bindings.decoupleConfigs.contains(config) ? nil : "from decouple import config"
        }
    }
}

enum PythonQuoting {
    /// A double-quoted Python string literal of `text`, control characters escaped (a bare carriage return
    /// would end the line inside the literal).
    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
