/// A `.env` file as the dotenv readers see it. Parsing keeps every original byte: merging only
/// ever appends, so comments, order and existing values stay exactly as they were.
public struct EnvFile {
    public let bytes: [UInt8]
    /// Variables in file order; a later duplicate does not replace the first (python-dotenv keeps the last,
    /// but we never write a duplicate, so either reading agrees on what we add).
    public private(set) var values: [String: String] = [:]
    public private(set) var names: [String] = []
    /// The 1-based line of the definition `values` holds for each name.
    public private(set) var lineNumbers: [String: Int] = [:]

    public init(bytes: [UInt8] = []) {
        self.bytes = bytes
        let text = String(decoding: bytes, as: UTF8.self)
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " } }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: " \t")
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
            else { continue }
            let value = Self.unquote(line[line.index(after: equals)...])
            if values[name] == nil { names.append(name) }
            values[name] = value
            lineNumbers[name] = index + 1
        }
    }

    /// The value python-dotenv would read for the common forms: quoted, or unquoted up to ` #`.
    static func unquote(_ raw: Substring) -> String {
        let value = raw.drop { $0 == " " || $0 == "\t" }
        if let quote = value.first, quote == "'" || quote == "\"" {
            let body = value.dropFirst()
            if let close = body.firstIndex(of: quote) {
                return String(body[..<close])
            }
            return String(body)
        }
        var result = Substring(value)
        if let comment = result.firstRange(of: " #") { result = result[..<comment.lowerBound] }
        return result.trimmingCharacters(in: " \t")
    }

    /// Why a value cannot be written so that python-dotenv (`dotenv_values`), django-environ (`read_env`,
    /// then `env(...)`), python-decouple and docker compose `env_file` all read it back exactly; nil when
    /// it can. A value that is not plainly safe is written single-quoted, and each reason below is a rule one
    /// of those readers really applies to such a value (checked against the libraries themselves):
    /// python-dotenv decodes `\\` and `\'` and expands `${NAME}` even there; django-environ strips the
    /// single quotes, then double quotes around what is left, and reads a value starting with `$` as the
    /// name of another variable; python-decouple strips the outer quotes only; compose takes single-quoted
    /// text literally but for `\'`; and every reader splits lines.
    public static func unstorableReason(_ value: String) -> String? {
        if value.isEmpty { return "it is empty" }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                return "it holds a line break, which not every .env reader can store"
            case "'":
                return "it holds a single quote, which no single-quoted .env value can hold for every reader"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { return "it holds a control character" }
            }
        }
        if value.contains("\\\\") {
            return "it holds two backslashes in a row, which python-dotenv decodes to one and django-environ does not"
        }
        if value.hasSuffix("\\") {
            return "it ends with a backslash, which python-dotenv and docker compose read as escaping the closing quote"
        }
        if value.hasPrefix("$") {
            return "it starts with `$`, which django-environ reads as the name of another variable"
        }
        if holdsDotenvExpansion(value) {
            return "it holds `${…}`, which python-dotenv expands even inside single quotes"
        }
        if value.unicodeScalars.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            return "it is wrapped in double quotes, which django-environ strips after the single quotes"
        }
        return nil
    }

    /// python-dotenv's variable syntax, `${NAME}` or `${NAME:-default}` (a name without `}` or `:`, a
    /// default without `}`), which it expands in every value; a `${` that never closes is kept as it is.
    static func holdsDotenvExpansion(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        var index = 0
        while index + 1 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else { continue }
            var cursor = index + 2
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "}"), bytes[cursor] != UInt8(ascii: ":") { cursor += 1 }
            guard cursor < bytes.count else { return false }
            if bytes[cursor] == UInt8(ascii: "}") { return true }
            guard cursor + 1 < bytes.count, bytes[cursor + 1] == UInt8(ascii: "-") else { continue }
            cursor += 2
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "}") { cursor += 1 }
            if cursor < bytes.count { return true }
        }
        return false
    }

    /// The line that stores `value`: bare when it is plainly safe, single-quoted otherwise.
    public static func line(name: String, value: String) -> String {
        let plain = value.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A)
                || ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "_" || $0 == "-" || $0 == "." || $0 == "/" || $0 == ":"
        }
        return plain ? "\(name)=\(value)" : "\(name)='\(value)'"
    }

    /// The line ending new lines of a file take: CRLF when the file has one, else LF.
    static func lineEnding(of bytes: [UInt8]) -> String {
        bytes.count > 1 && zip(bytes, bytes.dropFirst()).contains { $0 == 0x0D && $1 == 0x0A } ? "\r\n" : "\n"
    }

    /// The file with `additions` appended, each on its own line, in the file's own line ending.
    public func appending(_ additions: [(name: String, value: String)]) -> [UInt8] {
        guard !additions.isEmpty else { return bytes }
        let newline = Array(Self.lineEnding(of: bytes).utf8)
        var result = bytes
        if let last = result.last, last != 0x0A { result += newline }
        for addition in additions {
            result += Array(Self.line(name: addition.name, value: addition.value).utf8) + newline
        }
        return result
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = self[...]
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension EnvFile {
    /// The file with each variable of `assignments` set: its definition line rewritten in place (other
    /// bytes, the line ending and `export ` kept), or appended when the file has none. For `rotate`, the
    /// one change that replaces values; `--fix` only ever appends.
    public func assigning(_ assignments: [(name: String, value: String)]) -> [UInt8] {
        var lines = Self.splitLines(bytes)
        var appended: [(name: String, value: String)] = []
        for assignment in assignments {
            guard let number = lineNumbers[assignment.name], number - 1 < lines.count else {
                appended.append(assignment)
                continue
            }
            let old = lines[number - 1]
            let ending: [UInt8] = old.suffix(2).elementsEqual([0x0D, 0x0A]) ? [0x0D, 0x0A] : old.last == 0x0A ? [0x0A] : []
            let text = String(decoding: old, as: UTF8.self)
            let export = text.drop { $0 == " " || $0 == "\t" }.hasPrefix("export ") ? "export " : ""
            lines[number - 1] = Array((export + Self.line(name: assignment.name, value: assignment.value)).utf8) + ending
        }
        return EnvFile(bytes: Array(lines.joined())).appending(appended)
    }

    /// Lines with their terminators.
    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            lines.append(Array(bytes[start...index]))
            start = index + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }
}
