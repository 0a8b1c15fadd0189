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
/// - the prefilter lets through every file that parses and has findings;
/// - parsing only the statements the rules may read (`StatementSelection`) gives the findings, fix edits
///   and `.env` contents of the whole parse (the differential property of issue #20).
public final class FixProperties {
    public struct Violation: Error, CustomStringConvertible {
        public let description: String
    }

    private let settings: LintSettings
    private let linter: Linter
    /// The same rules on the whole parse, for the differential property.
    private let fullLinter: Linter
    private let parser: PythonParser
    private let prefilter: Prefilter

    public init(settings: LintSettings = LintSettings()) throws {
        self.settings = settings
        linter = Linter(settings: settings)
        var full = Linter(settings: settings)
        full.usesStatementSelection = false
        fullLinter = full
        parser = try PythonParser()
        prefilter = Prefilter(settings: settings)
    }

    /// Checks one input as the settings file at `path`, with `env` as the project's existing `.env`.
    /// Inputs the runner would skip (a NUL byte, invalid UTF-8, too deep) pass trivially.
    /// `imports`: the project's other settings modules, as the runner follows them (`from .base import *`);
    /// `path` must then be where the file would be, next to the modules it imports.
    public func check(
        _ bytes: [UInt8], path: String = "mysite/settings.py", env: [UInt8] = [], imports: SettingsImports? = nil
    ) -> Violation? {
        if ByteSearch.containsNUL(bytes) { return nil }
        let source = SourceText(bytes: bytes)
        guard source.isValidUTF8, let analysis = try? linter.analyze(path: path, source: source, parser: parser, imports: imports)
        else { return nil }
        if let violation = differential(analysis, path: path, env: env, imports: imports) { return violation }

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
            // Fallback keys that leaked are dropped on purpose; every other one must be kept.
            if case .fallbackKeys(let keys, let reader) = stored {
                let kept = FallbackKeys.parse(envBack.values[variable] ?? "")
                if keys.contains(where: { FallbackKeys.staticLeak($0) == nil && reader.unreadableReason($0) == nil && !kept.contains($0) }) {
                    return Violation(description: "\(finding.code) was fixed but .env lost a fallback key in \(variable)")
                }
                continue
            }
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
        guard let again = try? linter.analyze(path: path, source: fixedSource, parser: parser, imports: imports) else {
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

    /// Whether `bytes` went through the statement-level path (for tests that must see it taken).
    public func usesStatementSelection(_ bytes: [UInt8], path: String = "mysite/settings.py", imports: SettingsImports? = nil) -> Bool {
        (try? linter.analyze(path: path, source: SourceText(bytes: bytes), parser: parser, imports: imports))?.isStatementSelection ?? false
    }

    /// The statement-level analysis of a file against the whole parse: the same findings (codes, ranges,
    /// messages, fixes, secrets), the same facts for the project pass, the same fix plan and `.env` values.
    /// A key the fixer generates is random: two generated keys count as equal. `imports`: those `analysis` was
    /// made with; the whole parse follows the same ones.
    public func differential(_ analysis: FileAnalysis, path: String, env: [UInt8] = [], imports: SettingsImports? = nil) -> Violation? {
        guard analysis.isStatementSelection else { return nil }
        guard let full = try? fullLinter.analyze(path: path, source: analysis.source, parser: parser, imports: imports) else {
            return Violation(description: "the whole parse fails where the statement-level path does not")
        }
        // The statement-level path is taken only for files whose every statement parses.
        if full.tree.root.hasError {
            return Violation(description: "the statement-level path took a file whose whole parse has a syntax error")
        }
        func describe(_ findings: [Finding]) -> [String] {
            findings.map { finding in
                "\(finding.code) \(finding.range) \(finding.statementStart) \(finding.message) \(String(describing: finding.fix)) \(String(describing: finding.secret))"
            }
        }
        func differ(_ what: String, _ selected: [String], _ whole: [String]) -> Violation? {
            guard selected != whole else { return nil }
            return Violation(description: "statement-level \(what) differ from the whole parse's:\n  selected: \(selected)\n  whole:    \(whole)")
        }
        if let violation = differ("findings", describe(analysis.findings), describe(full.findings)) { return violation }
        if let violation = differ("secrets", analysis.secrets.map { "\($0.secret) \($0.range) \(String(describing: $0.findingIndex))" },
                                  full.secrets.map { "\($0.secret) \($0.range) \(String(describing: $0.findingIndex))" }) { return violation }
        if let violation = differ("secret variables", analysis.secretVariables, full.secretVariables) { return violation }
        if let violation = differ("settings-file facts", ["\(analysis.isSettingsFile) \(analysis.role)"], ["\(full.isSettingsFile) \(full.role)"]) {
            return violation
        }
        // Findings that depend on other modules must say so (the language server then checks those files
        // before it reuses them); the statement-level path may say so where the whole parse need not.
        if full.readsOtherModules && !analysis.readsOtherModules {
            return Violation(description: "the statement-level analysis does not say that its findings read other modules")
        }
        // The env file a project's own loader loads is the one the fixes write to, wherever `--fix` runs (the plan
        // below is made for a fixed `/project/.env`). A load counts from its statement's end, which the fixes
        // compare with the start of a statement: the comments a whole parse takes into a block's end change nothing.
        func describe(_ loads: [EnvFileLoad]) -> [String] {
            loads.map { load in
                let bytes = analysis.source.bytes
                var offset = load.loadedAt
                scan: while offset < bytes.count {
                    switch bytes[offset] {
                    case 0x20, 0x09, 0x0A, 0x0D, 0x0C: offset += 1
                    case UInt8(ascii: "#"): while offset < bytes.count, bytes[offset] != 0x0A, bytes[offset] != 0x0D { offset += 1 }
                    default: break scan
                    }
                }
                return "loaded before \(offset): \(load.envFile ?? "?") \(load.library) \(load.setsEnviron) \(load.condition ?? "")"
            }
        }
        if let violation = differ("env file loads", describe(analysis.envFileLoads(file: "/project/" + path, projectRoot: "/project")),
                                  describe(full.envFileLoads(file: "/project/" + path, projectRoot: "/project"))) {
            return violation
        }
        let fixer = FileFixer(
            settings: settings, keyPolicy: .automatic, git: nil, trackedPath: "/project/" + path, projectDeclaresDotenv: { true })
        var selectedStore: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile(bytes: env))
        var wholeStore: EnvStore? = EnvStore(path: "/project/.env", file: EnvFile(bytes: env))
        let selectedPlan = fixer.plan(analysis, store: &selectedStore)
        let wholePlan = fixer.plan(full, store: &wholeStore)
        func describe(_ plan: FilePlan, _ store: EnvStore?) -> [String] {
            let generated = Set(plan.additions.compactMap { addition -> String? in
                if case .newKey = addition.kind { return addition.value }
                return nil
            })
            func masked(_ value: String) -> String { generated.contains(value) ? "<generated key>" : value }
            return ["changes \(plan.changesSource)", "fixed \(plan.fixed)", "skipped \(plan.skipped.sorted { $0.key < $1.key })",
                    "notes \(plan.notes.map(masked))", "unloaded \(plan.leavesEnvUnloaded)"]
                + plan.edits.map { "edit \($0.range) \(masked(String(decoding: $0.replacement, as: UTF8.self)))" }
                + plan.additions.map { "add \($0.name)=\(masked($0.value)) \($0.kind)" }
                + (store?.pending ?? []).map { "env \($0.name)=\(masked($0.value))" }
        }
        if let violation = differ("fix plans", describe(selectedPlan, selectedStore), describe(wholePlan, wholeStore)) { return violation }
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
        // The rules' own documentation (SARIF carries it) spells example values: the same text in a
        // generated module is that example, not a secret the report reveals.
        if documentation.contains(secret) { return false }
        // A name that holds the value (`SECRET_Kk2Zx…EY = …`) is code the report must name.
        var inName = false
        analysis.tree.root.walk { node in
            if node.type == "identifier" && node.text.contains(secret) { inName = true }
            return !inName
        }
        return !inName
    }

    /// Every rule's description, as reports that carry rule documentation show it.
    private static let documentation: String = RuleRegistry.descriptions.map { description in
        ([description.summary, description.rationale] + description.triggeringExamples + description.nonTriggeringExamples).joined(separator: "\n")
    }.joined(separator: "\n")

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
