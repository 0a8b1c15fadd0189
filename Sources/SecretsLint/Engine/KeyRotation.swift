#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

public struct RotationOptions {
    /// The current key leaked: keep nothing of it.
    public var leaked = false
    /// End a transition: empty the fallbacks variable, keep the key.
    public var dropFallbacks = false
    /// Say what would change, write nothing.
    public var dryRun = false

    public init() {}
}

/// `djlint-secrets rotate` (SPEC "Key lifecycle"): a new `SECRET_KEY` in `.env`; on Django 4.1+ the old
/// key kept first in `<key variable>_FALLBACKS` unless it leaked, and the settings taught to read that
/// variable. Writes go through `FixSession`: `.env` holding both keys first, then the settings, so a
/// crash at any point leaves every key somewhere.
public struct KeyRotation {
    public let settings: LintSettings
    public let session: FixSession
    public let options: RotationOptions
    /// Lines for the user, secrets masked; the last ones say what production must do.
    public private(set) var lines: [String] = []

    public init(settings: LintSettings, session: FixSession, options: RotationOptions) {
        self.settings = settings
        self.session = session
        self.options = options
    }

    /// The place the settings read SECRET_KEY from the environment.
    struct KeyRead {
        let module: ProjectSettings.Module
        let assignment: SettingAssignment
        let variable: String
        let reader: FallbackReader
    }

    /// Runs the rotation of the project at `path`; returns the exit status (0 done, 1 refused).
    public mutating func run(path: String) -> Int32 {
        guard let parser = try? PythonParser() else {
            lines.append("error: cannot start the Python parser")
            return 2
        }
        var problems: [String] = []
        let project = ProjectSettings.load(path: path, settings: settings, parser: parser, warn: { problems.append($0) })
        lines += problems.map { "warning: " + $0 }
        // One writer at a time: `.env` is read, decided on and written under the lock every fix takes.
        do {
            return try WriteLock.withLock(folder: project.root) { rotateLocked(path: path, project: project, parser: parser) }
        } catch {
            lines.append("error: \(error); nothing was written")
            return 1
        }
    }

    private mutating func rotateLocked(path: String, project: ProjectSettings, parser: PythonParser) -> Int32 {
        let keyAssignments = project.modules.flatMap { module in
            module.analysis.model.assignments.filter { $0.path == ["SECRET_KEY"] }.map { (module, $0) }
        }
        guard !keyAssignments.isEmpty else {
            lines.append("error: no settings module under \(path) assigns SECRET_KEY; nothing to rotate")
            return 1
        }
        // The settings must read the key (and its fallbacks) from the environment: name what to fix first.
        let blocking: Set<String> = ["DJS001", "DJS002", "DJS003", "DJS009", "DJS010", "DJS014"]
        for module in project.modules {
            for finding in module.analysis.findings
            where blocking.contains(finding.code) || (finding.code == "DJS004" && finding.secret?.isKey == true) {
                let location = module.analysis.source.location(ofByte: finding.range.lowerBound)
                lines.append("error: \(module.path):\(location.line):\(location.column): \(finding.code) \(finding.message)")
            }
        }
        if lines.contains(where: { $0.hasPrefix("error:") }) {
            lines.append("Fix these first (djlint-secrets check --fix \(path)): rotate needs SECRET_KEY and its fallbacks read from the environment. Nothing was written.")
            return 1
        }
        let (module, assignment) = keyAssignments.last!
        let bindings = module.analysis.model.bindings
        var keyVariable: String?
        var readStyle: EnvStyle?
        var inConfigurationClass = false
        if let read = bindings.environmentRead(assignment.value) {
            keyVariable = read.variableName
            readStyle = read.style
        } else if let value = ConfigurationValue(assignment.value, setting: "SECRET_KEY", bindings: bindings) {
            keyVariable = value.variable
            inConfigurationClass = true
        }
        guard let keyVariable else {
            let line = module.analysis.source.location(ofByte: assignment.statement.startByte).line
            lines.append("error: \(module.path):\(line): SECRET_KEY is not read from an environment variable; make it `os.environ[\"\(settings.envPrefix)SECRET_KEY\"]` (djlint-secrets check --fix does for a literal). Nothing was written.")
            return 1
        }
        let style = readStyle ?? EnvStyle.detect(bindings, choice: settings.envStyle)
        let reader = FallbackReader.forStyle(style, bindings: bindings, inConfigurationClass: inConfigurationClass && assignment.context.inClassBody)

        // The fallbacks variable: the one the settings already read, else `<key variable>_FALLBACKS`.
        var fallbackVariable: String?
        for candidate in project.modules {
            for fallbacks in candidate.analysis.model.assignments where fallbacks.path == ["SECRET_KEY_FALLBACKS"] {
                if let name = FallbackKeys.variablesRead(by: fallbacks, bindings: candidate.analysis.model.bindings).first { fallbackVariable = name }
            }
        }
        let settingsReadFallbacks = fallbackVariable != nil
        let fallbacksName = fallbackVariable ?? FallbackKeys.variable(forKeyVariable: keyVariable)

        let envPath = project.root + "/" + settings.envFileName
        let envFile: EnvFile
        do { envFile = EnvFile(bytes: try FileSystem.readIfExists(envPath) ?? []) } catch {
            lines.append("error: cannot read \(error); nothing was written")
            return 1
        }
        let oldKey = envFile.values[keyVariable] ?? getenv(keyVariable).map { String(cString: $0) }
        let repository = session.git(for: project.root)
        let existingFallbacks = FallbackKeys.parse(envFile.values[fallbacksName] ?? "")
        let commits = repository?.commitsHolding(existingFallbacks + (oldKey.map { [$0] } ?? [])) ?? [:]
        func leakReason(_ key: String) -> String? {
            if let reason = FallbackKeys.staticLeak(key) { return reason }
            if let commit = commits[key] { return "commit \(commit.shortID) (\(commit.date)) holds it" }
            return nil
        }

        var newFallbacks: [String] = []
        var notes: [String] = []
        for key in existingFallbacks {
            if let reason = leakReason(key) {
                notes.append("Removed the leaked key \(SecretMask.mask(key)) from \(fallbacksName): \(reason).")
            } else if !newFallbacks.contains(key) {
                newFallbacks.append(key)
            }
        }
        let age = Self.sessionCookieAge(project)
        let dropDate = Self.date(secondsFromNow: age.seconds)
        var assignments: [(name: String, value: String)] = []
        var settingsEdit: (path: String, bytes: [UInt8], line: Int)?
        let production: [String]

        if options.dropFallbacks {
            if !newFallbacks.isEmpty {
                notes.append("Emptied \(fallbacksName) (\(newFallbacks.count) key(s) dropped): sessions, signed cookies and password-reset links made with an old key stop working now. That is the end of the transition: SESSION_COOKIE_AGE (\(age.description)) after the rotation, no session made before it is still valid anyway (sessions made before \(Self.date(secondsFromNow: -age.seconds)) have expired).")
            } else if existingFallbacks.isEmpty {
                notes.append("\(fallbacksName) holds no keys: nothing to drop.")
            }
            newFallbacks = []
            if envFile.values[fallbacksName] != nil || !existingFallbacks.isEmpty { assignments.append((fallbacksName, "")) }
            production = [fallbacksName]
        } else {
            let newKey = KeyGenerator.newKey()
            assignments.append((keyVariable, newKey))
            var keepReason: String?  // why the old key is not kept; nil: kept
            let django = DjangoVersion.find(projectRoot: project.root)
            if let oldKey {
                if options.leaked {
                    keepReason = "--leaked says it leaked"
                } else if let reason = leakReason(oldKey) {
                    keepReason = "it leaked: \(reason)"
                } else if let django, !django.hasFallbacks {
                    keepReason = "Django \(django.text) (\(django.source)) has no SECRET_KEY_FALLBACKS (added in Django 4.1)"
                } else if let reason = reader.unreadableReason(oldKey) {
                    keepReason = "the fallbacks reader would not read it back exactly: \(reason)"
                }
            }
            var line = "Rotated \(keyVariable) in \(envPath): a new key \(SecretMask.mask(newKey))"
            line += oldKey.map { " replaces \(SecretMask.mask($0))." } ?? " (there was none in \(settings.envFileName) or the environment)."
            notes.insert(line, at: 0)
            if let oldKey {
                if let keepReason {
                    notes.append("The old key is not kept (\(keepReason)): every user is logged out and every password-reset link is void now.")
                    if options.leaked || leakReason(oldKey) != nil {
                        newFallbacks.removeAll { $0 == oldKey }
                    }
                } else {
                    newFallbacks.removeAll { $0 == oldKey || $0 == newKey }
                    newFallbacks.insert(oldKey, at: 0)
                    let version = django.map { "Django \($0.text), \($0.source)" } ?? "the Django version could not be found; SECRET_KEY_FALLBACKS needs 4.1 or later"
                    notes.append("The old key stays valid as the first entry of \(fallbacksName) (\(version)): sessions, signed cookies and password-reset links made with it keep working. Drop it once SESSION_COOKIE_AGE (\(age.description)) has passed: on or after \(dropDate), run `djlint-secrets rotate --drop-fallbacks`.")
                }
            }
            if !newFallbacks.isEmpty || envFile.values[fallbacksName] != nil {
                assignments.append((fallbacksName, newFallbacks.joined(separator: ",")))
            }
            // The settings learn to read the fallbacks, right after SECRET_KEY, unless they already do.
            if !newFallbacks.isEmpty && !settingsReadFallbacks {
                guard let edit = Self.fallbacksRead(after: assignment, in: module, reader: reader, variable: fallbacksName, parser: parser) else {
                    lines.append("error: cannot add the SECRET_KEY_FALLBACKS read to \(module.path) without breaking its syntax; nothing was written")
                    return 1
                }
                settingsEdit = (module.path, edit.bytes, edit.line)
                notes.append("Added SECRET_KEY_FALLBACKS, read from \(fallbacksName), after SECRET_KEY in \(module.path):\(edit.line).")
            }
            production = newFallbacks.isEmpty && envFile.values[fallbacksName] == nil ? [keyVariable] : [keyVariable, fallbacksName]
        }

        if !assignments.isEmpty, let refusal = session.secretStorageRefusal(envPath: envPath, projectRoot: project.root, mayWrite: false) {
            lines.append("error: \(refusal). Nothing was written.")
            return 1
        }
        if options.dryRun {
            lines.append("Dry run: nothing was written. Would do:")
            lines += notes.map { "  " + $0 }
        } else {
            do {
                if !assignments.isEmpty {
                    let examples = assignments.map { assignment in
                        EnvExample.Entry(
                            name: assignment.name, setting: assignment.name == keyVariable ? "SECRET_KEY" : "SECRET_KEY_FALLBACKS",
                            kind: .secret(hint: assignment.name == keyVariable ? EnvExample.Hint.secretKey : EnvExample.Hint.fallbackKeys))
                    }
                    try session.assignEnv(assignments, path: envPath, projectRoot: project.root, examples: examples)
                }
            } catch {
                lines.append("error: cannot write \(envPath): \(FixSession.reason(error)); nothing was changed")
                return 1
            }
            if let settingsEdit {
                do {
                    // The settings were read before the lock was taken: never write over another change.
                    guard (try? FileSystem.read(settingsEdit.path, limit: FileSystem.maximumSourceSize)) == module.analysis.source.bytes else {
                        throw FileError(path: settingsEdit.path, reason: "it changed on disk during the rotation")
                    }
                    try session.writeSettings(settingsEdit.bytes, to: settingsEdit.path)
                } catch {
                    lines += notes
                    lines.append("error: cannot write \(settingsEdit.path): \(FixSession.reason(error)); \(envPath) already holds the keys, add SECRET_KEY_FALLBACKS = \(reader.expression(fallbacksName)) after SECRET_KEY by hand")
                    return 1
                }
            }
            lines += notes
            lines += session.summary
        }
        if options.dropFallbacks {
            lines.append("Production: empty \(fallbacksName) in each server's environment or secret store (SECRET_KEY stays as it is), then restart every process that runs the project (web and task workers).")
            return 0
        }
        let names = production.joined(separator: " and ")
        lines.append("Production: set \(names) in each server's environment or secret store to the value\(production.count == 1 ? "" : "s") now in \(envPath) (never commit them), then restart every process that runs the project (web and task workers) so it reads \(production.count == 1 ? "it" : "them").")
        return 0
    }

    /// The settings text with `SECRET_KEY_FALLBACKS = <read>` on the line after the SECRET_KEY statement,
    /// indented like it (a settings class); nil when the result would not parse as cleanly as before.
    static func fallbacksRead(
        after assignment: SettingAssignment, in module: ProjectSettings.Module, reader: FallbackReader, variable: String, parser: PythonParser
    ) -> (bytes: [UInt8], line: Int)? {
        let source = module.analysis.source
        let statement = assignment.statement
        let firstLine = source.lineIndex(ofByte: statement.startByte)
        let lastLine = source.lineIndex(ofByte: max(statement.endByte - 1, statement.startByte))
        let indentation = String(decoding: source.bytes[source.lineStart(firstLine)..<statement.startByte], as: UTF8.self)
        guard indentation.allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        let offset = source.lineEnd(lastLine)
        let newline = source.lineEnding
        var text = indentation + "SECRET_KEY_FALLBACKS = " + reader.expression(variable) + newline
        if offset == source.bytes.count, source.bytes.last != 0x0A { text = newline + text }
        var edits = [Edit.insert(text, at: offset)]
        if let importLine = reader.missingImport(module.analysis.model.bindings) {
            edits.append(ImportPlacement.insertion(importLine, into: source, root: module.analysis.tree.root))
        }
        let (bytes, applied) = EditApplier.apply(edits, to: source.bytes)
        guard applied.count == edits.count, let tree = try? parser.parse(SourceText(bytes: bytes)),
              FileFixer.errorSignature(tree) == FileFixer.errorSignature(module.analysis.tree) else { return nil }
        let insertedLine = SourceText(bytes: bytes).lineIndex(ofByte: offset + (edits.count > 1 && edits[1].range.lowerBound <= offset ? edits[1].replacement.count : 0)) + 1
        return (bytes, insertedLine + (text.hasPrefix(newline) ? 1 : 0))
    }

    /// SESSION_COOKIE_AGE as the settings set it (a literal, or a product of literals), else Django's two weeks.
    static func sessionCookieAge(_ project: ProjectSettings) -> (seconds: Int, description: String) {
        var seconds = 1_209_600
        for module in project.modules {
            for assignment in module.analysis.model.assignments where assignment.path == ["SESSION_COOKIE_AGE"] {
                if let value = product(assignment.value) { seconds = value }
            }
        }
        let days = Double(seconds) / 86_400
        let dayText = days == days.rounded() ? "\(Int(days)) days" : "\(Int(days.rounded(.up))) days"
        return (seconds, "\(seconds) seconds, \(dayText)\(seconds == 1_209_600 ? ", Django's default" : "")")
    }

    private static func product(_ node: SyntaxNode) -> Int? {
        if case .integer(let value)? = StaticValue.evaluate(node) { return value }
        if node.type == "binary_operator", node.child(field: .operator)?.text == "*",
           let left = node.child(field: .left).flatMap(product), let right = node.child(field: .right).flatMap(product) {
            return left * right
        }
        if node.type == "parenthesized_expression", let inner = node.namedChild(0) { return product(inner) }
        return nil
    }

    /// The UTC date `seconds` from now, as YYYY-MM-DD.
    static func date(secondsFromNow seconds: Int) -> String {
        var when = time(nil) + seconds
        var parts = tm()
        gmtime_r(&when, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
}
