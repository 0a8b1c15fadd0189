/// A library function that turns an environment string into a value (`ast.literal_eval`, `json.loads`,
/// `strtobool`, `int`): what it gives for the value a read has when its variable is unset. Settings
/// modules convert `DEBUG` this way; a conversion that raises fails closed.
enum StringConversion {
    /// `ast.literal_eval` and `eval`: Python's literals.
    case pythonLiteral
    /// `json.loads`: JSON's literals (`true`, not `True`).
    case json
    /// `distutils.util.strtobool`: 1 or 0 for its words, ValueError for others.
    case strtobool
    /// A `str2bool` from another module, body unknown: only the words every such function agrees on.
    case boolWords
    case int

    init?(callee: String) {
        switch callee {
        case "ast.literal_eval", "literal_eval", "eval": self = .pythonLiteral
        case "json.loads": self = .json
        case "strtobool", "util.strtobool", "distutils.util.strtobool": self = .strtobool
        case "str2bool", "str_to_bool", "string_to_bool", "to_bool", "parse_bool", "asbool", "as_bool": self = .boolWords
        case "int": self = .int
        default: return nil
        }
    }

    /// nil when the call raises (a missing variable fails closed) or its result is unknown.
    func apply(to value: StaticValue) -> StaticValue? {
        switch self {
        case .int:
            switch value {
            case .string(let text): return Int(text.trimmingCharacters(in: " \t\n\r")).map(StaticValue.integer)
            case .bool(let flag): return .integer(flag ? 1 : 0)
            case .integer: return value
            default: return nil  // int(None) raises TypeError.
            }
        case .pythonLiteral, .json:
            // Both raise for anything but a string (literal_eval(None), json.loads(None)).
            guard case .string(let text) = value else { return nil }
            let literal = text.trimmingCharacters(in: " \t\n\r")
            switch (self, literal) {
            case (.pythonLiteral, "True"), (.json, "true"): return .bool(true)
            case (.pythonLiteral, "False"), (.json, "false"): return .bool(false)
            case (.pythonLiteral, "None"), (.json, "null"): return StaticValue.none
            default: return Int(literal).map(StaticValue.integer)
            }
        case .strtobool:
            guard case .string(let text) = value else { return nil }  // None.lower() raises.
            switch text.lowercased() {
            case "y", "yes", "t", "true", "on", "1": return .integer(1)
            case "n", "no", "f", "false", "off", "0": return .integer(0)
            default: return nil
            }
        case .boolWords:
            if case .bool = value { return value }
            guard case .string(let text) = value else { return nil }
            switch text.lowercased().trimmingCharacters(in: " ") {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: return nil
            }
        }
    }
}
