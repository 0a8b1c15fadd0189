/// DJS014 for the project's `.env`: the values of the fallbacks variable that leaked (a `django-insecure-`
/// or weak key anywhere; inside a git work tree, a key that a commit holds).
extension CheckRunner {
    func checkFallbackKeysInEnvFiles() {
        let rule = LeakedFallbackKeyRule.description
        guard settings.isEnabled(rule.code), !facts.isEmpty else { return }
        var seen = Set<String>()
        for fileFacts in facts where !fileFacts.fallbackVariables.isEmpty {
            let folder = FileSystem.parentDirectory(of: FileSystem.absolute(fileFacts.path))
            let root = ProjectLocator.root(forFile: fileFacts.path, git: { self.git(for: folder) })
            let envPath = root + "/" + settings.envFileName
            guard seen.insert(envPath).inserted, FileSystem.exists(envPath), !FileSystem.isDirectory(envPath),
                  let bytes = try? FileSystem.read(envPath, limit: FileSystem.maximumSourceSize) else { continue }
            let shown = Self.display(envPath, like: fileFacts.path)
            guard !settings.codesIgnored(forPath: shown).contains(rule.code) else { continue }
            let file = EnvFile(bytes: bytes)
            let readHere = Set(facts.flatMap(\.fallbackVariables))
            let names = file.names.filter(readHere.contains)
            var pending: [(name: String, key: String)] = []
            for name in names {
                for key in FallbackKeys.parse(file.values[name] ?? "") {
                    if let reason = FallbackKeys.staticLeak(key) {
                        report(rule, name: name, key: key, reason: reason, in: shown, line: file.lineNumbers[name] ?? 1)
                    } else {
                        pending.append((name, key))
                    }
                }
            }
            guard !pending.isEmpty, let repository = git(for: folder) else { continue }
            let holding = repository.commitsHolding(pending.map(\.key))
            for entry in pending {
                guard let commit = holding[entry.key] else { continue }
                report(rule, name: entry.name, key: entry.key, reason: "commit \(commit.shortID) (\(commit.date)) holds it",
                       in: shown, line: file.lineNumbers[entry.name] ?? 1)
            }
        }
    }

    private func report(_ rule: RuleDescription, name: String, key: String, reason: String, in shown: String, line: Int) {
        reported.append(ReportedFinding(
            code: rule.code, name: rule.name,
            message: "\(name) in \(shown) holds a leaked key (\(SecretMask.mask(key))): \(reason); it still opens every session: "
                + "remove it (djlint-secrets rotate does)",
            severity: rule.severity, path: shown, line: line, column: 1, endLine: line,
            endColumn: 1 + name.unicodeScalars.count, fixable: false))
    }
}
