#if canImport(Glibc)
import Glibc
#endif

/// Which Django a project runs, for `rotate` (SECRET_KEY_FALLBACKS exists from Django 4.1): the one
/// installed in the project's own virtualenv (`.venv`, `venv`, `env` beside `manage.py`), else the version
/// its dependency files declare, else the one the active `VIRTUAL_ENV` or `python3` imports.
public struct DjangoVersion: Equatable {
    public let major: Int
    public let minor: Int
    /// Where the version came from, for the summary: "installed in /p/.venv", "declared in requirements.txt".
    public let source: String

    public var hasFallbacks: Bool { (major, minor) >= (4, 1) }
    public var text: String { "\(major).\(minor)" }

    public static func find(projectRoot root: String) -> DjangoVersion? {
        var pythons: [String] = []
        for folder in [".venv", "venv", "env"] where FileSystem.exists(root + "/" + folder + "/pyvenv.cfg") {
            pythons.append(root + "/" + folder + "/bin/python")
        }
        for python in pythons where FileSystem.exists(python) {
            if let version = installed(python) { return version }
        }
        // What the project declares says more than an interpreter that merely happens to be active.
        if let version = declared(projectRoot: root) { return version }
        if let active = getenv("VIRTUAL_ENV").map({ String(cString: $0) }), !active.isEmpty, let version = installed(active + "/bin/python") {
            return version
        }
        return installed("python3")
    }

    /// `python -c 'import django'` in the project's interpreter.
    static func installed(_ python: String) -> DjangoVersion? {
        guard let result = Subprocess.run([python, "-c", "import django, sys; sys.stdout.write(django.get_version())"]),
              result.status == 0, let version = parse(String(decoding: result.output, as: UTF8.self)[...]) else { return nil }
        return DjangoVersion(major: version.major, minor: version.minor, source: "installed for \(python)")
    }

    /// The first `django` requirement with a lower bound or pin: `Django==4.0`, `django>=4.2,<5`, `Django = "^4.1"`.
    static func declared(projectRoot root: String) -> DjangoVersion? {
        var candidates = ["pyproject.toml", "Pipfile", "setup.cfg", "setup.py"]
        candidates += ProjectDependencies.names(in: root).filter { $0.hasPrefix("requirements") && $0.hasSuffix(".txt") }.sorted()
        candidates += ProjectDependencies.names(in: root + "/requirements").filter { $0.hasSuffix(".txt") }.sorted().map { "requirements/" + $0 }
        for name in candidates {
            guard let bytes = try? FileSystem.readIfExists(root + "/" + name, limit: 1 << 20) else { continue }
            if let version = requirement(in: String(decoding: bytes, as: UTF8.self)) {
                return DjangoVersion(major: version.major, minor: version.minor, source: "declared in \(name)")
            }
        }
        return nil
    }

    static func requirement(in text: String) -> (major: Int, minor: Int)? {
        let lower = Array(text.lowercased().utf8)
        let word = Array("django".utf8)
        func isNamePart(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        var index = 0
        while index + word.count <= lower.count {
            defer { index += 1 }
            guard Array(lower[index..<index + word.count]) == word,
                  index == 0 || !isNamePart(lower[index - 1]),
                  index + word.count == lower.count || !isNamePart(lower[index + word.count]) else { continue }
            var cursor = index + word.count
            // `[argon2]` extras, quotes and `=` of TOML, spaces.
            if cursor < lower.count, lower[cursor] == UInt8(ascii: "[") {
                while cursor < lower.count, lower[cursor] != UInt8(ascii: "]") { cursor += 1 }
                cursor += 1
            }
            while cursor < lower.count, " \t\"'=:{".utf8.contains(lower[cursor]) { cursor += 1 }
            // A bare `=` after the name is TOML's; the operator itself: == ~= >= ^ ~ or none (Poetry).
            var operatorText = ""
            while cursor < lower.count, "=~><^!".utf8.contains(lower[cursor]) {
                operatorText.append(Character(UnicodeScalar(lower[cursor])))
                cursor += 1
            }
            guard !operatorText.hasPrefix("<"), !operatorText.hasPrefix("!") else { continue }
            while cursor < lower.count, lower[cursor] == 0x20 { cursor += 1 }
            let end = lower[cursor...].firstIndex { !((0x30...0x39).contains($0) || $0 == 0x2E) } ?? lower.count
            if let version = parse(String(decoding: lower[cursor..<end], as: UTF8.self)[...]) { return version }
        }
        return nil
    }

    static func parse(_ text: Substring) -> (major: Int, minor: Int)? {
        let parts = text.split(separator: ".")
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1].prefix { $0.isNumber }) else { return nil }
        return (major, minor)
    }
}
