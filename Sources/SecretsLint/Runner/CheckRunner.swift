import PythonSyntax

public struct CheckOptions {
    public var paths: [String] = ["."]
    public var fix = false
    public var diff = false
    /// Also list every past SECRET_KEY literal of the repository's history (DJS012).
    public var history = false
    public var format: OutputFormat = .text
    public var keyPolicy: KeyPolicy = .automatic
    public var stdinFilename: String?
    public var exitZero = false
    public var quiet = false
    public var color = false

    public init() {}
}

/// Where a run's output goes; the CLI writes to the process streams, tests collect it.
public protocol Console: AnyObject {
    func out(_ text: String)
    func outBytes(_ bytes: [UInt8])
    func err(_ text: String)
}

/// One `check` run, the command line's front end over the engine (`Linter`, `FixSession`): discovery,
/// standard input, and the report.
public final class CheckRunner {
    let options: CheckOptions
    let settings: LintSettings
    let console: Console
    private let linter: Linter
    /// The fixes' shared state (`.env` stores, git repositories, the summary's lines).
    let session: FixSession
    var reported: [ReportedFinding] = []
    var summary: [String] {
        get { session.summary }
        set { session.summary = newValue }
    }
    var fixedCount = 0
    private var hadUsageError = false
    /// The checked settings files, for the project pass (DJS011, DJS012).
    var facts: [FileFacts] = []
    var envFilesUnignoredBeforeFixes = Set<String>()

    public init(options: CheckOptions, settings: LintSettings, console: Console) {
        self.options = options
        self.settings = settings
        self.console = console
        linter = Linter(settings: settings)
        session = FixSession(settings: settings, keyPolicy: options.keyPolicy, warn: { console.err("djlint-secrets: \($0)\n") })
    }

    /// Runs the check and returns the exit status.
    public func run(standardInput: @escaping () -> [UInt8]) -> Int32 {
        var status: Int32 = 0
        // Fixing checks files on this run's own thread: give it the stack analysis is bounded for.
        LargeStackThread.run { status = self.runChecks(standardInput: standardInput) }
        return status
    }

    private func runChecks(standardInput: () -> [UInt8]) -> Int32 {
        let parser: PythonParser
        do { parser = try PythonParser() } catch {
            console.err("djlint-secrets: \(error)\n")
            return 2
        }
        if options.paths == ["-"] {
            // The editor path: project-level checks (git, .env) belong to `check .`, not to every save.
            checkStandardInput(standardInput(), parser: parser, imports: SettingsImports(parser: parser))
        } else {
            let walker = FileWalker(exclude: settings.exclude + settings.extendExclude)
            var problems: [FileWalker.Problem] = []
            if options.fix || options.diff {
                let files = walker.files(under: options.paths, problems: &problems)
                reportWalkProblems(problems)
                // Every file is analysed before any is fixed, so the history is read once for every value
                // the fixes and DJS012 ask about.
                let imports = SettingsImports(parser: parser)
                let checked = files.compactMap { analyzeFile($0, parser: parser, imports: imports) }
                prefetchHistory(parser: parser)
                if options.fix { noteUnignoredEnvFiles() }
                for entry in checked {
                    switch entry {
                    case .findings(let findings): reported.append(contentsOf: findings)
                    case .toFix(let analysis, let factIndex): fixFile(analysis, factIndex: factIndex)
                    }
                }
            } else {
                checkInParallel(walker: walker)
            }
            checkProjects(parser: parser)
        }
        finish()
        if hadUsageError { return 2 }
        if reported.isEmpty || options.exitZero { return 0 }
        return 1
    }

    private func finish() {
        let rendered = Reporter.render(reported, format: options.format, color: options.color)
        let toStandardError = options.paths == ["-"] && options.fix
        if options.format == .text {
            var text = options.quiet && reported.isEmpty ? "" : rendered
            if !options.quiet {
                for line in summary { text += line + "\n" }
                let fixable = reported.filter(\.fixable).count
                if reported.isEmpty {
                    text += fixedCount > 0 ? "Fixed \(plural(fixedCount, "problem")), none remaining.\n" : "All checks passed!\n"
                } else {
                    var line = "Found \(plural(reported.count, "problem"))"
                    if fixedCount > 0 { line = "Fixed \(plural(fixedCount, "problem")), \(reported.count) remaining" }
                    if fixable > 0 && !options.fix { line += " (\(fixable) fixable with --fix)" }
                    text += line + ".\n"
                }
                for line in session.closingLines { text += line + "\n" }
            }
            toStandardError ? console.err(text) : console.out(text)
        } else {
            toStandardError ? console.err(rendered) : console.out(rendered)
            if !options.quiet { for line in summary + session.closingLines { console.err(line + "\n") } }
        }
    }

    private func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    // MARK: - Files

    private static func check(
        _ file: WalkedFile, reader: ReusableFileReader, parser: PythonParser, imports: SettingsImports, prefilter: Prefilter,
        linter: Linter, named: Set<String>
    ) -> FileResult {
        var result = FileResult()
        let path = file.path
        do {
            let candidate = try reader.withContents(of: file, limit: FileSystem.maximumSourceSize) { buffer in
                prefilter.mayHaveFindings(buffer, path: path) ? Array(buffer) : nil
            }
            guard let bytes = candidate else { return result }
            switch SourceAdmission.admit(bytes, path: path) {
            case .failure(let reason):
                result.error = reason.message
            case .success(let source):
                do {
                    let analysis = try linter.analyze(path: path, source: source, parser: parser, imports: imports)
                    result.findings = analysis.findings.map { ReportedFinding($0, path: path, source: source) }
                    result.facts = FileFacts(analysis)
                } catch {
                    result.error = SourceAdmission.analysisFailure(error, path: path)
                }
            }
        } catch {
            result.error = "\(error)"
            result.isUsageError = named.contains(path) && (error as? FileError)?.isUnreadable ?? true
        }
        return result
    }

    private func reportWalkProblems(_ problems: [FileWalker.Problem]) {
        for problem in problems {
            console.err("djlint-secrets: \(problem.path): \(problem.reason)\n")
            if options.paths.contains(problem.path) { hadUsageError = true }
        }
    }

    private struct FileResult {
        var findings: [ReportedFinding] = []
        var facts: FileFacts?
        var error: String?
        var isUsageError = false
    }

    private enum ScanItem {
        case root(FileWalker.Folder, WalkOrder)
        case folder(FileWalker.Subfolder, WalkOrder)
        case file(WalkedFile, WalkOrder)
    }

    /// What one scanning thread found, merged once all are done.
    private final class ScanFindings {
        var results: [(WalkOrder, FileResult)] = []
        var problems: [(WalkOrder, FileWalker.Problem)] = []
    }

    /// Read-only checking: folders are listed and files read, filtered, parsed and checked on every
    /// core at once; only located findings are kept, so memory does not grow with the number of files.
    private func checkInParallel(walker: FileWalker) {
        let prefilter = Prefilter(settings: settings)
        let linter = self.linter
        let named = Set(options.paths)
        var initial: [ScanItem] = []
        let rootFindings = ScanFindings()
        for (index, path) in options.paths.enumerated() {
            switch walker.root(path) {
            case .failure(let problem): rootFindings.problems.append(([UInt32(index)], problem))
            case .success(.file(let file)): initial.append(.file(file, [UInt32(index)]))
            case .success(.folder(let folder)): initial.append(.root(folder, [UInt32(index)]))
            }
        }
        let stack = ScanStack(initial)
        let work = { (found: ScanFindings) in
            guard let parser = try? PythonParser() else { return }
            // Per thread, like the parser: the modules settings files import are parsed once per thread.
            let imports = SettingsImports(parser: parser)
            let reader = ReusableFileReader()
            while let item = stack.take() {
                defer { stack.finish() }
                var folder: FileWalker.Folder
                let order: WalkOrder
                switch item {
                case .file(let file, let fileOrder):
                    let result = Self.check(file, reader: reader, parser: parser, imports: imports, prefilter: prefilter, linter: linter, named: named)
                    // Most files give nothing: only what is to be reported is kept.
                    if !result.findings.isEmpty || result.facts != nil || result.error != nil {
                        found.results.append((fileOrder, result))
                    }
                    continue
                case .root(let root, let rootOrder):
                    (folder, order) = (root, rootOrder)
                case .folder(let subfolder, let subfolderOrder):
                    switch subfolder.open() {
                    case .success(let opened): (folder, order) = (opened, subfolderOrder)
                    case .failure(let problem):
                        found.problems.append((subfolderOrder, problem))
                        continue
                    }
                }
                let listing = walker.list(folder)
                found.problems.append(contentsOf: listing.problems.map { (order, $0) })
                let fileCount = listing.files.count
                stack.push(
                    listing.files.enumerated().map { .file($0.element, order + [UInt32($0.offset)]) }
                        + listing.subfolders.enumerated().map { .folder($0.element, order + [UInt32(fileCount + $0.offset)]) })
            }
        }
        let perThread = (0..<max(1, System.activeProcessorCount)).map { _ in ScanFindings() }
        let workers = perThread.compactMap { found in LargeStackThread.start { work(found) } }
        if workers.isEmpty { work(perThread[0]) }
        workers.forEach(LargeStackThread.join)
        let all = [rootFindings] + perThread
        let precedes = { (left: WalkOrder, right: WalkOrder) in left.lexicographicallyPrecedes(right) }
        for (_, result) in all.flatMap(\.results).sorted(by: { precedes($0.0, $1.0) }) {
            if let error = result.error { console.err("djlint-secrets: \(error)\n") }
            if result.isUsageError { hadUsageError = true }
            reported.append(contentsOf: result.findings)
            if let facts = result.facts { self.facts.append(facts) }
        }
        reportWalkProblems(all.flatMap(\.problems).sorted(by: { precedes($0.0, $1.0) }).map(\.1))
    }

    /// A file of the fixing path, analysed: its findings as they stand, or its analysis kept for the fixes.
    private enum CheckedFile {
        case findings([ReportedFinding])
        case toFix(FileAnalysis, factIndex: Int?)
    }

    private func analyzeFile(_ path: String, parser: PythonParser, imports: SettingsImports) -> CheckedFile? {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path, limit: FileSystem.maximumSourceSize)
        } catch {
            console.err("djlint-secrets: \(error)\n")
            if options.paths.contains(path), (error as? FileError)?.isUnreadable ?? true { hadUsageError = true }
            return nil
        }
        guard let source = admissibleSource(bytes, path: path) else { return nil }
        let analysis: FileAnalysis
        do {
            analysis = try linter.analyze(path: path, source: source, parser: parser, imports: imports)
        } catch {
            console.err("djlint-secrets: \(SourceAdmission.analysisFailure(error, path: path))\n")
            return nil
        }
        if analysis.tree.root.hasError && !analysis.findings.isEmpty && options.fix {
            console.err("djlint-secrets: \(path): syntax errors; statements near them are not fixed\n")
        }
        var factIndex: Int?
        if let fileFacts = FileFacts(analysis) {
            factIndex = facts.count
            facts.append(fileFacts)
        }
        guard analysis.findings.contains(where: \.isFixable) else {
            return .findings(analysis.findings.map { ReportedFinding($0, path: path, source: analysis.source) })
        }
        return .toFix(analysis, factIndex: factIndex)
    }

    private func fixFile(_ analysis: FileAnalysis, factIndex: Int?) {
        let outcome = fix(analysis, settingsPath: analysis.path, delivery: options.fix ? .writeSettingsFile : .preview)
        report(analysis, skipped: outcome.skipped, fixed: outcome.fixed)
        // A value whose expression was fixed is no longer in the file (it moved to .env, or was replaced).
        if let factIndex, !outcome.fixed.isEmpty {
            let fixed = Set(outcome.fixed)
            facts[factIndex].secrets.removeAll { $0.findingIndex.map(fixed.contains) ?? false }
        }
    }

    /// Text the engine can work on, or nil after saying why the file is skipped.
    private func admissibleSource(_ bytes: [UInt8], path: String) -> SourceText? {
        switch SourceAdmission.admit(bytes, path: path) {
        case .success(let source): return source
        case .failure(let reason):
            console.err("djlint-secrets: \(reason.message)\n")
            return nil
        }
    }

    private func report(_ analysis: FileAnalysis, skipped: [Int: String], fixed: [Int]) {
        let fixedSet = Set(fixed)
        fixedCount += fixed.count
        for (index, finding) in analysis.findings.enumerated() where !fixedSet.contains(index) {
            var finding = finding
            var fixable = finding.isFixable
            if let reason = skipped[index] {
                finding.message += " (not fixed: \(reason))"
                fixable = false
            }
            reported.append(ReportedFinding(finding, path: analysis.path, source: analysis.source, fixable: fixable))
        }
    }

    // MARK: - Standard input

    private func checkStandardInput(_ bytes: [UInt8], parser: PythonParser, imports: SettingsImports) {
        let displayPath = options.stdinFilename ?? "-"
        let passThrough = { if self.options.fix { self.console.outBytes(bytes) } }
        guard let source = admissibleSource(bytes, path: displayPath) else {
            passThrough()
            return
        }
        let analysis: FileAnalysis
        do {
            analysis = try linter.analyze(path: displayPath, source: source, parser: parser, imports: imports)
        } catch {
            console.err("djlint-secrets: \(SourceAdmission.analysisFailure(error, path: displayPath))\n")
            passThrough()
            return
        }
        guard options.fix || options.diff, analysis.findings.contains(where: \.isFixable) else {
            passThrough()
            report(analysis, skipped: [:], fixed: [])
            return
        }
        var settingsPath: String?
        if let name = options.stdinFilename, FileSystem.isDirectory(FileSystem.parentDirectory(of: FileSystem.absolute(name))) {
            settingsPath = name
        }
        let outcome = fix(analysis, settingsPath: settingsPath, delivery: options.fix ? .returnSettings : .preview)
        if options.fix { console.outBytes(outcome.source) }
        report(analysis, skipped: outcome.skipped, fixed: outcome.fixed)
    }

    // MARK: - Fixing

    func git(for folder: String) -> GitRepository? { session.git(for: folder) }

    /// The session's fix; a preview (`--diff`) is printed here, secrets masked.
    private func fix(_ analysis: FileAnalysis, settingsPath: String?, delivery: FixDelivery) -> FixOutcome {
        let outcome = session.fix(analysis, settingsPath: settingsPath, delivery: delivery)
        if delivery == .preview && !outcome.edits.isEmpty {
            console.out(SecretMask.maskSecrets(
                in: UnifiedDiff.render(old: analysis.source.bytes, new: outcome.source, path: analysis.path),
                of: analysis.findings, tree: analysis.tree))
            if let envPath = outcome.previewEnvPath, !outcome.previewAdditions.isEmpty {
                console.out("--- \(envPath) (additions)\n")
                for addition in outcome.previewAdditions {
                    let shown = addition.kind == .flag ? addition.value : SecretMask.mask(addition.value)
                    console.out("+\(addition.name)=\(shown)\n")
                }
            }
        }
        return outcome
    }
}
