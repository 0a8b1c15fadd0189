#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

/// How a fix reaches the settings text.
public enum FixDelivery {
    /// `check --fix PATH`: `.env`, `.gitignore`, then the settings file itself.
    case writeSettingsFile
    /// Standard input and the language server: `.env` and `.gitignore` are written, the settings text
    /// is handed back (stdout, a workspace edit) by the front end.
    case returnSettings
    /// `--diff`: nothing is written; the outcome carries what would change.
    case preview
}

/// What fixing one file did: the settings text and edits, and what was fixed or not, and why.
public struct FixOutcome {
    /// The settings text after the fixes; the input when none applied.
    public var source: [UInt8]
    /// The applied edits, as byte ranges of the analysed text; empty when nothing applied.
    public var edits: [Edit] = []
    /// Indices (into the analysis's findings) of the fixed findings.
    public var fixed: [Int] = []
    /// Findings whose fix was not applied, with the reason.
    public var skipped: [Int: String] = [:]
    /// With `.preview`: the `.env` that would gain `additions`.
    public var previewEnvPath: String?
    public var previewAdditions: [EnvAddition] = []
}

/// One fixing run's shared state, whatever the front end: the `.env` of each project with what this run
/// added, the git repositories asked, the keys generated and values moved. It plans a file's fixes with
/// the key policy and writes `.env`, then `.gitignore`, then (when asked) the settings, each atomically.
public final class FixSession {
    public let settings: LintSettings
    public let keyPolicy: KeyPolicy
    /// Lines for the run's summary (what moved where, which key was replaced and why); secrets masked.
    public var summary: [String] = []
    /// Keys this run generated (never in any commit) and variables whose values it moved, by `.env` path.
    public private(set) var generatedValues = Set<String>()
    public private(set) var movedVariables: [String: Set<String>] = [:]
    /// Problems that do not stop the run (a file that cannot be written); secrets masked.
    let warn: (String) -> Void
    private var envStores: [String: EnvStore] = [:]
    private var gitRepositories: [String: GitRepository?] = [:]
    /// Repositories by the folder holding `.git` and by root, so each is asked (and its history read) once.
    private var gitByTop: [String: GitRepository?] = [:]
    private var gitByRoot: [String: GitRepository] = [:]
    /// Loader packages each project root's dependency files declare.
    private var declaredLoaders: [String: Set<String>] = [:]
    /// (root, package) pairs whose import was checked, so the summary names an install command once.
    private var checkedInstalls = Set<String>()
    /// Env file loads found in each module when it is imported (its own and its project imports'); a
    /// file this run writes is dropped, so a loader a fix just added counts for the files fixed after it.
    private var moduleLoads: [String: [EnvFileLoad]] = [:]
    /// The variables importing a module reads (`variablesRead(whenImporting:)`), by module path.
    private var moduleReads: [String: Set<String>] = [:]
    lazy var loaderParser: PythonParser? = try? PythonParser()
    lazy var moduleLocator: SettingsImports? = loaderParser.map { SettingsImports(parser: $0) }
    /// Project roots whose fixed settings read a `.env` that nothing in their code loads.
    private var unloadedProjects: [String] = []
    /// Test settings modules the run analysed (absolute paths): each may import a module a fix changes.
    public var knownTestSettings = Set<String>()
    /// The modules `DJANGO_SETTINGS_MODULE` names; the command line shares its run's lookups.
    public var settingsModules = ProjectSettingsModules()
    /// Test settings this run gave test-only defaults, in order (SPEC "Test settings").
    public internal(set) var testSettingsChanges: [TestSettingsChange] = []
    /// The project modules each module's settings-level imports run, by statement (absolute paths).
    var projectImportsByModule: [String: [String]] = [:]
    /// Every project module importing a module runs, through chains.
    var importClosures: [String: Set<String>] = [:]

    /// The summary's closing lines: for a project whose code does not load `.env`, the one command that
    /// runs it with `.env` loaded.
    public var closingLines: [String] {
        unloadedProjects.map { root in
            let command = FileSystem.exists(root + "/manage.py") ? "python manage.py runserver" : "<your command>"
            let envFile = Self.shellQuoted("./" + settings.envFileName) == "./" + settings.envFileName
                ? "./" + settings.envFileName : "\"./\(settings.envFileName)\""
            return "Nothing in the code loads \(root)/\(settings.envFileName); run the project with it loaded: cd \(Self.shellQuoted(root)) && sh -ac '. \(envFile) && exec \(command)'"
        }
    }

    public init(settings: LintSettings, keyPolicy: KeyPolicy, warn: @escaping (String) -> Void) {
        self.settings = settings
        self.keyPolicy = keyPolicy
        self.warn = warn
    }

    public func git(for folder: String) -> GitRepository? {
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

    /// Plans the fixes of `analysis` (only the findings `only` names, when given) and carries them out:
    /// `.env`, then `.gitignore`, then the settings as `delivery` says. `settingsPath` locates the project
    /// whose `.env` takes the values; nil when there is none (values that must be stored are not fixed).
    public func fix(
        _ analysis: FileAnalysis, settingsPath: String?, delivery: FixDelivery, only: Set<Int>? = nil
    ) -> FixOutcome {
        var store: EnvStore?
        var folder = ""
        var projectRoot: String?
        var linkRefusal: String?
        if let settingsPath {
            folder = FileSystem.parentDirectory(of: FileSystem.absolute(settingsPath))
            let root = ProjectLocator.root(forFile: settingsPath, git: { self.git(for: folder) })
            projectRoot = root
            let envPath = envFile(for: analysis, settingsPath: settingsPath, root: root)
            linkRefusal = envFileLinkRefusal(envPath, projectRoot: root)
            if let existing = envStores[envPath] {
                store = existing
            } else if linkRefusal != nil {
                // Not read through the link either: what it holds must not decide (or become) a setting's value.
                store = EnvStore(path: envPath, file: EnvFile())
            } else {
                do {
                    let bytes = try FileSystem.readIfExists(envPath) ?? []
                    store = EnvStore(path: envPath, file: EnvFile(bytes: bytes))
                } catch {
                    // Never taken for empty: the merge would overwrite what it holds.
                    warn("cannot read \(error); \(analysis.path) left unchanged")
                    return FixOutcome(source: analysis.source.bytes, skipped: skipAll(analysis, only, "cannot read \(envPath)"))
                }
            }
        }
        if delivery == .writeSettingsFile {
            // Checked before `.env` is written, so a file that cannot change gets no `.env` entries either.
            do {
                try FileSystem.checkWritable(analysis.path)
            } catch let error as FileError {
                warn("cannot write \(analysis.path): \(error.reason), left unchanged")
                return FixOutcome(source: analysis.source.bytes, skipped: skipAll(analysis, only, "cannot write the file: \(error.reason)"))
            } catch {
                return FixOutcome(source: analysis.source.bytes, skipped: skipAll(analysis, only, "cannot write the file"))
            }
        }
        let fixer = FileFixer(
            settings: settings, keyPolicy: keyPolicy, git: settingsPath == nil ? nil : self.git(for: folder),
            trackedPath: settingsPath.map(FileSystem.absolute),
            projectLoading: { [unowned self] in
                guard let settingsPath, let projectRoot else { return ProjectLoading() }
                return self.projectLoading(analysis, file: FileSystem.absolute(settingsPath), root: projectRoot)
            })
        var plan = fixer.plan(analysis, store: &store, only: only)

        if delivery == .preview {
            if let planned = store, let projectRoot {
                // What --fix would refuse is not shown as a change; nothing is written to find out.
                let refusal = storageRefusal(envPath: planned.path, projectRoot: projectRoot, folder: folder, link: linkRefusal, mayWrite: false)
                if plan.additionFindings.values.contains(where: { refusal($0) != nil }) {
                    (plan, _) = planRefusing(refusal, fixer: fixer, analysis: analysis, store: storeBefore(planned), only: only)
                }
            }
            var outcome = FixOutcome(source: analysis.source.bytes, skipped: plan.skipped)
            guard plan.changesSource else { return outcome }
            outcome.source = plan.fixedSource
            outcome.edits = plan.edits
            outcome.previewEnvPath = store?.path
            outcome.previewAdditions = plan.additions
            if let settingsPath, let projectRoot {
                giveTestDefaults(plan, of: analysis, module: settingsPath, projectRoot: projectRoot, delivery: .preview)
            }
            return outcome
        }
        var outcome = FixOutcome(source: analysis.source.bytes, skipped: plan.skipped)
        guard let planned = store, let projectRoot else {
            // No project (standard input without a file name): the plan stores nothing, and nothing is written here.
            guard plan.changesSource else { return outcome }
            return finished(outcome, plan: plan, projectRoot: nil)
        }
        guard plan.changesSource else { return outcome }
        // One writer at a time: the `.env` read, merge and write, `.gitignore` and the settings file, under the
        // lock of the folder holding `.env`, so that concurrent fixes of one project (an editor's save, the
        // language server, a terminal) all land.
        do {
            return try WriteLock.withLock(folder: FileSystem.parentDirectory(of: planned.path)) {
                writeLocked(analysis, settingsPath: settingsPath ?? analysis.path, fixer: fixer, plan: plan, planned: planned, projectRoot: projectRoot,
                            folder: folder, linkRefusal: linkRefusal, delivery: delivery, only: only)
            }
        } catch {
            warn("\(error); \(analysis.path) left unchanged")
            for index in plan.fixed { outcome.skipped[index] = "\(error)" }
            return outcome
        }
    }

    /// `store` as it was before a plan added its pending values.
    private func storeBefore(_ store: EnvStore) -> EnvStore {
        EnvStore(path: store.path, file: store.file)
    }

    /// Plans again without the fixes whose values `refusal` turns away (they are skipped with its reason),
    /// until no planned value is refused: a value another refused fix would have stored may now be stored by
    /// the next finding that needs it.
    private func planRefusing(
        _ refusal: (EnvAddition) -> String?, fixer: FileFixer, analysis: FileAnalysis, store: EnvStore, only: Set<Int>?
    ) -> (FilePlan, EnvStore) {
        var refused: [Int: String] = [:]
        var allowed = only
        while true {
            var trial: EnvStore? = store
            var plan = fixer.plan(analysis, store: &trial, only: allowed)
            var more = false
            for (finding, addition) in plan.additionFindings {
                if let reason = refusal(addition) {
                    refused[finding] = reason
                    more = true
                }
            }
            if !more {
                for (finding, reason) in refused { plan.skipped[finding] = reason }
                return (plan, trial ?? store)
            }
            let candidates = only ?? Set(analysis.findings.indices.filter { analysis.findings[$0].fix != nil })
            allowed = candidates.subtracting(refused.keys)
        }
    }

    /// Why a value may not be stored in the env file at `envPath`, given the addition; nil when it may.
    /// A link that leads out of the project refuses every value; so does git when it tracks the file or
    /// does not ignore it and cannot be made to: the DEBUG flag too, since a committed `DJANGO_DEBUG=True`
    /// turns DEBUG on wherever the repository is deployed. With `mayWrite`, `.gitignore`
    /// gains the entry on the way (verified with `git check-ignore`, taken back when git still disagrees).
    private func storageRefusal(
        envPath: String, projectRoot: String, folder: String, link: String?, mayWrite: Bool
    ) -> (EnvAddition) -> String? {
        var gitAnswer: String??
        return { [unowned self] addition in
            if let link { return link }
            if gitAnswer == nil { gitAnswer = .some(self.gitRefusal(envPath: envPath, projectRoot: projectRoot, folder: folder, mayWrite: mayWrite)) }
            return gitAnswer!
        }
    }

    /// Refusals already settled this run, by env file path (a settled "no refusal" is kept as nil inside).
    private var gitRefusals: [String: String?] = [:]

    /// Why git forbids a secret in the env file at `envPath` (SPEC "Never into a tracked or unignored
    /// `.env`"): it tracks the file, or does not ignore it and `.gitignore` cannot make it. Outside a git
    /// work tree, nil. Asked only by fixes that store a secret: a run that stores nothing starts no git.
    private func gitRefusal(envPath: String, projectRoot: String, folder: String, mayWrite: Bool) -> String? {
        if let settled = gitRefusals[envPath] { return settled }
        guard let repository = git(for: folder) else { return nil }
        // A link inside the project: what git sees of the secret is the file the link leads to.
        var secretFile = envPath
        if case .some(.some(let target)) = FileSystem.linkTarget(envPath), target.hasPrefix(repository.root + "/") { secretFile = target }
        let relative = secretFile.hasPrefix(repository.root + "/") ? String(secretFile.dropFirst(repository.root.count + 1)) : secretFile
        var refusal: String?
        if repository.isTracked(secretFile) {
            refusal = "git tracks \(relative), so a value stored there would be committed; untrack it with "
                + "`git rm --cached \(relative)`, commit, then run --fix again"
        } else if mayWrite {
            if case .notIgnored(let reason) = ensureIgnored(secretFile, projectRoot: projectRoot, repository: repository, verify: true) {
                refusal = "git does not ignore \(relative) and --fix cannot make it: \(reason); a value stored there "
                    + "would be committed by the next `git add`"
            }
        } else if !repository.isIgnored(secretFile) {
            let (gitignorePath, _) = Self.gitignoreEntry(secretFile, projectRoot: projectRoot, repository: repository)
            if FileSystem.isSymbolicLink(gitignorePath) {
                refusal = "git does not ignore \(relative) and --fix cannot make it: \(Self.linkedGitignore(gitignorePath))"
            }
            return refusal
        }
        gitRefusals[envPath] = .some(refusal)
        return refusal
    }

    /// Why the env file at `envPath` is not to be followed: it is a symbolic link whose target lies outside
    /// the project and the git work tree, and the configuration does not name it (`env-file`). nil when it
    /// is not a link, or leads inside. Costs one `lstat` when it is not a link.
    public func envFileLinkRefusal(_ envPath: String, projectRoot: String, configured: Bool? = nil) -> String? {
        guard let target = FileSystem.linkTarget(envPath) else { return nil }
        let name = envPath.split(separator: "/").last.map(String.init) ?? envPath
        guard let target else {
            return "\(name) is a symbolic link that leads nowhere this run can resolve; values are stored only in a file inside the project"
        }
        if configured ?? settings.envFileConfigured { return nil }
        var insides = [FileSystem.realPath(projectRoot)].compactMap { $0 }
        switch GitRepository.candidateTop(of: projectRoot) {
        case .some(let top?): if let real = FileSystem.realPath(top) { insides.append(real) }
        case .some(nil): break
        case nil: if let root = git(for: projectRoot)?.root { insides.append(root) }
        }
        if insides.contains(where: { target.hasPrefix($0 == "/" ? "/" : $0 + "/") }) { return nil }
        return "\(name) is a symbolic link to \(target), outside the project; --fix stores values only in a file "
            + "inside the project or the one the configuration names with env-file: point \(envPath) at a file inside "
            + "the project, or set env-file"
    }

    /// The write phase, holding the lock: plans again when `.env` changed since `plan` was made, then writes
    /// `.gitignore` (when a secret needs it), `.env` and (when asked) the settings file.
    private func writeLocked(
        _ analysis: FileAnalysis, settingsPath: String, fixer: FileFixer, plan firstPlan: FilePlan, planned: EnvStore, projectRoot: String,
        folder: String, linkRefusal: String?, delivery: FixDelivery, only: Set<Int>?
    ) -> FixOutcome {
        var plan = firstPlan
        var store = planned
        var outcome = FixOutcome(source: analysis.source.bytes, skipped: plan.skipped)
        var base = storeBefore(planned)
        if linkRefusal == nil {
            let onDisk: [UInt8]
            do {
                onDisk = try FileSystem.readIfExists(store.path) ?? []
            } catch {
                warn("cannot read \(error); \(analysis.path) left unchanged")
                for index in plan.fixed { outcome.skipped[index] = "cannot read \(store.path)" }
                return outcome
            }
            if onDisk != store.file.bytes {
                // Another run (or a person) changed `.env` since this plan was made: plan again from what it holds
                // now, so that its values are kept and an existing strong key is taken, as within one run.
                base = EnvStore(path: store.path, file: EnvFile(bytes: onDisk))
                var fresh: EnvStore? = base
                plan = fixer.plan(analysis, store: &fresh, only: only)
                store = fresh!
            }
        }
        let refusal = storageRefusal(envPath: store.path, projectRoot: projectRoot, folder: folder, link: linkRefusal, mayWrite: true)
        if plan.additionFindings.values.contains(where: { refusal($0) != nil }) {
            (plan, store) = planRefusing(refusal, fixer: fixer, analysis: analysis, store: base, only: only)
        }
        outcome = FixOutcome(source: analysis.source.bytes, skipped: plan.skipped)
        guard plan.changesSource else {
            if linkRefusal == nil { envStores[store.path] = storeBefore(store) }
            return outcome
        }
        var settingsAlreadyFixed = false
        if delivery == .writeSettingsFile {
            // Two fixes of one settings file at once: the second finds the first's result and leaves it as it is.
            let current = try? FileSystem.read(analysis.path, limit: FileSystem.maximumSourceSize)
            if current != analysis.source.bytes {
                guard current == plan.fixedSource else {
                    let reason = "the file changed on disk while it was being fixed; run --fix again"
                    warn("\(analysis.path): \(reason)")
                    for index in plan.fixed { outcome.skipped[index] = reason }
                    return outcome
                }
                settingsAlreadyFixed = true
            }
        }

        if !plan.additions.isEmpty {
            let newBytes = store.file.appending(store.pending.map { ($0.name, $0.value) })
            let holdsSecrets = plan.additions.contains { $0.kind != .flag }
            do {
                try writeEnvFile(newBytes, to: store.path, holdsSecrets: holdsSecrets)
                store.committed(newBytes)
                envStores[store.path] = store
            } catch {
                warn("cannot write \(store.path): \(Self.reason(error)); \(analysis.path) left unchanged")
                for index in plan.fixed { outcome.skipped[index] = "cannot write \(store.path): \(Self.reason(error))" }
                return outcome
            }
            describe(plan.additions, envPath: store.path, folder: folder)
            updateExample(projectRoot: projectRoot, adding: EnvExample.entries(for: plan.additions))
            for addition in plan.additions {
                switch addition.kind {
                case .newKey: generatedValues.insert(addition.value)
                case .movedKey, .movedValue: movedVariables[store.path, default: []].insert(addition.name)
                case .flag: break
                case .fallbackKeys: movedVariables[store.path, default: []].insert(addition.name)
                }
            }
            if gitRefusals[store.path] == nil {
                ignoreEnvFile(store.path, projectRoot: projectRoot, repository: git(for: folder))
            }
        } else {
            if linkRefusal == nil { envStores[store.path] = store }
            // The settings are about to read values `.env` already holds (a run that was interrupted
            // after writing `.env`, or values put there by hand): it must be ignored all the same.
            if linkRefusal == nil && FileSystem.exists(store.path) && gitRefusals[store.path] == nil {
                ignoreEnvFile(store.path, projectRoot: projectRoot, repository: git(for: folder))
            }
        }
        if let library = plan.addedLoader, !settingsAlreadyFixed {
            // Before the settings that import it: a declared package is installed with the project.
            provide(library, root: projectRoot, for: analysis.path, delivery: delivery)
        }
        // Before the settings file: a crash between the two leaves test settings with a default that nothing
        // requires yet, never settings that stop the test suite with nothing left to fix.
        giveTestDefaults(plan, of: analysis, module: settingsPath, projectRoot: projectRoot, delivery: delivery)
        if delivery == .writeSettingsFile && !settingsAlreadyFixed {
            moduleLoads[FileSystem.absolute(analysis.path)] = nil
            moduleReads[FileSystem.absolute(analysis.path)] = nil
            do {
                try FileSystem.writeAtomically(plan.fixedSource, to: analysis.path)
            } catch {
                // `.env` already holds the values: the secrets are in both files, none is lost.
                warn("cannot write \(analysis.path): \(Self.reason(error)), left unchanged")
                for index in plan.fixed { outcome.skipped[index] = "cannot write the file: \(Self.reason(error))" }
                return outcome
            }
        }
        return finished(outcome, plan: plan, projectRoot: projectRoot)
    }

    /// Writes an env file (`.env`, or the one `env-file` names) atomically: a new one with mode 0600, and
    /// one given a secret without the group's and others' permission bits (said in the summary). Every
    /// writer of env files goes through here, holding the folder's `WriteLock`.
    public func writeEnvFile(_ bytes: [UInt8], to path: String, holdsSecrets: Bool) throws {
        if let loosened = try FileSystem.writeAtomically(bytes, to: path, newFileMode: 0o600, ownerOnly: holdsSecrets) {
            summary.append("Removed the group's and others' permissions from \(path) (mode \(Self.octal(loosened)) → "
                + "\(Self.octal(loosened & ~0o077))): it holds secrets.")
        }
    }

    /// Why no secret may be written to the env file at `envPath` of the project at `projectRoot` (SPEC "Symlinks
    /// and modes", "Never into a tracked or unignored .env"); nil when it may. A link that leads out of the
    /// project refuses it; inside a git work tree, a tracked file refuses it, and an unignored one first gains
    /// its `.gitignore` entry (verified with git) unless `mayWrite` is false (then nothing is written: the
    /// unignored file refuses it). For writers other than `fix` (`rotate`): call it holding the folder's
    /// `WriteLock`, before anything is written.
    public func secretStorageRefusal(envPath: String, projectRoot: String, mayWrite: Bool = true) -> String? {
        envFileLinkRefusal(envPath, projectRoot: projectRoot) ?? gitRefusal(envPath: envPath, projectRoot: projectRoot, folder: projectRoot, mayWrite: mayWrite)
    }

    static func octal(_ mode: mode_t) -> String {
        "0" + String(mode & 0o7777, radix: 8)
    }

    /// The outcome of a plan carried out: its notes in the summary, its edits and fixed findings.
    private func finished(_ outcome: FixOutcome, plan: FilePlan, projectRoot: String?) -> FixOutcome {
        var outcome = outcome
        for note in plan.notes { summary.append(note) }
        if plan.leavesEnvUnloaded, let projectRoot, !unloadedProjects.contains(projectRoot) { unloadedProjects.append(projectRoot) }
        outcome.source = plan.fixedSource
        outcome.edits = plan.edits
        outcome.fixed = plan.fixed
        return outcome
    }


    /// Sets variables of the `.env` at `path` (`rotate`): under the write lock, refused as `--fix` refuses a
    /// secret (a link out of the project, a file git tracks or cannot be made to ignore: `.gitignore` gains
    /// the entry first), then the file read afresh, its definitions of `assignments` rewritten in place or
    /// appended, and written atomically (0600 when new, the group's and others' bits removed). Returns the bytes.
    @discardableResult
    public func assignEnv(
        _ assignments: [(name: String, value: String)], path: String, projectRoot: String, examples: [EnvExample.Entry] = []
    ) throws -> [UInt8] {
        try WriteLock.withLock(folder: FileSystem.parentDirectory(of: path)) {
            // The rules every secret write keeps: no link out of the project, nothing git tracks or does not ignore.
            if let refusal = secretStorageRefusal(envPath: path, projectRoot: projectRoot) {
                throw FileError(path: path, reason: refusal)
            }
            let current = EnvFile(bytes: try FileSystem.readIfExists(path) ?? [])
            let bytes = current.assigning(assignments)
            try writeEnvFile(bytes, to: path, holdsSecrets: true)
            envStores[path] = EnvStore(path: path, file: EnvFile(bytes: bytes))
            updateExample(projectRoot: projectRoot, adding: examples)
            if gitRefusals[path] == nil { ignoreEnvFile(path, projectRoot: projectRoot, repository: git(for: projectRoot)) }
            return bytes
        }
    }

    /// The project's example env file gains the names of `entries` it lacks (SPEC "Example env file").
    /// A failure is a warning: the example holds no secret, `.env` already has the values.
    public func updateExample(projectRoot: String, adding entries: [EnvExample.Entry]) {
        guard !entries.isEmpty, let path = EnvExample.path(projectRoot: projectRoot, settings: settings) else { return }
        // A link is followed only inside the project or work tree, as for `.env`.
        if let refusal = envFileLinkRefusal(path, projectRoot: projectRoot, configured: false) {
            warn("\(path) not updated: \(refusal)")
            return
        }
        do {
            let existing = try FileSystem.readIfExists(path) ?? []
            let merged = EnvExample.merged(existing, adding: entries)
            guard merged != existing else { return }
            try FileSystem.writeAtomically(merged, to: path)
            summary.append("Added the new variable names to \(path) (names only, no values).")
        } catch {
            warn("cannot update \(path): \(Self.reason(error)); add the new variable names to it by hand")
        }
    }

    /// Writes a settings file the engine changed (after `.env`, as every fix does).
    public func writeSettings(_ bytes: [UInt8], to path: String) throws {
        try FileSystem.writeAtomically(bytes, to: path)
    }

    /// `text` as one word for a POSIX shell.
    static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A)
                || "/._-+:,@%".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    private func declared(_ root: String) -> Set<String> {
        if let known = declaredLoaders[root] { return known }
        let declared = ProjectDependencies.declaredLoaders(root: root)
        declaredLoaders[root] = declared
        return declared
    }

    // MARK: - Loaders (SPEC "Fixes", round 3)

    /// The env file the fixes of `analysis` store values in: the configured `env-file` name, else the file
    /// a loader of the project loads (the settings module's own, a module it imports, a settings module
    /// that imports it, `manage.py`), else `.env` at the project root. A loaded file outside the project
    /// and its git work tree is not written.
    private func envFile(for analysis: FileAnalysis, settingsPath: String, root: String) -> String {
        let fallback = root + "/" + settings.envFileName
        guard settings.envFileName == ".env", !analysis.tree.root.hasError else { return fallback }
        let file = FileSystem.absolute(settingsPath)
        let project = projectLoading(analysis, file: file, root: root)
        let own = EnvLoaderScan.loads(root: analysis.tree.root, file: file, projectRoot: root)
        for load in own + project.importedLoads + project.elsewhere {
            guard let envFile = load.envFile, envFile != fallback else {
                if load.envFile == fallback { return fallback }
                continue
            }
            if envFile.hasPrefix(root + "/") { return envFile }
            if let top = git(for: FileSystem.parentDirectory(of: file))?.root, envFile.hasPrefix(top + "/") { return envFile }
        }
        return fallback
    }

    /// The loads that run when `file` is imported through its project imports, those elsewhere in the
    /// project, and the loader packages its dependency files declare.
    func projectLoading(_ analysis: FileAnalysis, file: String, root: String) -> ProjectLoading {
        var loading = ProjectLoading(declared: declared(root), root: root)
        EnvLoaderScan.forEachModuleStatement(analysis.tree.root) { statement in
            var reads = Set<String>()
            var loadsItself = false
            for module in loadedProjectModules(statement, importedBy: file, root: root) {
                let moduleLoads = loads(whenImporting: module, root: root, visiting: [file])
                for load in moduleLoads {
                    loading.importedLoads.append(EnvFileLoad(
                        loadedAt: statement.endByte, envFile: load.envFile, library: load.library, setsEnviron: load.setsEnviron, file: load.file,
                        condition: load.condition ?? EnvLoaderScan.guardingCondition(of: statement)))
                }
                if moduleLoads.contains(where: { $0.setsEnviron && $0.runsByDefault }) { loadsItself = true }
                reads.formUnion(variablesRead(whenImporting: module, visiting: [file]))
            }
            if !reads.isEmpty && !loadsItself { loading.importReads.append((statement.startByte, reads)) }
        }
        // A settings module of the same package that imports this one (`base.py` doing `from .original
        // import *` before its own loader), then manage.py: they name the env file and the package.
        let folder = FileSystem.parentDirectory(of: file)
        if FileSystem.exists(folder + "/__init__.py") {
            let siblings = ProjectDependencies.names(in: folder).filter { $0.hasSuffix(".py") }.sorted().prefix(64).map { folder + "/" + $0 }
            let moduleName = Self.moduleName(of: file)
            for sibling in siblings where sibling != file {
                // Only a sibling naming this module in its code can import it (`from .settings import *`,
                // `from mysite.settings import X`; not `"mysite.settings"` in a string, as wsgi.py has): the
                // others are not parsed.
                guard let bytes = try? FileSystem.read(sibling, limit: FileSystem.maximumSourceSize),
                      Self.mayName(moduleName, in: bytes), let tree = parse(sibling, bytes: bytes) else { continue }
                var importsThisFile = false
                EnvLoaderScan.forEachModuleStatement(tree.root) { statement in
                    guard !importsThisFile, let reference = ProjectImport(statement) else { return }
                    importsThisFile = moduleLocator?.modulePath(of: reference, importedBy: sibling).map(FileSystem.absolute) == file
                }
                if importsThisFile { loading.elsewhere += loads(whenImporting: sibling, root: root, visiting: [file]) }
            }
        }
        if file != root + "/manage.py", FileSystem.exists(root + "/manage.py") {
            loading.elsewhere += loads(whenImporting: root + "/manage.py", root: root, visiting: [file])
        }
        return loading
    }

    /// The files of the project (below `root`) that `statement` of a fixed settings module imports, each once:
    /// relative and absolute, `from x import y` and `import x.y` (a helper module that loads the env file
    /// counts however the settings import it).
    private func loadedProjectModules(_ statement: SyntaxNode, importedBy file: String, root: String) -> [String] {
        guard statement.type == "import_from_statement" || statement.type == "import_statement" else { return [] }
        var modules: [String] = []
        for reference in ProjectImport.modulesRun(by: statement) {
            guard let module = moduleLocator?.modulePath(of: reference, importedBy: file).map(FileSystem.absolute),
                  module.hasPrefix(root + "/"), module != file, !modules.contains(module) else { continue }
            modules.append(module)
        }
        return modules
    }

    /// The environment variables importing `module` reads at settings level: its own reads and, through
    /// its relative and settings imports, those of the modules it imports.
    private func variablesRead(whenImporting module: String, visiting: Set<String>) -> Set<String> {
        if let known = moduleReads[module] { return known }
        guard !visiting.contains(module), let tree = parse(module) else { return [] }
        let model = SettingsModel(root: tree.root)
        var names = Set<String>()
        func collect(_ node: SyntaxNode) {
            node.walk { current in
                guard ["call", "subscript", "comparison_operator"].contains(current.type),
                      let read = model.bindings.environmentRead(current) else { return true }
                if let name = read.variableName { names.insert(name) }
                return false
            }
        }
        for assignment in model.assignments where assignment.anchor == assignment.statement { collect(assignment.value) }
        for expression in model.expressions { collect(expression.expression) }
        EnvLoaderScan.forEachModuleStatement(tree.root) { statement in
            let references = (ProjectImport(statement).map { [$0] } ?? []) + ProjectImport.modules(statement).map(\.reference)
            for reference in references {
                guard let imported = moduleLocator?.modulePath(of: reference, importedBy: module).map(FileSystem.absolute) else { continue }
                names.formUnion(variablesRead(whenImporting: imported, visiting: visiting.union([module])))
            }
        }
        moduleReads[module] = names
        return names
    }

    /// The project files this session parsed, with the bytes each tree was parsed from: the loader scans of one
    /// plan ask for the same siblings and `manage.py` more than once, and a file that still holds those bytes is
    /// not parsed again.
    private var parsedFiles: [String: (bytes: [UInt8], tree: SyntaxTree?)] = [:]

    /// `bytes`: the file's contents when the caller has read them.
    func parse(_ path: String, bytes known: [UInt8]? = nil) -> SyntaxTree? {
        guard let parser = loaderParser, let bytes = known ?? (try? FileSystem.read(path, limit: FileSystem.maximumSourceSize)) else { return nil }
        if let known = parsedFiles[path], known.bytes == bytes { return known.tree }
        var tree: SyntaxTree?
        if case .success(let source) = SourceAdmission.admit(bytes, path: path),
           let parsed = try? parser.parse(source), !parsed.root.nests(deeperThan: Linter.maximumNesting) {
            tree = parsed
        }
        parsedFiles[path] = (bytes, tree)
        return tree
    }

    /// The name an import gives the module at `file`: its stem, or its package's for an `__init__.py`.
    static func moduleName(of file: String) -> String {
        var name = FileSystem.lastComponent(of: file)
        if name.hasSuffix(".py") { name.removeLast(3) }
        return name == "__init__" ? FileSystem.lastComponent(of: FileSystem.parentDirectory(of: file)) : name
    }

    /// Whether `name` occurs in `bytes` as a whole name in code outside brackets and functions (not in a
    /// string or a comment): where an import of that module at settings level names it (`ProjectImport`:
    /// `from .settings import (…)`, `import mysite.settings`). True when the lexical pass cannot follow the file.
    static func mayName(_ name: String, in bytes: [UInt8]) -> Bool {
        let word = Array(name.utf8)
        guard !word.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { buffer -> Bool in
            word.withUnsafeBufferPointer { needle -> Bool in
                var offsets: [Int] = []
                var start = 0
                while let index = ByteSearch.firstIndex(of: needle, in: buffer, from: start) {
                    let end = index + word.count
                    if (index == 0 || !TopLevelCode.isIdentifierByte(buffer[index - 1]))
                        && (end == buffer.count || !TopLevelCode.isIdentifierByte(buffer[end])) {
                        offsets.append(index)
                    }
                    start = index + 1
                }
                return !offsets.isEmpty && TopLevelCode.containsAny(of: offsets, in: buffer, placement: .statement)
            }
        }
    }

    /// The loads importing `module` runs: its own and, in order, those of the project modules it imports.
    private func loads(whenImporting module: String, root: String, visiting: Set<String>) -> [EnvFileLoad] {
        if let known = moduleLoads[module] { return known }
        guard !visiting.contains(module), let tree = parse(module) else { return [] }
        var found = EnvLoaderScan.loads(root: tree.root, file: module, projectRoot: root)
        EnvLoaderScan.forEachModuleStatement(tree.root) { statement in
            // Deeper down, only the imports of settings-like modules and relative ones are followed: absolute
            // imports there reach the whole code base (app models, libraries vendored in the tree).
            let references = (ProjectImport(statement).map { [$0] } ?? []) + ProjectImport.modules(statement).map(\.reference)
            for reference in references {
                guard let imported = moduleLocator?.modulePath(of: reference, importedBy: module).map(FileSystem.absolute) else { continue }
                found += loads(whenImporting: imported, root: root, visiting: visiting.union([module]))
            }
        }
        moduleLoads[module] = found
        return found
    }

    /// The package of a loader a fix added must import: python-dotenv is declared in the project's
    /// dependency file when none declares it, and the summary names the one install command when the
    /// project's Python cannot import it.
    private func provide(_ library: LoaderLibrary, root: String, for settingsPath: String, delivery: FixDelivery) {
        guard let distribution = library.distribution, let probe = library.importProbe,
              checkedInstalls.insert(root + "\u{0}" + distribution).inserted else { return }
        if library == .pythonDotenv, !declared(root).contains(distribution) {
            if let (path, bytes) = ProjectDependencies.declarationOfPythonDotenv(root: root) {
                do {
                    try FileSystem.writeAtomically(bytes, to: path)
                    declaredLoaders[root, default: []].insert(distribution)
                    summary.append("Declared \(ProjectDependencies.requirementLine) in \(path) for the load_dotenv added to \(settingsPath).")
                } catch {
                    warn("cannot write \(path): \(Self.reason(error)); declare \(distribution) in it by hand")
                }
            }
        }
        let python = Self.projectPython(root: root)
        if Self.canImport(library, probe: probe, python: python, askingPython: delivery != .returnSettings) == false {
            summary.append("\(distribution) is not installed for \(python); install it once: \(Self.shellQuoted(python)) -m pip install \(distribution)")
        }
    }

    /// Whether `python` can import the loader's package; nil when that is not known. A virtual
    /// environment's own `site-packages` answer without starting Python (unless `PYTHONPATH` or the
    /// system's packages may hold it too); any other interpreter is asked
    /// only when `askingPython` (starting it costs 150-250 ms, longer than a whole editor save).
    static func canImport(_ library: LoaderLibrary, probe: String, python: String, askingPython: Bool) -> Bool? {
        if python.hasSuffix("/bin/python"), let prefix = library.distributionInfoPrefix {
            let environment = String(python.dropLast("/bin/python".count))
            for version in ProjectDependencies.names(in: environment + "/lib") where version.hasPrefix("python") {
                let sitePackages = environment + "/lib/" + version + "/site-packages"
                if ProjectDependencies.names(in: sitePackages).contains(where: { $0.hasPrefix(prefix) && $0.hasSuffix(".dist-info") }) {
                    return true
                }
            }
            let configuration = (try? FileSystem.read(environment + "/pyvenv.cfg", limit: 64 * 1024)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let seesSystemPackages = configuration.split(separator: "\n").contains {
                $0.split(separator: "=").map { $0.trimmingCharacters(in: " \t\r").lowercased() } == ["include-system-site-packages", "true"]
            }
            let pythonPath = getenv("PYTHONPATH").map { String(cString: $0) } ?? ""
            if !seesSystemPackages && pythonPath.isEmpty { return false }
        }
        guard askingPython else { return nil }
        return Subprocess.run([python, "-c", probe]).map { $0.status == 0 } ?? false
    }

    /// The Python that runs the project: the active virtual environment, one in the project, else `python3`.
    static func projectPython(root: String) -> String {
        if let value = getenv("VIRTUAL_ENV"), case let active = String(cString: value), !active.isEmpty, FileSystem.exists(active + "/bin/python") {
            return active + "/bin/python"
        }
        for folder in [".venv", "venv", "env"] where FileSystem.exists(root + "/" + folder + "/bin/python") {
            return root + "/" + folder + "/bin/python"
        }
        return "python3"
    }

    static func reason(_ error: Error) -> String {
        (error as? FileError)?.reason ?? "\(error)"
    }

    private func skipAll(_ analysis: FileAnalysis, _ only: Set<Int>?, _ reason: String) -> [Int: String] {
        var skipped: [Int: String] = [:]
        for (index, finding) in analysis.findings.enumerated() where finding.isFixable && (only?.contains(index) ?? true) {
            skipped[index] = reason
        }
        return skipped
    }

    /// The `.gitignore` that takes the `.env` entry (at the git root, else the project root) and the entry.
    public static func gitignoreEntry(_ envPath: String, projectRoot: String, repository: GitRepository?) -> (path: String, entry: String) {
        let folder = repository?.root ?? projectRoot
        let relative = envPath.hasPrefix(folder + "/") ? String(envPath.dropFirst(folder.count + 1)) : envPath
        return (folder + "/.gitignore", relative.contains("/") ? "/" + relative : relative)
    }

    /// Whether git ignores an env file after `ensureIgnored`.
    public enum IgnoreOutcome: Equatable {
        case ignored
        /// Not ignored, and why `.gitignore` could not make it so.
        case notIgnored(String)
    }

    /// `.gitignore` at the git root (else the project root) gains the `.env` entry unless git ignores it.
    /// False when it could not be made to ignore it.
    @discardableResult
    public func ignoreEnvFile(_ envPath: String, projectRoot: String, repository lookup: @autoclosure () -> GitRepository?) -> Bool {
        ensureIgnored(envPath, projectRoot: projectRoot, repository: lookup(), verify: false) == .ignored
    }

    /// `.gitignore` at the git root (else the project root) gains the `.env` entry unless git ignores it.
    /// Inside a work tree, git is asked after the change (`git check-ignore`): only its yes counts, and a
    /// change it does not honour is taken back. A `.gitignore` that is a symbolic link is never written (git
    /// does not read it). Without `verify`, the ignore files read in this process may answer that the entry
    /// is already there, with no git process (the editor path).
    public func ensureIgnored(
        _ envPath: String, projectRoot: String, repository lookup: @autoclosure () -> GitRepository?, verify: Bool
    ) -> IgnoreOutcome {
        let envFolder = FileSystem.parentDirectory(of: envPath)
        if !verify, GitIgnoreStack.enclosing(envFolder).entering(envFolder).isIgnored(envPath, isDirectory: false) { return .ignored }
        let repository = lookup()
        if let repository, repository.isIgnored(envPath) { return .ignored }
        let (gitignorePath, entry) = Self.gitignoreEntry(envPath, projectRoot: projectRoot, repository: repository)
        do {
            // Under the lock of its folder: two projects of one work tree share the root `.gitignore`.
            return try WriteLock.withLock(folder: FileSystem.parentDirectory(of: gitignorePath)) {
                appendEntry(entry, for: envPath, to: gitignorePath, repository: repository)
            }
        } catch {
            warn("\(error); add \(entry) to \(gitignorePath) by hand")
            return .notIgnored("\(error)")
        }
    }

    static func linkedGitignore(_ gitignorePath: String) -> String {
        "\(gitignorePath) is a symbolic link, which git does not read (and --fix never writes through): make it a regular file"
    }

    private func appendEntry(_ entry: String, for envPath: String, to gitignorePath: String, repository: GitRepository?) -> IgnoreOutcome {
        if FileSystem.isSymbolicLink(gitignorePath) { return .notIgnored(Self.linkedGitignore(gitignorePath)) }
        let existing: [UInt8]?
        do {
            // An unreadable .gitignore must not be replaced by one holding only our line.
            existing = try FileSystem.readIfExists(gitignorePath)
        } catch {
            warn("cannot read \(error); add \(entry) to \(gitignorePath) by hand")
            return .notIgnored("cannot read \(gitignorePath)")
        }
        let lines = String(decoding: existing ?? [], as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: " \t\r") }
        let overruled = "\(gitignorePath) lists \(entry), yet git does not ignore it: a later or deeper rule (such as !\(entry)) wins"
        if lines.contains(entry) || lines.contains("/" + entry) {
            // Outside git the entry is all there is; inside, git has just said no: adding it again changes nothing.
            return repository == nil ? .ignored : .notIgnored(overruled)
        }
        var bytes = existing ?? []
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        bytes += Array("\(entry)\n".utf8)
        do {
            try FileSystem.writeAtomically(bytes, to: gitignorePath)
        } catch {
            warn("cannot write \(gitignorePath): \(Self.reason(error)); add \(entry) to it by hand")
            return .notIgnored("cannot write \(gitignorePath): \(Self.reason(error))")
        }
        if let repository, !repository.isIgnored(envPath) {
            // Take the useless line back, so a second run finds the file as the user left it.
            do {
                if let existing { try FileSystem.writeAtomically(existing, to: gitignorePath) } else { unlink(gitignorePath) }
            } catch {
                warn("cannot restore \(gitignorePath): \(Self.reason(error))")
            }
            return .notIgnored("adding \(entry) to \(gitignorePath) does not make git ignore it: a deeper or later rule (such as !\(entry)) wins")
        }
        summary.append("Added \(entry) to \(gitignorePath).")
        return .ignored
    }

    private func describe(_ additions: [EnvAddition], envPath: String, folder: String) {
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
            case .movedKey where keyPolicy == .keep:
                summary.append("Warning: moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))) as --keep-key asked. A key that was ever committed or shared is not secret: rotate it with --rotate.")
            case .movedKey:
                summary.append("Moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value))); git never held it. If it ever leaked another way, run with --rotate.")
            case .movedValue:
                // The same question DJS012 asks, from the same history cache: the two must agree.
                let moved = "Moved \(addition.setting) to \(envPath) as \(addition.name) (\(SecretMask.mask(addition.value)))"
                if SecretSettings.isPlaceholder(addition.value) {
                    // Not a secret: nothing to rotate, but a real value belongs there before the setting is used.
                    summary.append("\(moved); it is a placeholder, not a secret: put the real value in \(envPath) where the setting is used.")
                } else if addition.value.unicodeScalars.count >= CheckRunner.minimumHistoryValueLength, let repository = git(for: folder) {
                    if let commit = repository.commitsHolding([addition.value])[addition.value] {
                        summary.append("\(moved); git holds it (commit \(commit.shortID), \(commit.date)), so anyone with the repository has it: rotate it at its provider, then put the new value in \(envPath).")
                    } else {
                        summary.append("\(moved); git never held it. If it ever leaked another way, rotate it at its provider.")
                    }
                } else {
                    summary.append("\(moved); rotate it if the settings were ever shared.")
                }
            case .fallbackKeys(let dropped):
                var line = "Moved \(FallbackKeys.parse(addition.value).count) key(s) of \(addition.setting) to \(envPath) as \(addition.name) (newest first, comma-separated)"
                if !dropped.isEmpty {
                    line += "; dropped \(dropped.joined(separator: ", ")): sessions and reset links signed with a dropped key end now"
                }
                summary.append(line + ".")
            case .flag:
                summary.append("Set \(addition.name)=\(addition.value) in \(envPath) for local development; without it \(addition.setting) is off.")
            }
        }
    }
}
