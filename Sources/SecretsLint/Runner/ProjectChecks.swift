import PythonSyntax

/// What the project pass needs from one checked settings file; small, so the parallel path keeps it.
struct FileFacts {
    let path: String
    var secrets: [LocatedSecret]
    let secretVariables: [String]
    let fallbackVariables: [String]

    /// nil for a file that is not a settings file.
    init?(_ analysis: FileAnalysis) {
        guard analysis.isSettingsFile else { return nil }
        path = analysis.path
        secretVariables = analysis.secretVariables
        fallbackVariables = analysis.fallbackVariables
        secrets = analysis.secrets.map { secret in
            let start = analysis.source.location(ofByte: secret.range.lowerBound)
            let end = analysis.source.location(ofByte: secret.range.upperBound)
            return LocatedSecret(
                secret: secret.secret, findingIndex: secret.findingIndex,
                line: start.line, column: start.column, endLine: end.line, endColumn: end.column)
        }
    }
}

/// A secret value at a located place of a settings file.
struct LocatedSecret {
    let secret: SecretInUse
    let findingIndex: Int?
    let line: Int
    let column: Int
    let endLine: Int
    let endColumn: Int
}

/// A project of the run: the folder whose `.env` the settings files share, in its git work tree.
struct GitProject {
    let root: String
    let repository: GitRepository
    /// The `.env` path, absolute and as reported.
    let envPath: String
    let displayEnvPath: String
    var secretVariables: Set<String>
}

/// The project-level rules: DJS011 (`.env` not ignored or tracked) and DJS012 (secrets that git history holds).
/// They run after every file was checked (and fixed), for the projects of the checked settings files only.
extension CheckRunner {
    /// Values shorter than this are not looked up: they would match unrelated text of the history.
    static let minimumHistoryValueLength = 8

    private var checksEnvFiles: Bool { settings.isEnabled(EnvFileNotIgnoredRule.description.code) }
    private var checksHistory: Bool { settings.isEnabled(SecretInGitHistoryRule.description.code) }

    /// The git projects of the checked settings files, in the order the files came.
    func gitProjects() -> [GitProject] {
        var projects: [GitProject] = []
        var indexByEnvPath: [String: Int] = [:]
        var rootByFolder: [String: String] = [:]
        for fileFacts in facts {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
            guard let repository = git(for: folder) else { continue }
            let root: String
            if let known = rootByFolder[folder] {
                root = known
            } else {
                root = ProjectLocator.root(forFile: fileFacts.path, git: { repository })
                rootByFolder[folder] = root
            }
            let envPath = root + "/" + settings.envFileName
            if let index = indexByEnvPath[envPath] {
                projects[index].secretVariables.formUnion(fileFacts.secretVariables)
                continue
            }
            indexByEnvPath[envPath] = projects.count
            projects.append(GitProject(
                root: root, repository: repository, envPath: envPath,
                displayEnvPath: Self.display(envPath, like: fileFacts.path),
                secretVariables: Set(fileFacts.secretVariables)))
        }
        return projects
    }

    /// The secret variables of a project's `.env` and their line, for DJS012; the run's new keys are left out.
    func envSecrets(of project: GitProject) -> [(name: String, value: String, line: Int)] {
        guard FileSystem.exists(project.envPath), !FileSystem.isDirectory(project.envPath),
              let bytes = try? FileSystem.read(project.envPath, limit: FileSystem.maximumSourceSize)
        else { return [] }
        let file = EnvFile(bytes: bytes)
        let secretNames = SecretSettings(settings: settings)
        let moved = session.movedVariables[project.envPath] ?? []
        return file.names.compactMap { name in
            guard let value = file.values[name],
                  secretNames.isSecretVariable(name) || project.secretVariables.contains(name) || moved.contains(name),
                  value.unicodeScalars.count >= Self.minimumHistoryValueLength,
                  // A placeholder (`changeme`, `<specify password>`) in git is no leak.
                  !SecretSettings.looksLikeReference(value), !SecretSettings.isPlaceholder(value), !session.generatedValues.contains(value)
            else { return nil }
            return (name, value, file.lineNumbers[name] ?? 1)
        }
    }

    /// Reads each repository's history once for every value the fixes, DJS012 and DJS014 will ask about (and,
    /// with --history, for the past SECRET_KEY literals). Later questions are answered from the cache.
    /// `envFallbacks`: the `.env` fallback keys already read (else they are read here).
    func prefetchHistory(parser: PythonParser, envFallbacks: [EnvFallbackKeys]? = nil) {
        var valuesByRoot: [String: (repository: GitRepository, values: [String])] = [:]
        var order: [String] = []
        func add(_ values: [String], to repository: GitRepository) {
            if valuesByRoot[repository.root] == nil {
                valuesByRoot[repository.root] = (repository, [])
                order.append(repository.root)
            }
            valuesByRoot[repository.root]!.values += values
        }
        for fileFacts in facts {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
            guard let repository = git(for: folder) else { continue }
            // Keys of any length: the fixer asks whether git ever held the key it is about to move.
            add(fileFacts.secrets.map(\.secret).filter {
                $0.isKey || $0.value.unicodeScalars.count >= Self.minimumHistoryValueLength
            }.map(\.value), to: repository)
        }
        if checksHistory {
            for project in gitProjects() { add(envSecrets(of: project).map(\.value), to: project.repository) }
        }
        for (folder, keys) in fallbackKeysForHistory(envFallbacks ?? fallbackKeysInEnvFiles()) where !keys.isEmpty {
            if let repository = git(for: folder) { add(keys, to: repository) }
        }
        for root in order {
            let (repository, values) = valuesByRoot[root]!
            let wantsKeys = options.history && checksHistory
            repository.scanHistory(
                for: values,
                keyLiteral: wantsKeys ? { SecretKeyLiteral.value(inLine: $0, parser: parser) } : nil)
        }
    }

    /// The project pass: after the files, once per project of a checked settings file inside a git work tree.
    func checkProjects(parser: PythonParser) {
        let envFallbacks = fallbackKeysInEnvFiles()
        // Before DJS014 asks git: one pass over the history answers it with everything else.
        if checksEnvFiles || checksHistory, !facts.isEmpty { prefetchHistory(parser: parser, envFallbacks: envFallbacks) }
        checkFallbackKeysInEnvFiles(envFallbacks)
        guard checksEnvFiles || checksHistory, !facts.isEmpty else { return }
        if checksHistory { reportSecretsInCode() }
        let projects = gitProjects()
        var inUseByRoot: [String: Set<String>] = [:]
        for fileFacts in facts {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
            if let repository = git(for: folder) {
                inUseByRoot[repository.root, default: []].formUnion(fileFacts.secrets.map(\.secret.value))
            }
        }
        for project in projects {
            let ignored = settings.codesIgnored(forPath: project.displayEnvPath)
            if checksEnvFiles && !ignored.contains(EnvFileNotIgnoredRule.description.code) { checkEnvFileIgnored(project) }
            if checksHistory {
                let secrets = envSecrets(of: project)
                inUseByRoot[project.repository.root, default: []].formUnion(secrets.map(\.value))
                if !ignored.contains(SecretInGitHistoryRule.description.code) { reportSecretsInEnvFile(project, secrets) }
            }
        }
        if checksHistory && options.history {
            var seenRoots = Set<String>()
            for fileFacts in facts {
                let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
                guard let repository = git(for: folder), seenRoots.insert(repository.root).inserted else { continue }
                reportPastKeys(of: repository, inUse: inUseByRoot[repository.root] ?? [], like: fileFacts.path)
            }
        }
    }

    // MARK: - DJS011

    /// Before `--fix` writes anything: the `.env` files that DJS011 reports as not ignored, so that a
    /// `.gitignore` entry another fix adds counts as fixing them.
    func noteUnignoredEnvFiles() {
        guard checksEnvFiles, !facts.isEmpty else { return }
        for project in gitProjects() where FileSystem.exists(project.envPath) && !FileSystem.isDirectory(project.envPath) {
            if !project.repository.isIgnored(project.envPath) && !project.repository.isTracked(project.envPath) {
                envFilesUnignoredBeforeFixes.insert(project.envPath)
            }
        }
    }

    private func checkEnvFileIgnored(_ project: GitProject) {
        let envPath = project.envPath
        guard FileSystem.exists(envPath), !FileSystem.isDirectory(envPath) else { return }
        let repository = project.repository
        let tracked = repository.isTracked(envPath)
        let ignored = repository.isIgnored(envPath)
        guard tracked || !ignored else {
            // Another fix of this run wrote the entry: the DJS011 problem the run started with is fixed too.
            if envFilesUnignoredBeforeFixes.contains(envPath) { fixedCount += 1 }
            return
        }
        let rule = EnvFileNotIgnoredRule.description
        let shown = project.displayEnvPath
        let (gitignorePath, entry) = FixSession.gitignoreEntry(envPath, projectRoot: project.root, repository: repository)
        let gitignoreShown = Self.display(gitignorePath, like: shown)
        let name = settings.envFileName
        var message: String
        var fixable = false
        if tracked {
            let relative = envPath.hasPrefix(repository.root + "/") ? String(envPath.dropFirst(repository.root.count + 1)) : envPath
            message = "\(name) is tracked by git: its secrets are in the history; run `git rm --cached \(relative)`, "
                + "commit, and rotate every secret it holds"
            if !ignored {
                if options.fix {
                    switch session.ensureIgnored(envPath, projectRoot: project.root, repository: repository, verify: true) {
                    case .ignored: message += " (\(gitignoreShown) now ignores it)"
                    case .notIgnored(let reason): message += "; it is not git-ignored either: \(reason)"
                    }
                } else {
                    message += "; add \(entry) to \(gitignoreShown) (--fix does)"
                    if options.diff { printGitignoreAddition(gitignorePath, entry) }
                }
            }
        } else {
            if options.fix {
                // Counted fixed only when git itself says the file is ignored now.
                switch session.ensureIgnored(envPath, projectRoot: project.root, repository: repository, verify: true) {
                case .ignored:
                    fixedCount += 1
                    return
                case .notIgnored(let reason):
                    message = "\(name) is not git-ignored: the next `git add` commits its secrets (not fixed: \(reason)); "
                        + "--fix stores no secret in it until git ignores it"
                }
            } else if FileSystem.isSymbolicLink(gitignorePath) {
                message = "\(name) is not git-ignored: the next `git add` commits its secrets; \(FixSession.linkedGitignore(gitignoreShown))"
            } else {
                message = "\(name) is not git-ignored: the next `git add` commits its secrets; add \(entry) to \(gitignoreShown)"
                fixable = true
                if options.diff { printGitignoreAddition(gitignorePath, entry) }
            }
        }
        reported.append(ReportedFinding(
            code: rule.code, name: rule.name, message: message, severity: rule.severity, path: shown,
            line: 1, column: 1, endLine: 1, endColumn: 1, fixable: fixable))
    }

    private func printGitignoreAddition(_ gitignorePath: String, _ entry: String) {
        console.out("--- \(gitignorePath) (additions)\n+\(entry)\n")
    }

    // MARK: - DJS012

    private func reportSecretsInCode() {
        let rule = SecretInGitHistoryRule.description
        for fileFacts in facts where !fileFacts.secrets.isEmpty {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
            guard let repository = git(for: folder) else { continue }
            let candidates = fileFacts.secrets.filter {
                $0.secret.value.unicodeScalars.count >= Self.minimumHistoryValueLength && !SecretSettings.isPlaceholder($0.secret.value)
            }
            let holding = repository.commitsHolding(candidates.map(\.secret.value))
            for located in candidates {
                guard let commit = holding[located.secret.value] else { continue }
                let secret = located.secret
                if secret.setting == "SECRET_KEY_FALLBACKS", settings.isEnabled(LeakedFallbackKeyRule.description.code),
                   !settings.codesIgnored(forPath: fileFacts.path).contains(LeakedFallbackKeyRule.description.code) {
                    let leaked = LeakedFallbackKeyRule.description
                    reported.append(ReportedFinding(
                        code: leaked.code, name: leaked.name,
                        message: "SECRET_KEY_FALLBACKS holds a leaked key (\(SecretMask.mask(secret.value))): commit \(commit.shortID) "
                            + "(\(commit.date)) holds it; it still opens every session, drop it",
                        severity: leaked.severity, path: fileFacts.path, line: located.line, column: located.column,
                        endLine: located.endLine, endColumn: located.endColumn, fixable: false))
                    continue
                }
                let advice: String
                if secret.setting == "SECRET_KEY_FALLBACKS" {
                    advice = "drop it from SECRET_KEY_FALLBACKS: a leaked key must not stay valid"
                } else if secret.isKey {
                    advice = "replace it with a new key (--fix does, since git holds it)"
                } else {
                    advice = "rotate it where it was issued, then read it from the environment"
                }
                reported.append(ReportedFinding(
                    code: rule.code, name: rule.name,
                    message: "\(secret.setting) holds a value (\(SecretMask.mask(secret.value))) that git history holds "
                        + "since commit \(commit.shortID) (\(commit.date)): it has leaked; \(advice)",
                    severity: rule.severity, path: fileFacts.path, line: located.line, column: located.column,
                    endLine: located.endLine, endColumn: located.endColumn, fixable: false, subject: secret.setting))
            }
        }
    }

    private func reportSecretsInEnvFile(_ project: GitProject, _ secrets: [(name: String, value: String, line: Int)]) {
        guard !secrets.isEmpty else { return }
        let rule = SecretInGitHistoryRule.description
        let holding = project.repository.commitsHolding(secrets.map(\.value))
        for secret in secrets {
            guard let commit = holding[secret.value] else { continue }
            // Django's key under its variable; a provider's key (STRIPE_SECRET_KEY) is rotated where it was issued.
            let advice = SecretSettings(settings: settings).isDjangoKeyName(secret.name)
                ? "replace it with a new key (djlint-secrets generate-key); every user is logged out and reset links are voided"
                : "rotate it where it was issued"
            reported.append(ReportedFinding(
                code: rule.code, name: rule.name,
                message: "\(secret.name) in \(project.displayEnvPath) holds a value (\(SecretMask.mask(secret.value))) that "
                    + "git history holds since commit \(commit.shortID) (\(commit.date)): it has leaked; \(advice)",
                severity: rule.severity, path: project.displayEnvPath, line: secret.line, column: 1,
                endLine: secret.line, endColumn: 1 + secret.name.unicodeScalars.count, fixable: false, subject: secret.name))
        }
    }

    /// --history: every SECRET_KEY literal ever added to a Python file, once per value, with its oldest commit.
    private func reportPastKeys(of repository: GitRepository, inUse: Set<String>, like example: String) {
        let rule = SecretInGitHistoryRule.description
        for past in repository.pastKeyLiterals ?? [] where !inUse.contains(past.value) {
            let path = Self.display(repository.root + "/" + past.path, like: example)
            guard !settings.codesIgnored(forPath: path).contains(rule.code) else { continue }
            reported.append(ReportedFinding(
                code: rule.code, name: rule.name,
                message: "a past SECRET_KEY (\(SecretMask.mask(past.value))) was committed in \(past.commit.shortID) "
                    + "(\(past.commit.date)); treat it as leaked: it must not be in use anywhere, nor in SECRET_KEY_FALLBACKS",
                severity: .warning, path: path, line: past.line, column: 1, endLine: past.line, endColumn: 1,
                fixable: false, subject: past.commit.shortID))
        }
    }

    /// `absolute` as the run shows paths: absolute when the checked file's path was, else relative to the
    /// working folder (with `./` when the checked file's path had it).
    static func display(_ absolute: String, like example: String) -> String {
        if example.hasPrefix("/") { return absolute }
        let cwd = FileSystem.absolute(".")
        let base = cwd == "/" ? "/" : cwd + "/"
        guard absolute.hasPrefix(base) else { return absolute }
        let relative = String(absolute.dropFirst(base.count))
        return example.hasPrefix("./") ? "./" + relative : relative
    }
}
