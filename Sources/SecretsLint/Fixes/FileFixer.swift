import PythonSyntax

public enum KeyPolicy {
    /// Move a strong key that git never held; replace any other.
    case automatic
    /// Always replace (`--rotate`).
    case rotate
    /// Always move (`--keep-key`), as long as the value can be stored exactly.
    case keep
}

/// A variable `--fix` adds to `.env`, and why.
public struct EnvAddition: Equatable {
    public enum Kind: Equatable {
        case newKey(replacing: String?, because: KeyReplacementReason)
        case movedKey
        case movedValue
        case flag
        /// Fallback keys of a literal SECRET_KEY_FALLBACKS; `dropped` describes (masked) the ones not kept.
        case fallbackKeys(dropped: [String])
    }
    public let name: String
    public let value: String
    public let kind: Kind
    public let setting: String
}

/// Why `--fix` put a new key in place of the old one; the summary's advice depends on it.
public enum KeyReplacementReason: Equatable {
    case insecure
    case weak
    case trackedFile
    case committed(CommitReference)
    case rotationRequested
    case unstorable(String)
    case generatedAtImport

    /// The old key may have been seen by others: it must not become a SECRET_KEY_FALLBACKS entry.
    var oldKeyIsBurnt: Bool {
        switch self {
        case .rotationRequested, .unstorable, .generatedAtImport: return false
        default: return true
        }
    }

    var explanation: String {
        switch self {
        case .insecure: return "it is a django-insecure- key"
        case .weak: return "it is below Django's W009 thresholds"
        case .trackedFile: return "git tracks the settings file"
        case .committed(let commit): return "commit \(commit.shortID) (\(commit.date)) holds it"
        case .rotationRequested: return "--rotate asked for it"
        case .unstorable(let reason): return "it cannot be stored in .env exactly (\(reason))"
        case .generatedAtImport: return "it was generated at import"
        }
    }
}

/// The `.env` the fixes of a project store values in, with what this run has added so far.
public struct EnvStore {
    public let path: String
    public private(set) var file: EnvFile
    public private(set) var pending: [EnvAddition] = []

    public init(path: String, file: EnvFile) {
        self.path = path
        self.file = file
    }

    func value(of name: String) -> String? {
        file.values[name] ?? pending.last { $0.name == name }?.value
    }

    mutating func add(_ addition: EnvAddition) {
        if value(of: addition.name) == nil { pending.append(addition) }
    }

    /// Marks pending additions as written.
    public mutating func committed(_ bytes: [UInt8]) {
        file = EnvFile(bytes: bytes)
        pending = []
    }
}

/// What fixing one file amounts to.
public struct FilePlan {
    public var fixedSource: [UInt8]
    /// The applied edits of `fixedSource`, as byte ranges of the analysed text.
    public var edits: [Edit] = []
    public var additions: [EnvAddition] = []
    /// The finding whose fix stores each addition (by index into the analysis's findings).
    public var additionFindings: [Int: EnvAddition] = [:]
    public var fixed: [Int] = []
    /// Findings whose fix was not applied, with the reason.
    public var skipped: [Int: String] = [:]
    public var notes: [String] = []
    public var changesSource: Bool
    /// The fixed settings read `.env`, and nothing in the code loads it (SPEC "Local runs keep working").
    public var leavesEnvUnloaded = false
    /// The package of the loader the fixes added, whose import must work (declared, installed).
    public var addedLoader: LoaderLibrary?
    /// The environment variable each fixed finding's code now reads (by index into the analysis's findings).
    public var variables: [Int: String] = [:]
}

public struct FileFixer {
    public let settings: LintSettings
    public let keyPolicy: KeyPolicy
    /// Asked only when a key's fate depends on git: a git process costs milliseconds on every editor save.
    private let gitLookup: () -> GitRepository?
    /// The settings file's path as git sees it, to ask whether git tracks it.
    public let trackedPath: String?

    /// Asked only for a file whose fixes make it read the env file: the project's loaders and declarations.
    private let projectLoading: () -> ProjectLoading

    public init(
        settings: LintSettings, keyPolicy: KeyPolicy, git: @autoclosure @escaping () -> GitRepository?, trackedPath: String?,
        projectDeclaresDotenv: @escaping () -> Bool = { false }
    ) {
        self.init(
            settings: settings, keyPolicy: keyPolicy, git: git(), trackedPath: trackedPath,
            projectLoading: {
                ProjectLoading(declared: projectDeclaresDotenv() ? ["python-dotenv"] : [], mayDeclarePythonDotenv: false)
            })
    }

    public init(
        settings: LintSettings, keyPolicy: KeyPolicy, git: @autoclosure @escaping () -> GitRepository?, trackedPath: String?,
        projectLoading: @escaping () -> ProjectLoading
    ) {
        self.settings = settings
        self.keyPolicy = keyPolicy
        self.gitLookup = git
        self.trackedPath = trackedPath
        self.projectLoading = projectLoading
    }

    /// Plans every fixable finding of `analysis`, or those `only` names; `store` is nil when there is no
    /// project to store values in.
    public func plan(_ analysis: FileAnalysis, store: inout EnvStore?, only: Set<Int>? = nil) -> FilePlan {
        plan(analysis, store: &store, only: only, settling: analysis.tree.root.hasError && only == nil)
    }

    /// `settling`: the file has syntax errors, so its fixed text is planned again and the fixes are kept
    /// only when that second plan changes nothing: near errors, tree-sitter's recovery may read the fixed
    /// text otherwise, and `--fix` must converge in one run.
    private func plan(_ analysis: FileAnalysis, store: inout EnvStore?, only: Set<Int>?, settling: Bool) -> FilePlan {
        let source = analysis.source
        let style = EnvStyle.detect(analysis.model.bindings, choice: settings.envStyle)
        var plan = FilePlan(fixedSource: source.bytes, changesSource: false)
        var edits: [(edit: Edit, finding: Int)] = []
        var additionByFinding: [Int: EnvAddition] = [:]
        var variableByFinding: [Int: String] = [:]
        var usesFileStyle = false
        var extraImports: [String] = []
        // Findings whose fix is an edit another finding already planned (the entries of one fallbacks list).
        var sharedEdits: [(finding: Int, position: Int)] = []
        var workingStore = store
        // Findings whose edit overlaps an earlier one: planned again without them, so a value they
        // would have stored does not turn another fix away (the next run would then make that fix).
        var overlapping = Set<Int>()

        let keyValues = analysis.findings.flatMap { finding -> [String] in
            if case .replaceWithRead(_, _, _, _, .secretKey(let current?, _), _)? = finding.fix { return [current] }
            if case .replaceWithRead(_, _, _, _, .fallbackKeys(let keys, _), _)? = finding.fix { return keys }
            return []
        }
        var repository: GitRepository??
        let git = { () -> GitRepository? in
            if repository == nil { repository = .some(gitLookup()) }
            return repository!
        }
        var trackedAnswer: Bool?
        let fileIsTracked = { () -> Bool in
            if trackedAnswer == nil { trackedAnswer = trackedPath.map { git()?.isTracked($0) ?? false } ?? false }
            return trackedAnswer!
        }
        var leakedAnswer: [String: CommitReference]?
        let leaked = { (value: String) -> CommitReference? in
            if leakedAnswer == nil { leakedAnswer = git()?.commitsHolding(keyValues) ?? [:] }
            return leakedAnswer![value]
        }

        // The statements the fixes delete, by start: a block they would all leave keeps one `pass`.
        var deletedStatements = Set<Int>()
        for (index, finding) in analysis.findings.enumerated() where only?.contains(index) ?? true {
            if case .deleteStatement(let statement, _, _, _)? = finding.fix { deletedStatements.insert(statement.lowerBound) }
        }

        planning: while true {
            plan = FilePlan(fixedSource: source.bytes, changesSource: false)
            edits = []
            additionByFinding = [:]
            variableByFinding = [:]
            usesFileStyle = false
            extraImports = []
            sharedEdits = []
            workingStore = store
            for index in overlapping { plan.skipped[index] = "its fix overlaps another fix" }
            for (index, finding) in analysis.findings.enumerated() where !overlapping.contains(index) {
                guard let intent = finding.fix, only?.contains(index) ?? true else { continue }
                let (range, setting, existingVariable, stored, replacement): (Range<Int>, [String], String?, StoredValue, (String) -> String)
                var editUsesFileStyle = false
                switch intent {
                case .replaceWithRead(let expression, let path, let variable, let form, let value, let readStyle):
                    range = expression
                    setting = path
                    existingVariable = variable
                    stored = value
                    let chosen = readStyle ?? style
                    replacement = { chosen.read($0, form: form) }
                    editUsesFileStyle = readStyle == nil
                case .deleteStatement(let statement, let path, let variable, let value):
                    let deletion = Self.statementDeletion(statement, in: analysis, deleting: deletedStatements)
                    range = deletion.range
                    setting = path
                    existingVariable = variable
                    stored = value
                    replacement = { _ in deletion.replacement }
                }
                // Near a syntax error the tree is a guess: nothing on the statement's lines is touched, nor
                // is a fix made whose reader is bound (or whose import would go) on such lines.
                let firstLine = source.lineIndex(ofByte: min(finding.statementStart, range.lowerBound))
                let lastLine = source.lineIndex(ofByte: max(range.upperBound - 1, range.lowerBound))
                if Self.touchesParseError(source.lineStart(firstLine)..<source.lineEnd(lastLine), tree: analysis.tree) {
                    plan.skipped[index] = "the statement has a syntax error"
                    continue
                }
                if analysis.tree.root.hasError, case .replaceWithRead(_, _, _, _, _, let readStyle) = intent,
                   dependsOnParseError(readStyle ?? style, needsImport: readStyle == nil, analysis) {
                    plan.skipped[index] = "the statement that binds its environment reader has a syntax error"
                    continue
                }
                let variable = existingVariable ?? Self.variableName(for: setting, prefix: settings.envPrefix)
                variableByFinding[index] = variable
                if let position = edits.firstIndex(where: { $0.edit.range == range && $0.edit.replacement == Array(replacement(variable).utf8) }) {
                    sharedEdits.append((index, position))
                    continue
                }
                var storesNothing = false
                if case .debugFlag(nil) = stored { storesNothing = true }
                guard storesNothing || Self.isPortableVariableName(variable) else {
                    plan.skipped[index] = "the variable name \(Self.printable(variable)) cannot be stored in .env for every reader"
                    continue
                }
                guard var target = workingStore else {
                    plan.skipped[index] = "no project to store the value in: pass --stdin-filename"
                    continue
                }
                let decision = decide(
                    stored, variable: variable, setting: SecretSettings.display(setting), store: target,
                    leakedIn: leaked, fileIsTracked: fileIsTracked)
                switch decision {
                case .skip(let reason):
                    plan.skipped[index] = reason
                    continue
                case .store(let addition):
                    target.add(addition)
                    additionByFinding[index] = addition
                case .reuse(let note):
                    if let note { plan.notes.append(note) }
                }
                workingStore = target
                if case .fallbackKeys(_, let reader) = stored, let line = reader.missingImport(analysis.model.bindings),
                   !extraImports.contains(line) {
                    extraImports.append(line)
                }
                edits.append((Edit(range: range, replacement: replacement(variable)), index))
                usesFileStyle = usesFileStyle || editUsesFileStyle
            }

            guard !edits.isEmpty else { return plan }
            let dropped = Set(EditApplier.applied(edits.map(\.edit), count: source.bytes.count)).symmetricDifference(edits.indices)
            if dropped.isEmpty { break planning }
            overlapping.formUnion(dropped.map { edits[$0].finding })
        }
        var allEdits = edits.map(\.edit)
        var importLines: [String] = []
        if usesFileStyle, let importLine = style.missingImport(analysis.model.bindings) { importLines.append(importLine) }
        importLines += extraImports.filter { !importLines.contains($0) }
        // Every applied fix leaves a value that only .env holds, whichever reader reads it (a required
        // read in the file's style, a fallback dropped from the code's own read, `env.db(N)`): the local
        // run must load .env. A file with syntax errors cannot run, and its lines are guesses: no loader there.
        if let envPath = store?.path, !analysis.tree.root.hasError,
           !(additionByFinding.isEmpty && (store?.file.values.isEmpty ?? true)) {
            let bindings = analysis.model.bindings
            // Making a django-environ instance reads nothing: a fix of its scheme (`Env(DEBUG=(bool, False))`)
            // needs the loader only before the instance's first read, so a loader the file already has
            // between the two still counts (a second one was added above it).
            let instanceStarts = Set(bindings.envInstanceStatements.values.map(\.startByte))
            var firstRead = edits.map { analysis.findings[$0.finding].statementStart }
                .filter { !instanceStarts.contains($0) }.min() ?? source.bytes.count
            for assignment in analysis.model.assignments
            where assignment.statement.startByte < firstRead && !instanceStarts.contains(assignment.statement.startByte)
                && bindings.readsEnvironment(assignment.value) {
                firstRead = assignment.statement.startByte
            }
            // A project module imported before that read which reads a variable the fix stores (base.py
            // requiring DJANGO_SECRET_KEY, star-imported by local.py whose default moved to .env) reads it
            // at the import: the loader goes before the import (SPEC "Fixes", round 3, import order).
            let project = projectLoading()
            let stored = Set(additionByFinding.values.map(\.name))
            for read in project.importReads where read.start < firstRead && !read.variables.isDisjoint(with: stored) {
                firstRead = read.start
            }
            switch EnvLoading.decide(
                analysis, style: style, envPath: envPath, settingsFile: trackedPath, firstRead: firstRead,
                project: project) {
            case .loaded:
                break
            case .leftToTheCommandLine:
                plan.leavesEnvUnloaded = true
            case .insert(let statement, let imports, let offset, let library, let besides):
                plan.addedLoader = library
                if let besides, let condition = besides.condition {
                    plan.notes.append("Added \(statement) to \(trackedPath ?? analysis.path): \(besides.file) loads "
                        + "\(envPath) only when \(condition) holds, so a local run would miss the values moved there.")
                }
                importLines += imports.filter { !importLines.contains($0) }
                let importOffset = ImportPlacement.insertion("", into: source, root: analysis.tree.root).range.lowerBound
                if let offset, offset != importOffset {
                    let needsNewline = offset == source.bytes.count && offset > 0 && source.bytes.last != 0x0A
                    allEdits.append(.insert((needsNewline ? source.lineEnding : "") + statement + source.lineEnding, at: offset))
                } else {
                    importLines.append(statement)
                }
            }
        }
        if !importLines.isEmpty {
            allEdits.append(ImportPlacement.insertion(importLines.joined(separator: source.lineEnding), into: source, root: analysis.tree.root))
        }
        let (bytes, applied) = EditApplier.apply(allEdits, to: source.bytes)
        let appliedSet = Set(applied)
        let appliedFindings = applied.filter { $0 < edits.count }.map { edits[$0].finding }
            + sharedEdits.filter { appliedSet.contains($0.position) }.map(\.finding)
        for (position, entry) in edits.enumerated() where !appliedSet.contains(position) {
            plan.skipped[entry.finding] = "its fix overlaps another fix"
        }
        // A fix must never make the file worse: reparse and compare. A clean file must stay clean; in a
        // file with syntax errors the errors must parse as before, or a second run would see other
        // statements and fix again. What cannot be checked is not applied.
        let before = Self.errorSignature(analysis.tree)
        let changes = applied.map { SourceChange(range: allEdits[$0].range, replacement: allEdits[$0].replacement) }
        guard let parser = try? PythonParser(), Self.errorSignature(of: SourceText(bytes: bytes), parser: parser, analysis: analysis, changes: changes) == before else {
            let reason = before.isEmpty ? "the fix would introduce a syntax error" : "the fix would change how the file's syntax errors parse"
            for finding in appliedFindings { plan.skipped[finding] = reason }
            return plan
        }
        plan.fixedSource = bytes
        plan.edits = applied.map { allEdits[$0] }
        plan.changesSource = bytes != source.bytes
        plan.fixed = appliedFindings
        for finding in appliedFindings { plan.variables[finding] = variableByFinding[finding] }
        // Only the fixes that were applied store values: a dropped fix must not reach `.env`.
        let storeBefore = store
        if var target = store {
            for finding in appliedFindings {
                guard let addition = additionByFinding[finding], target.value(of: addition.name) == nil else { continue }
                target.add(addition)
                plan.additions.append(addition)
                plan.additionFindings[finding] = addition
            }
            store = target
        }
        if settling, plan.changesSource {
            var storeAfter = store
            let settled = (try? PythonParser()).flatMap { parser in
                try? Linter(settings: settings).analyze(path: analysis.path, source: SourceText(bytes: bytes), parser: parser)
            }.map { !self.plan($0, store: &storeAfter, only: nil, settling: false).changesSource } ?? false
            if !settled {
                var unsettled = FilePlan(fixedSource: source.bytes, changesSource: false)
                unsettled.skipped = plan.skipped
                for finding in appliedFindings {
                    unsettled.skipped[finding] = "near the file's syntax errors the fixed text would need fixing again; fix the syntax errors first"
                }
                store = storeBefore
                return unsettled
            }
        }
        return plan
    }

    private enum Decision {
        case store(EnvAddition)
        case reuse(note: String?)
        case skip(String)
    }

    private func decide(
        _ stored: StoredValue, variable: String, setting: String, store: EnvStore,
        leakedIn: (String) -> CommitReference?, fileIsTracked: () -> Bool
    ) -> Decision {
        let existing = store.value(of: variable)
        switch stored {
        case .debugFlag(let on):
            guard let on, existing == nil else { return .reuse(note: nil) }
            return .store(EnvAddition(name: variable, value: on ? "True" : "False", kind: .flag, setting: setting))
        case .verbatim(let value):
            if let existing {
                return existing == value
                    ? .reuse(note: nil)
                    : .skip("\(store.path) already sets \(variable) to another value; reconcile them by hand")
            }
            if let reason = EnvFile.unstorableReason(value) {
                return .skip("the value cannot be stored in .env exactly: \(reason)")
            }
            return .store(EnvAddition(name: variable, value: value, kind: .movedValue, setting: setting))
        case .fallbackKeys(let keys, let reader):
            var kept: [String] = []
            var dropped: [String] = []
            for key in keys where !kept.contains(key) {
                if let reason = FallbackKeys.staticLeak(key) {
                    dropped.append("\(SecretMask.mask(key)) (leaked: \(reason))")
                } else if let commit = leakedIn(key) {
                    dropped.append("\(SecretMask.mask(key)) (leaked: commit \(commit.shortID) (\(commit.date)) holds it)")
                } else if let reason = reader.unreadableReason(key) {
                    dropped.append("\(SecretMask.mask(key)) (not kept: \(reason))")
                } else {
                    kept.append(key)
                }
            }
            let value = kept.joined(separator: ",")
            let droppedNote = dropped.isEmpty ? nil
                : "Dropped from \(setting): \(dropped.joined(separator: ", ")); sessions and reset links signed with a dropped key end now."
            if kept.isEmpty { return .reuse(note: droppedNote) }
            if let existing {
                return existing == value
                    ? .reuse(note: droppedNote)
                    : .skip("\(store.path) already sets \(variable) to other keys; merge them by hand")
            }
            return .store(EnvAddition(name: variable, value: value, kind: .fallbackKeys(dropped: dropped), setting: setting))
        case .secretKey(let current, let alwaysReplace):
            var reason: KeyReplacementReason?
            if let current {
                switch keyPolicy {
                case .rotate: reason = .rotationRequested
                case .keep: reason = nil
                case .automatic:
                    // Cheapest answers first: git is asked only about a strong key that could be moved.
                    if current.hasPrefix(SecretKeyLiteral.insecurePrefix) {
                        reason = .insecure
                    } else if alwaysReplace || !KeyGenerator.isStrong(current) {
                        reason = .weak
                    } else if fileIsTracked() {
                        reason = .trackedFile
                    } else if let commit = leakedIn(current) {
                        reason = .committed(commit)
                    }
                }
                if reason == nil, let unstorable = EnvFile.unstorableReason(current) { reason = .unstorable(unstorable) }
            } else {
                reason = .generatedAtImport
            }
            if let existing {
                if existing == current && reason == nil { return .reuse(note: nil) }
                if reason != nil && KeyGenerator.isStrong(existing) && existing != current {
                    return .reuse(note: "\(variable) already in \(store.path) is strong: the settings now read it")
                }
                return .skip("\(store.path) already sets \(variable) to another value that is not a strong key; fix it by hand")
            }
            if let reason {
                return .store(EnvAddition(
                    name: variable, value: KeyGenerator.newKey(), kind: .newKey(replacing: current, because: reason),
                    setting: setting))
            }
            return .store(EnvAddition(name: variable, value: current!, kind: .movedKey, setting: setting))
        }
    }

    public static func variableName(for setting: [String], prefix: String) -> String {
        prefix + setting.map { part in
            String(part.uppercased().unicodeScalars.map { scalar -> Character in
                let isWord = (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                return isWord ? Character(scalar) : "_"
            })
        }.joined(separator: "_")
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`: a name every `.env` reader, docker compose and a POSIX shell accept.
    static func isPortableVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
    }

    /// A name from the code, safe to print: control characters become `?`.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    /// The edit that deletes the statement at `statement`. Alone on its lines, its whole lines go. Sharing a line
    /// with other statements (`a = 1; os.environ.setdefault(…)`), only it goes (with the `; ` before the next
    /// one), never a neighbour whose own fix (or secret) would go with it. When it is the first statement of a
    /// block whose statements the fixes all delete (`else:` holding only the statement), it becomes `pass`:
    /// tree-sitter reads an empty block without error, Python refuses to import it. `deleting`: the starts of
    /// every statement the plan deletes.
    static func statementDeletion(
        _ statement: Range<Int>, in analysis: FileAnalysis, deleting: Set<Int>
    ) -> (range: Range<Int>, replacement: String) {
        let source = analysis.source
        guard let node = Self.statementNode(statement, in: analysis.tree.root), let parent = node.parent else {
            return (wholeLines(statement, in: source), "")
        }
        let siblings = parent.namedChildren.filter { $0.kind != .comment }
        guard let position = siblings.firstIndex(where: { $0.startByte == node.startByte }) else {
            return (wholeLines(statement, in: source), "")
        }
        if parent.kind != .module, siblings.allSatisfy({ deleting.contains($0.startByte) }), position == 0 {
            return (statement, "pass")
        }
        let firstLine = source.lineIndex(ofByte: statement.lowerBound)
        let lastLine = source.lineIndex(ofByte: max(statement.upperBound - 1, statement.lowerBound))
        if position + 1 < siblings.count, source.lineIndex(ofByte: siblings[position + 1].startByte) == lastLine {
            return (statement.lowerBound..<siblings[position + 1].startByte, "")
        }
        if position > 0, source.lineIndex(ofByte: siblings[position - 1].endByte) == firstLine {
            // The `;` before it goes too, unless the statement before is deleted as well (its edit ends here).
            let start = deleting.contains(siblings[position - 1].startByte) ? statement.lowerBound : siblings[position - 1].endByte
            return (start..<statement.upperBound, "")
        }
        // Anything but indentation before it on its first line is a clause header (`else: …`): the block is
        // that one statement, which the fixes may delete alone only by leaving `pass`.
        if source.bytes[source.lineStart(firstLine)..<statement.lowerBound].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0C }) {
            return (statement, "pass")
        }
        return (wholeLines(statement, in: source), "")
    }

    /// The statement node spanning exactly `range`, found by descending from `root`.
    private static func statementNode(_ range: Range<Int>, in root: SyntaxNode) -> SyntaxNode? {
        var current = root
        while true {
            if current.byteRange == range, current.kind == .expressionStatement { return current }
            guard let next = current.children.first(where: { $0.startByte <= range.lowerBound && range.upperBound <= $0.endByte })
            else { return nil }
            current = next
        }
    }

    /// The statement's lines, terminators included, for deletion.
    private static func wholeLines(_ range: Range<Int>, in source: SourceText) -> Range<Int> {
        let first = source.lineIndex(ofByte: range.lowerBound)
        let last = source.lineIndex(ofByte: max(range.upperBound - 1, range.lowerBound))
        return source.lineStart(first)..<source.lineEnd(last)
    }

    /// The error signature of the fixed text. After a statement-level analysis (whose file had no error),
    /// the split is moved along the changes (scanned again only where they touched) and the statements the
    /// changes touched are parsed alone: when that parse has no error and lines up with the split, neither
    /// has the fixed text; otherwise it is parsed whole. After a whole parse, the old tree is reused. Nil
    /// when tree-sitter gives up.
    static func errorSignature(
        of fixed: SourceText, parser: PythonParser, analysis: FileAnalysis, changes: [SourceChange]
    ) -> [String]? {
        if analysis.isStatementSelection {
            // The text before the fix parsed without error: what the selection left out the split vouched for
            // token by token, and the rest parsed clean. So only the statements the fix touched (in the split
            // of the fixed text) need a parse to show that the fixed text has no error either.
            if let statements = analysis.statements.flatMap({
                ModuleStatements.split(fixed.bytes, reusing: $0, old: analysis.source.bytes, changes: changes.map { ($0.range, $0.replacement) })
            }) {
                let touched = statementsTouched(by: changes, in: statements)
                if touched.isEmpty || Linter.selectedStatementsTree(of: fixed, parser: parser, ranges: touched, statements: statements) != nil {
                    return []
                }
            }
            return (try? parser.parse(fixed)).map(errorSignature)
        }
        return (try? parser.reparse(fixed, changing: analysis.tree, by: changes)).map(errorSignature)
    }

    /// The module-level statements of `statements` (a split of the text with `changes` made) that a change
    /// reaches or borders, whole (a compound statement with all its parts), adjacent ones merged.
    static func statementsTouched(by changes: [SourceChange], in statements: [ModuleStatements.Statement]) -> [Range<Int>] {
        var extents: [ClosedRange<Int>] = []
        var delta = 0
        for change in changes.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let start = change.range.lowerBound + delta
            extents.append(start...(start + change.replacement.count))
            delta += change.replacement.count - change.range.count
        }
        var touched: [Range<Int>] = []
        var index = 0, extent = 0
        while index < statements.count {
            let statement = statements[index]
            index += 1 + Int(statement.partCount)
            while extent < extents.count, extents[extent].upperBound < statement.range.lowerBound { extent += 1 }
            guard extent < extents.count, extents[extent].lowerBound <= statement.range.upperBound else { continue }
            if let last = touched.last, last.upperBound == statement.range.lowerBound {
                touched[touched.count - 1] = last.lowerBound..<statement.range.upperBound
            } else {
                touched.append(statement.range)
            }
        }
        return touched
    }

    /// The file's error and missing nodes by text, in order: equal when the errors parse alike.
    static func errorSignature(_ tree: SyntaxTree) -> [String] {
        guard tree.root.hasError else { return [] }
        var parts: [String] = []
        tree.root.walk { node in
            if node.isMissing {
                parts.append("MISSING " + node.type)
            } else if node.isError {
                parts.append("ERROR " + node.text)
                return false
            }
            return node.hasError
        }
        return parts
    }

    /// Whether the statement that binds `style`'s reader (the `os` import, the `Env` instance, the decouple
    /// `config`), or the line a missing import would go on, touches a syntax error.
    private func dependsOnParseError(_ style: EnvStyle, needsImport: Bool, _ analysis: FileAnalysis) -> Bool {
        let bindings = analysis.model.bindings
        let source = analysis.source
        func touches(_ range: Range<Int>) -> Bool {
            let first = source.lineIndex(ofByte: range.lowerBound)
            let last = source.lineIndex(ofByte: max(range.upperBound - 1, range.lowerBound))
            return Self.touchesParseError(source.lineStart(first)..<source.lineEnd(last), tree: analysis.tree)
        }
        let name: String
        switch style {
        case .os(let module): name = module
        case .environMapping(let mapping): name = mapping
        case .environ(let instance): name = instance
        case .decouple(let config): name = config
        }
        if let binding = bindings.bindingStatements[name], touches(binding.byteRange) { return true }
        if needsImport, style.missingImport(bindings) != nil {
            let point = ImportPlacement.insertion("", into: source, root: analysis.tree.root).range.lowerBound
            if point < source.bytes.count, touches(point..<point + 1) { return true }
        }
        return false
    }

    private static func touchesParseError(_ range: Range<Int>, tree: SyntaxTree) -> Bool {
        guard tree.root.hasError else { return false }
        var touches = false
        tree.root.walk { node in
            guard !touches, node.endByte > range.lowerBound, node.startByte < max(range.upperBound, range.lowerBound + 1)
            else { return false }
            if node.isError || node.isMissing { touches = true }
            return node.hasError && !touches
        }
        return touches
    }
}
