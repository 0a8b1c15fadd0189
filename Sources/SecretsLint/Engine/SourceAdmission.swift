import PythonSyntax

/// Why the engine does not look at a file's text (binary, not UTF-8, unparsable), ready to show.
public struct SkippedSource: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// What every front end does before analysis: admit the text, then analyse it.
public enum SourceAdmission {
    /// Text the engine can work on, or why the file is skipped (binary, not UTF-8).
    public static func admit(_ bytes: [UInt8], path: String) -> Result<SourceText, SkippedSource> {
        if ByteSearch.containsNUL(bytes) { return .failure(SkippedSource(message: "\(path): binary file (holds a NUL byte), skipped")) }
        let source = SourceText(bytes: bytes)
        guard source.isValidUTF8 else { return .failure(SkippedSource(message: "\(path): not valid UTF-8, skipped")) }
        return .success(source)
    }

    /// The message for an analysis that threw (too deeply nested, or tree-sitter gave up).
    public static func analysisFailure(_ error: Error, path: String) -> String {
        if let error = error as? AnalysisError { return "\(path): \(error)" }
        return "\(path): tree-sitter could not parse the file, skipped"
    }
}
