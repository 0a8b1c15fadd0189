/// GitLab's Code Quality report: a JSON array of issues that the merge request widget compares between
/// the source and target branches by fingerprint.
enum GitLabCodeQuality {
    static func render(_ findings: [ReportedFinding]) -> String {
        var occurrences: [String: Int] = [:]
        let issues: [JSON] = findings.map { finding in
            let path = repositoryPath(finding.path)
            let fingerprint = fingerprint(path: path, code: finding.code, subject: finding.subject, occurrences: &occurrences)
            return .object([
                ("description", .string("\(finding.code) \(finding.message)")),
                ("check_name", .string(finding.code)),
                ("fingerprint", .string(fingerprint)),
                ("severity", .string(severity(finding.severity))),
                ("location", .object([
                    ("path", .string(path)),
                    ("lines", .object([("begin", .number(finding.line))])),
                ])),
            ])
        }
        return JSON.array(issues).rendered()
    }

    /// SHA-256 of path, code, subject and how many findings with those three came before in the report.
    /// Lines are left out, so an issue keeps its fingerprint when code above it moves (GitLab then shows
    /// it as neither new nor fixed); values are left out, so the fingerprint says nothing about a secret.
    static func fingerprint(path: String, code: String, subject: String, occurrences: inout [String: Int]) -> String {
        let identity = [path, code, subject].joined(separator: "\u{0}")
        let occurrence = occurrences[identity, default: 0]
        occurrences[identity] = occurrence + 1
        return SHA256.hexDigest(identity + "\u{0}" + String(occurrence))
    }

    /// GitLab's scale is info, minor, major, critical, blocker: a secret or DEBUG in production is
    /// critical; a warning (a past key in history, a weak key) is major.
    static func severity(_ severity: Severity) -> String {
        severity == .error ? "critical" : "major"
    }

    /// Paths relative to the repository, as GitLab links them: no leading `./`; an absolute path under
    /// the working folder (where the job runs, the checkout) is made relative to it.
    static func repositoryPath(_ path: String) -> String {
        var relative = Substring(path)
        if relative.hasPrefix("/") {
            let folder = FileSystem.absolute(".")
            let base = folder == "/" ? "/" : folder + "/"
            if relative.hasPrefix(base) { relative = relative.dropFirst(base.count) }
        }
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return String(relative)
    }
}
