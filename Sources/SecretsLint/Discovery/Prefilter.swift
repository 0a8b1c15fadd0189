import PythonSyntax

/// Decides from a file's bytes, before any parsing, whether it can hold a finding: every rule needs
/// `DEBUG` or `SECRET_KEY` or a credential-like word followed by an assignment, key or argument end.
/// Most Python files of a tree never mention them and are never parsed. Where a word does occur, a
/// lexical pass (`TopLevelCode`) drops what no rule reads: text in strings, keyword arguments, code
/// in functions and decorators. Sound for files that parse (a property test holds it to the rules);
/// in a file with syntax errors, tree-sitter's recovery can build statements no byte pattern sees.
/// A class: the scan passes it to every file's check, and copying a dozen patterns and the settings
/// retained each of them per file.
public final class Prefilter: @unchecked Sendable {
    private let patterns: (keyAssignment: BytePattern, keyInline: BytePattern, keyRead: BytePattern,
                           secretRead: BytePattern, secretTarget: BytePattern, secretEntry: BytePattern,
                           secretScheme: BytePattern, credentialLiteral: BytePattern, settingsMarker: BytePattern,
                           passwordURL: BytePattern, generatedKey: BytePattern)?
    private let settings: LintSettings
    /// `from mysite.settings.base import env`: readers may come from another settings module.
    private let settingsImport: BytePattern?
    static let settingsImportPattern = #"(?m)^[ \t]*+from[ \t]++[\w.]*?settings[\w.]*+[ \t]++import\b"#

    // The patterns run only on the few files whose literals matched (and the settings marker only at
    // the line starts that can begin it), so none of them scans a whole tree. Possessive runs (`*+`)
    // keep them linear: a name is never re-read letter by letter when what follows it fails.

    /// An assignment statement to DEBUG, SECRET_KEY or its fallbacks, also chained or to a tuple or
    /// list (`A, DEBUG = …`, `(DEBUG, X) = …`); not to an attribute (`settings.DEBUG = …`), not `==`.
    static let keyAssignmentPattern = #"(?m)^[ \t]*+(?:[(\[][ \t]*+)*+(?:[A-Za-z_*][\w.]*+[ \t]*+[)\]]*+[ \t]*+[,=][ \t]*+(?:[(\[][ \t]*+)*+)*(?<![\w.])(?:DEBUG|SECRET_KEY(?:_FALLBACKS)?)\b[ \t,()\[\]\w.*]*+(?::[^=\n]*+)?=(?!=)"#
    /// After `;`, or a django-environ scheme: `DEBUG=(bool, …)`, `SECRET_KEY=(str, get_random_secret_key())`
    /// (its default is a finding where it is declared, also when no statement reads it).
    static let keyInlinePattern = #";[ \t]*(?:DEBUG|SECRET_KEY)|DEBUG[ \t]*=[ \t]*\([ \t]*bool|SECRET_KEY[ \t]*=[ \t]*\("#
    /// A key variable named in a read (`env("SECRET_KEY")`, `os.environ["DJANGO_SECRET_KEY"]`, `getenv(key="SECRET_KEY")`).
    /// A subscript's key sits on its bracket's line: a list spread over lines (`[\n "SECRET_KEY",`) is no read.
    static let keyReadPattern = #"(?:[(=][ \t\r\n]*|\[[ \t]*)[rbuRBU]{0,2}['"][^'"\n]*SECRET_KEY\w*['"][ \t\r\n]*[,)\]]"#
    /// A read whose first argument names a secret variable: `get("DB_PASSWORD", …)`, `env("API_TOKEN") or`.
    static let secretReadPattern = #"\([ \t\r\n]*[rbufRBUF]{0,2}['"][^'"\n]*(?i:secret|passw|token|api_?key|private_?key|access_?key)[^'"\n]*['"][ \t\r\n]*[,)]"#
    /// A secret-named setting given a value (`EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_PW", "…")`): counts
    /// only in top-level code, where `password=` keyword arguments are not.
    static let secretTargetPattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*+['"]?\]?[ \t,()\[\]\w.*]*+(?::[^=\n]*+)?=(?!=)"#
    /// A secret-named entry of a settings dictionary (`"PASSWORD": env("DB_PW", default="…")`).
    static let secretEntryPattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*['"][ \t]*:"#
    /// A django-environ scheme entry with a string default: `Env(API_TOKEN=(str, "…"))`.
    static let secretSchemePattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*+[ \t]*=[ \t]*\([^)\n]*,[ \t]*[rbuRBU]{0,2}['"]"#
    /// A secret-named setting or entry given a string: `PASSWORD = "…"`, `"PASSWORD": "…"`, annotated
    /// (`PASSWORD: str = "…"`), chained (`PASSWORD = DEFAULT = "…"`) or in a tuple (`PASSWORD, X = "…", 1`).
    static let credentialLiteralPattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*+['"]?\]?[ \t,()\[\]\w.*]*+(?::[^=\n]*+=(?!=)|[:=])(?:[ \t]*+[A-Za-z_][\w.]*+[ \t]*+=(?!=))*[ \t]*+[(\[]*+\s*+[rbufRBUF]{0,2}['"]"#
    /// A URL whose user part has a `:` before its `@` (DJS013): `postgres://app:pw@db/app`. The authority ends
    /// at `/`, `?` or `#`, as `urlsplit` reads it. A URL split over lines by implicit concatenation is not seen.
    static let passwordURLPattern = #"://[^/?#@\n:]*+:[^/?#@\n]*+@"#
    /// A `…KEY` name followed on its line by a string of 20 characters without spaces or quotes: a literal
    /// (`INSTANCE_KEY = "…"`), a read's fallback (`get("AZURE_ACCOUNT_KEY", "…")`, `…_KEY") or "…"`) or a
    /// scheme default (`MAPQUEST_KEY=(str, "…")`) that may look generated.
    static let generatedKeyPattern = #"KEY\w*+['"]?[^'"\n]{0,200}+['"][^'"\s]{20}"#
    /// DJS008 looks only at settings modules: a Django setting assigned at module level, or a settings class.
    /// Tried only where a line starts with one of `settingsMarkerLines` (`\G`: at that line's start).
    static let settingsMarkerPattern = #"\G(?:(?:INSTALLED_APPS|DATABASES|MIDDLEWARE|ROOT_URLCONF|ALLOWED_HOSTS|DEBUG|TEMPLATES|STATIC_URL|EMAIL_BACKEND|EMAIL_HOST|CACHES|AUTH_PASSWORD_VALIDATORS|SECRET_KEY)[ \t]*(?::[^=\n]*)?=|class[ \t]+\w+[ \t]*\([^)]*(?:Settings|Configuration))"#
    static let settingsMarkerLines = LineStartSet(firstBytes: "IDMRATSECc")

    /// A custom credential pattern cannot be turned into a byte test safely: then every file is parsed.
    /// `jit`: compile the patterns to machine code, which pays only over many files (compiling them costs about
    /// as much as a check of one big settings module).
    public init(settings: LintSettings, jit: Bool = true) {
        self.settings = settings
        settingsImport = try? BytePattern(Prefilter.settingsImportPattern, jit: jit)
        if settings.credentialPattern.pattern == LintSettings.defaultCredentialPattern,
           let keyAssignment = try? BytePattern(Self.keyAssignmentPattern, jit: jit),
           let keyInline = try? BytePattern(Self.keyInlinePattern, jit: jit),
           let keyRead = try? BytePattern(Self.keyReadPattern, jit: jit),
           let secretRead = try? BytePattern(Self.secretReadPattern, jit: jit),
           let secretTarget = try? BytePattern(Self.secretTargetPattern, jit: jit),
           let secretEntry = try? BytePattern(Self.secretEntryPattern, jit: jit),
           let secretScheme = try? BytePattern(Self.secretSchemePattern, jit: jit),
           let credentialLiteral = try? BytePattern(Self.credentialLiteralPattern, jit: jit),
           let settingsMarker = try? BytePattern(Self.settingsMarkerPattern, jit: jit),
           let passwordURL = try? BytePattern(Self.passwordURLPattern, jit: jit),
           let generatedKey = try? BytePattern(Self.generatedKeyPattern, jit: jit) {
            patterns = (keyAssignment, keyInline, keyRead, secretRead, secretTarget, secretEntry, secretScheme, credentialLiteral, settingsMarker,
                        passwordURL, generatedKey)
        } else {
            patterns = nil
        }
    }

    /// `isNamed`: the run was given this file by name, so it is a settings module whatever it holds.
    public func mayHaveFindings(_ bytes: [UInt8], path: String, isNamed: Bool = false) -> Bool {
        bytes.withUnsafeBufferPointer { mayHaveFindings($0, path: path, isNamed: isNamed) }
    }

    public func mayHaveFindings(_ buffer: UnsafeBufferPointer<UInt8>, path: String, isNamed: Bool = false) -> Bool {
        guard let patterns else { return true }
        lazy var isSettingsPath = settings.isSettingsModule(path: path)
        // One pass for the literals first: most files mention none of these words and need no regex at all.
        let found = Self.literals.occurrences(in: buffer)
        let mentionsKey = found & (Self.debugBit | Self.secretKeyBit) != 0
        // Every environment read needs one of these words in the file: an import or the reader itself.
        let canReadEnvironment = found & (Self.getenvBit | Self.decoupleBit) != 0
            || (found & Self.environBit != 0 && Self.containsEnvironName(buffer))
            || (isSettingsPath && importsSettingsReaders(buffer))
        if mentionsKey {
            // `DEBUG=True,` inside a call spread over lines, `DEBUG = True` inside a string or a test function, is no setting.
            // Tried first: it usually answers from the top of the file.
            if Self.assignsInTopLevelCode(patterns.keyAssignment, buffer) { return true }
            if patterns.keyInline.mayMatch(in: buffer) || (canReadEnvironment && Self.matchesOutsideFunctions(patterns.keyRead, buffer)) {
                return true
            }
        }
        if canReadEnvironment {
            // A read of a secret-named variable, or a secret-named setting that may be given a read with a fallback.
            if Self.matchesOutsideFunctions(patterns.secretRead, buffer) || Self.matchesOutsideFunctions(patterns.secretEntry, buffer)
                || Self.matchesOutsideFunctions(patterns.secretScheme, buffer)
                || Self.assignsInTopLevelCode(patterns.secretTarget, buffer)
                || Self.matchesOutsideFunctions(patterns.generatedKey, buffer) {
                return true
            }
        }
        // A URL with a password as the default of a read or a URL helper (dj-database-url, django-configurations).
        // `://` first (a vectorised search, and only here): the pattern alone would stop at every `:` of the file.
        lazy var hasURL = ByteSearch.contains(buffer, "://")
        let readsURLs = canReadEnvironment || found & (Self.databaseURLBit | Self.urlValueBit) != 0
        if readsURLs && hasURL && Self.matchesOutsideFunctions(patterns.passwordURL, buffer) { return true }
        // django-configurations reads the environment through `values.*` in classes: its import.
        if found & Self.configurationsBit != 0
            && (ByteSearch.contains(buffer, "from configurations import") || ByteSearch.contains(buffer, "import configurations")) {
            return true
        }
        // Literal credentials are looked for where the path, the run or a Django setting at a line's start
        // says settings. A module that only DJANGO_SETTINGS_MODULE or an import marks as settings is not
        // looked up here: matching these patterns in every file of a tree doubles the scan.
        guard isSettingsPath || isNamed || Self.hasSettingsMarker(patterns.settingsMarker, buffer) else {
            return false
        }
        return Self.matchesOutsideFunctions(patterns.credentialLiteral, buffer)
            || (!readsURLs && hasURL && Self.matchesOutsideFunctions(patterns.passwordURL, buffer))
            || (!canReadEnvironment && Self.matchesOutsideFunctions(patterns.generatedKey, buffer))
    }

    /// Whether a match of `assignment` (which ends with its `=`) is a settings-level statement rather
    /// than a keyword argument, text, or code in a function; true when that cannot be told.
    private static func assignsInTopLevelCode(_ assignment: BytePattern, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        // The first match first: in a big settings module `SECRET_KEY =` or `DEBUG =` is near the top, and
        // the pattern need not run over the whole file, nor the lexical pass past that statement.
        guard let first = assignment.allMatches(in: buffer, limit: 1) else { return true }
        guard !first.isEmpty else { return false }
        if TopLevelCode.containsAny(of: first.map { $0.upperBound - 1 }, in: buffer, placement: .statement) { return true }
        guard let matches = assignment.allMatches(in: buffer, limit: 1000), matches.count < 1000 else { return true }
        return TopLevelCode.containsAny(of: matches.map { $0.upperBound - 1 }, in: buffer, placement: .statement)
    }

    /// A Django setting assigned at module level, or a settings class: lines that start with one
    /// (the pattern tried only there) and are statements, not text in a string.
    private static func hasSettingsMarker(_ marker: BytePattern, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var lines: [Int] = []
        _ = settingsMarkerLines.contains(in: buffer) { start in
            if marker.mayMatch(in: buffer, at: start) { lines.append(start) }
            return lines.count >= 1000
        }
        return lines.count >= 1000 || TopLevelCode.containsAny(of: lines, in: buffer, placement: .statement)
    }

    /// Whether `pattern` matches outside function bodies, where no rule looks (test methods full of
    /// `password=` and `get("token")`); true when that cannot be told.
    private static func matchesOutsideFunctions(_ pattern: BytePattern, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let matches = pattern.allMatches(in: buffer, limit: 1000), matches.count < 1000 else { return true }
        return TopLevelCode.containsAny(of: matches.map(\.lowerBound), in: buffer, placement: .outsideFunctions)
    }

    /// At most eight, so that one pass tests them all together (`LiteralSet`).
    private static let literals = LiteralSet(["DEBUG", "SECRET_KEY", "environ", "getenv", "decouple", "dj_database_url", "URLValue",
                                              "configurations"])
    private static let debugBit: UInt64 = 1, secretKeyBit: UInt64 = 2, environBit: UInt64 = 4, getenvBit: UInt64 = 8,
                       decoupleBit: UInt64 = 16, databaseURLBit: UInt64 = 32, urlValueBit: UInt64 = 64, configurationsBit: UInt64 = 128

    /// A settings module that imports from another module of the project (`from .base import *`,
    /// `from mysite.settings.base import env`) may read through what that module binds. The linter
    /// follows such imports in settings modules only (`Linter.analyze`), and this test is asked of
    /// settings modules only: app code is full of relative imports.
    private func importsSettingsReaders(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteSearch.contains(buffer, "from .") || ByteSearch.contains(buffer, "import *")
            || (settingsImport?.mayMatch(in: buffer) ?? true)
    }

    /// `environ` as a whole name (`os.environ`, `import environ`), not inside `environment`.
    private static func containsEnvironName(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let word: StaticString = "environ"
        let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var start = 0
        while let index = ByteSearch.firstIndex(of: needle, in: buffer, from: start) {
            let end = index + needle.count
            if end == buffer.count || !TopLevelCode.isIdentifierByte(buffer[end]) { return true }
            start = end
        }
        return false
    }
}
