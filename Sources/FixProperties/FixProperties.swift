import SecretsLint

/// The properties every input keeps through parse → rules → reports → fix planning, with `.env` in
/// memory and nothing written to disk. The fuzz target and the property tests both check them.
///
/// - nothing crashes (the caller notices that one);
/// - a file that parses cleanly still parses cleanly after its fixes;
/// - fixing the fixed file again changes nothing, in the source or in `.env`;
/// - every value a fix stores reads back exactly from the `.env` it would be written to;
/// - a fix that removes a secret's literal stores the secret (credentials) or a key (SECRET_KEY);
/// - no report shows a secret in full;
/// - the prefilter lets through every file that parses and has findings.
public final class FixProperties {
    public struct Violation: Error, CustomStringConvertible {
        public let description: String
    }

    private let settings: LintSettings
    private let linter: Linter
    private let parser: PythonParser
    private let prefilter: Prefilter

    public init(settings: LintSettings = LintSettings()) throws {
        self.settings = settings
        linter = Linter(settings: settings)
        parser = try PythonParser()
        prefilter = Prefilter(settings: settings)
    }

    /// Checks one input as the settings file at `path`, with `env` as the project's existing `.env`.
    /// Inputs the runner would skip (a NUL byte, invalid UTF-8, too deep) pass trivially.
    public func check(_ bytes: [UInt8], path: String = "mysite/settings.py", env: [UInt8] = []) -> Violation? {
        if bytes.contains(0) { return nil }
        let source = SourceText(bytes: bytes)
        guard source.isValidUTF8, let analysis = try? linter.analyze(path: path, source: source, parser: parser)
        else { return nil }

        // A tree scan must not skip this file: the prefilter says yes to every parsable file with findings.
        if !analysis.findings.isEmpty && !analysis.tree.root.hasError && !prefilter.mayHaveFindings(bytes, path: path) {
            return Violation(description: "the prefilter skips a file with findings: \(analysis.findings.map(\.code))")
        }

        // Reports in every format, and the secrets they must not show.
        let reported = analysis.findings.map { ReportedFinding($0, path: path, source: source) }
        var output = ""
        for format in OutputFormat.allCases { output += Reporter.render(reported, format: format, color: false) }
        let secrets = analysis.findings.compactMap { $0.secret?.value ?? Self.secretValue($0) }
        for secret in secrets where Self.isDistinctive(secret, in: analysis) && output.contains(secret) {
            return Violation(description: "a report shows the secret \(secret.debugDescription) in full")
        }

        var store: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile(bytes: env))
        // A project that declares python-dotenv, so that loaders are inserted too and must converge.
        let fixer = FileFixer(
            settings: settings, keyPolicy: .automatic, git: nil, trackedPath: "/project/" + path,
            projectDeclaresDotenv: { true })
        let plan = fixer.plan(analysis, store: &store)
        guard var written = store else { return Violation(description: "the store vanished") }
        if !plan.changesSource && plan.fixedSource != bytes {
            return Violation(description: "an unchanged plan altered the bytes")
        }
        if plan.changesSource && plan.fixed.isEmpty {
            return Violation(description: "the source changed without any applied fix")
        }
        for note in plan.notes {
            for secret in secrets where Self.isDistinctive(secret, in: analysis) && note.contains(secret) {
                return Violation(description: "a note shows the secret \(secret.debugDescription) in full")
            }
        }
        let diff = SecretMask.maskSecrets(
            in: UnifiedDiff.render(old: bytes, new: plan.fixedSource, path: path), of: analysis.findings, tree: analysis.tree)
        for secret in secrets where Self.isDistinctive(secret, in: analysis) && diff.contains(secret) {
            return Violation(description: "--diff shows the secret \(secret.debugDescription) in full")
        }

        // `.env` as it would be written, read back.
        let envBytes = written.file.appending(written.pending.map { ($0.name, $0.value) })
        let envBack = EnvFile(bytes: envBytes)
        for addition in plan.additions where envBack.values[addition.name] != addition.value {
            return Violation(description: "\(addition.name) reads back as \(String(describing: envBack.values[addition.name])), not as stored")
        }
        if !envBytes.starts(with: env) { return Violation(description: ".env lost its existing bytes") }
        written.committed(envBytes)

        // A secret whose literal is gone from the source must be in `.env`.
        let fixedText = String(decoding: plan.fixedSource, as: UTF8.self)
        for index in plan.fixed {
            let finding = analysis.findings[index]
            guard let (variable, stored) = Self.storedVariable(finding, prefix: settings.envPrefix) else { continue }
            guard let value = envBack.values[variable] else {
                if case .debugFlag = stored { continue }
                return Violation(description: "\(finding.code) was fixed but .env has no \(variable)")
            }
            if case .verbatim(let secret) = stored, value != secret {
                return Violation(description: "\(finding.code) was fixed but .env holds another value for \(variable)")
            }
            if case .secretKey = stored, !KeyGenerator.isStrong(value) {
                return Violation(description: "\(finding.code) was fixed but .env holds a weak key in \(variable)")
            }
        }

        // A clean file stays clean.
        let fixedSource = SourceText(bytes: plan.fixedSource)
        guard plan.changesSource else { return nil }
        guard let again = try? linter.analyze(path: path, source: fixedSource, parser: parser) else {
            return Violation(description: "the fixed file cannot be analysed")
        }
        if again.tree.root.hasError && !analysis.tree.root.hasError {
            return Violation(description: "the fix introduced a syntax error:\n\(fixedText)")
        }

        // Fixing again changes nothing.
        var secondStore: EnvStore? = written
        let second = fixer.plan(again, store: &secondStore)
        if second.changesSource {
            return Violation(description: "a second fix changed the source again:\n--- first\n\(fixedText)\n--- second\n\(String(decoding: second.fixedSource, as: UTF8.self))")
        }
        if !second.additions.isEmpty {
            return Violation(description: "a second fix stored \(second.additions.map(\.name)) again")
        }
        return nil
    }

    /// The secret a finding's fix would store, as the code holds it.
    static func secretValue(_ finding: Finding) -> String? {
        switch finding.fix {
        case .replaceWithRead(_, _, _, _, .secretKey(let current?, _), _)?, .deleteStatement(_, _, _, .secretKey(let current?, _))?:
            return current
        case .replaceWithRead(_, _, _, _, .verbatim(let value), _)?, .deleteStatement(_, _, _, .verbatim(let value))?:
            return value
        default:
            return nil
        }
    }

    /// A short value, or one the source also holds elsewhere (a variable name a message may show),
    /// can reach a report by coincidence rather than by a leak.
    static func isDistinctive(_ secret: String, in analysis: FileAnalysis) -> Bool {
        // Masks show `django-insecure-…`: only what follows the prefix is secret.
        let hidden = secret.hasPrefix("django-insecure-") ? Substring(secret).dropFirst(16) : Substring(secret)
        guard hidden.unicodeScalars.count >= 12 else { return false }
        let text = String(decoding: analysis.source.bytes, as: UTF8.self)
        guard text.ranges(of: secret).count <= 1 else { return false }
        // A name that holds the value (`SECRET_Kk2Zx…EY = …`) is code the report must name.
        var inName = false
        analysis.tree.root.walk { node in
            if node.type == "identifier" && node.text.contains(secret) { inName = true }
            return !inName
        }
        return !inName
    }

    private static func storedVariable(_ finding: Finding, prefix: String) -> (String, StoredValue)? {
        switch finding.fix {
        case .replaceWithRead(_, let setting, let variable, _, let stored, _)?:
            return (variable ?? FileFixer.variableName(for: setting, prefix: prefix), stored)
        case .deleteStatement(_, let setting, let variable, let stored)?:
            return (variable ?? FileFixer.variableName(for: setting, prefix: prefix), stored)
        case nil:
            return nil
        }
    }
}
