#if canImport(Glibc)
import Glibc
#endif

/// Whether a project declares python-dotenv, in the files Python projects list their dependencies in:
/// `requirements*.txt` (also under `requirements/`), `pyproject.toml`, `Pipfile`, `setup.cfg`, `setup.py`.
enum ProjectDependencies {
    static func declaresPythonDotenv(root: String) -> Bool {
        var candidates = ["pyproject.toml", "Pipfile", "setup.cfg", "setup.py"].map { root + "/" + $0 }
        candidates += names(in: root).filter { $0.hasPrefix("requirements") && $0.hasSuffix(".txt") }.map { root + "/" + $0 }
        candidates += names(in: root + "/requirements").filter { $0.hasSuffix(".txt") }.map { root + "/requirements/" + $0 }
        return candidates.contains { path in
            guard let bytes = try? FileSystem.readIfExists(path, limit: 1 << 20) else { return false }
            return names(python: bytes)
        }
    }

    /// The distribution's name in any of its spellings (`python-dotenv`, `python_dotenv`, `Python-Dotenv`).
    private static func names(python bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.contains("python-dotenv") || text.contains("python_dotenv") || text.contains("python.dotenv")
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
