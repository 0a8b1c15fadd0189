import PythonSyntax

/// A finding located for output: 1-based lines and columns, columns in Unicode scalars.
public struct ReportedFinding {
    public let code: String
    public let name: String
    public let message: String
    public let severity: Severity
    public let path: String
    public let line: Int
    public let column: Int
    public let endLine: Int
    public let endColumn: Int
    public let fixable: Bool
    /// What the finding is about, by name and never by value (`SECRET_KEY`, `DATABASES.default.PASSWORD`):
    /// with the path and code it identifies the finding when lines move (GitLab's fingerprint).
    public let subject: String

    public init(_ finding: Finding, path: String, source: SourceText, fixable: Bool? = nil, subject: String = "") {
        self.subject = subject
        code = finding.code
        name = finding.name
        message = finding.message
        severity = finding.severity
        self.path = path
        (line, column) = source.location(ofByte: finding.range.lowerBound)
        (endLine, endColumn) = source.location(ofByte: finding.range.upperBound)
        self.fixable = fixable ?? finding.isFixable
    }

    /// A finding located elsewhere than in a parsed file: a `.env` line, a commit's line.
    public init(
        code: String, name: String, message: String, severity: Severity, path: String, line: Int, column: Int,
        endLine: Int, endColumn: Int, fixable: Bool, subject: String = ""
    ) {
        self.subject = subject
        self.code = code
        self.name = name
        self.message = message
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
        self.fixable = fixable
    }
}

public enum OutputFormat: String, CaseIterable {
    case text, json, sarif, github, gitlab
}

/// Renders findings; every format sees only messages, which never hold a secret in full.
public enum Reporter {
    public static func render(_ findings: [ReportedFinding], format: OutputFormat, color: Bool) -> String {
        switch format {
        case .text: return text(findings, color: color)
        case .json: return JSON.array(findings.map(jsonObject)) + "\n"
        case .github: return findings.map(github).joined()
        case .sarif: return Sarif.render(findings) + "\n"
        case .gitlab: return GitLabCodeQuality.render(findings) + "\n"
        }
    }

    static func text(_ findings: [ReportedFinding], color: Bool) -> String {
        var output = ""
        for finding in findings {
            let location = "\(finding.path):\(finding.line):\(finding.column):"
            let code = finding.code + (finding.fixable ? " [*]" : "")
            if color {
                output += "\u{1B}[1m\(location)\u{1B}[0m \u{1B}[1;31m\(code)\u{1B}[0m \(finding.message)\n"
            } else {
                output += "\(location) \(code) \(finding.message)\n"
            }
        }
        return output
    }

    static func jsonObject(_ finding: ReportedFinding) -> JSON {
        .object([
            ("code", .string(finding.code)),
            ("name", .string(finding.name)),
            ("message", .string(finding.message)),
            ("severity", .string(finding.severity.rawValue)),
            ("path", .string(finding.path)),
            ("line", .number(finding.line)),
            ("column", .number(finding.column)),
            ("end_line", .number(finding.endLine)),
            ("end_column", .number(finding.endColumn)),
            ("fixable", .bool(finding.fixable)),
        ])
    }

    static func github(_ finding: ReportedFinding) -> String {
        func escapeProperty(_ text: String) -> String {
            text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
                .replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
        }
        func escapeData(_ text: String) -> String {
            text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
        }
        let command = finding.severity == .error ? "error" : "warning"
        // Relative to the checkout, as GitHub places annotations.
        return "::\(command) file=\(escapeProperty(GitLabCodeQuality.repositoryPath(finding.path))),line=\(finding.line),col=\(finding.column),"
            + "endLine=\(finding.endLine),endColumn=\(finding.endColumn),title=\(escapeProperty(finding.code))::"
            + escapeData("\(finding.code) \(finding.message)") + "\n"
    }
}

extension ReportedFinding {
    /// A finding of `analysis`, located for output; with `subjects`, also named (GitLab's fingerprints).
    public init(_ finding: Finding, in analysis: FileAnalysis, fixable: Bool? = nil, subjects: FindingSubjects? = nil) {
        self.init(finding, path: analysis.path, source: analysis.source, fixable: fixable,
                  subject: subjects?.subject(of: finding) ?? "")
    }
}

/// What each finding of one file is about: the setting (or nested entry) by name, else the call of its
/// statement. Names only, so no value, secret or not, reaches a fingerprint. Built once per file, and
/// only for the report that needs it.
public struct FindingSubjects {
    private var entries: [Int: [(range: Range<Int>, name: String)]] = [:]
    private var statements: [Int: String] = [:]

    public init(model: SettingsModel) {
        for assignment in model.assignments {
            entries[assignment.anchor.startByte, default: []].append((assignment.anchor.byteRange, assignment.path.joined(separator: ".")))
            let start = assignment.statement.startByte
            if statements[start] == nil { statements[start] = assignment.name }
        }
        for expression in model.expressions where statements[expression.statement.startByte] == nil {
            statements[expression.statement.startByte] = expression.expression.child(field: .function)?.text ?? expression.expression.type
        }
    }

    func subject(of finding: Finding) -> String {
        if let secret = finding.secret { return secret.setting }
        if let entry = entries[finding.range.lowerBound]?.first(where: { $0.range == finding.range }) { return entry.name }
        return statements[finding.statementStart] ?? ""
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
