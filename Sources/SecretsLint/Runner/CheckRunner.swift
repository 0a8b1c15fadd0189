import PythonSyntax

public struct CheckOptions {
    public var paths: [String] = ["."]
    public var fix = false
    public var diff = false
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
    private var reported: [ReportedFinding] = []
    private var summary: [String] = []
    private var fixedCount = 0
    private var hadUsageError = false

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
            checkStandardInput(standardInput(), parser: parser)
        } else {
            let walker = FileWalker(exclude: settings.exclude + settings.extendExclude)
            var problems: [FileWalker.Problem] = []
            if options.fix || options.diff {
                let files = walker.files(under: options.paths, problems: &problems)
                reportWalkProblems(problems)
                for path in files { checkFile(path, parser: parser) }
            } else {
                checkInParallel { visit in walker.walk(options.paths, problems: &problems, visit: visit) }
                reportWalkProblems(problems)
            }
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
        _ path: String, reader: ReusableFileReader, parser: PythonParser, prefilter: Prefilter, linter: Linter,
        named: Set<String>
    ) -> FileResult {
        var result = FileResult()
        do {
            let candidate = try reader.withContents(of: path, limit: FileSystem.maximumSourceSize) { buffer in
                prefilter.mayHaveFindings(buffer, path: path) ? Array(buffer) : nil
            }
            guard let bytes = candidate else { return result }
            if bytes.contains(0) {
                result.error = "\(path): binary file (holds a NUL byte), skipped"
                return result
            }
            let source = SourceText(bytes: bytes)
            if !source.isValidUTF8 {
                result.error = "\(path): not valid UTF-8, skipped"
            } else {
                do {
                    let analysis = try linter.analyze(path: path, source: source, parser: parser)
                    result.findings = analysis.findings.map { ReportedFinding($0, path: path, source: source) }
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
        var error: String?
        var isUsageError = false
    }

    /// Read-only checking: while the walk goes on, files are read, filtered, parsed and checked on
    /// every core; only located findings are kept, so memory does not grow with the number of files.
    private func checkInParallel(walk: ((String) -> Void) -> Void) {
        let prefilter = Prefilter(settings: settings)
        let queue = WorkQueue<String>()
        let collected = ResultSlots<FileResult>()
        let linter = self.linter
        let named = Set(options.paths)
        // The walk runs on this thread, so workers never wait on a pool slot the walk would need.
        let work = {
            guard let parser = try? PythonParser() else { return }
            let reader = ReusableFileReader()
            while let (index, path) = queue.pop() {
                let result = Self.check(
                    path, reader: reader, parser: parser, prefilter: prefilter, linter: linter, named: named)
                collected.store(result, at: index)
            }
        }
        let workers = (0..<max(1, System.activeProcessorCount)).compactMap { _ in LargeStackThread.start(work) }
        walk { queue.push($0) }
        queue.close()
        if workers.isEmpty { work() }
        workers.forEach(LargeStackThread.join)
        for result in collected.inOrder() {
            if let error = result.error { console.err("djlint-secrets: \(error)\n") }
            if result.isUsageError { hadUsageError = true }
            reported.append(contentsOf: result.findings)
        }
    }

    private func checkFile(_ path: String, parser: PythonParser) {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path, limit: FileSystem.maximumSourceSize)
        } catch {
            console.err("djlint-secrets: \(error)\n")
            if options.paths.contains(path), (error as? FileError)?.isUnreadable ?? true { hadUsageError = true }
            return
        }
        guard let source = admissibleSource(bytes, path: path) else { return }
        let analysis: FileAnalysis
        do {
            analysis = try linter.analyze(path: path, source: source, parser: parser)
        } catch {
            console.err("djlint-secrets: \(Self.analysisFailure(error, path: path))\n")
            return
        }
        if analysis.tree.root.hasError && !analysis.findings.isEmpty && options.fix {
            console.err("djlint-secrets: \(path): syntax errors; statements near them are not fixed\n")
        }
        guard options.fix || options.diff, analysis.findings.contains(where: \.isFixable) else {
            report(analysis, skipped: [:], fixed: [])
            return
        }
        let outcome = fix(analysis, settingsPath: path, writeSettings: true)
        report(analysis, skipped: outcome.skipped, fixed: outcome.fixed)
    }

    private static func analysisFailure(_ error: Error, path: String) -> String {
        if let error = error as? AnalysisError { return "\(path): \(error)" }
        return "\(path): tree-sitter could not parse the file, skipped"
    }

    /// Text the engine can work on, or nil after saying why the file is skipped.
    private func admissibleSource(_ bytes: [UInt8], path: String) -> SourceText? {
        if bytes.contains(0) {
            console.err("djlint-secrets: \(path): binary file (holds a NUL byte), skipped\n")
            return nil
        }
        let source = SourceText(bytes: bytes)
        if !source.isValidUTF8 {
            console.err("djlint-secrets: \(path): not valid UTF-8, skipped\n")
            return nil
        }
        return source
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

    private func git(for folder: String) -> GitRepository? {
        if let cached = gitRepositories[folder] { return cached }
        let repository = GitRepository.containing(folder)
        gitRepositories[folder] = repository
        return repository
    }

    /// Plans the file's fixes and writes `.env`, then `.gitignore`, then (for files) the settings.
    private func fix(_ analysis: FileAnalysis, settingsPath: String?, writeSettings: Bool) -> FixOutcome {
        var store: EnvStore?
        var repository: GitRepository?
        var projectRoot: String?
        if let settingsPath {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(settingsPath))
            repository = git(for: folder)
            let root = ProjectLocator.root(forFile: settingsPath, git: repository)
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
            settings: settings, keyPolicy: options.keyPolicy, git: repository,
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
            ignoreEnvFile(store.path, projectRoot: projectRoot, repository: repository)
        } else if let store {
            envStores[store.path] = store
            // The settings are about to read values `.env` already holds (a run that was interrupted
            // after writing `.env`, or values put there by hand): it must be ignored all the same.
            if let projectRoot, FileSystem.exists(store.path) {
                ignoreEnvFile(store.path, projectRoot: projectRoot, repository: repository)
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

    /// `.gitignore` at the git root (else the project root) gains the `.env` entry unless git ignores it.
    private func ignoreEnvFile(_ envPath: String, projectRoot: String, repository: GitRepository?) {
        let folder = repository?.root ?? projectRoot
        if let repository, repository.isIgnored(envPath) { return }
        let gitignorePath = folder + "/.gitignore"
        let existing: [UInt8]
        do {
            existing = try FileSystem.readIfExists(gitignorePath) ?? []
        } catch {
            console.err("djlint-secrets: cannot read \(error); add \(envPath) to it by hand\n")
            return
        }
        let relative = envPath.hasPrefix(folder + "/") ? String(envPath.dropFirst(folder.count + 1)) : envPath
        let entry = relative.contains("/") ? "/" + relative : relative
        let lines = String(decoding: existing, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: " \t\r") }
        if repository == nil, lines.contains(entry) || lines.contains("/" + entry) { return }
        var bytes = existing
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        bytes += Array("\(entry)\n".utf8)
        do {
            try FileSystem.writeAtomically(bytes, to: gitignorePath)
            summary.append("Added \(entry) to \(gitignorePath).")
        } catch {
            console.err("djlint-secrets: cannot write \(gitignorePath): \(Self.reason(error)); add \(entry) to it by hand\n")
        }
    }

    private func describe(_ additions: [EnvAddition], envPath: String) {
        for addition in additions {
            switch addition.kind {
            case .newKey(let replaced):
                var line = "Replaced \(addition.setting) with a new key in \(envPath) as \(addition.name)"
                if let replaced { line += "; the old key \(SecretMask.mask(replaced)) must be considered burnt" }
                summary.append(line + ". Rotating the key logs every user out and voids password-reset links.")
            case .movedKey:
                summary.append("Moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))); it was never committed. If it ever leaked, run with --rotate.")
            case .movedValue:
                summary.append("Moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))); rotate it if the settings were ever shared.")
            case .flag:
                summary.append("Set \(addition.name)=\(addition.value) in \(envPath) for local development; without it \(addition.setting) is off.")
            }
        }
    }
}
