import PythonSyntax
import SecretsLint

/// The configuration a document is checked with: its nearest `pyproject.toml`, as for `check`.
struct DocumentConfiguration {
    let settings: LintSettings
    let linter: Linter
    /// The folder globs (`per-file-ignores`, `dev-settings`) are relative to.
    let baseFolder: String?
}

/// A document the client has open: its text as the client has it (byte for byte, but a NUL byte is
/// read as a space so the rest of a binary buffer still parses), its version and its latest tree.
final class OpenDocument {
    let uri: String
    /// The file the document is, for `file:` URIs; fixes need it to find the project's `.env`.
    let filePath: String?
    let isPython: Bool
    let configuration: DocumentConfiguration
    private(set) var version: Int
    private(set) var source: SourceText
    private(set) var tree: SyntaxTree?
    private(set) var analysis: FileAnalysis?
    /// Why the latest text has no analysis (nested too deeply, tree-sitter gave up), once per reason.
    private(set) var problem: String?

    init(uri: String, filePath: String?, isPython: Bool, version: Int, text: [UInt8], configuration: DocumentConfiguration) {
        self.uri = uri
        self.filePath = filePath
        self.isPython = isPython
        self.version = version
        self.configuration = configuration
        source = SourceText(bytes: Self.parsable(text))
    }

    /// The path findings are reported under: relative to the configuration's folder, so globs match.
    var analysisPath: String {
        guard let filePath else { return uri }
        if let base = configuration.baseFolder, filePath.hasPrefix(base + "/") { return String(filePath.dropFirst(base.count + 1)) }
        return filePath
    }

    /// Replaces the text (a full change), dropping the old tree.
    func replaceText(_ text: [UInt8], version: Int) {
        self.version = version
        source = SourceText(bytes: Self.parsable(text))
        tree = nil
    }

    /// Applies one incremental change and re-parses from the previous tree.
    func applyChange(start: Position, end: Position, text: [UInt8], version: Int, parser: PythonParser) {
        self.version = version
        var lower = UTF16Positions.byteOffset(of: start, in: source)
        var upper = UTF16Positions.byteOffset(of: end, in: source)
        if upper < lower { swap(&lower, &upper) }
        let inserted = Self.parsable(text)
        var bytes = source.bytes
        bytes.replaceSubrange(lower..<upper, with: inserted)
        let newSource = SourceText(bytes: bytes)
        if let tree {
            self.tree = try? parser.reparse(newSource, changing: tree, by: [SourceChange(range: lower..<upper, replacement: inserted)])
        }
        source = newSource
    }

    /// Parses (when the tree is not current) and analyses the text; the findings, or nil with `problem` set.
    @discardableResult
    func analyze(parser: PythonParser) -> FileAnalysis? {
        analysis = nil
        if tree == nil || tree!.source !== source { tree = try? parser.parse(source) }
        guard let tree else {
            problem = "\(analysisPath): tree-sitter could not parse the file"
            return nil
        }
        if tree.root.nests(deeperThan: Linter.maximumNesting) {
            problem = "\(analysisPath): \(AnalysisError.nestedTooDeep(limit: Linter.maximumNesting))"
            return nil
        }
        problem = nil
        analysis = configuration.linter.analyze(path: analysisPath, tree: tree)
        return analysis
    }

    /// A NUL byte ends tree-sitter's input early; a space in its place keeps every offset and parses on.
    private static func parsable(_ text: [UInt8]) -> [UInt8] {
        guard text.contains(0) else { return text }
        return text.map { $0 == 0 ? 0x20 : $0 }
    }
}

/// `file:` URIs and paths.
enum DocumentURI {
    /// The local path of a `file:` URI, percent-decoded; nil for other schemes.
    static func filePath(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Substring(uri.dropFirst("file://".count))
        if rest.hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
        guard rest.hasPrefix("/") else { return nil }
        var bytes: [UInt8] = []
        var utf8 = Array(rest.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
