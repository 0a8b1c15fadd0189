#if canImport(Glibc)
import Glibc
#endif

/// What a project declares in the files Python projects list their dependencies in (`requirements*.txt`,
/// also under `requirements/`, `pyproject.toml`, `Pipfile`, `setup.cfg`, `setup.py`), and the one edit
/// that declares python-dotenv when a fix adds `load_dotenv` to a project that has no loader (SPEC
/// "Fixes", round 3).
enum ProjectDependencies {
    /// The loader distributions the project's dependency files name: `python-dotenv`, `django-dotenv`,
    /// `django-environ`, in any of their spellings.
    static func declaredLoaders(root: String) -> Set<String> {
        var declared = Set<String>()
        for path in candidateFiles(root: root) {
            guard let bytes = try? FileSystem.readIfExists(path, limit: 1 << 20) else { continue }
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            for distribution in ["python-dotenv", "django-dotenv", "django-environ"] {
                let spellings = ["-", "_", "."].map { separator in String(distribution.map { $0 == "-" ? Character(separator) : $0 }) }
                if spellings.contains(where: text.contains) { declared.insert(distribution) }
            }
        }
        return declared
    }

    private static func candidateFiles(root: String) -> [String] {
        var candidates = ["pyproject.toml", "Pipfile", "setup.cfg", "setup.py"].map { root + "/" + $0 }
        candidates += names(in: root).filter { $0.hasPrefix("requirements") && ($0.hasSuffix(".txt") || $0.hasSuffix(".in")) }.sorted()
            .map { root + "/" + $0 }
        candidates += names(in: root + "/requirements").filter { $0.hasSuffix(".txt") || $0.hasSuffix(".in") }.sorted()
            .map { root + "/requirements/" + $0 }
        return candidates
    }

    /// The new requirement, as each kind of file spells it.
    static let requirementLine = "python-dotenv>=1.0"

    /// The dependency file that should declare python-dotenv, and its bytes with the declaration: the
    /// file that declares Django (the one the project installs from), preferring `pyproject.toml`
    /// (`[project]` dependencies or Poetry), then `Pipfile`, then requirements files; else the first of
    /// them that exists. Files pinned with hashes are not edited (pip would refuse an entry without
    /// one), nor is a file whose edit cannot be verified. Nil when no file can take it.
    static func declarationOfPythonDotenv(root: String) -> (path: String, bytes: [UInt8])? {
        var editable: [(path: String, bytes: [UInt8], declaresDjango: Bool)] = []
        var ordered = ["pyproject.toml", "Pipfile"].map { root + "/" + $0 }
        let requirementFiles = candidateFiles(root: root).filter { $0.hasSuffix(".txt") || $0.hasSuffix(".in") }
        // A pip-compile source (`.in`) before its output; `requirements.txt` and `base`/`common` before the rest.
        func rank(_ path: String) -> Int {
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            if name.hasSuffix(".in") { return 0 }
            if ["requirements.txt", "base.txt", "common.txt"].contains(name) { return 1 }
            if name.contains("dev") || name.contains("test") || name.contains("local") || name.contains("lint") || name.contains("doc") { return 3 }
            return 2
        }
        ordered += requirementFiles.sorted { (rank($0), $0) < (rank($1), $1) }
        for path in ordered {
            guard FileSystem.exists(path), !FileSystem.isDirectory(path),
                  let bytes = try? FileSystem.read(path, limit: 1 << 20), let edited = declaring(in: bytes, path: path)
            else { continue }
            editable.append((path, edited, mentionsDjango(String(decoding: bytes, as: UTF8.self).lowercased())))
        }
        guard let chosen = editable.first(where: \.declaresDjango) ?? editable.first else { return nil }
        return (chosen.path, chosen.bytes)
    }

    /// `bytes` with python-dotenv declared, or nil when this file cannot take it safely.
    static func declaring(in bytes: [UInt8], path: String) -> [UInt8]? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let ending = text.contains("\r\n") ? "\r\n" : "\n"
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        if name == "pyproject.toml" || name == "Pipfile" {
            guard let edited = TOMLDependencies.declaring(requirementLine, in: bytes, ending: ending, pipfile: name == "Pipfile") else { return nil }
            return edited
        }
        // A requirements file: one line at the end. With hashes, every entry needs one.
        guard !text.contains("--hash") else { return nil }
        var edited = bytes
        if let last = edited.last, last != 0x0A { edited += Array(ending.utf8) }
        edited += Array((requirementLine + ending).utf8)
        return edited
    }

    /// Django named as a requirement: `django` not inside a longer name (`django-environ`, `djangorestframework`).
    static func mentionsDjango(_ lowercased: String) -> Bool {
        let bytes = Array(lowercased.utf8)
        let word = Array("django".utf8)
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        var index = 0
        while index + word.count <= bytes.count {
            if bytes[index..<index + word.count].elementsEqual(word),
               index == 0 || !isNameByte(bytes[index - 1]),
               index + word.count == bytes.count || !isNameByte(bytes[index + word.count]) {
                return true
            }
            index += 1
        }
        return false
    }

    static func names(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return names
    }
}

/// Byte edits of `pyproject.toml` (`[project]` `dependencies = [...]`, `[tool.poetry.dependencies]`) and
/// `Pipfile` (`[packages]`): the smallest insertion, every other byte kept; the result is parsed again
/// and must list the new requirement, or the file is not edited.
enum TOMLDependencies {
    static func declaring(_ requirement: String, in bytes: [UInt8], ending: String, pipfile: Bool) -> [UInt8]? {
        guard let before = try? TOMLParser.parse(bytes) else { return nil }
        let lines = lineRanges(bytes)
        var edited: [UInt8]?
        if pipfile {
            edited = appendingKey(requirement, table: "packages", to: bytes, lines: lines, ending: ending, pipfile: true)
        } else if before["project"]?.table?["dependencies"]?.array != nil {
            edited = appendingArrayElement(requirement, to: bytes, lines: lines, ending: ending)
        } else if before["tool"]?.table?["poetry"]?.table?["dependencies"]?.table != nil {
            edited = appendingKey(requirement, table: "tool.poetry.dependencies", to: bytes, lines: lines, ending: ending, pipfile: false)
        }
        guard let edited, let after = try? TOMLParser.parse(edited), declares(after, pipfile: pipfile) else { return nil }
        return edited
    }

    private static func declares(_ table: TOMLTable, pipfile: Bool) -> Bool {
        if pipfile { return table["packages"]?.table?["python-dotenv"] != nil }
        if let list = table["project"]?.table?["dependencies"]?.array,
           list.contains(where: { $0.string == ProjectDependencies.requirementLine }) { return true }
        return table["tool"]?.table?["poetry"]?.table?["dependencies"]?.table?["python-dotenv"] != nil
    }

    private static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            ranges.append(start..<index + 1)
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    private static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self).trimmingCharacters(in: "\n\r \t")
    }

    /// The header a line opens (`[project]`, `[tool.poetry.dependencies]`), without spaces or a comment.
    private static func header(_ line: String) -> String? {
        guard line.hasPrefix("["), !line.hasPrefix("[[") else { return line.hasPrefix("[[") ? "[[" : nil }
        guard let close = line.firstIndex(of: "]") else { return nil }
        return String(line[line.index(after: line.startIndex)..<close].filter { $0 != " " && $0 != "\t" })
    }

    /// `name = ">=1.0"` after the last entry of `[table]`.
    private static func appendingKey(
        _ requirement: String, table: String, to bytes: [UInt8], lines: [Range<Int>], ending: String, pipfile: Bool
    ) -> [UInt8]? {
        guard let start = lines.firstIndex(where: { header(trimmed(bytes, $0)) == table }) else { return nil }
        var lastEntry = start
        for index in (start + 1)..<lines.count {
            let line = trimmed(bytes, lines[index])
            if header(line) != nil { break }
            if !line.isEmpty && !line.hasPrefix("#") { lastEntry = index }
        }
        let version = pipfile ? "\"*\"" : "\">=1.0\""
        var insertion = Array("python-dotenv = \(version)\(ending)".utf8)
        let offset = lines[lastEntry].upperBound
        if offset > 0, bytes[offset - 1] != 0x0A { insertion = Array(ending.utf8) + insertion }
        return Array(bytes[..<offset]) + insertion + Array(bytes[offset...])
    }

    /// `"python-dotenv>=1.0"` as the last element of `[project]`'s `dependencies = [...]`.
    private static func appendingArrayElement(_ requirement: String, to bytes: [UInt8], lines: [Range<Int>], ending: String) -> [UInt8]? {
        guard let start = lines.firstIndex(where: { header(trimmed(bytes, $0)) == "project" }) else { return nil }
        var open: Int?
        for index in (start + 1)..<lines.count {
            let line = trimmed(bytes, lines[index])
            if header(line) != nil { break }
            guard line.hasPrefix("dependencies") else { continue }
            let rest = line.dropFirst("dependencies".count).drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix("="), rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("[") else { continue }
            open = lines[index].lowerBound + (bytes[lines[index]].firstIndex(of: UInt8(ascii: "["))! - lines[index].lowerBound)
            break
        }
        guard let open, let (close, lastElementEnd) = arrayEnd(bytes, open: open) else { return nil }
        let element = "\"\(requirement)\""
        func lineIndex(_ offset: Int) -> Int { lines.firstIndex { $0.contains(offset) } ?? lines.count - 1 }
        guard let lastEnd = lastElementEnd else {
            return Array(bytes[..<close]) + Array(element.utf8) + Array(bytes[close...])
        }
        let lastByte = bytes[lastEnd - 1]
        if lineIndex(lastEnd - 1) == lineIndex(close) {
            let insertion = lastByte == UInt8(ascii: ",") ? " \(element)" : ", \(element)"
            return Array(bytes[..<close]) + Array(insertion.utf8) + Array(bytes[close...])
        }
        // One element a line: a comma after the last one when it has none, the new line after its line.
        let lastLine = lines[lineIndex(lastEnd - 1)]
        let indent = bytes[lastLine].prefix { $0 == 0x20 || $0 == 0x09 }
        var result = Array(bytes[..<lastEnd])
        if lastByte != UInt8(ascii: ",") { result.append(UInt8(ascii: ",")) }
        result += bytes[lastEnd..<lastLine.upperBound]
        if result.last != 0x0A { result += Array(ending.utf8) }
        result += Array(indent) + Array("\(element),\(ending)".utf8)
        result += bytes[lastLine.upperBound...]
        return result
    }

    /// The closing `]` of the array opened at `open`, and the end of its last element (its last
    /// significant byte, a trailing comma included), skipping strings and comments; nil for an empty array.
    private static func arrayEnd(_ bytes: [UInt8], open: Int) -> (close: Int, lastElementEnd: Int?)? {
        var index = open + 1
        var depth = 0
        var lastSignificant: Int?
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let triple = index + 2 < bytes.count && bytes[index + 1] == byte && bytes[index + 2] == byte
                let quote = triple ? [byte, byte, byte] : [byte]
                index += quote.count
                while index < bytes.count {
                    if byte == UInt8(ascii: "\"") && bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
                    if bytes[index...].starts(with: quote) { break }
                    index += 1
                }
                index += quote.count
                lastSignificant = index
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return byte == UInt8(ascii: "]") ? (index, lastSignificant) : nil }
                depth -= 1
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                continue
            default:
                break
            }
            index += 1
            lastSignificant = index
        }
        return nil
    }
}
