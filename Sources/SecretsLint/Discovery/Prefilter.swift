import PythonSyntax

/// Decides from a file's bytes, before any parsing, whether it can hold a finding: every rule needs
/// `DEBUG` or `SECRET_KEY` or a credential-like word followed by an assignment, key or argument end.
/// Most Python files of a tree never mention them and are never parsed. Where a word does occur, the
/// patterns below are tried only where a match can start (`Candidates`: found in one more pass), never
/// over the whole file, and a lexical pass (`TopLevelCode`) drops what no rule reads: text in strings,
/// keyword arguments, code in functions and decorators. Sound for files that parse (a property test holds it to the rules);
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

    // The patterns run only on the few files whose literals matched, and there only where a match can
    // start (`Candidates`; the settings marker at the line starts that can begin it), anchored with `\G`,
    // so none of them scans a whole file. Possessive runs (`*+`) keep them linear: a name is never re-read
    // letter by letter when what follows it fails.

    /// An assignment statement to DEBUG, SECRET_KEY or its fallbacks, also chained or to a tuple or
    /// list (`A, DEBUG = …`, `(DEBUG, X) = …`); not to an attribute (`settings.DEBUG = …`), not `==`.
    static let keyAssignmentPattern = #"(?m)^[ \t]*+(?:[(\[][ \t]*+)*+(?:[A-Za-z_*][\w.]*+[ \t]*+[)\]]*+[ \t]*+[,=][ \t]*+(?:[(\[][ \t]*+)*+)*(?<![\w.])(?:DEBUG|SECRET_KEY(?:_FALLBACKS)?)\b[ \t,()\[\]\w.*]*+(?::[^=\n]*+)?=(?!=)"#
    /// After `;` or a header's `:` (`if X: DEBUG = True`), or a django-environ scheme: `DEBUG=(bool, …)`, `SECRET_KEY=(str, get_random_secret_key())`
    /// (its default is a finding where it is declared, also when no statement reads it).
    static let keyInlinePattern = #";[ \t]*(?:DEBUG|SECRET_KEY)|:[ \t]*(?:DEBUG|SECRET_KEY(?:_FALLBACKS)?)[ \t]*=(?!=)|DEBUG[ \t]*=[ \t]*\([ \t]*bool|SECRET_KEY[ \t]*=[ \t]*\("#
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
    /// (`PASSWORD: str = "…"`), chained (`PASSWORD = DEFAULT = "…"`, also through a tuple or list target:
    /// `PASSWORD = a.b, c = "…"`) or in a tuple (`PASSWORD, X = "…", 1`); comments and line ends may come
    /// before the string (`"API_TOKEN":  # note` with the value on the next line).
    static let credentialLiteralPattern = #"(?i:secret|passw|token|api_?key|private_?key|access_?key)\w*+['"]?\]?[ \t,()\[\]\w.*]*+(?::[^=\n]*+=(?!=)|[:=])(?:[ \t]*+[A-Za-z_(\[*][\w.,()\[\] \t*]*+=(?!=))*(?:[\s(\[]++|#[^\n]*+)*+[rbufRBUF]{0,2}['"]"#
    /// A URL whose user part has a `:` before its `@` (DJS013): `postgres://app:pw@db/app`. The authority ends
    /// at `/`, `?` or `#`, as `urlsplit` reads it. A URL split over lines by implicit concatenation is not seen.
    static let passwordURLPattern = #"://[^/?#@\n:]*+:[^/?#@\n]*+@"#
    /// A `…KEY` name followed on its line by a string of 20 characters without spaces or quotes: a literal
    /// (`INSTANCE_KEY = "…"`), a read's fallback (`get("AZURE_ACCOUNT_KEY", "…")`, `…_KEY") or "…"`) or a
    /// scheme default (`MAPQUEST_KEY=(str, "…")`) that may look generated.
    /// Bytes are counted, the other quote and an escaped one among them (`'k"Zx7…'`, `\'`: the value holds a
    /// quote, and may look generated); an
    /// escape never makes a value longer than its bytes (`\x41` is one character, `\q` and a broken `\x4` stay as written).
    /// A read's fallback after a variable name without `KEY` (`MAPQUEST_KEY = get("MAPQUEST", "…")`) counts too.
    /// Also a string joined to the next one on its line (`"aaaa" "Fp7ZL…"`: the value is their concatenation),
    /// and a value opened in parentheses at the line's end (`INSTANCE_KEY = (` with the pieces below).
    static let generatedKeyPattern = #"KEY\w*+['"]?[^'"\n]{0,200}+(['"])(?:(?:(?!\1)[^\s\\]|\\|(?<=\\)['"]){20}|[^'"\n]*+['"][ \t]*+[rbufRBUF]{0,2}['"]|[^'"\n]*+['"][ \t]*+,[ \t\r\n]*+(?:\w++[ \t]*=[ \t]*)?[rbufRBUF]{0,2}(['"])(?:(?!\2)[^\s\\]|\\|(?<=\\)['"]){20})|KEY\w*+[ \t]*+(?::[^=\n]*+)?=[ \t]*+\([ \t]*+(?:#[^\n]*+)?\r?(?m:$)"#
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
           let keyAssignment = try? BytePattern(Self.anchored(Self.keyAssignmentPattern), jit: jit),
           let keyInline = try? BytePattern(Self.anchored(Self.keyInlinePattern), jit: jit),
           let keyRead = try? BytePattern(Self.anchored(Self.keyReadPattern), jit: jit),
           let secretRead = try? BytePattern(Self.anchored(Self.secretReadPattern), jit: jit),
           let secretTarget = try? BytePattern(Self.anchored(Self.secretTargetPattern), jit: jit),
           let secretEntry = try? BytePattern(Self.anchored(Self.secretEntryPattern), jit: jit),
           let secretScheme = try? BytePattern(Self.anchored(Self.secretSchemePattern), jit: jit),
           let credentialLiteral = try? BytePattern(Self.anchored(Self.credentialLiteralPattern), jit: jit),
           let settingsMarker = try? BytePattern(Self.settingsMarkerPattern, jit: jit),
           let passwordURL = try? BytePattern(Self.anchored(Self.passwordURLPattern), jit: jit),
           let generatedKey = try? BytePattern(Self.anchored(Self.generatedKeyPattern), jit: jit) {
            patterns = (keyAssignment, keyInline, keyRead, secretRead, secretTarget, secretEntry, secretScheme, credentialLiteral, settingsMarker,
                        passwordURL, generatedKey)
        } else {
            patterns = nil
        }
    }

    /// The pattern tried only where a match starts (`\G`: at the offset given): JIT code then never scans ahead.
    static func anchored(_ pattern: String) -> String { #"\G(?:"# + pattern + ")" }

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
        lazy var candidates = Candidates(buffer)
        lazy var scratch = MatchScratch()
        if mentionsKey {
            // `DEBUG=True,` inside a call spread over lines, `DEBUG = True` inside a string or a test function, is no setting.
            if Self.assignsInTopLevelCode(patterns.keyAssignment, at: candidates.keyLineStarts, buffer, scratch) { return true }
            if candidates.keys.contains(where: { Self.keyInlineMatches(patterns.keyInline, at: $0, buffer, scratch) })
                || (canReadEnvironment
                    && Self.matchesOutsideFunctions(patterns.keyRead, at: candidates.keyReadStarts, buffer, scratch)) {
                return true
            }
        }
        if canReadEnvironment {
            // A read of a secret-named variable, or a secret-named setting that may be given a read with a fallback.
            if candidates.foldsToASCII { return true }
            if Self.matchesOutsideFunctions(patterns.secretRead, at: candidates.secretReadStarts, buffer, scratch)
                || Self.matchesOutsideFunctions(patterns.secretEntry, at: candidates.words, buffer, scratch)
                || Self.matchesOutsideFunctions(patterns.secretScheme, at: candidates.words, buffer, scratch)
                || Self.assignsInTopLevelCode(patterns.secretTarget, at: candidates.words, buffer, scratch)
                || Self.matchesOutsideFunctions(patterns.generatedKey, at: candidates.upperKeys, buffer, scratch) {
                return true
            }
        }
        // A URL with a password as the default of a read or a URL helper (dj-database-url, django-configurations).
        // `://` first (a vectorised search, and only here): the pattern alone would stop at every `:` of the file.
        lazy var hasURL = ByteSearch.contains(buffer, "://")
        lazy var urls = Self.offsets(of: "://", in: buffer)
        let readsURLs = canReadEnvironment || found & (Self.databaseURLBit | Self.urlValueBit) != 0
        if readsURLs && hasURL && Self.matchesOutsideFunctions(patterns.passwordURL, at: urls, buffer, scratch) { return true }
        // django-configurations reads the environment through `values.*` in classes: its import.
        if found & Self.configurationsBit != 0
            && (ByteSearch.contains(buffer, "from configurations import") || ByteSearch.contains(buffer, "import configurations")) {
            return true
        }
        // Literal credentials are looked for where the path, the run or a Django setting at a line's start
        // says settings. A module that only DJANGO_SETTINGS_MODULE or an import marks as settings is not
        // looked up here: matching these patterns in every file of a tree doubles the scan.
        guard isSettingsPath || isNamed || Self.hasSettingsMarker(patterns.settingsMarker, buffer, scratch) else {
            return false
        }
        if candidates.foldsToASCII { return true }
        return Self.matchesOutsideFunctions(patterns.credentialLiteral, at: candidates.words, buffer, scratch)
            || (!readsURLs && hasURL && Self.matchesOutsideFunctions(patterns.passwordURL, at: urls, buffer, scratch))
            || (!canReadEnvironment && Self.matchesOutsideFunctions(patterns.generatedKey, at: candidates.upperKeys, buffer, scratch))
    }

    /// Whether a match of `assignment` (which ends with its `=`) starting at one of `starts` is a
    /// settings-level statement rather than a keyword argument, text, or code in a function; true when
    /// that cannot be told. The matches are tried as the lexical pass reaches them: in a big settings
    /// module `SECRET_KEY =` or `DEBUG =` near the top answers, and the later keys are never tried.
    private static func assignsInTopLevelCode(
        _ assignment: BytePattern, at starts: [Int], _ buffer: UnsafeBufferPointer<UInt8>, _ scratch: MatchScratch
    ) -> Bool {
        var matches = AnchoredMatches(assignment, starts, buffer, scratch)
        return TopLevelCode.containsAny(in: buffer, placement: .statement) { matches.next { $0.upperBound - 1 } }
    }

    /// A Django setting assigned at module level, or a settings class: lines that start with one
    /// (the pattern tried only there) and are statements, not text in a string.
    private static func hasSettingsMarker(_ marker: BytePattern, _ buffer: UnsafeBufferPointer<UInt8>, _ scratch: MatchScratch) -> Bool {
        var lines: [Int] = []
        var failed = false
        _ = settingsMarkerLines.contains(in: buffer) { start in
            switch marker.match(in: buffer, at: start, using: scratch) {
            case .match: lines.append(start)
            case .none: break
            case .failed: failed = true
            }
            return failed || lines.count >= 1000
        }
        return failed || lines.count >= 1000 || TopLevelCode.containsAny(of: lines, in: buffer, placement: .statement)
    }

    /// Whether `pattern` matches, at one of `starts`, outside function bodies, where no rule looks (test
    /// methods full of `password=` and `get("token")`); true when that cannot be told.
    private static func matchesOutsideFunctions(
        _ pattern: BytePattern, at starts: [Int], _ buffer: UnsafeBufferPointer<UInt8>, _ scratch: MatchScratch
    ) -> Bool {
        var matches = AnchoredMatches(pattern, starts, buffer, scratch)
        return TopLevelCode.containsAny(in: buffer, placement: .outsideFunctions) { matches.next(\.lowerBound) }
    }

    /// The matches that a scan of the whole file from its start finds, one after the other without overlap,
    /// of a pattern anchored with `\G` whose every match starts at one of `starts` (ascending): each start
    /// is tried unless an earlier match covers it. Unknown after 1000 matches, or when matching failed.
    private struct AnchoredMatches {
        let pattern: BytePattern
        let starts: [Int]
        let buffer: UnsafeBufferPointer<UInt8>
        let scratch: MatchScratch
        var index = 0
        var from = 0
        var found = 0

        init(_ pattern: BytePattern, _ starts: [Int], _ buffer: UnsafeBufferPointer<UInt8>, _ scratch: MatchScratch) {
            (self.pattern, self.starts, self.buffer, self.scratch) = (pattern, starts, buffer, scratch)
        }

        /// The next match, as the offset `offset` takes from it.
        mutating func next(_ offset: (Range<Int>) -> Int) -> TopLevelCode.NextOffset {
            while index < starts.count {
                let start = starts[index]
                index += 1
                guard start >= from else { continue }
                switch pattern.match(in: buffer, at: start, using: scratch) {
                case .match(let range):
                    found += 1
                    if found >= 1000 { return .unknown }
                    from = max(range.upperBound, start + 1)
                    return .offset(offset(range))
                case .none:
                    from = start + 1
                case .failed:
                    return .unknown
                }
            }
            return .end
        }
    }

    /// `keyInlinePattern` at a `DEBUG` or `SECRET_KEY`, or at the `;` or `:` before it (`if X: DEBUG = True`, a
    /// compound statement's body on its header's line).
    private static func keyInlineMatches(
        _ pattern: BytePattern, at key: Int, _ buffer: UnsafeBufferPointer<UInt8>, _ scratch: MatchScratch
    ) -> Bool {
        var separator = key - 1
        while separator >= 0 && (buffer[separator] == UInt8(ascii: " ") || buffer[separator] == UInt8(ascii: "\t")) { separator -= 1 }
        if separator >= 0 && (buffer[separator] == UInt8(ascii: ";") || buffer[separator] == UInt8(ascii: ":"))
            && pattern.match(in: buffer, at: separator, using: scratch) != .none {
            // A `:` is a header's only in top-level code (not `# Note: DEBUG = True`, not in a function).
            if buffer[separator] == UInt8(ascii: ";") || TopLevelCode.containsAny(of: [separator], in: buffer, placement: .statement) { return true }
        }
        return pattern.match(in: buffer, at: key, using: scratch) != .none
    }

    /// Every offset of `needle` in `buffer`, in order.
    private static func offsets(of needle: StaticString, in buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        let bytes = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var offsets: [Int] = []
        var start = 0
        while let index = ByteSearch.firstIndex(of: bytes, in: buffer, from: start) {
            offsets.append(index)
            start = index + 1
        }
        return offsets
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

/// Where the prefilter's patterns can start to match in one file, from one pass over it (`LiteralSet`):
/// each pattern is then tried there alone, anchored, instead of over the whole file. Every match of a
/// pattern starts at one of its candidates, so the matches found are those of a whole-file scan.
struct Candidates {
    /// `DEBUG` and `SECRET_KEY`, in order.
    private(set) var keys: [Int] = []
    /// Where `(?i:secret|passw|token|api_?key|private_?key|access_?key)` matches, in order: where the
    /// credential patterns start.
    private(set) var words: [Int] = []
    /// `KEY` in upper case: where `generatedKeyPattern` starts.
    private(set) var upperKeys: [Int] = []
    /// The file holds `ſ` or the Kelvin sign, which PCRE2 matches as `s` and `k` without case: the word
    /// patterns could match where no ASCII word is, so they are not judged here.
    private(set) var foldsToASCII = false
    /// The starts of the lines that hold a key: `keyAssignmentPattern` starts at a line's start.
    private(set) var keyLineStarts: [Int] = []
    /// Where `keyReadPattern` can start: the `(`, `=` or `[` that opens the string holding a `SECRET_KEY`.
    private(set) var keyReadStarts: [Int] = []
    /// Where `secretReadPattern` can start: the `(` that opens the string holding a word.
    private(set) var secretReadStarts: [Int] = []

    private static let literals = LiteralSet(["DEBUG", "SECRET_KEY", "\u{17F}", "\u{212A}"], caseless: ["secret", "passw", "token", "key"])
    private static let keyPrefixes: [StaticString] = ["api_", "api", "private_", "private", "access_", "access"]

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        var secretKeys: [Int] = []
        var debugs: [Int] = []
        Self.literals.forEachOccurrence(in: buffer) { literal, offset in
            switch literal {
            case 0: debugs.append(offset)
            case 1: secretKeys.append(offset)
            case 2, 3: foldsToASCII = true
            case 4, 5, 6: words.append(offset)
            default:
                if buffer[offset] == UInt8(ascii: "K") && buffer[offset + 1] == UInt8(ascii: "E") && buffer[offset + 2] == UInt8(ascii: "Y") {
                    upperKeys.append(offset)
                }
                for prefix in Self.keyPrefixes where Self.precedes(prefix, offset, buffer) {
                    words.append(offset - prefix.utf8CodeUnitCount)
                }
            }
        }
        keys = (debugs + secretKeys).sorted()
        words = Self.ascendingUnique(words)
        keyLineStarts = Self.ascendingUnique(Self.lineStarts(of: keys, buffer))
        keyReadStarts = Self.stringOpeners(before: secretKeys, buffer, prefixes: "rbuRBU", equalsAndBrackets: true)
        secretReadStarts = Self.stringOpeners(before: words, buffer, prefixes: "rbufRBUF", equalsAndBrackets: false)
    }

    /// Whether `prefix` (lower case) ends just before `offset`, in any letter case.
    private static func precedes(_ prefix: StaticString, _ offset: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard offset >= length else { return false }
        for index in 0..<length {
            let byte = buffer[offset - length + index]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if lowered != prefix.utf8Start[index] { return false }
        }
        return true
    }

    private static func ascendingUnique(_ offsets: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(offsets.count)
        for offset in offsets.sorted() where result.last != offset { result.append(offset) }
        return result
    }

    /// The start of each offset's line (just after a `\n`, as `(?m)^` reads it), for ascending offsets.
    private static func lineStarts(of offsets: [Int], _ buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        var result: [Int] = []
        var searchedFrom = 0
        var lineStart = 0
        for offset in offsets {
            // Only the bytes since the previous offset are new: the line start is there or where it was.
            var index = offset - 1
            while index >= searchedFrom && buffer[index] != 0x0A { index -= 1 }
            if index >= searchedFrom { lineStart = index + 1 }
            searchedFrom = offset
            result.append(lineStart)
        }
        return result
    }

    /// For ascending offsets of words inside string literals: the bracket or `=` where a match of a read
    /// pattern holding the word must start, `(` (or `=`, or `[` on the string's line) then white space
    /// (new lines too), up to two prefix letters, the quote, then no quote or new line up to the word.
    /// At most one such start per word; words that cannot be in such a match give none.
    private static func stringOpeners(
        before offsets: [Int], _ buffer: UnsafeBufferPointer<UInt8>, prefixes: StaticString, equalsAndBrackets: Bool
    ) -> [Int] {
        let prefixBytes = UnsafeBufferPointer(start: prefixes.utf8Start, count: prefixes.utf8CodeUnitCount)
        var result: [Int] = []
        var searchedFrom = 0
        var quote = -1  // the nearest quote or new line before the offset, -1 when none
        for offset in offsets {
            var index = offset - 1
            while index >= searchedFrom && buffer[index] != UInt8(ascii: "'") && buffer[index] != UInt8(ascii: "\"") && buffer[index] != 0x0A {
                index -= 1
            }
            if index >= searchedFrom { quote = index }
            searchedFrom = offset
            guard quote >= 0, buffer[quote] != 0x0A else { continue }
            var start = quote
            var letters = 0
            while letters < 2 && start > 0 && prefixBytes.contains(buffer[start - 1]) {
                start -= 1
                letters += 1
            }
            var crossesLines = false
            while start > 0, case let byte = buffer[start - 1], byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                crossesLines = crossesLines || byte == 0x0D || byte == 0x0A
                start -= 1
            }
            guard start > 0 else { continue }
            let opener = buffer[start - 1]
            if opener == UInt8(ascii: "(")
                || (equalsAndBrackets && (opener == UInt8(ascii: "=") || (opener == UInt8(ascii: "[") && !crossesLines))) {
                result.append(start - 1)
            }
        }
        return ascendingUnique(result)
    }
}
