import Testing
@testable import SecretsLint
import PythonSyntax

/// Bad syntax and pathological nesting never crash the engine.
struct RobustnessTests {
    @Test func errorNodesHaveATypeAndFindingsElsewhereRemain() throws {
        // Error nodes carry tree-sitter's built-in symbol, outside the grammar's symbol table.
        let code = "DEBUG = True\ndef (:\nx = [1,\n"
        let tree = try PythonParser().parse(SourceText(code))
        var types: [String] = []
        tree.root.walk { node in
            types.append(node.type)
            return true
        }
        #expect(types.contains("ERROR"))
        #expect(lint(code).map(\.code) == ["DJS005"])
    }

    @Test func nestingIsMeasuredWithoutRecursion() throws {
        let parser = try PythonParser()
        let shallow = try parser.parse(SourceText("X = ((1))\n"))
        #expect(!shallow.root.nests(deeperThan: 20))
        #expect(shallow.root.nests(deeperThan: 2))
        let deep = try parser.parse(SourceText("X = " + String(repeating: "(", count: 200_000) + "1" + String(repeating: ")", count: 200_000) + "\n"))
        #expect(deep.root.nests(deeperThan: Linter.maximumNesting))
    }

    @Test(arguments: [
        "DEBUG = " + String(repeating: "(", count: 5_000) + "True" + String(repeating: ")", count: 5_000) + "\n",
        "SECRET_KEY = " + Array(repeating: "'ab'", count: 20_000).joined(separator: " + ") + "\n",
        "DEBUG = " + String(repeating: "not ", count: 20_000) + "False\n",
        "DATABASES = " + String(repeating: "{'a': ", count: 5_000) + "1" + String(repeating: "}", count: 5_000) + "\n",
    ])
    func codeNestedTooDeepIsRefusedNotCrashed(code: String) throws {
        #expect(throws: AnalysisError.self) {
            try Linter(settings: LintSettings()).analyze(path: "settings.py", source: SourceText(code), parser: PythonParser())
        }
    }

    @Test func nestingJustUnderTheLimitIsCheckedOnASmallStack() throws {
        // 480 nested dicts are about 960 tree levels: checked, and fixed, on any thread.
        let code = "DATABASES = " + String(repeating: "{'a': ", count: 480) + "{'PASSWORD': 'hunter2hunter2'}" + String(repeating: "}", count: 480) + "\n"
        #expect(lint(code).map(\.code) == ["DJS008"])
    }

    @Test func aHugeDiffFallsBackToOneBlock() {
        let old = Array(String(repeating: "DEBUG = True\n", count: 3_000).utf8)
        let new = Array(String(repeating: "DEBUG = False\n", count: 3_000).utf8)
        let diff = UnifiedDiff.render(old: old, new: new, path: "s.py")
        #expect(diff.hasPrefix("--- s.py\n+++ s.py\n@@ -1,3000 +1,3000 @@\n-DEBUG = True\n"))
    }

    @Test func thePrefilterKeepsFilesItCannotJudge() {
        // A line that exhausts the regex engine's stack must not hide the DEBUG below it.
        let code = String(repeating: "a,", count: 200_000) + "a = 1\nDEBUG = True\n"
        #expect(Prefilter(settings: LintSettings()).mayHaveFindings(Array(code.utf8), path: "app/settings.py"))
    }
}
