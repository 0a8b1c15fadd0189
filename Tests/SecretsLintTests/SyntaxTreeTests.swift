import Testing
@testable import SecretsLint
import PythonSyntax

/// The node table `SyntaxNode` reads is a copy of tree-sitter's tree: the same nodes, fields and flags.
struct SyntaxTreeTests {
    /// Sources with every kind of statement the rules read, broken ones among them (errors, missing nodes).
    static var sources: [String] {
        var sources = [
            "import os\nSECRET_KEY = os.environ.get('K', 'x')\nDEBUG = True\n",
            "class Base(Configuration):\n    DEBUG = values.BooleanValue(True)\n    @property\n    def X(self): return 1\n",
            "if DEBUG:\n    X = [1, 2, (3, 4)]\nelif Y:\n    pass\nelse:\n    Z = {'a': f'{b!r:>10}'}\n",
            "try:\n    from .local import *\nexcept ImportError:\n    pass\nfinally:\n    del X\n",
            "X = (1 +\n", "def f(:\n    return\n", "X = [1, 2\nY = 3\n", "x = 'unterminated\n", "a = b = c, d = 1, 2\n",
            "lambda: (yield)\nprint(*args, **kw)\nX: int = 3\nwith open(p) as f, g: pass\n",
        ]
        for code in ["DJS001", "DJS002", "DJS004", "DJS008", "DJS013"] {
            let folder = URLlessFile.repositoryRoot() + "/Tests/SecretsLintTests/Fixtures/rules/" + code
            for name in ["triggers.py", "ignores.py"] where FileSystem.exists(folder + "/" + name) {
                sources.append(URLlessFile.read(repositoryPath: "Tests/SecretsLintTests/Fixtures/rules/\(code)/\(name)"))
            }
        }
        return sources
    }

    /// tree-sitter's S-expression, rendered from the table: named nodes with their fields, missing ones marked.
    static func render(_ node: SyntaxNode, field: String? = nil) -> String {
        var text = field.map { $0 + ": " } ?? ""
        if node.isMissing {
            text += node.isNamed ? "(MISSING \(node.type))" : "(MISSING \"\(node.type)\")"
            return text
        }
        text += "(" + node.type
        for child in node.children where child.isNamed || child.isMissing || child.fieldNameInParent != nil && child.isNamed {
            text += " " + render(child, field: child.fieldNameInParent)
        }
        return text + ")"
    }

    @Test func theTableHoldsTreeSittersTree() throws {
        let parser = try PythonParser()
        for source in Self.sources {
            let tree = try parser.parse(SourceText(source))
            #expect(Self.render(tree.root) == tree.root.treeDescription, "\(source)")
            var count = 0
            tree.root.walk { node in
                count += 1
                // Children lie inside their parent, in order, and each one's parent is the node.
                var previousEnd = node.startByte
                for child in node.children {
                    #expect(child.parent.map { $0 == node } ?? false)
                    #expect(child.startByte >= previousEnd && child.endByte <= node.endByte)
                    previousEnd = child.endByte
                }
                #expect(node.children.count == node.childCount)
                #expect(node.namedChildren.count == node.namedChildCount)
                if let next = node.nextSibling { #expect(next.previousSibling.map { $0 == node } ?? false) }
                #expect(node.hasError == (node.isError || node.isMissing || node.children.contains(where: \.hasError)))
                return true
            }
            #expect(count > 1)
        }
    }

    @Test func kindsAreTypes() throws {
        let parser = try PythonParser()
        var seen = Set<NodeKind>()
        for source in Self.sources {
            try parser.parse(SourceText(source)).root.walk { node in
                let kind = node.kind
                seen.insert(kind)
                if kind == .other {
                    #expect(!NodeKind.allCases.contains { $0 != .other && $0.grammarName == node.type }, "\(node.type)")
                } else {
                    #expect(kind.grammarName == node.type)
                }
                return true
            }
        }
        // Every kind the hot paths test appears in the sources, so the test above has looked at it.
        for kind: NodeKind in [.identifier, .attribute, .call, .subscript, .comparisonOperator, .error] { #expect(seen.contains(kind), "\(kind)") }
    }

    /// A `NodeField` finds what its grammar name finds, on every node of the sources; each one names a field of
    /// the grammar (a misspelt one would find nothing, silently).
    @Test func fieldsAreFieldNames() throws {
        let parser = try PythonParser()
        var found = Set<NodeField>()
        for source in Self.sources {
            try parser.parse(SourceText(source)).root.walk { node in
                for field in NodeField.allCases {
                    let byName = node.child(field: field.grammarName)
                    let byField = node.child(field: field)
                    #expect(byField.map { child in byName.map { $0 == child } ?? false } ?? (byName == nil), "\(field) in \(node.type)")
                    #expect(node.children(field: field).map(\.byteRange) == node.children(field: field.grammarName).map(\.byteRange))
                    if byName != nil { found.insert(field) }
                }
                return true
            }
        }
        for field in [NodeField.function, .object, .attribute, .left, .right, .value, .name, .operator, .subscript, .moduleName] {
            #expect(found.contains(field), "\(field)")
        }
    }

    /// `forEachNode(ofKind:)` finds the nodes a whole walk finds, in the same order, from any node.
    @Test func nodesOfAKindAreTheWalksNodes() throws {
        let parser = try PythonParser()
        for source in Self.sources {
            let root = try parser.parse(SourceText(source)).root
            for start in [root] + root.namedChildren {
                for kind in [NodeKind.comment, .string, .call, .identifier, .error, .other] {
                    var walked: [Range<Int>] = [], listed: [Range<Int>] = []
                    start.walk { node in
                        if node.kind == kind { walked.append(node.byteRange) }
                        return true
                    }
                    start.forEachNode(ofKind: kind) { listed.append($0.byteRange) }
                    #expect(walked == listed, "\(kind) in \(source)")
                }
            }
        }
    }

    @Test func textTestsReadBytes() throws {
        let tree = try PythonParser().parse(SourceText("os.environ['é'] = getenv\n"))
        let assignment = tree.root.namedChild(0)!.namedChild(0)!
        let target = assignment.child(field: "left")!
        #expect(target.child(field: "value")!.child(field: "attribute")!.hasText("environ"))
        #expect(!target.child(field: "value")!.child(field: "attribute")!.hasText("environ "))
        #expect(!target.child(field: "value")!.child(field: "attribute")!.hasText("enviro"))
        #expect(assignment.child(field: "right")!.hasText("getenv"))
        #expect("mysite.settings.base".containsBytes("settings"))
        #expect(!"mysite.setting".containsBytes("settings"))
        #expect("é.x".containsBytes("."))
        #expect(!"".containsBytes("."))
    }
}
