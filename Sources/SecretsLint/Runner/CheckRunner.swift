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
    /// Silence every remaining finding with `# noqa: CODE` (not with `--fix`, `--diff` or `-`).
    public var addNoqa = false
    /// The report goes to this file (written atomically) instead of stdout; the summary stays on the terminal.
    public var outputFile: String?

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
    /// Which files are settings modules beyond their path and statements: the named ones, and those
    /// the projects' DJANGO_SETTINGS_MODULE names or imports (looked up once per folder, shared).
    private let scope: SettingsScope
    /// The fixes' shared state (`.env` stores, git repositories, the summary's lines).
    let session: FixSession
    var reported: [ReportedFinding] = []
    var summary: [String] {
        get { session.summary }
        set { session.summary = newValue }
    }
    var fixedCount = 0
    private var hadUsageError = false
    private var cannotWriteReport = false
    /// With `--add-noqa`: the analysed files with findings, silenced once the project pass is done.
    private var noqaFiles: [FileAnalysis] = []
    /// The checked settings files, for the project pass (DJS011, DJS012).
    var facts: [FileFacts] = []
    var envFilesUnignoredBeforeFixes = Set<String>()
    /// Test settings analysed by this run: absolute path → the path as the run spells it.
    private var testSettingsPaths: [String: String] = [:]

    public init(options: CheckOptions, settings: LintSettings, console: Console) {
        self.options = options
        self.settings = settings
        self.console = console
        linter = Linter(settings: settings)
        scope = SettingsScope(
            namedPaths: Set(options.paths + (options.stdinFilename.map { [$0] } ?? []) + ["-"]),
            projects: ProjectSettingsModules())
        session = FixSession(settings: settings, keyPolicy: options.keyPolicy, warn: { console.err("djlint-secrets: \($0)\n") })
        if let projects = scope.projects { session.settingsModules = projects }
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
            // The editor path: project-level checks (git, .env) belong to `check .`, not to every save. One file on
            // this thread: it parses from the arena as a file checked alone does (`ParseArena`).
            ParseArena.serving { checkStandardInput(standardInput(), parser: parser, imports: SettingsImports(parser: parser)) }
        } else {
            let walker = FileWalker(exclude: settings.exclude + settings.extendExclude)
            var problems: [FileWalker.Problem] = []
            if options.fix || options.diff || options.addNoqa {
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
                    case .toFix(let analysis, _) where options.addNoqa: noqaFiles.append(analysis)
                    case .toFix(let analysis, let factIndex): fixFile(analysis, factIndex: factIndex)
                    }
                }
                finishTestSettings(parser: parser, imports: imports)
            } else {
                checkInParallel(walker: walker)
            }
            checkProjects(parser: parser)
            if options.addNoqa { addNoqaComments(parser: parser) }
        }
        finish()
        if hadUsageError || cannotWriteReport { return 2 }
        if reported.isEmpty || options.exitZero { return 0 }
        return 1
    }

    private func finish() {
        let toStandardError = options.paths == ["-"] && options.fix
        let terminal = { (text: String) in toStandardError ? self.console.err(text) : self.console.out(text) }
        // A report file gets no colour: it is read by programs, or shown later.
        let rendered = Reporter.render(reported, format: options.format, color: options.color && options.outputFile == nil)
        if let outputFile = options.outputFile {
            do {
                try FileSystem.writeAtomically(Array(rendered.utf8), to: outputFile)
            } catch {
                console.err("djlint-secrets: cannot write the report to \(outputFile): \(FixSession.reason(error))\n")
                cannotWriteReport = true
            }
            // The report is in the file, whatever its format: the terminal gets the text summary.
            if !options.quiet { terminal(summaryText()) }
        } else if options.format == .text {
            terminal((options.quiet && reported.isEmpty ? "" : rendered) + (options.quiet ? "" : summaryText()))
        } else {
            terminal(rendered)
            if !options.quiet { for line in summary + session.closingLines { console.err(line + "\n") } }
        }
    }

    /// The text format's closing lines: what the fixes did, the count, how to run the project.
    private func summaryText() -> String {
        var text = ""
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
        return text
    }

    /// The findings' subjects when the report names them (GitLab's fingerprints), else nil.
    private func subjects(of analysis: FileAnalysis) -> FindingSubjects? {
        options.format == .gitlab && !analysis.findings.isEmpty ? FindingSubjects(model: analysis.model) : nil
    }

    private func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    // MARK: - Files

    /// The analysis of a file checked alone is never freed (one extra retain of this box, never released):
    /// the process ends right after, and taking a big module's tree, node table and model apart costs about
    /// 4% of its check.
    private final class KeptUntilExit {
        let analysis: FileAnalysis
        init(_ analysis: FileAnalysis) { self.analysis = analysis }
    }

    private static func check(
        _ file: WalkedFile, reader: ReusableFileReader, parser: PythonParser, imports: SettingsImports, prefilter: Prefilter,
        linter: Linter, named: Set<String>, scope: SettingsScope, namesSubjects: Bool, keepsAnalysis: Bool = false
    ) -> FileResult {
        var result = FileResult()
        let path = file.path
        do {
            let candidate = try reader.withContents(of: file, limit: FileSystem.maximumSourceSize) { buffer in
                prefilter.mayHaveFindings(buffer, path: path, isNamed: named.contains(path)) ? Array(buffer) : nil
            }
            guard let bytes = candidate else { return result }
            switch SourceAdmission.admit(bytes, path: path) {
            case .failure(let reason):
                result.error = reason.message
            case .success(let source):
                do {
                    let analysis = try linter.analyze(path: path, source: source, parser: parser, imports: imports, scope: scope)
                    let subjects = namesSubjects && !analysis.findings.isEmpty ? FindingSubjects(model: analysis.model) : nil
                    result.findings = analysis.findings.map { ReportedFinding($0, in: analysis, subjects: subjects) }
                    result.facts = FileFacts(analysis)
                    if keepsAnalysis { _ = Unmanaged.passRetained(KeptUntilExit(analysis)) }
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
    /// Up to how many files named alone are prefiltered without compiling the patterns to machine code.
    static let filesMatchedWithoutJIT = 8

    private func checkInParallel(walker: FileWalker) {
        let linter = self.linter
        let scope = self.scope
        let named = Set(options.paths)
        let namesSubjects = options.format == .gitlab
        var initial: [ScanItem] = []
        let rootFindings = ScanFindings()
        for (index, path) in options.paths.enumerated() {
            switch walker.root(path) {
            case .failure(let problem): rootFindings.problems.append(([UInt32(index)], problem))
            case .success(.file(let file)): initial.append(.file(file, [UInt32(index)]))
            case .success(.folder(let folder)): initial.append(.root(folder, [UInt32(index)]))
            }
        }
        // A few files named one by one (an editor, a hook) are matched faster than their patterns compile.
        let onlyNamedFiles = initial.allSatisfy { if case .file = $0 { return true } else { return false } }
        let prefilter = Prefilter(settings: settings, jit: !(onlyNamedFiles && initial.count <= Self.filesMatchedWithoutJIT))
        let stack = ScanStack(initial)
        // One file named alone (an editor's or a hook's `check FILE`) has nothing to share out: it is checked on
        // this thread, which spares a thread and the fresh heap arena it would grow page by page.
        let isOneFile = onlyNamedFiles && initial.count == 1
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
                    let result = Self.check(
                        file, reader: reader, parser: parser, imports: imports, prefilter: prefilter, linter: linter, named: named,
                        scope: scope, namesSubjects: namesSubjects, keepsAnalysis: isOneFile)
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
        let perThread = (0..<(isOneFile ? 1 : max(1, System.activeProcessorCount))).map { _ in ScanFindings() }
        if isOneFile {
            // Alone on its thread, it parses with tree-sitter's small blocks served from an arena (`ParseArena`).
            LargeStackThread.run { ParseArena.serving { work(perThread[0]) } }
        } else {
            let workers = perThread.compactMap { found in LargeStackThread.start { work(found) } }
            if workers.isEmpty { work(perThread[0]) }
            workers.forEach(LargeStackThread.join)
        }
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
            analysis = try linter.analyze(path: path, source: source, parser: parser, imports: imports, scope: scope)
        } catch {
            console.err("djlint-secrets: \(SourceAdmission.analysisFailure(error, path: path))\n")
            return nil
        }
        if analysis.tree.root.hasError && !analysis.findings.isEmpty && options.fix {
            console.err("djlint-secrets: \(path): syntax errors; statements near them are not fixed\n")
        }
        if analysis.role == .testSettings {
            let absolute = FileSystem.absolute(path)
            session.knownTestSettings.insert(absolute)
            testSettingsPaths[absolute] = path
        }
        var factIndex: Int?
        if let fileFacts = FileFacts(analysis) {
            factIndex = facts.count
            facts.append(fileFacts)
        }
        guard analysis.findings.contains(where: \.isFixable) || (options.addNoqa && !analysis.findings.isEmpty) else {
            let subjects = subjects(of: analysis)
            return .findings(analysis.findings.map { ReportedFinding($0, in: analysis, subjects: subjects) })
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

    /// Test settings the fixes gave test-only defaults (SPEC "Test settings"): with `--diff`, their diffs
    /// (copied development values masked); with `--fix`, their findings read again from the new text, so
    /// that lines and columns are where the file now has them.
    private func finishTestSettings(parser: PythonParser, imports: SettingsImports) {
        for change in session.testSettingsChanges {
            let path = testSettingsPaths[change.path] ?? change.path
            if options.diff && !options.fix {
                var diff = UnifiedDiff.render(old: change.before, new: change.after, path: path)
                for value in change.copiedValues.sorted(by: { $0.count > $1.count }) {
                    diff = diff.replacingAll(PythonQuoting.doubleQuoted(value), with: SecretMask.mask(value))
                }
                console.out(diff)
                continue
            }
            guard let runPath = testSettingsPaths[change.path] else { continue }
            reported.removeAll { $0.path == runPath }
            facts.removeAll { $0.path == runPath }
            if case .findings(let findings)? = analyzeFile(runPath, parser: parser, imports: imports) {
                reported.append(contentsOf: findings)
            }
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
        let subjects = subjects(of: analysis)
        for (index, finding) in analysis.findings.enumerated() where !fixedSet.contains(index) {
            var finding = finding
            var fixable = finding.isFixable
            if let reason = skipped[index] {
                finding.message += " (not fixed: \(reason))"
                fixable = false
            }
            reported.append(ReportedFinding(finding, in: analysis, fixable: fixable, subjects: subjects))
        }
    }

    // MARK: - Adding noqa

    /// Adds `# noqa: CODE` for every finding of the analysed files, and for the DJS012 findings the project
    /// pass located in them, each file written atomically through the edit applier. A file that cannot
    /// take them (syntax errors, not writable) keeps its findings reported.
    private func addNoqaComments(parser: PythonParser) {
        var added = 0
        var changedFiles = 0
        var remaining: [ReportedFinding] = []
        var silencedHistory = Set<Int>()
        for analysis in noqaFiles {
            let comments = NoqaComments(tree: analysis.tree)
            var codesByLine: [Int: Set<String>] = [:]
            for finding in analysis.findings {
                codesByLine[comments.line(for: finding.statementStart), default: []].insert(finding.code)
            }
            let historyCode = SecretInGitHistoryRule.description.code
            let history = reported.indices.filter { reported[$0].code == historyCode && reported[$0].path == analysis.path }
            for index in history {
                let offset = analysis.source.offset(line: reported[index].line, column: reported[index].column)
                codesByLine[comments.line(for: offset), default: []].insert(historyCode)
            }
            let unchanged = { (reason: String) in
                self.console.err("djlint-secrets: \(analysis.path): \(reason); no noqa comments added\n")
                let subjects = self.subjects(of: analysis)
                remaining.append(contentsOf: analysis.findings.map { ReportedFinding($0, in: analysis, subjects: subjects) })
            }
            if analysis.tree.root.hasError {
                unchanged("syntax errors")
                continue
            }
            let planned = comments.edits(adding: codesByLine)
            let (bytes, _) = EditApplier.apply(planned.edits, to: analysis.source.bytes)
            if bytes != analysis.source.bytes {
                // Only comments are added; a parse error afterwards would mean a comment landed where it must not.
                guard let tree = try? parser.parse(SourceText(bytes: bytes)), !tree.root.hasError else {
                    unchanged("a comment would break the code")
                    continue
                }
                do {
                    try FileSystem.writeAtomically(bytes, to: analysis.path)
                } catch {
                    unchanged("cannot write the file: \(FixSession.reason(error))")
                    continue
                }
                changedFiles += 1
                added += planned.added
            }
            silencedHistory.formUnion(history)
        }
        reported = reported.indices.filter { !silencedHistory.contains($0) }.map { reported[$0] } + remaining
        let files = changedFiles == 1 ? "1 file" : "\(changedFiles) files"
        summary.append(added == 0 ? "Added no noqa comments." : "Added \(plural(added, "noqa code")) in \(files).")
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
            analysis = try linter.analyze(path: displayPath, source: source, parser: parser, imports: imports, scope: scope)
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
