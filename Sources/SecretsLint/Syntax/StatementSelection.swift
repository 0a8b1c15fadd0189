#if canImport(Glibc)
import Glibc
#endif
import CScan
import PythonSyntax

/// The module-level statements of a file that the rules may read, so that only they are parsed: the file
/// prefilter's idea taken down to statements (issue #20). Big settings modules are mostly flags, numbers,
/// strings, dicts, reads of ordinary variables, calls such as `Path(DATA_DIR).mkdir(…)` and `if` blocks of
/// those, and no rule looks at them.
///
/// What may be left out is what `ModuleStatements` vouched for token by token, at module level or in a block
/// of an `if`, `try`, `with`, `for`, `while` or `class` statement it followed: a plain `NAME = expression`
/// (`plainTarget`, binds one name), a plain statement that binds nothing (`isPlainStatement`: an expression
/// statement such as a call, `print(…)`, an assignment to a name's item or attribute (`LOGGING["root"] = {…}`:
/// its path is a setting's only through the keys its text spells, which `words` reads), `pass`, `continue`,
/// `break`, `raise`), and a whole
/// `if`/`elif`/`else`, `try`/`except`/`else`/`finally`, `with`, `for`/`else` or `while`/`else` statement whose
/// clauses make a valid statement, whose headers are plain (`if`/`elif`/`while EXPR:`, `except EXPR as NAME:`,
/// `with EXPR as NAME, …:`, `for NAME, … in EXPR:`) and whose every part may be left out, nested ones
/// included (the settings model does not look inside loops at all; what binds or loads there is found as
/// anywhere else). Imports, definitions, classes, `global`, `del`, augmented assignments, slice targets and
/// whatever holds an f-string, lambda, walrus, comprehension or slice are always kept. Leaving
/// such a statement out of the parse changes no other statement's tree: it is whole lines, complete on its
/// own, and a block keeps its headers and its first and last statement (`isStructural`) unless its whole
/// compound statement goes. A statement, header or part is left out only when all of these hold:
/// - its text holds none of the words the rules and the bindings start from where they can read it (`words`):
///   a credential or key word, DEBUG, `://`, `config` in code (but as the object of a method call:
///   `config.get(…)` of configparser), and `env` in code in any form but a read of a variable named by its text:
///   a plain read (`….environ.get(`, `….environ[`, `getenv(`), or a read through a helper, a reader
///   instance or decouple, each `env` or `config` in the callee of a call whose first argument is a string
///   literal — `name("…"` or `name.method("…"` for a reading method (`str`, `int`, `bool`, `list`, `db_url`,
///   `get`…), the name in lower case (a capital starts a class, `Env(…)`, `AutoConfig(…)`, which makes a
///   reader), not `environ` (`os.environ.copy()` binds a mapping) nor a loader (`load_dotenv`, `dotenv_values`,
///   `read_dotenv`, `read_env`): `get_env_str("DATA_DIR", "/app/data")`, `env.int("WORKERS", default=4)`,
///   `config("TIME_ZONE", default="UTC")`. Such a read gives nothing but its value, which matters only
///   through the variable's name and its default (both in the text, looked at here) or the name it binds
///   (kept when mentioned, below); the statement binds no reader (its target holds neither word). So every
///   branch condition the settings model classifies (environment-gated, DEBUG-guarded, CI-only), every reader
///   binding and every loader call stays;
/// - a plain statement or header holds no read either (an environment read in a condition gates its
///   branch; a read in a call may be the first one);
/// - it calls no function the module defines whose text holds `env` or `config` (a helper that loads an
///   env file into `os.environ` is a loader wherever it is called, `EnvLoaderScan`; one that reads a
///   variable is a read; the model and the loader scan resolve callees only, so a function passed as a value,
///   `traces_sampler=traces_sampler`, keeps nothing): plain assignments included; but for a helper whose name holds `env` or `config`
///   and whose text opens no file (`open`, `read_text`, `readlines`: it loads nothing), whose calls are reads
///   as above;
/// - it mentions no name bound to the environment (`E = os.environ`, `E = os.environ.copy()`, `ge = os.getenv`,
///   `from os import environ as E`), nor one another module of the project binds to read the environment, as
///   this module reaches it (`importedNames`: `ge` of `from .base import *` where `base.py` has `ge = os.getenv`,
///   `base` of `from . import base`): a read through one (`E.get("A")`, `ge("A")`) holds no word looked for;
/// - it is not the first assignment of a Django setting at module level or at any depth (one makes a file a
///   settings module, or a settings file for the project pass), nor does it bind a name the fixes look up
///   (`os`, `Path`, `BASE_DIR`), nor is it the first module-level statement after the docstring (where a new
///   import goes; a compound statement there stays, split);
/// - no statement that is kept mentions a name it binds, when the binding may matter there: the kept statement
///   may load an env file (a dotenv or django-environ loader, a call of a module function that may load one,
///   whatever its name, or such a function's `def`: the loader scan follows a path argument or what the function
///   opens through names to their values), its value may read the environment (`ReadingNames`: a condition on
///   a name read from the environment is an opt-in; the rules follow no other name to its value), or, with a
///   star import, the value a kept assignment assigns calls the name or takes an attribute of it (whether a
///   callee is bound here decides whether it may come from the imported module; an expression statement's call
///   such as `MIDDLEWARE.insert(0, …)` is not asked). The names in an item or attribute assignment's target
///   (`LOGGING["handlers"]["x"] = …`) name a place, not a value, and keep nothing (but for a loader). A plain
///   assignment binds its target, a compound statement left out whole the targets of its assignments, the
///   names after `as` in its headers and a `for` loop's targets, a plain statement nothing.
///   This is followed to a fixed point: a compound statement kept for it is split like any other, its parts
///   that may go left out in turn;
/// - it is not the first plain assignment that may read the environment through a given root name (`os`,
///   `env`, `config`, `get_env_str`, `base` of `base.env(…)`), nor the first after a statement that may bind
///   that name (one that mentions it other than as a callee, `NAME = …` for it, a star import): whether a
///   call reads depends on the binding its root name has there, so the file's first actual read is among
///   these (a loader the fixes add goes before that one).
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
    /// Bit n set when a name of `namesAlwaysKept` has n bytes.
    private static let alwaysKeptLengths: UInt64 = namesAlwaysKept.reduce(0) { $0 | (1 << UInt64($1.count)) }

    /// Django's own settings: a module assigning one is a settings module. The classification asks only
    /// whether some module-level statement assigns one, so the first such statement is kept, not all
    /// (`INSTALLED_APPS`, `MIDDLEWARE`, `TEMPLATES` are the biggest statements of a startproject file).
    /// Not `SECRET_KEY` and `DEBUG`: they classify only together (`assignsDjangoSettings`), and their own
    /// words keep them anyway.
    static let djangoSettingNames: [[UInt8]] = HardcodedCredentialRule.djangoSettingNames.subtracting(["SECRET_KEY", "DEBUG"])
        .sorted().map { Array($0.utf8) }

    private static func isAlwaysKept(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        // Every plain target passes here: its length rules out most at once.
        guard name.count < 64, alwaysKeptLengths & (1 << UInt64(name.count)) != 0 else { return false }
        return namesAlwaysKept.contains { $0.count == name.count && $0.elementsEqual(name) }
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
                   djangoSetting: UInt8 = 32, environmentAlias: UInt8 = 64
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
            // A statement kept whole holds a range's start; a compound statement split into parts, a range's
            // start or part (one left out whole holds none).
            guard rangeIndex < ranges.count,
                  statement.partCount > 0
                      ? ranges[rangeIndex].lowerBound < statement.range.upperBound
                      : ranges[rangeIndex].lowerBound <= statement.range.lowerBound else { continue }
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
    /// `importedNames`: names other modules of the project bind that read the environment or stand for it, as
    /// this module reaches them (`ImportedEnvironmentNames`); a statement mentioning one is kept, as one
    /// mentioning a helper or an environment alias of the module is.
    static func keptRanges(
        of source: SourceText, settings: LintSettings, statements known: inout [ModuleStatements.Statement]?,
        importedNames: [String] = []
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
                    mark |= Self.words(buffer, statement.range, target: target)
                    let name = UnsafeBufferPointer(rebasing: buffer[target])
                    if Self.isAlwaysKept(name) { mark |= Mark.alwaysKept }
                    if Self.isDjangoSetting(name) { mark |= Mark.djangoSetting }
                    if mark & Mark.mayMatter != 0, Self.bindsEnvironmentAlias(buffer, statement.range, target: target) {
                        mark |= Mark.environmentAlias
                    }
                    if mark & Mark.mentionsEnv != 0, mark & Mark.mayMatter == 0 {
                        statements[index].note = Self.readRootNote(buffer, statement.range)
                    }
                } else {
                    if statement.isPlainStatement { mark |= Self.words(buffer, statement.range) }
                    if statement.depth == 0 && statement.partCount == 0 && Self.isDocstringOrFutureImport(buffer, statement.range) {
                        mark |= Mark.docstringOrFuture
                    }
                }
                statements[index].mark = mark
            }
            known = statements
            let count = statements.count
            // Functions the module defines that may touch the environment (a helper that loads an env file into
            // `os.environ` is a loader wherever it is called, a helper that reads it is a read): a statement
            // mentioning one is kept.
            // A function matters only where it is called (the model and the loader scan resolve callees, never a
            // function passed as a value: `traces_sampler=traces_sampler`).
            var loaderHelpers: MentionedNames?
            let functionHelpers = Self.environmentHelperNames(buffer, statements, loaders: &loaderHelpers)
            // Names that stand for the environment (`E = os.environ`, `from os import environ as E`, `ge = os.getenv`):
            // `E.get("A")` and `ge("A")` read without a word `words` sees, so a statement mentioning one is kept
            // (the whole parse reads it as a read: it may be the first, before which the loader goes).
            var standIns: MentionedNames?
            Self.addEnvironmentAliases(buffer, statements, to: &standIns)
            for var name in importedNames where !name.isEmpty {
                if standIns == nil { standIns = MentionedNames() }
                name.withUTF8 { standIns!.insert($0) }
            }
            // Both, for what a value may read through (`ReadingNames`).
            var helpers = functionHelpers
            if let standIns {
                if helpers == nil { helpers = standIns } else { helpers!.formUnion(standIns) }
            }
            // Whether each statement may be left out as far as it alone goes (its words, the placement of new
            // imports and loaders, the names the fixes and the classification look up), in the order of the
            // text: true for a plain assignment or plain statement no rule reads, for a plain clause header
            // without such words, and for a compound statement (decided from its parts below).
            var mayGo = [Bool](repeating: false, count: count)
            var placementStatementSeen = false
            // The first statement that reads the environment: a loader the fixes add must run before it. Whether
            // a call reads depends on what its callee's root name is bound to there, so each root's first read is
            // kept, and its first read after each statement that may bind the root: the first actual read is one.
            var readRoots: [(statement: Int, root: UInt64)] = []
            var rootNeedsRead = ReadRoots()
            for index in statements.indices {
                let mark = statements[index].mark
                guard statements[index].plainTarget != nil, mark & Mark.mentionsEnv != 0, mark & Mark.mayMatter == 0 else { continue }
                let note = statements[index].note
                if note == Self.severalReadRoots {
                    Self.forEachReadRoot(buffer, statements[index].range) { root in
                        let hash = Self.hash(root)
                        readRoots.append((index, hash))
                        rootNeedsRead[hash] = true
                    }
                } else if note != 0 {
                    readRoots.append((index, note))
                    rootNeedsRead[note] = true
                }
            }
            var readIndex = 0
            var djangoSettingSeen = false, moduleDjangoSettingSeen = false
            for (index, statement) in statements.enumerated() {
                let mark = statement.mark
                let isModuleLevel = statement.depth == 0
                // A Django setting's assignment kept for any reason answers the classification as well as the
                // first one would (`DATABASES` with its password keeps `MIDDLEWARE` out); not `SECRET_KEY` or
                // `DEBUG`, which classify only together.
                defer {
                    if mark & Mark.djangoSetting != 0 && !mayGo[index] {
                        djangoSettingSeen = true
                        if isModuleLevel { moduleDjangoSettingSeen = true }
                    }
                }
                // Reads and bindings of the roots of reads, in the order of the text (before anything may skip it).
                var readNeeded = false
                if let target = statement.plainTarget {
                    while readIndex < readRoots.count, readRoots[readIndex].statement == index {
                        if rootNeedsRead[readRoots[readIndex].root] == true {
                            readNeeded = true
                            rootNeedsRead[readRoots[readIndex].root] = false
                        }
                        readIndex += 1
                    }
                    // `NAME = …` binds NAME: its next read may read differently.
                    if !rootNeedsRead.isEmpty {
                        let hash = Self.hash(UnsafeBufferPointer(rebasing: buffer[target]))
                        if rootNeedsRead[hash] != nil { rootNeedsRead[hash] = true }
                    }
                } else if !rootNeedsRead.isEmpty && statement.partCount == 0 {
                    Self.noteBindings(buffer, statement.range, &rootNeedsRead)
                }
                // The first module-level statement after the docstring: new imports go before it.
                if isModuleLevel && !placementStatementSeen && mark & Mark.docstringOrFuture == 0 {
                    placementStatementSeen = true
                    continue
                }
                if statement.partCount > 0 {
                    mayGo[index] = statement.isPlainStatement
                    continue
                }
                guard statement.plainTarget != nil || statement.isPlainStatement,
                      mark & (Mark.mayMatter | Mark.docstringOrFuture) == 0 else { continue }
                if statement.plainTarget == nil {
                    // A plain statement or header that reads the environment is kept (as one that may be
                    // the first read, for the loader's placement).
                    if mark & Mark.mentionsEnv != 0 { continue }
                } else {
                    if readNeeded { continue }
                    if mark & Mark.alwaysKept != 0 { continue }
                    // Whether a file assigns Django settings is asked of module-level statements (the settings
                    // classification) and of statements at any depth (the settings-file fact): the first of each.
                    if mark & Mark.djangoSetting != 0 && (!djangoSettingSeen || (isModuleLevel && !moduleDjangoSettingSeen)) { continue }
                }
                if let standIns, Self.mentionsAny(standIns, buffer, statement.range) { continue }
                if let functionHelpers, Self.mentionsAny(functionHelpers, buffer, statement.range, calledOnly: true) { continue }
                mayGo[index] = true
            }
            // A compound statement may go whole when every part may: its headers are plain (an `if`, `try`,
            // `with`, `for` or `while` statement; never a class) and every statement of its blocks, nested ones
            // included, may go.
            // Its parts come right after it, a nested statement's before the end of its parent's: last to first,
            // the nested ones are decided first.
            for index in statements.indices.reversed() where statements[index].partCount > 0 && mayGo[index] {
                let parts = (index + 1)...(index + Int(statements[index].partCount))
                mayGo[index] = parts.allSatisfy { mayGo[$0] }
            }
            // What is kept: every statement that may not go, with the compound statements holding it, and the
            // headers and the first and last statement of each block of a compound statement that is kept (a
            // block is never empty; the statement ends where its last block does). What is left out, in
            // `units`: each statement that may go, and each compound statement that may go whole, whose
            // enclosing statement is kept; a compound statement that is the first or last of its block goes only
            // with its enclosing statement.
            var kept = [Bool](repeating: false, count: count)
            var units: [Int] = []
            func keep(parts: Range<Int>) {
                var index = parts.lowerBound
                while index < parts.upperBound {
                    let statement = statements[index]
                    let next = index + 1 + Int(statement.partCount)
                    if statement.partCount > 0 {
                        if mayGo[index] && !statement.isStructural {
                            units.append(index)
                        } else {
                            kept[index] = true
                            keep(parts: (index + 1)..<next)
                        }
                    } else if statement.isStructural || !mayGo[index] {
                        kept[index] = true
                    } else {
                        units.append(index)
                    }
                    index = next
                }
            }
            keep(parts: 0..<count)
            guard !units.isEmpty else { return [0..<buffer.count] }
            // Names the kept statements mention keep every statement that binds them, to a fixed point: a plain
            // assignment binds its target; a compound statement left out whole binds its assignments' targets
            // and the names after `as` in its headers; a plain statement binds nothing. The kept statements are
            // few: their names go in a small table, and each name bound by a statement left out asks it (a
            // filter on the name's length and edge bytes spares most the hash).
            var mentioned = MentionedNames()
            // With a star import, whether a callee is bound here at all matters (`callsThroughImportedNames`):
            // the names kept statements call or take an attribute of are kept bound whatever their value.
            let hasStarImport = Self.hasStarImport(buffer, statements)
            var mentionedCallees = MentionedNames()
            // The names a kept statement that may load an env file mentions: the loader scan follows its path
            // argument through them to their values (`env_file = os.path.join(BASE_DIR, ".env")`), and through
            // theirs in turn.
            var mentionedByLoaders = MentionedNames()
            // The names only an expression statement without a conditional expression mentions
            // (`LOGGING["loggers"]["x"]["handlers"].append(…)`): the rules ask of it whether it reads through a
            // reader (`environmentRead`: `E.setdefault(…)`, `handle("URL", default=…)`), never whether a name was
            // read from the environment (`readsEnvironment` looks at assignments' values and conditions): a
            // binding of one matters only when it may bind a reader.
            var mentionedInCalls = MentionedNames()
            func mention(_ statement: ModuleStatements.Statement, byLoader: Bool = false) {
                let range = statement.range
                let isUnvouched = statement.plainTarget == nil && !statement.isPlainStatement
                // A call of a module function that may load an env file is a loader call whatever its name
                // (`setup(ENV_PATH)`): the loader scan follows its argument too.
                let loads = byLoader || Self.mayLoad(UnsafeBufferPointer(rebasing: buffer[range]), isUnvouched: isUnvouched)
                    || loaderHelpers.map { Self.mentionsAny($0, buffer, range) } ?? false
                // An item or attribute assignment's target names a place (`LOGGING["handlers"]["x"] = …`: a setting's
                // path is the text of its keys), not a value: what its root is bound to matters to no rule. Only an
                // assignment's value is asked whether it calls through a name a star import may bind
                // (`callsThroughImportedNames`), not an expression statement's call (`MIDDLEWARE.insert(0, …)`)
                // nor a clause header's.
                var valueStart = range.lowerBound
                var calleesMatter = isUnvouched || statement.plainTarget != nil
                var isCall = false
                if statement.isPlainStatement && !statement.isClauseHeader {
                    if let equals = Self.assignmentOperator(buffer, range) {
                        valueStart = equals + 1
                        calleesMatter = true
                    } else {
                        // A conditional expression's condition is asked whether it reads (`literalFallbackRead`).
                        isCall = !ByteSearch.contains(UnsafeBufferPointer(rebasing: buffer[range]), "if")
                    }
                }
                TopLevelCode.forEachNameRun(in: buffer, range) { run in
                    let name = UnsafeBufferPointer(rebasing: buffer[run])
                    if loads {
                        mentionedByLoaders.insert(name)
                    } else if run.lowerBound < valueStart {
                        return
                    } else if isCall {
                        mentionedInCalls.insert(name)
                        return
                    }
                    mentioned.insert(name)
                    guard hasStarImport, calleesMatter, run.lowerBound >= valueStart else { return }
                    let next = Self.byteAfterSpaces(buffer, from: run.upperBound, end: range.upperBound)
                    if next == UInt8(ascii: "(") || next == UInt8(ascii: ".") { mentionedCallees.insert(name) }
                }
            }
            func mention(_ parts: Range<Int>, byLoader: Bool = false) {
                for index in parts where kept[index] && statements[index].partCount == 0 {
                    mention(statements[index], byLoader: byLoader)
                }
            }
            mention(0..<count)
            func bindsName(_ index: Int, in names: MentionedNames) -> Bool {
                func isMentioned(_ name: Range<Int>) -> Bool {
                    let bytes = UnsafeBufferPointer(rebasing: buffer[name])
                    return names.mayContain(bytes) && names.contains(Self.hash(bytes))
                }
                for part in index...(index + Int(statements[index].partCount)) {
                    let statement = statements[part]
                    if let target = statement.plainTarget, isMentioned(target) { return true }
                    if statement.isClauseHeader {
                        var found = false
                        Self.forEachHeaderBinding(buffer, statement.range) { if !found { found = isMentioned($0) } }
                        if found { return true }
                    }
                }
                return false
            }
            // What a statement left out binds matters to a kept statement only through what the settings model
            // resolves a name for (`ReadingNames`), or a callee's being bound at all.
            var readingNames: ReadingNames?
            // Nil when what `unit` binds matters to no kept statement; else whether it matters to a loader's path
            // (what it mentions then matters to the loader too).
            func bindingMatters(_ unit: Int) -> Bool? {
                if !bindsName(unit, in: mentioned) {
                    guard bindsName(unit, in: mentionedInCalls), Self.mayBindReader(buffer, statements[unit]) else { return nil }
                } else {
                    if bindsName(unit, in: mentionedByLoaders) { return true }
                    if hasStarImport && bindsName(unit, in: mentionedCallees) { return false }
                }
                if readingNames == nil { readingNames = ReadingNames(buffer: buffer, statements: statements, helpers: helpers) }
                let reads = (unit...(unit + Int(statements[unit].partCount))).contains { part in
                    statements[part].partCount == 0 && readingNames!.mayRead(part)
                }
                return reads ? false : nil
            }
            // Last to first: a name is bound before it is used, so one pass takes a whole chain of bindings.
            var added = true
            while added {
                added = false
                let pending = units
                for unit in pending.reversed() where !kept[unit] {
                    guard let forLoader = bindingMatters(unit) else { continue }
                    kept[unit] = true
                    added = true
                    let statement = statements[unit]
                    if statement.partCount > 0 {
                        // Kept, it is split like any other: its parts that may go are units in turn.
                        let parts = (unit + 1)..<(unit + 1 + Int(statement.partCount))
                        keep(parts: parts)
                        mention(parts, byLoader: forLoader)
                    } else {
                        mention(statement, byLoader: forLoader)
                    }
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

    /// The names of the functions the module defines (at any depth: a statement the split does not vouch
    /// for, such as a `def`, is kept whole) whose text holds `env` or `config` in any letter case: a helper
    /// that loads an env file into `os.environ` (`EnvLoaderScan` counts a call of it as a loader) or reads a
    /// variable (`EnvironmentHelper`); but not one whose name holds `env` or `config` and whose text opens no
    /// file (a reading helper: `get_bool_from_env("X", False)` is a read `words` knows). Nil when there is none.
    /// `loaders`: the names of those whose text opens a file (a helper that loads an env file does), nil when
    /// there is none.
    private static func environmentHelperNames(
        _ buffer: UnsafeBufferPointer<UInt8>, _ statements: [ModuleStatements.Statement], loaders: inout MentionedNames?
    ) -> MentionedNames? {
        var names: MentionedNames?
        for statement in statements
        where statement.partCount == 0 && statement.plainTarget == nil && !statement.isPlainStatement && !statement.isClauseHeader {
            let text = UnsafeBufferPointer(rebasing: buffer[statement.range])
            guard ByteSearch.contains(text, "def"),
                  ByteSearch.containsIgnoringCase(text, "env") || ByteSearch.containsIgnoringCase(text, "config") else { continue }
            // A loader opens the file it loads (`EnvLoaderScan`: `open`, `read_text`, `readlines`).
            let mayLoad = ByteSearch.contains(text, "open") || ByteSearch.contains(text, "read_text") || ByteSearch.contains(text, "readlines")
            var afterDef = false
            TopLevelCode.forEachNameRun(in: buffer, statement.range) { run in
                if afterDef {
                    if mayLoad {
                        if loaders == nil { loaders = MentionedNames() }
                        loaders!.insert(UnsafeBufferPointer(rebasing: buffer[run]))
                    }
                    // A helper named with `env` or `config` that loads nothing: its calls are reads as `words` sees
                    // them (`isReaderCall`, each root's first read kept), or keep their statement as words do.
                    let name = UnsafeBufferPointer(rebasing: buffer[run])
                    if mayLoad || !(ByteSearch.containsIgnoringCase(name, "env") || ByteSearch.containsIgnoringCase(name, "config")) {
                        if names == nil { names = MentionedNames() }
                        names!.insert(name)
                    }
                }
                afterDef = run.count == 3 && buffer[run.lowerBound] == UInt8(ascii: "d") && buffer[run.lowerBound + 1] == UInt8(ascii: "e")
                    && buffer[run.lowerBound + 2] == UInt8(ascii: "f")
            }
        }
        return names
    }

    /// `NAME = a.b.environ`, `NAME = a.b.getenv` or `NAME = a.b.environ.copy()`, alone on its statement: what
    /// `ModuleBindings` records as an environment mapping or a `getenv` function.
    private static func bindsEnvironmentAlias(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, target: Range<Int>) -> Bool {
        var index = target.upperBound
        func skipSpaces() { while index < range.upperBound, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 } }
        skipSpaces()
        guard index < range.upperBound, buffer[index] == UInt8(ascii: "="),
              index + 1 < range.upperBound, buffer[index + 1] != UInt8(ascii: "=") else { return false }
        index += 1
        skipSpaces()
        var components: [Range<Int>] = []
        while index < range.upperBound, TopLevelCode.isIdentifierByte(buffer[index]) {
            let start = index
            while index < range.upperBound, TopLevelCode.isIdentifierByte(buffer[index]) { index += 1 }
            components.append(start..<index)
            guard index < range.upperBound, buffer[index] == UInt8(ascii: ".") else { break }
            index += 1
        }
        func named(_ component: Range<Int>, _ word: StaticString) -> Bool {
            component.count == word.utf8CodeUnitCount && buffer[component].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        }
        if index + 1 < range.upperBound, buffer[index] == UInt8(ascii: "("), buffer[index + 1] == UInt8(ascii: ")"),
           components.count >= 2, named(components[components.count - 1], "copy") {
            components.removeLast()
            index += 2
            guard named(components[components.count - 1], "environ") else { return false }
        } else {
            guard let last = components.last, named(last, "environ") || named(last, "getenv") else { return false }
        }
        skipSpaces()
        // Nothing but a comment or the line end after it.
        return index == range.upperBound || buffer[index] == 0x0A || buffer[index] == 0x0D || buffer[index] == UInt8(ascii: "#")
            || buffer[index] == UInt8(ascii: ";")
    }

    /// Adds the names bound to the environment to `names`: targets marked `environmentAlias`, and the names after
    /// `as` in an import of `environ` or `getenv` (`from os import environ as E`).
    private static func addEnvironmentAliases(
        _ buffer: UnsafeBufferPointer<UInt8>, _ statements: [ModuleStatements.Statement], to names: inout MentionedNames?
    ) {
        for statement in statements where statement.partCount == 0 {
            if let target = statement.plainTarget {
                guard statement.mark & Mark.environmentAlias != 0 else { continue }
                if names == nil { names = MentionedNames() }
                names!.insert(UnsafeBufferPointer(rebasing: buffer[target]))
                continue
            }
            guard !statement.isPlainStatement, !statement.isClauseHeader else { continue }
            var start = statement.range.lowerBound
            while start < statement.range.upperBound, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
            guard start < statement.range.upperBound, buffer[start] == UInt8(ascii: "f") || buffer[start] == UInt8(ascii: "i") else { continue }
            let text = UnsafeBufferPointer(rebasing: buffer[statement.range])
            guard ByteSearch.contains(text, "import"), ByteSearch.contains(text, " as "),
                  ByteSearch.contains(text, "environ") || ByteSearch.contains(text, "getenv") else { continue }
            var afterAs = false
            TopLevelCode.forEachNameRun(in: buffer, statement.range) { run in
                if afterAs {
                    if names == nil { names = MentionedNames() }
                    names!.insert(UnsafeBufferPointer(rebasing: buffer[run]))
                }
                afterAs = run.count == 2 && buffer[run.lowerBound] == UInt8(ascii: "a") && buffer[run.lowerBound + 1] == UInt8(ascii: "s")
            }
        }
    }

    /// Whether a name-like run of bytes in `range` is one of `names`.
    /// `calledOnly`: only where a call follows the name (`name(`).
    private static func mentionsAny(
        _ names: MentionedNames, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, calledOnly: Bool = false
    ) -> Bool {
        var found = false
        TopLevelCode.forEachNameRun(in: buffer, range) { run in
            guard !found else { return }
            let bytes = UnsafeBufferPointer(rebasing: buffer[run])
            found = names.mayContain(bytes) && names.contains(hash(bytes))
            if found && calledOnly { found = byteAfterSpaces(buffer, from: run.upperBound, end: range.upperBound) == UInt8(ascii: "(") }
        }
        return found
    }

    /// The first byte from `start` that is no space or tab, before `end`; nil when there is none.
    private static func byteAfterSpaces(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> UInt8? {
        var index = start
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        return index < end ? buffer[index] : nil
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
    /// nothing else), else `Mark.mentionsEnv` when it holds `env` or `config` in any letter case (reads only:
    /// `isPlainRead`, `isReaderCall`).
    ///
    /// A credential, key or DEBUG word counts where the rules can read it: in a name (a target, a keyword, an
    /// attribute), a dict key (`"PASSWORD": …`, the path of a setting), a subscript (`E["SECRET_KEY"]`) or a
    /// call's argument (a read's variable name and default, a helper's variable name). Not in a comment, nor in
    /// a string that is a value: an element
    /// of a list, tuple or set display, a dict entry's value, the whole value of a name no word marks
    /// (`'level': 'DEBUG'` in `LOGGING`, `"…PasswordHasher"` in a list, `'…TokenAuthentication'` in
    /// `REST_FRAMEWORK`): the rules read a string value only through the name or key it is assigned to.
    /// `://` counts anywhere but in a comment (a URL with a password is DJS013's wherever it is assigned). `env` and `config`
    /// count in code only, not in a plain string or a comment (`"weblate.configuration"`, `# Configure syslog`),
    /// nor in the name a plain assignment binds (`tls_config = {…}`: its value says whether it binds a reader),
    /// nor in a keyword argument's name (`environment=…`: a parameter's name, never a reader's).
    /// `target`: a plain assignment's target. A `passw`, `token` or `key` in it does not count when the value
    /// is a list display (`PASSWORD_HASHERS = [...]`, `API_KEYS = [...]`): the rules read a credential
    /// setting's string value, never a list's elements, but `SECRET_KEY_FALLBACKS`'s (its `secret` counts).
    private static func words(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, target: Range<Int>? = nil) -> UInt8 {
        var found: UInt8 = 0
        guard let base = buffer.baseAddress else { return found }
        let end = range.upperBound
        @inline(__always) func followedBy(_ word: StaticString, at offset: Int) -> Bool {
            let length = word.utf8CodeUnitCount
            guard offset + length <= end else { return false }
            for position in 1..<length where base[offset + position] | 0x20 != word.utf8Start[position] | 0x20 { return false }
            return true
        }
        var quiet: [Range<Int>]?
        var quietWorkedOut = false
        var quietIndex = 0
        var dictKeys: [Range<Int>] = []
        var dictKeyIndex = 0
        var literals: [Range<Int>] = []
        var assignsList: Bool?
        func inListTarget(_ offset: Int) -> Bool {
            guard let target, target.contains(offset) else { return false }
            if assignsList == nil { assignsList = Self.assignsListDisplay(buffer, range, target: target) }
            return assignsList == true
        }
        func workOutQuiet() {
            guard !quietWorkedOut else { return }
            quiet = Self.quietRanges(buffer, range, dictKeys: &dictKeys, literals: &literals)
            quietWorkedOut = true
        }
        // Words come in the order of the text: the quiet ranges are walked once.
        func counts(_ offset: Int) -> Bool {
            workOutQuiet()
            guard let quiet else { return true }
            while quietIndex < quiet.count && quiet[quietIndex].upperBound <= offset { quietIndex += 1 }
            return !(quietIndex < quiet.count && quiet[quietIndex].lowerBound <= offset)
        }
        // `debug` in a dict key outside a call names no setting a rule reads (`"require_debug_false"` in
        // `LOGGING`): an entry's path is never `DEBUG`.
        func countsForDebug(_ offset: Int) -> Bool {
            guard counts(offset) else { return false }
            while dictKeyIndex < dictKeys.count && dictKeys[dictKeyIndex].upperBound <= offset { dictKeyIndex += 1 }
            return !(dictKeyIndex < dictKeys.count && dictKeys[dictKeyIndex].lowerBound <= offset)
        }
        // The assigned name: `env` or `config` in it reads nothing (`tls_config = {…}`, `ENVIRONMENT = "prod"`); what
        // it binds a reader or an environment value to is for its value to say (`env = environ.Env()`).
        func inTarget(_ offset: Int) -> Bool { target?.contains(offset) ?? false }
        // In a string or a comment (not an f- or t-string's, whose fields hold code): `env` and `config` there
        // read nothing (`"weblate.configuration"`, `# Configure syslog`).
        func literal(at offset: Int) -> Range<Int>? {
            workOutQuiet()
            guard quiet != nil else { return nil }
            var low = 0, high = literals.count
            while low < high {
                let middle = (low + high) / 2
                if literals[middle].upperBound <= offset { low = middle + 1 } else { high = middle }
            }
            return low < literals.count && literals[low].lowerBound <= offset ? literals[low] : nil
        }
        func inLiteral(_ offset: Int) -> Bool { literal(at: offset) != nil }
        // A URL in a comment is no value (`# see https://…`).
        func inComment(_ offset: Int) -> Bool { literal(at: offset).map { base[$0.lowerBound] == UInt8(ascii: "#") } ?? false }
        var index = range.lowerBound
        return Self.wordSeconds.withUnsafeBufferPointer { wordSeconds -> UInt8 in
            while index < end {
                // Most bytes start no word, nor do most pairs: a tight C loop passes over them.
                index = table_scan_first_pair(base, index, end, wordSeconds.baseAddress!)
                guard index < end else { break }
                let start = base[index] | 0x20
                switch start {
                case UInt8(ascii: "s"): if followedBy("secret", at: index) && counts(index) { return Mark.mayMatter }
                case UInt8(ascii: "p"): if followedBy("passw", at: index) && !inListTarget(index) && counts(index) { return Mark.mayMatter }
                case UInt8(ascii: "t"): if followedBy("token", at: index) && !inListTarget(index) && counts(index) { return Mark.mayMatter }
                case UInt8(ascii: "k"):
                    if followedBy("key", at: index) && Self.isReadableKey(buffer, at: index, in: range) && !inListTarget(index) && counts(index) {
                        return Mark.mayMatter
                    }
                case UInt8(ascii: "d"): if followedBy("debug", at: index) && countsForDebug(index) { return Mark.mayMatter }
                // `config(…)`, `decouple.config`, `AutoConfig(…)`; not a method of some `config` object
                // (`config.get("section", "name")` of configparser), which reads no environment.
                // A read through decouple's `config("NAME", …)` is a read like any other (`isReaderCall`).
                case UInt8(ascii: "c"):
                    if followedBy("config", at: index), !(index + 6 < end && base[index + 6] == UInt8(ascii: ".")), !inTarget(index) {
                        if isReaderCall(buffer, at: index, end: end) {
                            found |= Mark.mentionsEnv
                        } else if !inLiteral(index) && !Self.inKeywordName(buffer, at: index, in: range) {
                            return Mark.mayMatter
                        }
                    }
                case UInt8(ascii: ":"):
                    if index + 2 < end && base[index + 1] == UInt8(ascii: "/") && base[index + 2] == UInt8(ascii: "/") && !inComment(index) {
                        return Mark.mayMatter
                    }
                default:
                    if followedBy("env", at: index), !inTarget(index) {
                        if isPlainRead(buffer, at: index, end: end) || isReaderCall(buffer, at: index, end: end) {
                            found |= Mark.mentionsEnv
                        } else if !inLiteral(index) && !Self.inKeywordName(buffer, at: index, in: range) {
                            return Mark.mayMatter
                        }
                    }
                }
                index += 1
            }
            return found
        }
    }

    /// The byte at `offset` lies in a keyword argument's name (`environment=…` in `sentry_sdk.init(…)`): the name
    /// after `(` or `,` and before a lone `=`, which names a parameter, never a binding, a reader or a read.
    private static func inKeywordName(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int, in range: Range<Int>) -> Bool {
        var start = offset
        while start > range.lowerBound, TopLevelCode.isIdentifierByte(buffer[start - 1]) { start -= 1 }
        var end = offset
        while end < range.upperBound, TopLevelCode.isIdentifierByte(buffer[end]) { end += 1 }
        while end < range.upperBound, buffer[end] == 0x20 || buffer[end] == 0x09 { end += 1 }
        guard end + 1 < range.upperBound, buffer[end] == UInt8(ascii: "="), buffer[end + 1] != UInt8(ascii: "=") else { return false }
        while start > range.lowerBound, [0x20, 0x09, 0x0A, 0x0D].contains(buffer[start - 1]) { start -= 1 }
        return start > range.lowerBound && (buffer[start - 1] == UInt8(ascii: "(") || buffer[start - 1] == UInt8(ascii: ","))
    }

    /// A `key` the rules can read at `offset` (`SecretSettings`): `KEY` in capitals (a generic key name ends so:
    /// `MAPQUEST_KEY`, `isGenericKeyName`), or the end of `api_key`, `private_key` or `access_key` in any letter
    /// case (the default credential pattern's). Not `sslkey` or `ssl_keyfile` in lower case: nothing reads them.
    private static func isReadableKey(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int, in range: Range<Int>) -> Bool {
        if buffer[offset] == UInt8(ascii: "K") && buffer[offset + 1] == UInt8(ascii: "E") && buffer[offset + 2] == UInt8(ascii: "Y") { return true }
        func preceded(by word: StaticString) -> Bool {
            let length = word.utf8CodeUnitCount
            guard offset - length >= range.lowerBound else { return false }
            for position in 0..<length where buffer[offset - length + position] | 0x20 != word.utf8Start[position] | 0x20 { return false }
            return true
        }
        return preceded(by: "api_") || preceded(by: "private_") || preceded(by: "access_")
    }

    /// After the string whose opening quote is at `quote`; nil when it does not end before `end`.
    fileprivate static func stringEnd(_ buffer: UnsafeBufferPointer<UInt8>, at quote: Int, end: Int) -> Int? {
        let mark = buffer[quote]
        let triple = quote + 2 < end && buffer[quote + 1] == mark && buffer[quote + 2] == mark
        var index = quote + (triple ? 3 : 1)
        while index < end {
            let current = buffer[index]
            if current == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if current == mark {
                if !triple { return index + 1 }
                if index + 2 < end && buffer[index + 1] == mark && buffer[index + 2] == mark { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// The plain assignment `range` to `target` assigns a list display: `= [`, its bracket closing the
    /// statement (only spaces, comments and the line's end after it), no f-string inside. `dict`: a dict or set
    /// display (`{`) will do as well, after an annotation too (`LOGGING: dict = {…}`).
    static func assignsListDisplay(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, target: Range<Int>, dict: Bool = false
    ) -> Bool {
        let end = range.upperBound
        var index = target.upperBound
        func skipSpaces() { while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 } }
        skipSpaces()
        if dict, index < end, buffer[index] == UInt8(ascii: ":") {
            // An annotation holds no `=` but in a comparison, whose second `=` the test below refuses.
            while index < end, buffer[index] != UInt8(ascii: "=") { index += 1 }
        }
        guard index + 1 < end, buffer[index] == UInt8(ascii: "="), buffer[index + 1] != UInt8(ascii: "=") else { return false }
        index += 1
        skipSpaces()
        guard index < end, buffer[index] == UInt8(ascii: "[") || (dict && buffer[index] == UInt8(ascii: "{")) else { return false }
        var closed = false
        var found = false
        let walked = Self.walkCode(buffer, index..<end) { offset, depth in
            if closed {
                // Only spaces, continuations and comments after the display's bracket.
                found = [0x20, 0x09, 0x0A, 0x0D, 0x0C, UInt8(ascii: "\\")].contains(buffer[offset])
                return found
            }
            let current = buffer[offset]
            if depth == 1 && (current == UInt8(ascii: ")") || current == UInt8(ascii: "]") || current == UInt8(ascii: "}")) {
                closed = true
                found = true
            }
            return true
        }
        return walked && found
    }

    /// Calls `body` with each offset of `range` outside strings and comments, with the depth of brackets open
    /// there (a closing bracket's counts it still open), in order, while it returns true. False when a string
    /// does not end in `range` or is an f- or t-string (whose fields hold code, brackets included: not followed
    /// here), or `body` stopped the walk.
    private static func walkCode(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (_ offset: Int, _ depth: Int) -> Bool
    ) -> Bool {
        let end = range.upperBound
        var index = range.lowerBound
        var depth = 0
        while index < end {
            let current = buffer[index]
            switch current {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                if TopLevelCode.stringPrefix(before: index, in: buffer).format { return false }
                guard let close = Self.stringEnd(buffer, at: index, end: end) else { return false }
                index = close
                continue
            case UInt8(ascii: "#"):
                while index < end, buffer[index] != 0x0A, buffer[index] != 0x0D { index += 1 }
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard body(index, depth) else { return false }
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard body(index, depth) else { return false }
                depth -= 1
            default:
                guard body(index, depth) else { return false }
            }
            index += 1
        }
        return true
    }

    /// The comments of a statement and the strings whose words no rule reads (`words`), in the order of the
    /// text: a string (with those joined to it) is quiet unless it is followed by `:` (a dict key) or lies in
    /// a call's parentheses or a subscript's brackets, at any depth (`f(["SECRET"])` counts). Nil when the
    /// statement holds what this does not follow (an f-string, an unterminated string): then every word counts.
    /// `dictKeys`: the dict keys among the strings that are not quiet, outside calls and subscripts (left empty
    /// when the result is nil).
    /// `literals`: every string (with those joined to it) and comment, in order (left empty when the result is nil).
    static func quietRanges(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, dictKeys: inout [Range<Int>], literals: inout [Range<Int>]
    ) -> [Range<Int>]? {
        let end = range.upperBound
        var quiet: [Range<Int>] = []
        // Per open bracket, whether it is a call's or a subscript's (after an operand); how many such are open.
        var brackets: [Bool] = []
        var countingBrackets = 0
        // The last byte of the last token: an operand's (a name's, a closing bracket, a quote) makes `(` a call.
        var previous: UInt8 = 0
        @inline(__always) func isQuote(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") }
        func stringEnd(at quote: Int) -> Int? { Self.stringEnd(buffer, at: quote, end: end) }
        // The quote of a string starting at `index` (after its prefix letters), or nil; `format` for an f- or t-string.
        func stringQuote(at index: Int) -> (quote: Int, format: Bool)? {
            if isQuote(buffer[index]) { return (index, false) }
            var letters = index
            var format = false
            while letters < end, letters < index + 3 {
                switch buffer[letters] | 0x20 {
                case UInt8(ascii: "f"), UInt8(ascii: "t"): format = true
                case UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "u"): break
                default:
                    return letters > index && isQuote(buffer[letters]) ? (letters, format) : nil
                }
                letters += 1
            }
            return nil
        }
        // The next byte that is not a space, a line end, a line continuation or a comment.
        func significant(from start: Int) -> Int {
            var index = start
            while index < end {
                switch buffer[index] {
                case 0x20, 0x09, 0x0A, 0x0D, 0x0C, UInt8(ascii: "\\"):
                    index += 1
                case UInt8(ascii: "#"):
                    while index < end && buffer[index] != 0x0A && buffer[index] != 0x0D { index += 1 }
                default:
                    return index
                }
            }
            return end
        }
        var keys: [Range<Int>] = []
        var strings: [Range<Int>] = []
        var index = range.lowerBound
        while index < end {
            let current = buffer[index]
            switch current {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, UInt8(ascii: "\\"):
                index += 1
                continue
            case UInt8(ascii: "#"):
                let start = index
                while index < end && buffer[index] != 0x0A && buffer[index] != 0x0D { index += 1 }
                quiet.append(start..<index)
                strings.append(start..<index)
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                let afterOperand = TopLevelCode.isIdentifierByte(previous) || previous == UInt8(ascii: ")")
                    || previous == UInt8(ascii: "]") || previous == UInt8(ascii: "}") || isQuote(previous)
                let isCallOrSubscript = current != UInt8(ascii: "{") && afterOperand
                brackets.append(isCallOrSubscript)
                if isCallOrSubscript { countingBrackets += 1 }
                previous = current
                index += 1
                continue
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let last = brackets.popLast(), last { countingBrackets -= 1 }
                previous = current
                index += 1
                continue
            default:
                break
            }
            guard let (quote, format) = stringQuote(at: index) else {
                if TopLevelCode.isIdentifierByte(current) {
                    while index < end, TopLevelCode.isIdentifierByte(buffer[index]) { index += 1 }
                    previous = buffer[index - 1]
                } else {
                    previous = current
                    index += 1
                }
                continue
            }
            // A string and the strings joined to it.
            guard !format, var groupEnd = stringEnd(at: quote) else { return nil }
            var next = significant(from: groupEnd)
            while next < end, let (quote, format) = stringQuote(at: next) {
                guard !format, let joinedEnd = stringEnd(at: quote) else { return nil }
                groupEnd = joinedEnd
                next = significant(from: joinedEnd)
            }
            let isKey = next < end && buffer[next] == UInt8(ascii: ":") && !(next + 1 < end && buffer[next + 1] == UInt8(ascii: "="))
            if countingBrackets == 0 { if isKey { keys.append(index..<groupEnd) } else { quiet.append(index..<groupEnd) } }
            strings.append(index..<groupEnd)
            previous = UInt8(ascii: "\"")
            index = groupEnd
        }
        dictKeys = keys
        literals = strings
        return quiet
    }

    /// For the first byte of each word `words` looks for, in either case, the word's second byte in lower case
    /// (`/` for `://`); 0 for other bytes.
    private static let wordSeconds: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for word in ["secret", "passw", "token", "key", "debug", "config", "env", "://"] {
            let bytes = Array(word.utf8)
            table[Int(bytes[0])] = bytes[1]
            if bytes[0] >= UInt8(ascii: "a") { table[Int(bytes[0]) - 0x20] = bytes[1] }
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

    /// A statement's `note`: the hash of its reads' one root name, 0 when it has no read, `severalReadRoots` when
    /// its reads have several roots (or the one hashes to 0): then they are found again each time. Worked out once
    /// per statement, as its `mark` is (a big module has thousands of reads of ordinary variables).
    private static func readRootNote(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var note: UInt64 = 0
        forEachReadRoot(buffer, range) { root in
            let hash = Self.hash(root)
            if note == 0 { note = hash == 0 || hash == severalReadRoots ? severalReadRoots : hash } else if note != hash { note = severalReadRoots }
        }
        return note
    }

    private static let severalReadRoots = UInt64.max

    /// Calls `body` with the root name of each read's callee in `range` (as `words` finds them): `os` of
    /// `os.environ.get(`, `env` of `env.str(`, `base` of `base.env(`, `get_env_str` of `get_env_str(`.
    private static func forEachReadRoot(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let end = range.upperBound
        @inline(__always) func word(_ word: StaticString, at offset: Int) -> Bool {
            let length = word.utf8CodeUnitCount
            guard offset + length <= end else { return false }
            for position in 0..<length where buffer[offset + position] | 0x20 != word.utf8Start[position] { return false }
            return true
        }
        var index = range.lowerBound
        while index < end {
            // Most bytes start neither word.
            let lowered = buffer[index] | 0x20
            guard lowered == UInt8(ascii: "e") || lowered == UInt8(ascii: "c") else {
                index += 1
                continue
            }
            let isRead: Bool
            if word("env", at: index) {
                isRead = isPlainRead(buffer, at: index, end: end) || isReaderCall(buffer, at: index, end: end)
            } else if word("config", at: index) {
                isRead = !(index + 6 < end && buffer[index + 6] == UInt8(ascii: ".")) && isReaderCall(buffer, at: index, end: end)
            } else {
                index += 1
                continue
            }
            if isRead {
                // Back over `name.` pairs to the chain's first name.
                var start = index
                while start > range.lowerBound, TopLevelCode.isIdentifierByte(buffer[start - 1]) { start -= 1 }
                while start - 1 > range.lowerBound, buffer[start - 1] == UInt8(ascii: "."), TopLevelCode.isIdentifierByte(buffer[start - 2]) {
                    start -= 1
                    while start > range.lowerBound, TopLevelCode.isIdentifierByte(buffer[start - 1]) { start -= 1 }
                }
                var rootEnd = start
                while rootEnd < end, TopLevelCode.isIdentifierByte(buffer[rootEnd]) { rootEnd += 1 }
                body(UnsafeBufferPointer(rebasing: buffer[start..<rootEnd]))
            }
            index += 1
        }
    }

    /// A statement that is not `NAME = …` may bind a read's root name: one that mentions it other than as a
    /// callee (an import, a definition, a `for` or `with` target…), or a star import (which may bind any).
    /// Their next reads are needed. A split compound statement's own entry is not asked: its parts are.
    private static func noteBindings(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ roots: inout ReadRoots) {
        let text = UnsafeBufferPointer(rebasing: buffer[range])
        if ByteSearch.contains(text, "*"), ByteSearch.contains(text, "import") {
            roots.markAll()
            return
        }
        TopLevelCode.forEachNameRun(in: buffer, range) { run in
            let hash = Self.hash(UnsafeBufferPointer(rebasing: buffer[run]))
            guard roots[hash] != nil else { return }
            if run.upperBound < range.upperBound, buffer[run.upperBound] == UInt8(ascii: "(") {
                // A call binds nothing; `def name(` and `class name(` do.
                var before = run.lowerBound
                while before > range.lowerBound, buffer[before - 1] == 0x20 || buffer[before - 1] == 0x09 { before -= 1 }
                var wordStart = before
                while wordStart > range.lowerBound, TopLevelCode.isIdentifierByte(buffer[wordStart - 1]) { wordStart -= 1 }
                let word = UnsafeBufferPointer(rebasing: buffer[wordStart..<before])
                guard before < run.lowerBound, ByteSearch.equalsIgnoringCase(word, "def") || ByteSearch.equalsIgnoringCase(word, "class") else { return }
            }
            roots[hash] = true
        }
    }

    /// The methods of a reader instance that read a variable (django-environ's `Env`, a mapping's `get`).
    private static let readingMethods: [StaticString] = [
        "get", "str", "bytes", "bool", "int", "float", "json", "list", "tuple", "dict", "url", "db", "db_url", "database_url",
        "cache", "cache_url", "email", "email_url", "search_url", "queue_url", "channels", "channels_url", "path", "get_value",
    ]

    /// The name run holding the word at `offset` (`env` or `config`) is the callee of a read that names its
    /// variable by a string literal: `name("…"` or `name.method("…"` for one of `readingMethods` (no space
    /// before the bracket; only spaces, tabs and line ends between it and the quote). Not a name that
    /// starts with a capital letter (a class: `Env(…)`, `AutoConfig(…)`, `RepositoryEnv(…)` make readers; `Env`
    /// takes keyword arguments only, so an alias of it called with a string fails at import), not
    /// `environ` (`os.environ.copy()` binds a mapping; its plain reads are `isPlainRead`'s), not a loader
    /// (`load_dotenv`, `dotenv_values`, `read_dotenv`, `read_env`).
    private static func isReaderCall(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int, end: Int) -> Bool {
        var start = offset
        while start > 0, TopLevelCode.isIdentifierByte(buffer[start - 1]) { start -= 1 }
        var runEnd = offset
        while runEnd < end, TopLevelCode.isIdentifierByte(buffer[runEnd]) { runEnd += 1 }
        guard runEnd < end, buffer[start] < UInt8(ascii: "A") || buffer[start] > UInt8(ascii: "Z") else { return false }
        let name = UnsafeBufferPointer(rebasing: buffer[start..<runEnd])
        if ByteSearch.equalsIgnoringCase(name, "environ") || ByteSearch.equalsIgnoringCase(name, "read_env")
            || ByteSearch.containsIgnoringCase(name, "dotenv") {
            return false
        }
        var bracket = runEnd
        if buffer[runEnd] == UInt8(ascii: ".") {
            var methodEnd = runEnd + 1
            while methodEnd < end, TopLevelCode.isIdentifierByte(buffer[methodEnd]) { methodEnd += 1 }
            let method = UnsafeBufferPointer(rebasing: buffer[(runEnd + 1)..<methodEnd])
            guard readingMethods.contains(where: { word in
                word.utf8CodeUnitCount == method.count && (0..<method.count).allSatisfy { method[$0] == word.utf8Start[$0] }
            }) else { return false }
            bracket = methodEnd
        }
        guard bracket < end, buffer[bracket] == UInt8(ascii: "(") else { return false }
        var quote = bracket + 1
        while quote < end, buffer[quote] == 0x20 || buffer[quote] == 0x09 || buffer[quote] == 0x0A || buffer[quote] == 0x0D { quote += 1 }
        return quote < end && (buffer[quote] == UInt8(ascii: "\"") || buffer[quote] == UInt8(ascii: "'"))
    }

    /// Calls `body` with the hash of every name-like run of bytes in `range` (in strings and comments too:
    /// a false mention only keeps a statement).
    /// The names a clause header binds: the name after each `as`; in a `for` header, every name up to `in`.
    fileprivate static func forEachHeaderBinding(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var afterAs = false, first = true, inTargets = false
        TopLevelCode.forEachNameRun(in: buffer, range) { run in
            let text = UnsafeBufferPointer(rebasing: buffer[run])
            if first {
                inTargets = text.elementsEqual("for".utf8)
                first = false
                return
            }
            if inTargets && text.elementsEqual("in".utf8) { inTargets = false }
            if afterAs || inTargets { body(run) }
            afterAs = text.elementsEqual("as".utf8)
        }
    }

    /// The text may load an env file (`EnvLoaderScan`): a dotenv or django-environ loader (`load_dotenv`,
    /// `read_dotenv`, `dotenv_values`, `find_dotenv`, `read_env`), or, for a statement the split does not vouch
    /// for (a `def`), a file opened or read: a helper that loads one opens it, and the scan follows the path it
    /// opens.
    private static func mayLoad(_ text: UnsafeBufferPointer<UInt8>, isUnvouched: Bool) -> Bool {
        ByteSearch.containsIgnoringCase(text, "dotenv") || ByteSearch.containsIgnoringCase(text, "read_env")
            || (isUnvouched && (ByteSearch.contains(text, "open") || ByteSearch.contains(text, "read_text")
                || ByteSearch.contains(text, "readlines")))
    }

    /// Whether what `statement` binds may be a reader, an alias of the environment or of a reader: not when it
    /// is a plain assignment of a dict, list or set display and nothing else (a compound statement may bind
    /// anything).
    private static func mayBindReader(_ buffer: UnsafeBufferPointer<UInt8>, _ statement: ModuleStatements.Statement) -> Bool {
        guard statement.partCount == 0, let target = statement.plainTarget else { return true }
        return !assignsListDisplay(buffer, statement.range, target: target, dict: true)
    }

    /// The `=` of a plain statement that assigns to an item or attribute (`LOGGING["root"] = …`), nil for an
    /// expression statement: the first `=` outside brackets, strings and comments that is no comparison's (the
    /// split refuses a walrus, a lambda, chained and augmented assignments in such a statement).
    private static func assignmentOperator(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var found: Int?
        _ = Self.walkCode(buffer, range) { offset, depth in
            guard depth == 0, buffer[offset] == UInt8(ascii: "=") else { return true }
            let before = offset > range.lowerBound ? buffer[offset - 1] : 0
            let after = offset + 1 < range.upperBound ? buffer[offset + 1] : 0
            // `==` and the second `=` of one, `!=`, `<=`, `>=`.
            if after == UInt8(ascii: "=") || before == UInt8(ascii: "=") || before == UInt8(ascii: "!") || before == UInt8(ascii: "<")
                || before == UInt8(ascii: ">") { return true }
            found = offset
            return false
        }
        return found
    }

    /// Some statement the split does not vouch for is a star import (`from .base import *`).
    private static func hasStarImport(_ buffer: UnsafeBufferPointer<UInt8>, _ statements: [ModuleStatements.Statement]) -> Bool {
        for statement in statements where statement.partCount == 0 && statement.plainTarget == nil && !statement.isPlainStatement {
            let text = UnsafeBufferPointer(rebasing: buffer[statement.range])
            if ByteSearch.contains(text, "import"), ByteSearch.contains(text, "*") { return true }
        }
        return false
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
        insert(key: hash == 0 ? 1 : hash)
    }

    /// Every name `other` holds is held here too.
    mutating func formUnion(_ other: MentionedNames) {
        for index in filter.indices { filter[index] |= other.filter[index] }
        for key in other.keys where key != 0 { insert(key: key) }
    }

    private mutating func insert(key: UInt64) {
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

/// The root names of a module's reads (by hash), each with whether its next read is needed. A module has a
/// handful: a list searched in order costs less than hashing each of thousands of names into a dictionary.
private struct ReadRoots {
    private var hashes: [UInt64] = []
    private var needsRead: [Bool] = []

    var isEmpty: Bool { hashes.isEmpty }

    subscript(hash: UInt64) -> Bool? {
        get { hashes.firstIndex(of: hash).map { needsRead[$0] } }
        set {
            if let index = hashes.firstIndex(of: hash) {
                if let newValue { needsRead[index] = newValue } else { hashes.remove(at: index); needsRead.remove(at: index) }
            } else if let newValue {
                hashes.append(hash)
                needsRead.append(newValue)
            }
        }
    }

    /// Every root's next read is needed (a star import may bind any of them).
    mutating func markAll() {
        for index in needsRead.indices { needsRead[index] = true }
    }
}

/// Whether a statement's value may read the environment, so that `StatementSelection.keptRanges` keeps a
/// statement binding a name a kept statement mentions only when that may matter. The settings model resolves a
/// module-level name for nothing but the environment: a reader, helper or mapping it is bound to, and whether
/// its value was read from the environment (`environmentDerivedNames`: a condition on it is environment-gated or
/// CI-only); the rules read no other name's value (`StaticValue` follows no name). A value reads only through a
/// name of `readingWords` (`environ`, `getenv`, `Env`, decouple's and django-configurations' modules and
/// factories, dotenv's loaders), a name `helpers` holds (helpers, aliases, names imported modules bind to read),
/// or a name some statement that may read binds: a statement may read when one of these is reachable from it,
/// from name to binding statement. A statement binds its target, the names of a clause header (after `as`, a
/// `for`'s targets) or, when the split does not vouch for it (an import, a definition, an augmented
/// assignment), every name in its text.
private struct ReadingNames {
    private let buffer: UnsafeBufferPointer<UInt8>
    private let statements: [ModuleStatements.Statement]
    private let helpers: MentionedNames?
    /// The statements binding each name: chained entries from a slot per hash.
    private var heads: [Int32]
    private var entryHashes: [UInt64] = []
    private var entryStatements: [Int32] = []
    private var entryNext: [Int32] = []
    /// Per statement: 0 not known, 1 cannot read (nor can anything reachable from it), 2 may read, 3 being visited.
    private var states: [UInt8]
    /// Past this many statements visited from one, it may read: a cap on pathological inputs.
    private static let visitLimit = 4096

    static let readingWords: [[UInt8]] = [
        "environ", "getenv", "putenv", "unsetenv", "Env", "AutoConfig", "Config", "RepositoryEnv", "decouple", "configurations",
        "dotenv", "load_dotenv", "read_dotenv", "read_env", "dotenv_values",
    ].map { Array($0.utf8) }

    init(buffer: UnsafeBufferPointer<UInt8>, statements: [ModuleStatements.Statement], helpers: MentionedNames?) {
        self.buffer = buffer
        self.statements = statements
        self.helpers = helpers
        states = [UInt8](repeating: 0, count: statements.count)
        var slots = 64
        while slots < statements.count * 2 { slots *= 2 }
        heads = [Int32](repeating: -1, count: slots)
        for (index, statement) in statements.enumerated() where statement.partCount == 0 {
            if let target = statement.plainTarget {
                add(target, index)
            } else if statement.isClauseHeader {
                StatementSelection.forEachHeaderBinding(buffer, statement.range) { add($0, index) }
                if !statement.isPlainStatement { Self.forEachCodeName(buffer, statement.range) { add($0, index) } }
            } else if !statement.isPlainStatement {
                Self.forEachCodeName(buffer, statement.range) { add($0, index) }
            }
        }
    }

    private mutating func add(_ name: Range<Int>, _ statement: Int) {
        let hash = StatementSelection.hash(UnsafeBufferPointer(rebasing: buffer[name]))
        let slot = Int(truncatingIfNeeded: hash) & (heads.count - 1)
        entryHashes.append(hash)
        entryStatements.append(Int32(statement))
        entryNext.append(heads[slot])
        heads[slot] = Int32(entryHashes.count - 1)
    }

    /// Python's keywords by first letter (`a`…`z`, then `F`, `N`, `T`).
    private static let keywords: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 29)
        for word in [
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
            "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
            "pass", "raise", "return", "try", "while", "with", "yield",
        ] {
            let bytes = Array(word.utf8)
            table[keywordSlot(bytes[0])!].append(bytes)
        }
        return table
    }()

    private static func keywordSlot(_ first: UInt8) -> Int? {
        switch first {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(first - UInt8(ascii: "a"))
        case UInt8(ascii: "F"): return 26
        case UInt8(ascii: "N"): return 27
        case UInt8(ascii: "T"): return 28
        default: return nil
        }
    }

    private static func isKeyword(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count >= 2, let slot = keywordSlot(name[0]) else { return false }
        return keywords[slot].contains { $0.count == name.count && $0.elementsEqual(name) }
    }

    /// The names in the code of `range`: not in a comment or a string (but an f- or t-string's, whose fields
    /// hold code: its text is taken for names), nor keywords.
    static func forEachCodeName(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        let end = range.upperBound
        var index = range.lowerBound
        while index < end {
            let current = buffer[index]
            if current == UInt8(ascii: "#") {
                while index < end && buffer[index] != 0x0A && buffer[index] != 0x0D { index += 1 }
                continue
            }
            if current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") {
                if !TopLevelCode.stringPrefix(before: index, in: buffer).format {
                    // An unterminated string: its text is taken for names (what is left of the statement).
                    if let after = StatementSelection.stringEnd(buffer, at: index, end: end) { index = after; continue }
                }
                index += 1
                continue
            }
            guard TopLevelCode.isIdentifierByte(current) else {
                index += 1
                continue
            }
            let start = index
            while index < end, TopLevelCode.isIdentifierByte(buffer[index]) { index += 1 }
            // A string's prefix letters are not a name.
            if index < end, buffer[index] == UInt8(ascii: "'") || buffer[index] == UInt8(ascii: "\""), index - start <= 2 { continue }
            if current >= UInt8(ascii: "0") && current <= UInt8(ascii: "9") { continue }
            if index - start <= 8 && isKeyword(UnsafeBufferPointer(rebasing: buffer[start..<index])) { continue }
            body(start..<index)
        }
    }

    private static func isReadingWord(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count >= 3 && name.count <= 14 else { return false }
        return readingWords.contains { $0.count == name.count && $0.elementsEqual(name) }
    }

    /// Whether the statement at `index` (a leaf of the split) may read the environment.
    mutating func mayRead(_ index: Int) -> Bool {
        switch states[index] {
        case 1: return false
        case 2: return true
        default: break
        }
        // Breadth first over the statements binding the names each one mentions; `parents[k]`: the position in
        // `queue` of the statement that reached `queue[k]`.
        var queue = [index]
        var parents = [0]
        states[index] = 3
        var head = 0
        var reads = false
        var reading = -1
        search: while head < queue.count {
            let current = queue[head]
            head += 1
            guard queue.count < Self.visitLimit else { reads = true; reading = 0; break }
            var found = false
            Self.forEachCodeName(buffer, statements[current].range) { run in
                guard !found else { return }
                let name = UnsafeBufferPointer(rebasing: buffer[run])
                if Self.isReadingWord(name) { found = true; return }
                let hash = StatementSelection.hash(name)
                if let helpers, helpers.mayContain(name), helpers.contains(hash) { found = true; return }
                var entry = heads[Int(truncatingIfNeeded: hash) & (heads.count - 1)]
                while entry >= 0 {
                    if entryHashes[Int(entry)] == hash {
                        let binder = Int(entryStatements[Int(entry)])
                        switch states[binder] {
                        case 2: found = true; return
                        case 0:
                            states[binder] = 3
                            queue.append(binder)
                            parents.append(head - 1)
                        default: break
                        }
                    }
                    entry = entryNext[Int(entry)]
                }
            }
            if found {
                reads = true
                reading = head - 1
                break search
            }
        }
        if reads {
            // The statements on the way from the first to one that reads read too; the others visited are left
            // to be asked again.
            for visited in queue { states[visited] = 0 }
            var step = reading
            while true {
                states[queue[step]] = 2
                if step == 0 { break }
                step = parents[step]
            }
            states[index] = 2
        } else {
            // Nothing reachable reads: nothing reachable from any of them does either.
            for visited in queue { states[visited] = 1 }
        }
        return reads
    }
}
