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
        case newKey(replacing: String?)
        case movedKey
        case movedValue
        case flag
    }
    public let name: String
    public let value: String
    public let kind: Kind
    public let setting: String
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
    public var additions: [EnvAddition] = []
    public var fixed: [Int] = []
    /// Findings whose fix was not applied, with the reason.
    public var skipped: [Int: String] = [:]
    public var notes: [String] = []
    public var changesSource: Bool
}

public struct FileFixer {
    public let settings: LintSettings
    public let keyPolicy: KeyPolicy
    public let git: GitRepository?
    /// The settings file's path as git sees it, to ask whether git tracks it.
    public let trackedPath: String?

    public init(settings: LintSettings, keyPolicy: KeyPolicy, git: GitRepository?, trackedPath: String?) {
        self.settings = settings
        self.keyPolicy = keyPolicy
        self.git = git
        self.trackedPath = trackedPath
    }

    /// Plans every fixable finding of `analysis`; `store` is nil when there is no project to store values in.
    public func plan(_ analysis: FileAnalysis, store: inout EnvStore?) -> FilePlan {
        let source = analysis.source
        let style = EnvStyle.detect(analysis.model.bindings, choice: settings.envStyle)
        var plan = FilePlan(fixedSource: source.bytes, changesSource: false)
        var edits: [(edit: Edit, finding: Int)] = []
        var additionByFinding: [Int: EnvAddition] = [:]
        var usesFileStyle = false
        var workingStore = store

        let keyValues = analysis.findings.compactMap { finding -> String? in
            if case .replaceWithRead(_, _, _, _, .secretKey(let current?, _), _)? = finding.fix { return current }
            return nil
        }
        let fileIsTracked = trackedPath.map { git?.isTracked($0) ?? false } ?? false
        let leaked = keyValues.isEmpty ? [:] : (git?.commitsHolding(keyValues) ?? [:])

        for (index, finding) in analysis.findings.enumerated() {
            guard let intent = finding.fix else { continue }
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
                range = Self.wholeLines(statement, in: source)
                setting = path
                existingVariable = variable
                stored = value
                replacement = { _ in "" }
            }
            if Self.touchesParseError(range, tree: analysis.tree) {
                plan.skipped[index] = "the statement has a syntax error"
                continue
            }
            let variable = existingVariable ?? Self.variableName(for: setting, prefix: settings.envPrefix)
            guard var target = workingStore else {
                plan.skipped[index] = "no project to store the value in: pass --stdin-filename"
                continue
            }
            let decision = decide(
                stored, variable: variable, setting: setting.joined(separator: "."), store: target,
                leakedIn: { leaked[$0] }, fileIsTracked: fileIsTracked)
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
            edits.append((Edit(range: range, replacement: replacement(variable)), index))
            usesFileStyle = usesFileStyle || editUsesFileStyle
        }

        guard !edits.isEmpty else { return plan }
        var allEdits = edits.map(\.edit)
        if usesFileStyle, let importLine = style.missingImport(analysis.model.bindings) {
            allEdits.append(ImportPlacement.insertion(importLine, into: source, root: analysis.tree.root))
        }
        let (bytes, applied) = EditApplier.apply(allEdits, to: source.bytes)
        let appliedFindings = applied.filter { $0 < edits.count }.map { edits[$0].finding }
        let appliedSet = Set(applied)
        for (position, entry) in edits.enumerated() where !appliedSet.contains(position) {
            plan.skipped[entry.finding] = "its fix overlaps another fix"
        }
        // A fix must never make the file worse: reparse and compare.
        if let parser = try? PythonParser(),
           let reparsed = try? parser.parse(SourceText(bytes: bytes)),
           reparsed.root.hasError && !analysis.tree.root.hasError {
            for finding in appliedFindings { plan.skipped[finding] = "the fix would introduce a syntax error" }
            return plan
        }
        plan.fixedSource = bytes
        plan.changesSource = bytes != source.bytes
        plan.fixed = appliedFindings
        // Only the fixes that were applied store values: a dropped fix must not reach `.env`.
        if var target = store {
            for finding in appliedFindings {
                guard let addition = additionByFinding[finding], target.value(of: addition.name) == nil else { continue }
                target.add(addition)
                plan.additions.append(addition)
            }
            store = target
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
        leakedIn: (String) -> CommitReference?, fileIsTracked: Bool
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
        case .secretKey(let current, let alwaysReplace):
            var mustReplace: Bool
            switch keyPolicy {
            case .rotate: mustReplace = true
            case .keep: mustReplace = false
            case .automatic:
                let weak = current.map { !KeyGenerator.isStrong($0) } ?? true
                let committed = current.map { leakedIn($0) != nil } ?? false
                mustReplace = alwaysReplace || weak || committed || fileIsTracked
            }
            if let current, !mustReplace, EnvFile.unstorableReason(current) != nil { mustReplace = true }
            if current == nil { mustReplace = true }
            if let existing {
                if existing == current && !mustReplace { return .reuse(note: nil) }
                if mustReplace && KeyGenerator.isStrong(existing) && existing != current {
                    return .reuse(note: "\(variable) already in \(store.path) is strong: the settings now read it")
                }
                return .skip("\(store.path) already sets \(variable) to another value that is not a strong key; fix it by hand")
            }
            if mustReplace {
                return .store(EnvAddition(name: variable, value: KeyGenerator.newKey(), kind: .newKey(replacing: current), setting: setting))
            }
            return .store(EnvAddition(name: variable, value: current!, kind: .movedKey, setting: setting))
        }
    }

    static func variableName(for setting: [String], prefix: String) -> String {
        prefix + setting.map { part in
            String(part.uppercased().unicodeScalars.map { scalar -> Character in
                let isWord = (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                return isWord ? Character(scalar) : "_"
            })
        }.joined(separator: "_")
    }

    /// The statement's lines, terminators included, for deletion.
    private static func wholeLines(_ range: Range<Int>, in source: SourceText) -> Range<Int> {
        let first = source.lineIndex(ofByte: range.lowerBound)
        let last = source.lineIndex(ofByte: max(range.upperBound - 1, range.lowerBound))
        return source.lineStart(first)..<source.lineEnd(last)
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
