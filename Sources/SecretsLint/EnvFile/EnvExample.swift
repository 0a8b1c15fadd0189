/// The example env file a project keeps beside `.env` (`.env.example`, `.env.sample`, `.env.template`,
/// `.env.dist`, `example.env`, or the one `env-example` names): every fix that adds a variable to `.env`
/// adds its name here too, merged like `.env` (appended, nothing existing touched), never a value.
public enum EnvExample {
    public static let conventionalNames = [".env.example", ".env.sample", ".env.template", ".env.dist", "example.env"]

    /// How to get a secret's value, for the example file's comments (`--fix`, `rotate`, `env --format dotenv`).
    public enum Hint {
        public static let secretKey = "make one with `djlint-secrets generate-key`"
        public static let fallbackKeys = "old keys, comma-separated, newest first; empty when none"
        public static let issuedValue = "the value from where it was issued"
    }

    /// A variable for the example file.
    public struct Entry {
        public let name: String
        /// What it feeds, for the comment.
        public let setting: String
        public let kind: Kind

        public enum Kind {
            /// A secret: empty, with a comment on how to get one.
            case secret(hint: String)
            /// DEBUG: the production value, `False`.
            case debugOff
        }

        public init(name: String, setting: String, kind: Kind) {
            self.name = name
            self.setting = setting
            self.kind = kind
        }
    }

    /// The example file of the project at `root`: the configured one (created when missing), else the
    /// first of the usual names that exists; nil when the project keeps none.
    public static func path(projectRoot root: String, settings: LintSettings) -> String? {
        if let name = settings.envExampleFileName { return root + "/" + name }
        return conventionalNames.map { root + "/" + $0 }.first { FileSystem.exists($0) && !FileSystem.isDirectory($0) }
    }

    /// The example file's bytes with the entries it lacks appended (a `NAME=` or `# NAME=` line counts).
    public static func merged(_ bytes: [UInt8], adding entries: [Entry]) -> [UInt8] {
        let file = EnvFile(bytes: bytes)
        let commented = Set(String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line -> String? in
            let text = line.drop { $0 == " " || $0 == "\t" || $0 == "#" }.drop { $0 == " " }
            guard let equals = text.firstIndex(of: "=") else { return nil }
            return String(text[..<equals])
        })
        let newline = EnvFile.lineEnding(of: bytes)
        var result = bytes
        if let last = result.last, last != 0x0A { result += Array(newline.utf8) }
        var seen = Set<String>()
        for entry in entries where file.values[entry.name] == nil && !commented.contains(entry.name) && seen.insert(entry.name).inserted {
            switch entry.kind {
            case .secret(let hint):
                result += Array("# \(entry.setting), secret: \(hint)\(newline)\(entry.name)=\(newline)".utf8)
            case .debugOff:
                result += Array("# \(entry.setting): True only for local development\(newline)\(entry.name)=False\(newline)".utf8)
            }
        }
        return result
    }

    /// The example entries for what `--fix` added to `.env`.
    static func entries(for additions: [EnvAddition]) -> [Entry] {
        additions.map { addition in
            switch addition.kind {
            case .flag:
                return Entry(name: addition.name, setting: addition.setting, kind: .debugOff)
            case .newKey, .movedKey:
                return Entry(name: addition.name, setting: addition.setting, kind: .secret(hint: Hint.secretKey))
            case .fallbackKeys:
                return Entry(name: addition.name, setting: addition.setting, kind: .secret(hint: Hint.fallbackKeys))
            case .movedValue:
                return Entry(name: addition.name, setting: addition.setting, kind: .secret(hint: Hint.issuedValue))
            }
        }
    }
}
