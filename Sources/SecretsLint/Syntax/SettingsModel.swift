import PythonSyntax

/// Where a settings-level statement sits, as far as the rules care.
public struct StatementContext {
    public var inClassBody = false
    /// Inside an `if`/`elif` whose condition reads the environment (or `sys.argv`): an explicit opt-in.
    public var environmentGated = false
    /// Inside a branch that runs only when DEBUG is true.
    public var debugGuarded = false
    /// Inside a branch that runs only on a CI service (`if os.environ.get("GITHUB_WORKFLOW"):`): test configuration.
    public var ciOnly = false
}

/// One setting given a value: `NAME = value`, `DATABASES["default"]["PASSWORD"] = value`, or an
/// entry of a dict literal assigned to a setting (`{"default": {"PASSWORD": value}}`).
/// Immutable, and a class: every rule goes through the model's list, and a copy of a struct of three nodes and a
/// path took five reference counts.
public final class SettingAssignment {
    /// The settings-level statement holding the assignment.
    public let statement: SyntaxNode
    /// The statement, or for a dict entry the entry itself: where a finding lands.
    public let anchor: SyntaxNode
    /// Setting name then nested keys: `["DATABASES", "default", "PASSWORD"]`.
    public let path: [String]
    public let value: SyntaxNode
    public let context: StatementContext

    public var name: String { path[0] }
    public var isNestedEntry: Bool { path.count > 1 }

    init(statement: SyntaxNode, anchor: SyntaxNode, path: [String], value: SyntaxNode, context: StatementContext) {
        self.statement = statement
        self.anchor = anchor
        self.path = path
        self.value = value
        self.context = context
    }
}

/// A settings-level expression statement that is not an assignment (`os.environ.setdefault(...)`).
public struct SettingExpression {
    public let statement: SyntaxNode
    public let expression: SyntaxNode
    public let context: StatementContext
}

/// The settings-level view of one parsed file: bindings, assignments and bare expressions.
public struct SettingsModel {
    public private(set) var bindings = ModuleBindings()
    public private(set) var assignments: [SettingAssignment] = []
    public private(set) var expressions: [SettingExpression] = []
    /// Imports of names from other modules of the project (`from .base import *`).
    public private(set) var projectImports: [ProjectImport] = []
    /// Names that `from . import base` binds, which may be modules of the project.
    public private(set) var moduleImportNames = Set<String>()
    /// The modules `from . import base` names.
    private var moduleImports: [ProjectImport] = []
    /// Module-level names bound to a test of a CI variable (`IS_CI = "CI" in os.environ`).
    public private(set) var ciFlags = Set<String>()
    private let imports: SettingsImports?
    private let path: String
    /// `everyClassIsSettings`: in a settings module every class body is class-based settings; elsewhere
    /// only classes derived from settings (`Configuration`, `BaseSettings`) and their subclasses.
    /// `imports`: where the modules this file imports from are found (at `path`); without it, names they
    /// bind are unknown here.
    public init(root: SyntaxNode, everyClassIsSettings: Bool = true, imports: SettingsImports? = nil, path: String = "") {
        self.imports = imports
        self.path = path
        var statements: [EnclosedStatement] = []
        var settingsClasses = Set<String>()
        Self.collectStatements(
            in: root, enclosing: EnclosedStatement.Enclosure(), into: &statements,
            classFilter: { definition in
                if everyClassIsSettings { return true }
                let name = definition.child(field: .name)?.text ?? ""
                let bases = definition.child(field: .superclasses)?.namedChildren.map(\.text) ?? []
                let looksLikeSettings = bases.contains { text in
                    text.containsBytes("Settings") || text.containsBytes("Configuration")
                } || bases.contains(where: settingsClasses.contains)
                if looksLikeSettings { settingsClasses.insert(name) }
                return looksLikeSettings
            })
        let source = root.tree.source.bytes
        bindings.mentionsOsEnvironment = source.withUnsafeBufferPointer {
            ByteSearch.contains($0, "os.environ") || ByteSearch.contains($0, "os.getenv")
        }
        // An assignment's (target, value) pairs serve both passes.
        let pairs = statements.map { recordBindings($0.statement) }
        // Each branch condition is looked at once, not once per statement of its branch.
        var conditions = OffsetTable<(environmentGated: Bool, debugGuarded: Bool, ciOnly: Bool)>()
        for (index, enclosed) in statements.enumerated() {
            recordSettings(enclosed.statement, pairs: pairs[index], context: context(of: enclosed.enclosure, conditions: &conditions))
        }
    }

    /// A settings-level statement with the class bodies and branch conditions around it.
    private struct EnclosedStatement {
        struct Enclosure {
            var inClassBody = false
            var conditions: [SyntaxNode] = []
        }
        let statement: SyntaxNode
        let enclosure: Enclosure
    }

    private static func collectStatements(
        in block: SyntaxNode, enclosing: EnclosedStatement.Enclosure, into statements: inout [EnclosedStatement],
        classFilter: (SyntaxNode) -> Bool
    ) {
        func branch(_ condition: SyntaxNode?) -> EnclosedStatement.Enclosure {
            var inner = enclosing
            if let condition { inner.conditions.append(condition) }
            return inner
        }
        for statement in block.namedChildren {
            switch statement.kind {
            case .ifStatement:
                statements.append(EnclosedStatement(statement: statement, enclosure: enclosing))
                if let body = statement.child(field: .consequence) {
                    collectStatements(in: body, enclosing: branch(statement.child(field: .condition)), into: &statements, classFilter: classFilter)
                }
                for alternative in statement.children(field: .alternative) {
                    if alternative.kind == .elifClause {
                        if let body = alternative.child(field: .consequence) {
                            collectStatements(in: body, enclosing: branch(alternative.child(field: .condition)), into: &statements, classFilter: classFilter)
                        }
                    } else if let body = alternative.child(field: .body) {
                        collectStatements(in: body, enclosing: enclosing, into: &statements, classFilter: classFilter)
                    }
                }
            case .tryStatement:
                for part in statement.namedChildren {
                    switch part.kind {
                    case .block:
                        collectStatements(in: part, enclosing: enclosing, into: &statements, classFilter: classFilter)
                    case .exceptClause, .exceptGroupClause, .elseClause, .finallyClause:
                        for block in part.namedChildren where block.kind == .block {
                            collectStatements(in: block, enclosing: enclosing, into: &statements, classFilter: classFilter)
                        }
                    default: break
                    }
                }
            case .withStatement:
                if let body = statement.child(field: .body) { collectStatements(in: body, enclosing: enclosing, into: &statements, classFilter: classFilter) }
            case .classDefinition, .decoratedDefinition:
                statements.append(EnclosedStatement(statement: statement, enclosure: enclosing))
                let definition = statement.kind == .classDefinition ? statement : statement.child(field: .definition)
                if let definition, definition.kind == .classDefinition, classFilter(definition),
                   let body = definition.child(field: .body) {
                    var classEnclosure = enclosing
                    classEnclosure.inClassBody = true
                    collectStatements(in: body, enclosing: classEnclosure, into: &statements, classFilter: classFilter)
                }
            case .error, .comment:
                continue
            default:
                statements.append(EnclosedStatement(statement: statement, enclosure: enclosing))
            }
        }
    }

    private func context(
        of enclosure: EnclosedStatement.Enclosure, conditions: inout OffsetTable<(environmentGated: Bool, debugGuarded: Bool, ciOnly: Bool)>
    ) -> StatementContext {
        var context = StatementContext()
        context.inClassBody = enclosure.inClassBody
        for condition in enclosure.conditions {
            let facts: (environmentGated: Bool, debugGuarded: Bool, ciOnly: Bool)
            if let known = conditions[condition.startByte] {
                facts = known
            } else {
                let readsEnvironment = bindings.readsEnvironment(condition)
                facts = (
                    readsEnvironment || Self.readsCommandLine(condition), Self.runsOnlyWhenDebug(condition),
                    readsEnvironment && ContinuousIntegration.runsOnlyInCI(condition, bindings: bindings, flags: ciFlags))
                conditions[condition.startByte] = facts
            }
            if facts.environmentGated { context.environmentGated = true }
            if facts.debugGuarded { context.debugGuarded = true }
            if facts.ciOnly { context.ciOnly = true }
        }
        return context
    }

    private static let attributes = NodeKindSet([.attribute])
    private static let calls = NodeKindSet([.call])

    /// `if "runserver" in sys.argv:` is an explicit opt-in like an environment variable.
    private static func readsCommandLine(_ condition: SyntaxNode) -> Bool {
        var found = false
        condition.forEachNode(ofKinds: Self.attributes) { node in
            found = node.hasText("sys.argv")
            return !found
        }
        return found
    }

    static func runsOnlyWhenDebug(_ condition: SyntaxNode) -> Bool {
        switch condition.kind {
        case .identifier:
            return condition.hasText("DEBUG")
        case .attribute:
            return condition.child(field: .attribute)?.hasText("DEBUG") == true
        case .parenthesizedExpression:
            return condition.namedChild(0).map(runsOnlyWhenDebug) ?? false
        case .booleanOperator:
            guard condition.child(field: .operator)?.type == "and" else { return false }
            return [condition.child(field: .left), condition.child(field: .right)]
                .compactMap { $0 }.contains(where: runsOnlyWhenDebug)
        case .comparisonOperator:
            let operands = condition.namedChildren
            let operators = condition.children(field: .operators).map(\.type)
            guard operands.count == 2, operators == ["is"] || operators == ["=="] else { return false }
            return runsOnlyWhenDebug(operands[0]) && operands[1].kind == .`true`
        default:
            return false
        }
    }

    /// Returns the (target, value) pairs of an assignment statement, none for any other.
    private mutating func recordBindings(_ statement: SyntaxNode) -> [(SyntaxNode, SyntaxNode)] {
        switch statement.kind {
        case .importStatement:
            bindings.record(importStatement: statement)
        case .importFromStatement:
            bindings.record(importStatement: statement)
            if let reference = ProjectImport(statement) {
                projectImports.append(reference)
                if let imports, let other = imports.bindings(of: reference, importedBy: path) {
                    bindings.merge(other, importedBy: reference)
                }
            }
            // `from . import base`: each listed name that is a module of the package binds its readers as `base.…`.
            for (reference, local) in ProjectImport.modules(statement) {
                moduleImportNames.insert(local)
                moduleImports.append(reference)
                if let imports, let other = imports.bindings(of: reference, importedBy: path) { bindings.merge(other, asModule: local) }
            }
        case .classDefinition:
            if let name = statement.child(field: .name)?.text { bindings.boundNames.insert(name) }
        case .functionDefinition:
            guard let name = statement.child(field: .name)?.text else { return [] }
            bindings.boundNames.insert(name)
            bindings.environmentHelpers[name] = EnvironmentHelper.detect(statement, bindings: bindings)
            bindings.localFunctions[name] = bindings.environmentHelpers[name] == nil ? statement : nil
        case .decoratedDefinition:
            if let name = statement.child(field: .definition)?.child(field: .name)?.text { bindings.boundNames.insert(name) }
        case .expressionStatement:
            if let call = statement.namedChild(0), call.kind == .call { bindings.record(call: call) }
            guard let assignment = statement.namedChild(0), assignment.kind == .assignment else { return [] }
            let pairs = Self.targetValuePairs(assignment)
            for (target, value) in pairs where target.kind == .identifier {
                bindings.record(assignmentTarget: target.text, value: value)
                if bindings.readsEnvironment(value) {
                    bindings.environmentDerivedNames.insert(target.text)
                    if statement.parent?.kind == .module, ContinuousIntegration.runsOnlyInCI(value, bindings: bindings, flags: ciFlags) {
                        ciFlags.insert(target.text)
                    }
                }
            }
            return pairs
        default:
            break
        }
        return []
    }

    /// `pairs`: the statement's, as `recordBindings` gave them.
    private mutating func recordSettings(_ statement: SyntaxNode, pairs: [(SyntaxNode, SyntaxNode)], context: StatementContext) {
        guard statement.kind == .expressionStatement, let expression = statement.namedChild(0) else { return }
        if expression.kind == .assignment {
            for (target, value) in pairs {
                guard let path = Self.settingPath(target) else { continue }
                assignments.append(SettingAssignment(
                    statement: statement, anchor: statement, path: path, value: value, context: context))
                collectEntries(of: value, path: path, statement: statement, context: context)
            }
        } else {
            expressions.append(SettingExpression(statement: statement, expression: expression, context: context))
        }
    }

    /// Some setting is computed by a call through a name that a project import may bind: a star import
    /// and a callee this file does not bind, or a name the import lists. Only then is the other module
    /// worth parsing.
    public var callsThroughImportedNames: Bool {
        guard !projectImports.isEmpty || !moduleImportNames.isEmpty else { return false }
        let starImport = projectImports.contains { if case .all = $0.names { return true } else { return false } }
        let listed = Set(projectImports.flatMap(\.localNames))
        var found = false
        for assignment in assignments where assignment.anchor == assignment.statement {
            assignment.value.forEachNode(ofKinds: Self.calls) { node in
                if let callee = node.child(field: .function).flatMap(Self.rootName) {
                    found = listed.contains(callee) || moduleImportNames.contains(callee)
                        || (starImport && !bindings.boundNames.contains(callee))
                }
                return !found
            }
            if found { return true }
        }
        return false
    }

    /// Whether some project import of the file leads to a module file from `path`: when none does, a model
    /// built with `imports` is this one (nothing to merge).
    func importsLeadSomewhere(_ imports: SettingsImports, path: String) -> Bool {
        (projectImports + moduleImports).contains { imports.modulePath(of: $0, importedBy: path) != nil }
    }

    /// `env` for `env`, `env.bool`, `env.str.__call__`.
    private static func rootName(_ callee: SyntaxNode) -> String? {
        switch callee.kind {
        case .identifier: return callee.text
        case .attribute: return callee.child(field: .object).flatMap(rootName)
        default: return nil
        }
    }

    /// Entries of dict literals (and `dict(...)` calls) become assignments to nested paths.
    private mutating func collectEntries(of value: SyntaxNode, path: [String], statement: SyntaxNode, context: StatementContext) {
        switch value.kind {
        case .dictionary:
            for pair in value.namedChildren where pair.kind == .pair {
                guard let keyNode = pair.child(field: .key), let key = StaticValue.evaluate(keyNode)?.stringValue,
                      let entry = pair.child(field: .value) else { continue }
                let entryPath = path + [key]
                assignments.append(SettingAssignment(
                    statement: statement, anchor: pair, path: entryPath, value: entry, context: context))
                collectEntries(of: entry, path: entryPath, statement: statement, context: context)
            }
        case .call:
            guard value.child(field: .function)?.hasText("dict") == true else { return }
            let arguments = CallArguments(value)
            for (key, entry) in arguments.keywords {
                guard let argument = entry.parent else { continue }
                let entryPath = path + [key]
                assignments.append(SettingAssignment(
                    statement: statement, anchor: argument, path: entryPath, value: entry, context: context))
                collectEntries(of: entry, path: entryPath, statement: statement, context: context)
            }
        case .parenthesizedExpression:
            if let inner = value.namedChild(0) { collectEntries(of: inner, path: path, statement: statement, context: context) }
        default:
            break
        }
    }

    /// `A = B = v`, `A, B = v1, v2`, `A: T = v` as (target, value) pairs.
    static func targetValuePairs(_ assignment: SyntaxNode) -> [(SyntaxNode, SyntaxNode)] {
        guard let left = assignment.child(field: .left) else { return [] }
        guard var right = assignment.child(field: .right) else { return [] }
        var targets = [left]
        while right.kind == .assignment, let next = right.child(field: .left), let nextRight = right.child(field: .right) {
            targets.append(next)
            right = nextRight
        }
        var pairs: [(SyntaxNode, SyntaxNode)] = []
        for target in targets {
            if target.kind == .patternList || target.kind == .tuplePattern || target.kind == .listPattern {
                let names = target.namedChildren
                var values = right.namedChildren
                if right.kind == .parenthesizedExpression, let inner = right.namedChild(0) { values = inner.namedChildren }
                guard right.kind == .expressionList || right.kind == .tuple || right.kind == .list || right.kind == .parenthesizedExpression,
                      names.count == values.count else { continue }
                pairs.append(contentsOf: zip(names, values).map { ($0, $1) })
            } else {
                pairs.append((target, right))
            }
        }
        return pairs
    }

    /// `NAME` → ["NAME"]; `NAME["a"]["b"]` → ["NAME", "a", "b"]; anything else → nil.
    static func settingPath(_ target: SyntaxNode) -> [String]? {
        switch target.kind {
        case .identifier:
            return [target.text]
        case .`subscript`:
            guard let value = target.child(field: .value), var path = settingPath(value),
                  let keyNode = target.child(field: .subscript),
                  let key = StaticValue.evaluate(keyNode)?.stringValue else { return nil }
            path.append(key)
            return path
        default:
            return nil
        }
    }
}
