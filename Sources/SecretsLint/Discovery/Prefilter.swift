import PythonSyntax

/// Decides from a file's bytes, before any parsing, whether it can hold a finding: every rule needs
/// `DEBUG` or `SECRET_KEY` or a credential-like word followed by an assignment, key or argument end.
/// Most Python files of a tree never mention them and are never parsed.
public struct Prefilter: @unchecked Sendable {
    private let assignment: BytePattern?
    private let environmentWord: BytePattern?
    private let secretName: BytePattern?

    /// `DEBUG =`, `SECRET_KEY =` (not `==`), a secret-like name given a string literal
    /// (`PASSWORD = "`, `"PASSWORD": "`, `password="`), or a secret name passed to a call.
    static let assignmentPattern = #"\b(?:DEBUG|SECRET_KEY(?:_FALLBACKS)?)[ \t]*(?::[^=\n]*)?=(?!=)|SECRET_KEY\w*['"][ \t]*[,)\]]|(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*['"]?\]?[ \t]*[:=][ \t]*\(?\s*[rbufRBUF]{0,2}['"]"#
    /// An environment read with a fallback needs both a reader and a secret variable name.
    static let environmentPattern = #"environ|getenv|\b(?:env|config)\s*\("#
    static let secretNamePattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*['"]\s*[,)]"#

    /// A custom credential pattern cannot be turned into a byte test safely: then every file is parsed.
    public init(settings: LintSettings) {
        if settings.credentialPattern.pattern == LintSettings.defaultCredentialPattern {
            assignment = try? BytePattern(Self.assignmentPattern)
            environmentWord = try? BytePattern(Self.environmentPattern)
            secretName = try? BytePattern(Self.secretNamePattern)
        } else {
            (assignment, environmentWord, secretName) = (nil, nil, nil)
        }
    }

    public func mayHaveFindings(_ bytes: [UInt8]) -> Bool {
        guard let assignment, let environmentWord, let secretName else { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            assignment.firstMatch(in: buffer) != nil
                || (environmentWord.firstMatch(in: buffer) != nil && secretName.firstMatch(in: buffer) != nil)
        }
    }
}
