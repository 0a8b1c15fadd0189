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

/// One `check` run: discovery, analysis, fixes and the report.
public final class CheckRunner {
    let options: CheckOptions
    let settings: LintSettings
    let console: Console
    private let linter: Linter
    private var envStores: [String: EnvStore] = [:]
    private var gitRepositories: [String: GitRepository?] = [:]
    /// Repositories by the folder holding `.git` and by root, so each is asked (and its history read) once.
    private var gitByTop: [String: GitRepository?] = [:]
    private var gitByRoot: [String: GitRepository] = [:]
    var reported: [ReportedFinding] = []
    var summary: [String] = []
    var fixedCount = 0
    private var hadUsageError = false
    /// The checked settings files, for the project pass (DJS011, DJS012).
    var facts: [FileFacts] = []
    /// Keys this run generated (never in any commit) and variables whose values it moved, by `.env` path.
    var generatedValues = Set<String>()
    var movedVariables: [String: Set<String>] = [:]
    var envFilesUnignoredBeforeFixes = Set<String>()

    public init(options: CheckOptions, settings: LintSettings, console: Console) {
        self.options = options
        self.settings = settings
        self.console = console
        linter = Linter(settings: settings)
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
            checkStandardInput(standardInput(), parser: parser)
        } else {
            let walker = FileWalker(exclude: settings.exclude + settings.extendExclude)
            var problems: [FileWalker.Problem] = []
            if options.fix || options.diff {
                let files = walker.files(under: options.paths, problems: &problems)
                reportWalkProblems(problems)
                // Every file is analysed before any is fixed, so the history is read once for every value
                // the fixes and DJS012 ask about.
                let checked = files.compactMap { analyzeFile($0, parser: parser) }
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
            }
            toStandardError ? console.err(text) : console.out(text)
        } else {
            toStandardError ? console.err(rendered) : console.out(rendered)
            if !options.quiet { for line in summary { console.err(line + "\n") } }
        }
    }

    private func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    // MARK: - Files

    private static func check(
        _ file: WalkedFile, reader: ReusableFileReader, parser: PythonParser, prefilter: Prefilter, linter: Linter,
        named: Set<String>
    ) -> FileResult {
        var result = FileResult()
        let path = file.path
        do {
            let candidate = try reader.withContents(of: file, limit: FileSystem.maximumSourceSize) { buffer in
                prefilter.mayHaveFindings(buffer, path: path) ? Array(buffer) : nil
            }
            guard let bytes = candidate else { return result }
            switch Self.admit(bytes, path: path) {
            case .failure(let reason):
                result.error = reason.message
            case .success(let source):
                do {
                    let analysis = try linter.analyze(path: path, source: source, parser: parser)
                    result.findings = analysis.findings.map { ReportedFinding($0, path: path, source: source) }
                    result.facts = FileFacts(analysis)
                } catch {
                    result.error = Self.analysisFailure(error, path: path)
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
            let reader = ReusableFileReader()
            while let item = stack.take() {
                defer { stack.finish() }
                var folder: FileWalker.Folder
                let order: WalkOrder
                switch item {
                case .file(let file, let fileOrder):
                    let result = Self.check(file, reader: reader, parser: parser, prefilter: prefilter, linter: linter, named: named)
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

    private func analyzeFile(_ path: String, parser: PythonParser) -> CheckedFile? {
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
            analysis = try linter.analyze(path: path, source: source, parser: parser)
        } catch {
            console.err("djlint-secrets: \(Self.analysisFailure(error, path: path))\n")
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
        let outcome = fix(analysis, settingsPath: analysis.path, writeSettings: true)
        report(analysis, skipped: outcome.skipped, fixed: outcome.fixed)
        // A value whose expression was fixed is no longer in the file (it moved to .env, or was replaced).
        if let factIndex, !outcome.fixed.isEmpty {
            let fixed = Set(outcome.fixed)
            facts[factIndex].secrets.removeAll { $0.findingIndex.map(fixed.contains) ?? false }
        }
    }

    private static func analysisFailure(_ error: Error, path: String) -> String {
        if let error = error as? AnalysisError { return "\(path): \(error)" }
        return "\(path): tree-sitter could not parse the file, skipped"
    }

    /// Text the engine can work on, or nil after saying why the file is skipped.
    private func admissibleSource(_ bytes: [UInt8], path: String) -> SourceText? {
        switch Self.admit(bytes, path: path) {
        case .success(let source): return source
        case .failure(let reason):
            console.err("djlint-secrets: \(reason.message)\n")
            return nil
        }
    }

    private struct SkipReason: Error {
        let message: String
    }

    /// Text the engine can work on, or why the file is skipped (binary, not UTF-8).
    private static func admit(_ bytes: [UInt8], path: String) -> Result<SourceText, SkipReason> {
        if bytes.contains(0) { return .failure(SkipReason(message: "\(path): binary file (holds a NUL byte), skipped")) }
        let source = SourceText(bytes: bytes)
        guard source.isValidUTF8 else { return .failure(SkipReason(message: "\(path): not valid UTF-8, skipped")) }
        return .success(source)
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

    private func checkStandardInput(_ bytes: [UInt8], parser: PythonParser) {
        let displayPath = options.stdinFilename ?? "-"
        let passThrough = { if self.options.fix { self.console.outBytes(bytes) } }
        guard let source = admissibleSource(bytes, path: displayPath) else {
            passThrough()
            return
        }
        let analysis: FileAnalysis
        do {
            analysis = try linter.analyze(path: displayPath, source: source, parser: parser)
        } catch {
            console.err("djlint-secrets: \(Self.analysisFailure(error, path: displayPath))\n")
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
        let outcome = fix(analysis, settingsPath: settingsPath, writeSettings: false)
        if options.fix { console.outBytes(outcome.source) }
        report(analysis, skipped: outcome.skipped, fixed: outcome.fixed)
    }

    // MARK: - Fixing

    private struct FixOutcome {
        var source: [UInt8]
        var fixed: [Int] = []
        var skipped: [Int: String] = [:]
    }

    func git(for folder: String) -> GitRepository? {
        if let cached = gitRepositories[folder] { return cached }
        var repository: GitRepository?
        switch GitRepository.candidateTop(of: folder) {
        case .some(nil):
            repository = nil  // no `.git` at or above the folder: not a work tree
        case .some(let top?):
            if let known = gitByTop[top] {
                repository = known
            } else {
                repository = GitRepository.containing(top)
                gitByTop[top] = .some(repository)
            }
        case nil:
            repository = GitRepository.containing(folder)
        }
        if let found = repository {
            // One object per work tree: its history cache and its single pass are shared.
            if let known = gitByRoot[found.root] { repository = known } else { gitByRoot[found.root] = found }
        }
        gitRepositories[folder] = .some(repository)
        return repository
    }

    /// Plans the file's fixes and writes `.env`, then `.gitignore`, then (for files) the settings.
    private func fix(_ analysis: FileAnalysis, settingsPath: String?, writeSettings: Bool) -> FixOutcome {
        var store: EnvStore?
        var folder = ""
        var projectRoot: String?
        if let settingsPath {
            folder = FileSystem.parentDirectory(of: FileSystem.absolute(settingsPath))
            let root = ProjectLocator.root(forFile: settingsPath, git: { self.git(for: folder) })
            projectRoot = root
            let envPath = root + "/" + settings.envFileName
            if let existing = envStores[envPath] {
                store = existing
            } else {
                do {
                    let bytes = try FileSystem.readIfExists(envPath) ?? []
                    store = EnvStore(path: envPath, file: EnvFile(bytes: bytes))
                } catch {
                    // Never taken for empty: the merge would overwrite what it holds.
                    console.err("djlint-secrets: cannot read \(error); \(analysis.path) left unchanged\n")
                    return FixOutcome(source: analysis.source.bytes, skipped: skipAll(analysis, "cannot read \(envPath)"))
                }
            }
        }
        if writeSettings && options.fix {
            // Checked before `.env` is written, so a file that cannot change gets no `.env` entries either.
            do {
                try FileSystem.checkWritable(analysis.path)
            } catch let error as FileError {
                console.err("djlint-secrets: cannot write \(analysis.path): \(error.reason), left unchanged\n")
                return FixOutcome(source: analysis.source.bytes, skipped: skipAll(analysis, "cannot write the file: \(error.reason)"))
            } catch {
                return FixOutcome(source: analysis.source.bytes, skipped: skipAll(analysis, "cannot write the file"))
            }
        }
        let fixer = FileFixer(
            settings: settings, keyPolicy: options.keyPolicy, git: settingsPath == nil ? nil : self.git(for: folder),
            trackedPath: settingsPath.map(FileSystem.absolute))
        let plan = fixer.plan(analysis, store: &store)
        var outcome = FixOutcome(source: analysis.source.bytes, skipped: plan.skipped)
        guard plan.changesSource else { return outcome }

        if options.diff && !options.fix {
            console.out(SecretMask.maskSecrets(
                in: UnifiedDiff.render(old: analysis.source.bytes, new: plan.fixedSource, path: analysis.path),
                of: analysis.findings, tree: analysis.tree))
            if let store, !plan.additions.isEmpty {
                console.out("--- \(store.path) (additions)\n")
                for addition in plan.additions {
                    let shown = addition.kind == .flag ? addition.value : SecretMask.mask(addition.value)
                    console.out("+\(addition.name)=\(shown)\n")
                }
            }
            return outcome
        }

        if var store, let projectRoot, !plan.additions.isEmpty {
            let newBytes = store.file.appending(store.pending.map { ($0.name, $0.value) })
            do {
                try FileSystem.writeAtomically(newBytes, to: store.path, newFileMode: 0o600)
                store.committed(newBytes)
                envStores[store.path] = store
            } catch {
                console.err("djlint-secrets: cannot write \(store.path): \(Self.reason(error)); \(analysis.path) left unchanged\n")
                for index in plan.fixed { outcome.skipped[index] = "cannot write \(store.path): \(Self.reason(error))" }
                return outcome
            }
            describe(plan.additions, envPath: store.path)
            for addition in plan.additions {
                switch addition.kind {
                case .newKey: generatedValues.insert(addition.value)
                case .movedKey, .movedValue: movedVariables[store.path, default: []].insert(addition.name)
                case .flag: break
                }
            }
            ignoreEnvFile(store.path, projectRoot: projectRoot, repository: git(for: folder))
        } else if let store {
            envStores[store.path] = store
            // The settings are about to read values `.env` already holds (a run that was interrupted
            // after writing `.env`, or values put there by hand): it must be ignored all the same.
            if let projectRoot, FileSystem.exists(store.path) {
                ignoreEnvFile(store.path, projectRoot: projectRoot, repository: git(for: folder))
            }
        }
        if writeSettings {
            do {
                try FileSystem.writeAtomically(plan.fixedSource, to: analysis.path)
            } catch {
                // `.env` already holds the values: the secrets are in both files, none is lost.
                console.err("djlint-secrets: cannot write \(analysis.path): \(Self.reason(error)), left unchanged\n")
                for index in plan.fixed { outcome.skipped[index] = "cannot write the file: \(Self.reason(error))" }
                return outcome
            }
        }
        for note in plan.notes { summary.append(note) }
        outcome.source = plan.fixedSource
        outcome.fixed = plan.fixed
        return outcome
    }

    private static func reason(_ error: Error) -> String {
        (error as? FileError)?.reason ?? "\(error)"
    }

    private func skipAll(_ analysis: FileAnalysis, _ reason: String) -> [Int: String] {
        var skipped: [Int: String] = [:]
        for (index, finding) in analysis.findings.enumerated() where finding.isFixable { skipped[index] = reason }
        return skipped
    }

    /// The `.gitignore` that takes the `.env` entry (at the git root, else the project root) and the entry.
    static func gitignoreEntry(_ envPath: String, projectRoot: String, repository: GitRepository?) -> (path: String, entry: String) {
        let folder = repository?.root ?? projectRoot
        let relative = envPath.hasPrefix(folder + "/") ? String(envPath.dropFirst(folder.count + 1)) : envPath
        return (folder + "/.gitignore", relative.contains("/") ? "/" + relative : relative)
    }

    /// `.gitignore` at the git root (else the project root) gains the `.env` entry unless git ignores it.
    /// False when the entry could not be written.
    @discardableResult
    func ignoreEnvFile(_ envPath: String, projectRoot: String, repository lookup: @autoclosure () -> GitRepository?) -> Bool {
        // The ignore files themselves answer the common case without starting git (the editor path).
        let envFolder = FileSystem.parentDirectory(of: envPath)
        if GitIgnoreStack.enclosing(envFolder).entering(envFolder).isIgnored(envPath, isDirectory: false) { return true }
        let repository = lookup()
        if let repository, repository.isIgnored(envPath) { return true }
        let (gitignorePath, entry) = Self.gitignoreEntry(envPath, projectRoot: projectRoot, repository: repository)
        let existing: [UInt8]
        do {
            // An unreadable .gitignore must not be replaced by one holding only our line.
            existing = try FileSystem.readIfExists(gitignorePath) ?? []
        } catch {
            console.err("djlint-secrets: cannot read \(error); add \(entry) to \(gitignorePath) by hand\n")
            return false
        }
        let lines = String(decoding: existing, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: " \t\r") }
        if repository == nil, lines.contains(entry) || lines.contains("/" + entry) { return true }
        var bytes = existing
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        bytes += Array("\(entry)\n".utf8)
        do {
            try FileSystem.writeAtomically(bytes, to: gitignorePath)
            summary.append("Added \(entry) to \(gitignorePath).")
            return true
        } catch {
            console.err("djlint-secrets: cannot write \(gitignorePath): \(Self.reason(error)); add \(entry) to it by hand\n")
            return false
        }
    }

    private func describe(_ additions: [EnvAddition], envPath: String) {
        for addition in additions {
            switch addition.kind {
            case .newKey(let replaced, let reason):
                var line = "Replaced \(addition.setting) with a new key in \(envPath) as \(addition.name)"
                if let replaced { line += "; the old key \(SecretMask.mask(replaced)) was replaced because \(reason.explanation)" }
                line += ". A new key logs every user out and voids password-reset links"
                if replaced != nil {
                    line += reason.oldKeyIsBurnt
                        ? "; the old key must be considered public: never list it in SECRET_KEY_FALLBACKS."
                        : "; to keep sessions during the change, list the old key in SECRET_KEY_FALLBACKS (only because it never leaked)."
                } else {
                    line += "."
                }
                summary.append(line)
            case .movedKey where options.keyPolicy == .keep:
                summary.append("Warning: moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))) as --keep-key asked. A key that was ever committed or shared is not secret: rotate it with --rotate.")
            case .movedKey:
                summary.append("Moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))); git never held it. If it ever leaked another way, run with --rotate.")
            case .movedValue:
                summary.append("Moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))); rotate it if the settings were ever shared.")
            case .flag:
                summary.append("Set \(addition.name)=\(addition.value) in \(envPath) for local development; without it \(addition.setting) is off.")
            }
        }
    }
}
