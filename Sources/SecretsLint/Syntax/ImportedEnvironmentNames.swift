import PythonSyntax

/// The names through which a settings module reads the environment by way of other modules of the project
/// (issue #20, statement-level analysis across project imports). `prod.py` doing `from .base import *` where
/// `base.py` has `ge = os.getenv`, `E = os.environ`, `def helper(name): return os.environ.get(name)` or
/// `from decouple import config as get` reads through `ge("ZONE", "UTC")`, `E.get("A")`, `helper("A")` or
/// `get("A")`: no word `StatementSelection` looks for, yet the whole parse (whose model merges what `base.py`
/// binds) takes each for a read, and the file's first read decides where a loader a fix adds goes.
/// `StatementSelection` keeps every statement that mentions one of these names, as it keeps those mentioning a
/// helper or an environment alias the module binds itself.
///
/// The names are what `ModuleBindings.merge` carries from the other module into this one, as the settings model
/// built with the same `SettingsImports` sees it: readers, `getenv` functions, environment mappings, decouple
/// configs, django-environ modules, classes and instances, reading helpers, names derived from a read, and the
/// functions and modules that make keys (DJS009) — the bound name here (`from .base import env as reader`
/// gives `reader`; a star import, each such name `base.py` exports); for `from . import base`, the name `base`
/// itself, the root of `base.ge(…)` and `base.os.environ.get(…)`, when the module binds any such name or an `os`
/// module. Left out of the names bound here, because the selection's
/// word test already treats a statement mentioning them as it treats one mentioning a local binding of the same
/// name: a name holding `env` or `config` in any letter case (its reads are the reads `words` recognises, each
/// root's first kept after the import that binds it; any other mention keeps its statement), and a name that
/// stands only for the `os` module (a read through it goes through `.environ` or `.getenv`).
///
/// Only import statements decide these names, and the selection always keeps them: the names worked out from
/// any statement-level tree of a text are those of its whole tree.
enum ImportedEnvironmentNames {
    /// The names for the module at `path` whose (statement-level or whole) tree is `root`, through `imports`.
    /// Empty when its imports lead to no module of the project or those bind nothing that reads.
    static func names(in root: SyntaxNode, path: String, imports: SettingsImports) -> [String] {
        var names: [String] = []
        forEachImport(in: root) { statement in
            if let reference = ProjectImport(statement), let other = imports.bindings(of: reference, importedBy: path) {
                switch reference.names {
                case .all:
                    for name in other.starExports where other.readsThrough(name) && Self.needsKeeping(name) { names.append(name) }
                case .some(let pairs):
                    for (exported, local) in pairs where other.boundNames.contains(exported) && other.readsThrough(exported) && Self.needsKeeping(local) {
                        names.append(local)
                    }
                }
            }
            // `from . import base`: `base.ge(…)` reads through what `merge(_:asModule:)` carries. Kept whatever the
            // name: the word test takes `base` for the root of both `base.config("A")` and `base.os.environ.get("A")`,
            // and keeps the first read of a root only, though the first reads nothing when `base.py` binds no `config`.
            for (reference, local) in ProjectImport.modules(statement) {
                guard let other = imports.bindings(of: reference, importedBy: path) else { continue }
                if other.carriesAsModule { names.append(local) }
            }
        }
        return names
    }

    /// `names` with, to a fixed point, the target of each plain assignment of `statements` (the module's split)
    /// that mentions one: a name bound to what is read through an imported name (`E2 = E.get("A")`) is derived
    /// from the environment, and the settings model takes each mention of it for a read, one before that
    /// assignment too (its bindings are the whole module's).
    static func withDerivedNames(_ names: [String], source: SourceText, statements: [ModuleStatements.Statement]) -> [String] {
        guard !names.isEmpty else { return names }
        var known = Set(names.map { Array($0.utf8) })
        var result = names
        let bytes = source.bytes
        var added = true
        while added {
            added = false
            for statement in statements where statement.partCount == 0 {
                guard let target = statement.plainTarget else { continue }
                let name = Array(bytes[target])
                guard !known.contains(name) else { continue }
                var mentions = false
                TopLevelCode.forEachNameRun(in: bytes, statement.range) { run in
                    if !mentions && run != target { mentions = known.contains(Array(bytes[run])) }
                }
                if mentions {
                    known.insert(name)
                    result.append(String(decoding: name, as: UTF8.self))
                    added = true
                }
            }
        }
        return result
    }

    /// Whether some import statement where the settings model records bindings may name a module of the
    /// project (`ProjectImport`): without one, nothing is followed and the settings model need not be asked.
    static func mayImportProjectModules(_ root: SyntaxNode) -> Bool {
        var found = false
        forEachImport(in: root) { statement in
            if !found { found = ProjectImport(statement) != nil || !ProjectImport.modules(statement).isEmpty }
        }
        return found
    }

    /// A name whose mentions the word test does not already keep as it would a local binding's.
    private static func needsKeeping(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { !(ByteSearch.containsIgnoringCase($0, "env") || ByteSearch.containsIgnoringCase($0, "config")) }
    }

    /// Each `from … import …` statement where the settings model records bindings: at module level and in the
    /// blocks of `if`, `try`, `with` and class statements (not in functions, whose imports bind locally); in
    /// `for` and `while` blocks too (more names only keep more statements).
    private static func forEachImport(in block: SyntaxNode, _ body: (SyntaxNode) -> Void) {
        for statement in block.namedChildren {
            switch statement.type {
            case "import_from_statement":
                body(statement)
            case "if_statement", "elif_clause", "else_clause", "try_statement", "except_clause", "except_group_clause", "finally_clause",
                 "with_statement", "for_statement", "while_statement", "class_definition", "decorated_definition", "block":
                forEachImport(in: statement, body)
            default:
                break
            }
        }
    }
}

extension ModuleBindings {
    /// `name`, bound here, is one that `merge(_:importedBy:)` carries into an importing module as something that
    /// reads the environment, stands for it or makes a key, other than an `os` module alone.
    func readsThrough(_ name: String) -> Bool {
        environMappings.contains(name) || getenvFunctions.contains(name) || environModules.contains(name)
            || environClasses.contains(name) || decoupleConfigs.contains(name) || decoupleModules.contains(name)
            || randomKeyFunctions.contains(name) || secretsModules.contains(name) || secretsFunctions.contains(name)
            || randomModules.contains(name) || randomFunctions.contains(name) || djangoUtilsModules.contains(name)
            || environmentDerivedNames.contains(name) || envInstances[name] != nil || environmentHelpers[name] != nil
    }

    /// `merge(_:asModule:)` carries some name (as `local.name`).
    var carriesAsModule: Bool {
        !(osModules.isEmpty && environMappings.isEmpty && getenvFunctions.isEmpty && environModules.isEmpty && environClasses.isEmpty
            && decoupleConfigs.isEmpty && decoupleModules.isEmpty && envInstances.isEmpty)
    }
}
