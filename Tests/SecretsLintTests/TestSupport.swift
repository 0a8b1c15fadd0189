import Testing
@testable import SecretsLint
import PythonSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Lints `code` as if it were the file at `path`.
func lint(_ code: String, path: String = "mysite/settings.py", settings: LintSettings = LintSettings()) -> [Finding] {
    analyze(code, path: path, settings: settings).findings
}

func analyze(_ code: String, path: String = "mysite/settings.py", settings: LintSettings = LintSettings()) -> FileAnalysis {
    let parser = try! PythonParser()
    return try! Linter(settings: settings).analyze(path: path, source: SourceText(code), parser: parser)
}

/// An example with `↓` markers: the code without them and the 1-based lines they mark.
struct MarkedExample {
    let code: String
    let markedLines: [Int]

    init(_ marked: String) {
        var code = ""
        var lines: [Int] = []
        var line = 1
        for character in marked {
            if character == "↓" {
                lines.append(line)
                continue
            }
            if character == "\n" { line += 1 }
            code.append(character)
        }
        self.code = code
        markedLines = lines
    }
}

func lines(of findings: [Finding], code: String, rule: String) -> [Int] {
    let source = SourceText(code)
    return findings.filter { $0.code == rule }.map { source.location(ofByte: $0.range.lowerBound).line }
}

/// Collects what a run prints.
final class RecordingConsole: Console {
    var standardOutput: [UInt8] = []
    var standardError = ""
    func out(_ text: String) { standardOutput += Array(text.utf8) }
    func outBytes(_ bytes: [UInt8]) { standardOutput += bytes }
    func err(_ text: String) { standardError += text }
    var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
}

/// Files of the repository, found from this source file's path.
enum URLlessFile {
    static func repositoryRoot() -> String {
        var path = #filePath
        for _ in 0..<3 { path = FileSystem.parentDirectory(of: path) }
        return path
    }

    /// The names of the regular files in a repository folder, sorted; nil when it cannot be listed.
    static func files(in repositoryPath: String) -> [String]? {
        guard let directory = opendir(repositoryRoot() + "/" + repositoryPath) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            guard entry.pointee.d_type == UInt8(DT_REG) else { continue }
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return names.sorted()
    }

    /// Every `.py` file under a repository folder (recursively), as repository paths, sorted.
    static func pythonFiles(under repositoryPath: String) -> [String] {
        guard let directory = opendir(repositoryRoot() + "/" + repositoryPath) else { return [] }
        defer { closedir(directory) }
        var found: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            let path = repositoryPath + "/" + name
            if entry.pointee.d_type == UInt8(DT_DIR) {
                found += pythonFiles(under: path)
            } else if entry.pointee.d_type == UInt8(DT_REG) && name.hasSuffix(".py") {
                found.append(path)
            }
        }
        return found.sorted()
    }

    static func read(repositoryPath: String) -> String {
        String(decoding: (try? FileSystem.read(repositoryRoot() + "/" + repositoryPath)) ?? [], as: UTF8.self)
    }
}
