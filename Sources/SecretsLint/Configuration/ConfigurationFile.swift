import PythonSyntax

public struct ConfigurationError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// `[tool.djlint-secrets]` in a `pyproject.toml` (or the file given with `--config`).
public enum ConfigurationFile {
    static let section = "djlint-secrets"

    /// The nearest `pyproject.toml` at or above `folder` that has a `[tool.djlint-secrets]` table.
    public static func find(from folder: String) -> String? {
        var candidate = FileSystem.absolute(folder)
        while true {
            let path = candidate + "/pyproject.toml"
            if let bytes = try? FileSystem.read(path), bytes.withUnsafeBufferPointer({ ByteSearch.contains($0, "djlint-secrets") }) {
                return path
            }
            let parent = FileSystem.parentDirectory(of: candidate)
            if parent == candidate { return nil }
            candidate = parent
        }
    }

    /// The settings of a run: `config` when given (it must have the table), else the nearest
    /// `pyproject.toml` at or above `folder` that has one, else the defaults.
    public static func settings(config: String?, searchingFrom folder: String) throws -> LintSettings {
        var settings = LintSettings()
        if let config {
            try load(config, into: &settings, requireSection: true)
        } else if let found = find(from: folder) {
            try load(found, into: &settings)
        }
        return settings
    }

    /// Applies the file's settings on top of `settings`; every unknown key or wrong type is an error.
    public static func load(_ path: String, into settings: inout LintSettings, requireSection: Bool = false) throws {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch {
            throw ConfigurationError(path: path, message: "cannot read: \(error)")
        }
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(bytes)
        } catch let error as TOMLError {
            throw ConfigurationError(
                path: path, message: "invalid TOML at line \(error.line), column \(error.column): \(error.message)")
        }
        let isPyproject = path.hasSuffix("pyproject.toml")
        var table: TOMLTable? = document
        if isPyproject || document["tool"] != nil {
            table = document["tool"]?.table?[section]?.table
        }
        guard let table else {
            if requireSection { throw ConfigurationError(path: path, message: "no [tool.\(section)] table") }
            return
        }
        let reader = TableReader(path: path, table: table)
        for key in table.keys {
            switch key {
            case "select": settings.select = Set(try reader.codes(key))
            case "ignore": settings.ignore = Set(try reader.codes(key))
            case "exclude": settings.exclude = try reader.strings(key)
            case "extend-exclude": settings.extendExclude = try reader.strings(key)
            case "dev-settings": settings.devSettingsGlobs = try reader.strings(key)
            case "env-prefix":
                let prefix = try reader.string(key)
                guard prefix.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) else {
                    throw reader.error(key, "must be upper-case letters, digits and underscores")
                }
                settings.envPrefix = prefix
            case "env-file":
                let name = try reader.string(key)
                guard !name.isEmpty, !name.contains("/") else { throw reader.error(key, "must be a file name in the project root") }
                settings.envFileName = name
                settings.envFileConfigured = true
            case "env-example":
                let name = try reader.string(key)
                guard !name.isEmpty, !name.contains("/") else { throw reader.error(key, "must be a file name in the project root") }
                settings.envExampleFileName = name
            case "env-style":
                let value = try reader.string(key)
                guard let style = EnvStyleChoice(rawValue: value) else {
                    throw reader.error(key, "must be one of \(EnvStyleChoice.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                settings.envStyle = style
            case "credential-pattern":
                let pattern = try reader.string(key)
                do { settings.credentialPattern = try BytePattern(pattern) } catch {
                    throw reader.error(key, "\(error)")
                }
            case "per-file-ignores":
                guard let globs = table[key]?.table else { throw reader.error(key, "must be a table of glob = [codes]") }
                let nested = TableReader(path: path, table: globs, prefix: "per-file-ignores.")
                settings.perFileIgnores = try globs.keys.sorted().map { ($0, Set(try nested.codes($0))) }
            default:
                throw ConfigurationError(path: path, message: "unknown key '\(key)' in [tool.\(section)]")
            }
        }
    }

    private struct TableReader {
        let path: String
        let table: TOMLTable
        var prefix = ""

        func error(_ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(path: path, message: "'\(prefix)\(key)' \(message)")
        }

        func string(_ key: String) throws -> String {
            guard let value = table[key]?.string else { throw error(key, "must be a string") }
            return value
        }

        func strings(_ key: String) throws -> [String] {
            guard let array = table[key]?.array else { throw error(key, "must be an array of strings") }
            return try array.map { item in
                guard let value = item.string else { throw error(key, "must be an array of strings") }
                return value
            }
        }

        func codes(_ key: String) throws -> [String] {
            try strings(key).map { code in
                let upper = code.uppercased()
                guard RuleRegistry.description(for: upper) != nil else { throw error(key, "names an unknown rule '\(code)'") }
                return upper
            }
        }
    }
}
