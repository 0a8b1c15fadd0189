/// DJS014 for the project's `.env`: the values of the fallbacks variable that leaked (a `django-insecure-`
/// or weak key anywhere; inside a git work tree, a key that a commit holds).
extension CheckRunner {
    /// The keys a project's `.env` holds in a fallbacks variable the checked settings read.
    struct EnvFallbackKeys {
        /// The folder of the settings file that reads them (where git is asked).
        let folder: String
        /// The `.env` as reported.
        let shown: String
        let file: EnvFile
        let keys: [(name: String, key: String)]
    }

    /// Each project's `.env` read once; empty when DJS014 is off or no checked file reads fallbacks.
    func fallbackKeysInEnvFiles() -> [EnvFallbackKeys] {
        let code = LeakedFallbackKeyRule.description.code
        guard settings.isEnabled(code), !facts.isEmpty else { return [] }
        let readHere = Set(facts.flatMap(\.fallbackVariables))
        var seen = Set<String>()
        var result: [EnvFallbackKeys] = []
        for fileFacts in facts where !fileFacts.fallbackVariables.isEmpty {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
            let root = ProjectLocator.root(forFile: fileFacts.path, git: { self.git(for: folder) })
            let envPath = root + "/" + settings.envFileName
            guard seen.insert(envPath).inserted, FileSystem.exists(envPath), !FileSystem.isDirectory(envPath),
                  let bytes = try? FileSystem.read(envPath, limit: FileSystem.maximumSourceSize) else { continue }
            let shown = Self.display(envPath, like: fileFacts.path)
            guard !settings.codesIgnored(forPath: shown).contains(code) else { continue }
            let file = EnvFile(bytes: bytes)
            let keys = file.names.filter(readHere.contains).flatMap { name in
                FallbackKeys.parse(file.values[name] ?? "").map { (name: name, key: $0) }
            }
            result.append(EnvFallbackKeys(folder: folder, shown: shown, file: file, keys: keys))
        }
        return result
    }

    /// The keys only git can tell leaked, by the folder to ask git in (for the history prefetch).
    func fallbackKeysForHistory(_ envFiles: [EnvFallbackKeys]) -> [(folder: String, keys: [String])] {
        envFiles.map { envFile in (envFile.folder, envFile.keys.map(\.key).filter { FallbackKeys.staticLeak($0) == nil }) }
    }

    func checkFallbackKeysInEnvFiles(_ envFiles: [EnvFallbackKeys]) {
        let rule = LeakedFallbackKeyRule.description
        for envFile in envFiles {
            var pending: [(name: String, key: String)] = []
            for entry in envFile.keys {
                if let reason = FallbackKeys.staticLeak(entry.key) {
                    report(rule, name: entry.name, key: entry.key, reason: reason, in: envFile)
                } else {
                    pending.append(entry)
                }
            }
            guard !pending.isEmpty, let repository = git(for: envFile.folder) else { continue }
            let holding = repository.commitsHolding(pending.map(\.key))
            for entry in pending {
                guard let commit = holding[entry.key] else { continue }
                report(rule, name: entry.name, key: entry.key, reason: "commit \(commit.shortID) (\(commit.date)) holds it", in: envFile)
            }
        }
    }

    private func report(_ rule: RuleDescription, name: String, key: String, reason: String, in envFile: EnvFallbackKeys) {
        let line = envFile.file.lineNumbers[name] ?? 1
        reported.append(ReportedFinding(
            code: rule.code, name: rule.name,
            message: "\(name) in \(envFile.shown) holds a leaked key (\(SecretMask.mask(key))): \(reason); it still opens every session: "
                + "remove it (djlint-secrets rotate does)",
            severity: rule.severity, path: envFile.shown, line: line, column: 1, endLine: line,
            endColumn: 1 + name.unicodeScalars.count, fixable: false))
    }
}
