import PythonSyntax

/// A test settings module a run gave test-only defaults: its text before and after.
public struct TestSettingsChange {
    public let path: String
    public let before: [UInt8]
    public internal(set) var after: [UInt8]
    /// Development values copied into it: masked wherever the change is shown.
    public internal(set) var copiedValues: [String]
}

/// SPEC "Test settings", issue #19 gap A: a fix that makes a settings module require a variable must not
/// stop the test suite of a project, which CI runs without `.env`. Test settings that import the module
/// (star, named or plain imports, relative or absolute, directly or through other modules) get
/// `os.environ.setdefault(...)` for each such variable before their first import that runs it. This adds
/// lines, it rewrites none of their values ("--fix never rewrites test settings" is about those).
extension FixSession {
    /// Gives the test settings that import `module` the defaults `plan` made it need: written under the
    /// caller's lock (`.writeSettingsFile`), kept for the diff (`.preview`), or only named in the summary
    /// from an editor (`.returnSettings` changes no other file).
    func giveTestDefaults(_ plan: FilePlan, of analysis: FileAnalysis, module: String, projectRoot: String, delivery: FixDelivery) {
        let defaults = TestDefaults.needed(by: plan, of: analysis)
        guard !defaults.isEmpty else { return }
        let module = FileSystem.absolute(module)
        if delivery != .returnSettings { tellWhatTheTestRunnerNeeds(defaults, module: module, root: projectRoot) }
        // An editor save looks beside the module only: a directory listing, no configuration read.
        let candidates = testSettingsCandidates(of: module, root: projectRoot, besideOnly: delivery == .returnSettings)
        guard !candidates.isEmpty, let parser = loaderParser else { return }
        for candidate in candidates {
            let known = testSettingsChanges.firstIndex { $0.path == candidate.path }
            var bytes: [UInt8]
            if delivery == .preview, let known {
                bytes = testSettingsChanges[known].after
            } else {
                guard let onDisk = try? FileSystem.read(candidate.path, limit: FileSystem.maximumSourceSize) else { continue }
                bytes = onDisk
            }
            // A module with syntax errors is left alone, as every fix leaves one.
            guard case .success(let source) = SourceAdmission.admit(bytes, path: candidate.path),
                  let tree = try? parser.parse(source), !tree.root.hasError, !tree.root.nests(deeperThan: Linter.maximumNesting)
            else { continue }
            var starImport = false
            guard let anchor = TestDefaults.anchor(in: tree.root, { statement in
                guard self.runs(statement, in: candidate.path, module) else { return false }
                starImport = statement.namedChildren.contains { $0.type == "wildcard_import" }
                return true
            }) else { continue }
            // A module of a test stem beside the settings is test settings when it takes them all, or when it
            // is settings by its path or its statements (an app's `tests.py` importing one name is not).
            guard candidate.vouched || starImport || settings.isSettingsModule(path: candidate.relative)
                || SettingsModel(root: tree.root, everyClassIsSettings: false).assignsDjangoSettings else { continue }
            let (edits, added) = TestDefaults.edits(adding: defaults, to: source, root: tree.root, before: anchor)
            guard !added.isEmpty else { continue }
            let names = added.map(\.name).joined(separator: ", ")
            if delivery == .returnSettings {
                let required = added.filter { $0.kind != .debugOn }.map(\.name)
                let flags = added.filter { $0.kind == .debugOn }.map(\.name)
                var what: [String] = []
                if !required.isEmpty { what.append("now requires \(required.joined(separator: ", "))") }
                if !flags.isEmpty { what.append("now reads \(flags.joined(separator: ", ")) as off when unset (it was on)") }
                summary.append("\(candidate.path) imports \(module), which \(what.joined(separator: " and ")), and CI has no .env: before "
                    + "that import it needs os.environ.setdefault(NAME, <test-only value>) for each (\"\(TestDefaults.debugOnValue)\" for a "
                    + "DEBUG flag), or its test suite stops or runs otherwise "
                    + "(an editor save changes no other file; `djlint-secrets check --fix` adds them when it makes the fix).")
                continue
            }
            let (fixed, applied) = EditApplier.apply(edits, to: bytes)
            guard applied.count == edits.count, let check = try? parser.parse(SourceText(bytes: fixed)), !check.root.hasError else {
                warn("\(candidate.path): the test-only defaults would not parse; add os.environ.setdefault(...) for \(names) by hand")
                continue
            }
            if delivery == .writeSettingsFile {
                do {
                    try FileSystem.writeAtomically(fixed, to: candidate.path)
                } catch {
                    warn("cannot write \(candidate.path): \(Self.reason(error)); its test suite needs \(names) set without .env")
                    continue
                }
                summary.append(Self.describeTestDefaults(added, in: candidate.path, importing: module))
            }
            let copied = added.filter { $0.kind == .developmentValue }.map(\.value)
            if let known {
                testSettingsChanges[known].after = fixed
                testSettingsChanges[known].copiedValues += copied
            } else {
                testSettingsChanges.append(TestSettingsChange(path: candidate.path, before: bytes, after: fixed, copiedValues: copied))
            }
        }
    }

    /// When a test runner's configuration runs the suite on the fixed module itself, or on settings that
    /// import it and are not test settings (pytest.ini naming `mysite.settings`), there are no test settings
    /// to give defaults to and CI has no .env: the summary says what CI must export.
    private func tellWhatTheTestRunnerNeeds(_ defaults: [TestDefault], module: String, root: String) {
        let required = defaults.filter { $0.kind != .debugOn }.map(\.name)
        let flags = defaults.filter { $0.kind == .debugOn }.map(\.name)
        for (named, configuration) in settingsModules.testRunnerSettingsModules(from: FileSystem.parentDirectory(of: module)) {
            let relative = named.hasPrefix(root + "/") ? String(named.dropFirst(root.count + 1)) : named
            guard !settings.isTestSettings(path: relative), named == module || importClosure(of: named).contains(module) else { continue }
            var what: [String] = []
            if !required.isEmpty { what.append("requires \(required.joined(separator: ", "))") }
            if !flags.isEmpty { what.append("reads \(flags.joined(separator: ", ")) as off when unset (it was on)") }
            let line = "\(configuration) runs the test suite on \(named), which now \(what.joined(separator: " and ")), and CI has no "
                + ".env: set \((required + flags).joined(separator: ", ")) in the CI's environment (a test-only value serves a test run; "
                + "a real one belongs in its secret store), or point the test runner at test settings."
            if !summary.contains(line) { summary.append(line) }
        }
    }

    static func describeTestDefaults(_ added: [TestDefault], in path: String, importing module: String) -> String {
        var line = "Added test-only defaults for \(added.map(\.name).joined(separator: ", ")) to \(path) so the test suite "
            + "starts without .env (it imports \(module)); values CI sets win, and in tests these win over .env."
        let kept = added.filter { $0.kind == .developmentValue }.map(\.name)
        if !kept.isEmpty {
            line += " \(kept.joined(separator: ", ")) keep\(kept.count == 1 ? "s" : "") the old development value there (it does not look generated)."
        }
        let flags = added.filter { $0.kind == .debugOn }.map(\.name)
        if !flags.isEmpty {
            line += " \(flags.joined(separator: ", ")) \(flags.count == 1 ? "is" : "are") \"\(TestDefaults.debugOnValue)\" there: "
                + "DEBUG is off when unset now, and the test suite ran with it on."
        }
        let placeholders = added.filter { $0.kind == .placeholder }.map(\.name)
        if !placeholders.isEmpty {
            line += " \(placeholders.joined(separator: ", ")) get\(placeholders.count == 1 ? "s" : "") a placeholder, not the value "
                + "(it looks generated): a test that needs the real one gets it from the CI's secret store."
        }
        return line
    }

    /// Test settings modules that may import `module`: those of its own folder (`settings/test.py` beside
    /// `settings/base.py`, `test_settings.py` beside `settings.py`), those `DJANGO_SETTINGS_MODULE` names
    /// from its folder up to the work tree's root (`tests/settings.py` of `conftest.py`, pytest.ini, tox.ini),
    /// and those this run analysed. Test settings by the SPEC's path rule, below the project root (or the work
    /// tree's); `vouched`: known to be settings (named, or analysed as such).
    func testSettingsCandidates(of module: String, root: String, besideOnly: Bool = false) -> [(path: String, relative: String, vouched: Bool)] {
        let folder = FileSystem.parentDirectory(of: module)
        var boundary = root
        if !besideOnly, case .some(let top?) = GitRepository.candidateTop(of: root) { boundary = top }
        var seen: Set<String> = [module]
        var found: [(path: String, relative: String, vouched: Bool)] = []
        func consider(_ path: String, vouched: Bool) {
            guard seen.insert(path).inserted else { return }
            let relative: String
            if path.hasPrefix(root + "/") {
                relative = String(path.dropFirst(root.count + 1))
            } else if path.hasPrefix(boundary + "/") {
                relative = String(path.dropFirst(boundary.count + 1))
            } else {
                return
            }
            guard settings.isTestSettings(path: relative) else { return }
            found.append((path, relative, vouched))
        }
        // Names without `test` or `ci` cannot have a test stem: most folders compile no pattern.
        for name in ProjectDependencies.names(in: folder).sorted() where name.hasSuffix(".py") {
            let lowered = name.lowercased()
            guard lowered.containsBytes("test") || lowered.containsBytes("ci") else { continue }
            consider(folder + "/" + name, vouched: false)
        }
        if besideOnly { return found }
        for named in settingsModules.namedSettingsModules(from: folder) { consider(named, vouched: true) }
        for analysed in knownTestSettings.sorted() { consider(analysed, vouched: true) }
        return found
    }

    /// Whether the import `statement` of the file at `file` runs `target`, itself or through the project
    /// modules it imports.
    func runs(_ statement: SyntaxNode, in file: String, _ target: String) -> Bool {
        importedModules(statement, in: file).contains { $0 == target || importClosure(of: $0).contains(target) }
    }

    /// The project modules an import statement runs (absolute paths).
    private func importedModules(_ statement: SyntaxNode, in file: String) -> [String] {
        guard let locator = moduleLocator else { return [] }
        return ProjectImport.modulesRun(by: statement).compactMap { locator.modulePath(of: $0, importedBy: file).map(FileSystem.absolute) }
    }

    /// Every project module importing `module` runs, itself included (bounded: a few hundred modules).
    private func importClosure(of module: String) -> Set<String> {
        if let known = importClosures[module] { return known }
        var reached = Set<String>()
        var pending = [module]
        while let next = pending.popLast(), reached.count < 256 {
            guard reached.insert(next).inserted else { continue }
            pending += projectImports(of: next)
        }
        importClosures[module] = reached
        return reached
    }

    private func projectImports(of module: String) -> [String] {
        if let known = projectImportsByModule[module] { return known }
        var found: [String] = []
        if let tree = parse(module) {
            EnvLoaderScan.forEachModuleStatement(tree.root) { statement in
                guard statement.type == "import_statement" || statement.type == "import_from_statement" else { return }
                found += importedModules(statement, in: module)
            }
        }
        projectImportsByModule[module] = found
        return found
    }
}
