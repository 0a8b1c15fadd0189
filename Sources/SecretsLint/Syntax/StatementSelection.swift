#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

/// The module-level statements of a file that the rules may read, so that only they are parsed: the file
/// prefilter's idea taken down to statements (issue #20). Big settings modules are mostly flags, numbers,
/// strings, dicts and reads of ordinary variables, and no rule looks at those.
///
/// A statement is left out only when all of these hold:
/// - `ModuleStatements` found it to be a valid standalone `NAME = expression` of plain tokens (so it binds
///   one name, is no import, definition, class, branch or call statement, and leaving it out of the parse
///   changes no other statement's tree), at module level or in a block of an `if`, `try`, `with` or `class`
///   statement the split followed (whose clause headers are always kept, with each block's first and last
///   statement and a class body's first assignment: the tree keeps its branches, conditions and extent);
/// - its text (strings and comments included) holds none of the words the rules and the bindings start
///   from: a credential or key word, DEBUG, `://`, `config` (but as the object of a method call:
///   `config.get(…)` of configparser), and `env` in any form but a plain read (`….environ.get(`,
///   `….environ[`, `getenv(`);
/// - it is not the first assignment of a Django setting at module level or at any depth (one makes a file a
///   settings module, or a settings file for the project pass), nor does it
///   bind a name the fixes look up (`os`, `Path`, `BASE_DIR`), nor is it the first statement after the
///   docstring (where a new import goes);
/// - no statement that is kept mentions its name (a kept statement may read what it binds: an
///   environment-derived name in a condition, a default spelled through a name); this is followed to a
///   fixed point, and every statement binding such a name is kept;
/// - it is not the file's first statement that may read the environment (a loader the fixes add goes
///   before that one).
///
/// Rules that start from other words must add them here. `Linter` parses the kept statements alone and
/// falls back to the whole file when that parse has an error or its statements do not line up with the
/// split; a differential property test holds the two to the same findings and fixes.
enum StatementSelection {
    /// Set `DJLINT_SECRETS_FULL_ANALYSIS=1` to parse and analyse every statement (the differential tests
    /// compare against it).
    static let disabledByEnvironment: Bool = {
        guard let value = getenv("DJLINT_SECRETS_FULL_ANALYSIS") else { return false }
        return String(cString: value) != "" && String(cString: value) != "0"
    }()

    /// Names whose binding the fixes or the file classification look up by name.
    static let namesAlwaysKept: [[UInt8]] = ["os", "Path", "BASE_DIR"].map { Array($0.utf8) }

    /// Django's own settings: a module assigning one is a settings module. The classification asks only
    /// whether some module-level statement assigns one, so the first such statement is kept, not all
    /// (`INSTALLED_APPS`, `MIDDLEWARE`, `TEMPLATES` are the biggest statements of a startproject file).
    static let djangoSettingNames: [[UInt8]] = HardcodedCredentialRule.djangoSettingNames.sorted().map { Array($0.utf8) }

    private static func isAlwaysKept(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        namesAlwaysKept.contains { $0.count == name.count && $0.elementsEqual(name) }
    }

    private static func isDjangoSetting(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        djangoSettingNames.contains { $0.count == name.count && $0.elementsEqual(name) }
    }

    /// The byte ranges to parse (adjacent statements merged), or nil when the whole file must be parsed.
    static func keptRanges(of source: SourceText, settings: LintSettings) -> [Range<Int>]? {
        var statements: [ModuleStatements.Statement]?
        return keptRanges(of: source, settings: settings, statements: &statements)
    }

    /// What `mayMatter`, `mentionsEnv`, the kept names and the docstring test said of a statement, noted
    /// in its `mark` so that a statement an edit did not touch is not read again.
    private enum Mark {
        static let known: UInt8 = 1, mayMatter: UInt8 = 2, mentionsEnv: UInt8 = 4, alwaysKept: UInt8 = 8, docstringOrFuture: UInt8 = 16,
                   djangoSetting: UInt8 = 32
    }

    /// The module-level statements of `statements` that keep something of `ranges` (the kept ranges
    /// selected from them), adjacent ones merged: a compound statement split into parts always does.
    static func keptStatements(_ statements: [ModuleStatements.Statement], ranges: [Range<Int>]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var rangeIndex = 0
        var index = 0
        while index < statements.count {
            let statement = statements[index]
            index += 1 + Int(statement.partCount)
            while rangeIndex < ranges.count, ranges[rangeIndex].upperBound <= statement.range.lowerBound { rangeIndex += 1 }
            guard statement.partCount > 0 || (rangeIndex < ranges.count && ranges[rangeIndex].lowerBound <= statement.range.lowerBound) else { continue }
            if let last = spans.last, last.upperBound == statement.range.lowerBound {
                spans[spans.count - 1] = last.lowerBound..<statement.range.upperBound
            } else {
                spans.append(statement.range)
            }
        }
        return spans
    }

    /// `statements`: the split of `source` when the caller knows it (the language server keeps it across
    /// edits, `ModuleStatements.split(_:reusing:change:)`); on return, the split with its marks.
    static func keptRanges(
        of source: SourceText, settings: LintSettings, statements known: inout [ModuleStatements.Statement]?
    ) -> [Range<Int>]? {
        // A custom credential pattern may start from any word: no statement can be left out safely.
        guard settings.credentialPattern.pattern == LintSettings.defaultCredentialPattern else { return nil }
        return source.bytes.withUnsafeBufferPointer { buffer -> [Range<Int>]? in
            if known == nil { known = ModuleStatements.split(buffer) }
            guard var statements = known else { return nil }
            // The marks are written in place: `known` lets go of the array meanwhile (no copy of it).
            known = nil
            // Module-level statements and the parts of split compound statements, in the order of the text;
            // a compound statement's own entry only stands for it among the module-level statements.
            for index in statements.indices where statements[index].mark == 0 {
                let statement = statements[index]
                var mark = Mark.known
                if let target = statement.plainTarget {
                    mark |= Self.words(buffer, statement.range)
                    let name = UnsafeBufferPointer(rebasing: buffer[target])
                    if Self.isAlwaysKept(name) { mark |= Mark.alwaysKept }
                    if Self.isDjangoSetting(name) { mark |= Mark.djangoSetting }
                } else if statement.depth == 0 && statement.partCount == 0 && Self.isDocstringOrFutureImport(buffer, statement.range) {
                    mark |= Mark.docstringOrFuture
                }
                statements[index].mark = mark
            }
            known = statements
            var kept = [Bool](repeating: true, count: statements.count)
            var placementStatementSeen = false
            // The first statement that reads the environment: a loader the fixes add must run before it.
            var environmentReadSeen = false
            var djangoSettingSeen = false, moduleDjangoSettingSeen = false
            var leftOut = 0
            for (index, statement) in statements.enumerated() {
                let mark = statement.mark
                let isModuleLevel = statement.depth == 0
                guard statement.plainTarget != nil else {
                    if isModuleLevel && !placementStatementSeen && mark & Mark.docstringOrFuture == 0 { placementStatementSeen = true }
                    continue
                }
                if isModuleLevel && !placementStatementSeen {
                    placementStatementSeen = true
                    continue
                }
                if statement.isStructural || mark & Mark.mayMatter != 0 { continue }
                if !environmentReadSeen && mark & Mark.mentionsEnv != 0 {
                    environmentReadSeen = true
                    continue
                }
                if mark & Mark.alwaysKept != 0 { continue }
                // Whether a file assigns Django settings is asked of module-level statements (the settings
                // classification) and of statements at any depth (the settings-file fact): the first of each.
                if mark & Mark.djangoSetting != 0 && (!djangoSettingSeen || (isModuleLevel && !moduleDjangoSettingSeen)) {
                    djangoSettingSeen = true
                    if isModuleLevel { moduleDjangoSettingSeen = true }
                    continue
                }
                kept[index] = false
                leftOut += 1
            }
            guard leftOut > 0 else { return [0..<buffer.count] }
            // Names the kept statements mention keep every statement that binds them, to a fixed point. The
            // kept statements are few: their names go in a small table, and each statement left out asks it
            // for its name (a filter on the name's length and edge bytes spares most the hash).
            var mentioned = MentionedNames()
            // A split compound statement mentions what its kept parts do.
            for index in statements.indices where kept[index] && statements[index].partCount == 0 {
                Self.forEachName(in: buffer, statements[index].range) { mentioned.insert($0) }
            }
            // Last to first: a name is bound before it is used, so one pass takes a whole chain of bindings.
            var added = true
            while added {
                added = false
                for index in statements.indices.reversed() where !kept[index] {
                    let name = UnsafeBufferPointer(rebasing: buffer[statements[index].plainTarget!])
                    guard mentioned.mayContain(name), mentioned.contains(Self.hash(name)) else { continue }
                    kept[index] = true
                    added = true
                    Self.forEachName(in: buffer, statements[index].range) { mentioned.insert($0) }
                }
            }
            var ranges: [Range<Int>] = []
            for (index, statement) in statements.enumerated() where kept[index] && statement.partCount == 0 {
                if let last = ranges.last, last.upperBound == statement.range.lowerBound {
                    ranges[ranges.count - 1] = last.lowerBound..<statement.range.upperBound
                } else {
                    ranges.append(statement.range)
                }
            }
            return ranges
        }
    }

    /// A module docstring or `from __future__ import …`: the import placement looks past them.
    private static func isDocstringOrFutureImport(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        if index == 0, buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
        while index < range.upperBound, TopLevelCode.isIdentifierByte(buffer[index]), index < range.lowerBound + 3 { index += 1 }
        if index < range.upperBound, buffer[index] == UInt8(ascii: "'") || buffer[index] == UInt8(ascii: "\"") { return true }
        let word: StaticString = "from __future__"
        guard range.count >= word.utf8CodeUnitCount else { return false }
        for offset in 0..<word.utf8CodeUnitCount where buffer[range.lowerBound + offset] != word.utf8Start[offset] { return false }
        return true
    }

    /// `Mark.mayMatter` when the statement's text holds a word some rule or binding starts from (then
    /// nothing else), else `Mark.mentionsEnv` when it holds `env` in any letter case (a plain read).
    private static func words(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt8 {
        var found: UInt8 = 0
        guard let base = buffer.baseAddress else { return found }
        let end = range.upperBound
        @inline(__always) func followedBy(_ word: StaticString, at offset: Int) -> Bool {
            let length = word.utf8CodeUnitCount
            guard offset + length <= end else { return false }
            for position in 1..<length where base[offset + position] | 0x20 != word.utf8Start[position] | 0x20 { return false }
            return true
        }
        var index = range.lowerBound
        while index < end {
            // Most bytes start no word: one table look-up each.
            let start = Self.wordStarts[Int(base[index])]
            if start != 0 {
                switch start {
                case UInt8(ascii: "s"): if followedBy("secret", at: index) { return Mark.mayMatter }
                case UInt8(ascii: "p"): if followedBy("passw", at: index) { return Mark.mayMatter }
                case UInt8(ascii: "t"): if followedBy("token", at: index) { return Mark.mayMatter }
                case UInt8(ascii: "k"): if followedBy("key", at: index) { return Mark.mayMatter }
                case UInt8(ascii: "d"): if followedBy("debug", at: index) { return Mark.mayMatter }
                // `config(…)`, `decouple.config`, `AutoConfig(…)`; not a method of some `config` object
                // (`config.get("section", "name")` of configparser), which reads no environment.
                case UInt8(ascii: "c"): if followedBy("config", at: index) && !(index + 6 < end && base[index + 6] == UInt8(ascii: ".")) { return Mark.mayMatter }
                case UInt8(ascii: ":"): if index + 2 < end && base[index + 1] == UInt8(ascii: "/") && base[index + 2] == UInt8(ascii: "/") { return Mark.mayMatter }
                default:
                    if followedBy("env", at: index) {
                        if !isPlainRead(buffer, at: index, end: end) { return Mark.mayMatter }
                        found |= Mark.mentionsEnv
                    }
                }
            }
            index += 1
        }
        return found
    }

    /// The first byte of each word `mayMatter` looks for, in either case, mapped to its lower case; 0 for others.
    private static let wordStarts: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for letter in "sptkdce:".utf8 {
            table[Int(letter)] = letter
            if letter >= UInt8(ascii: "a") { table[Int(letter) - 0x20] = letter }
        }
        return table
    }()

    /// `env` at `offset` begins `environ.get(` or `environ[` after a `.` or a name's start, or ends `getenv(`:
    /// a read of a variable, which matters only through the variable's name (looked at by `mayMatter`) or
    /// the name it binds (kept when mentioned).
    private static func isPlainRead(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int, end: Int) -> Bool {
        func exactly(_ word: StaticString, at start: Int) -> Bool {
            let length = word.utf8CodeUnitCount
            guard start >= 0, start + length <= end else { return false }
            for position in 0..<length where buffer[start + position] != word.utf8Start[position] { return false }
            return true
        }
        if exactly("getenv(", at: offset - 3) {
            return offset - 3 == 0 || !TopLevelCode.isIdentifierByte(buffer[offset - 4]) || buffer[offset - 4] == UInt8(ascii: ".")
        }
        guard exactly("environ", at: offset), offset == 0 || !TopLevelCode.isIdentifierByte(buffer[offset - 1]) else { return false }
        return exactly("environ.get(", at: offset) || exactly("environ[", at: offset)
    }

    /// Calls `body` with the hash of every name-like run of bytes in `range` (in strings and comments too:
    /// a false mention only keeps a statement).
    private static func forEachName(in buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        TopLevelCode.forEachNameRun(in: buffer, range) { body(UnsafeBufferPointer(rebasing: buffer[$0])) }
    }

    /// FNV-1a: equal names hash alike; a collision only keeps a statement more.
    fileprivate static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

/// The names kept statements mention, by hash, with a bit per (length, first byte, last byte) in front: a
/// big module's thousands of left-out names are mostly turned away without hashing them.
private struct MentionedNames {
    private var filter = [UInt64](repeating: 0, count: 64)
    private var keys = [UInt64](repeating: 0, count: 256)
    private var count = 0

    private static func filterBit(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        (name.count &* 31 &+ Int(name[0]) &* 7 &+ Int(name[name.count - 1])) & 4095
    }

    func mayContain(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let bit = Self.filterBit(name)
        return filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    mutating func insert(_ name: UnsafeBufferPointer<UInt8>) {
        let bit = Self.filterBit(name)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
        let hash = StatementSelection.hash(name)
        let key = hash == 0 ? 1 : hash
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var index = Int(truncatingIfNeeded: key) & mask
        while keys[index] != 0 {
            if keys[index] == key { return }
            index = (index + 1) & mask
        }
        keys[index] = key
        count += 1
    }

    /// Whether a mentioned name has this hash (0 is kept for empty slots: a zero hash is taken as 1).
    func contains(_ hash: UInt64) -> Bool {
        let key = hash == 0 ? 1 : hash
        let mask = keys.count - 1
        var index = Int(truncatingIfNeeded: key) & mask
        while keys[index] != 0 {
            if keys[index] == key { return true }
            index = (index + 1) & mask
        }
        return false
    }

    private mutating func grow() {
        let old = keys
        keys = [UInt64](repeating: 0, count: old.count * 2)
        let mask = keys.count - 1
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: key) & mask
            while keys[index] != 0 { index = (index + 1) & mask }
            keys[index] = key
        }
    }
}
