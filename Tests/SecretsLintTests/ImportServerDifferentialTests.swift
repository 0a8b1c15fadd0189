import FixProperties
import PythonSyntax
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SecretsLint
@testable import SecretsLintServer

/// Issue #20 across project imports on the language server's path: `prod.py` or `dev.py` of generated split
/// settings (`ImportDifferentialTests`' modules) open in the server, edited at random (statements typed, pasted
/// and deleted, reads through names `base.py` binds and imports of it inserted, syntax broken) while `base.py`
/// is now and then saved with other bindings. After every edit the server publishes what `check`'s whole parse
/// finds, and its analysis of the text (the one its code actions fix from: statement-level, with the names the
/// imports lead to) gives the whole parse's findings, fix plan (loader placement included), `.env` and role.
struct ImportServerDifferentialTests {
    typealias Wire = LanguageServerTests.Wire

    private static func message(_ object: [(String, JSON)]) -> [UInt8] {
        Array(JSON.object([("jsonrpc", .string("2.0"))] + object).compact.utf8)
    }

    private static func position(_ position: Position) -> JSON {
        .object([("line", .number(position.line)), ("character", .number(position.character))])
    }

    /// What may be typed or pasted at a line's start besides `LanguageServerDifferentialTests.change`'s edits.
    static let insertions: [String] = ImportDifferentialTests.wordlessReads + ImportDifferentialTests.wordlessImports
        + ImportDifferentialTests.importLines + ImportDifferentialTests.importingStatements + ["import sys", "from . import base"]

    static func baseModule(_ random: inout SplitMix64) -> String {
        random.next() % 2 == 0 ? ImportDifferentialTests.wordlessBaseModule(&random) : ImportDifferentialTests.baseModule(&random)
    }

    @Test func editsOfSplitSettingsPublishWhatCheckFinds() throws {
        let parser = try PythonParser()
        let properties = try FixProperties()
        var full = Linter(settings: LintSettings())
        full.usesStatementSelection = false
        // More documents (and another seed) on demand: DJLINT_SECRETS_SERVER_IMPORT_DOCUMENTS=400.
        let documents = getenv("DJLINT_SECRETS_SERVER_IMPORT_DOCUMENTS").flatMap { Int(String(cString: $0)) } ?? 40
        var random = SplitMix64(seed: documents == 40 ? 0x1_3B0_5E : UInt64(documents))
        var compared = 0, selected = 0, moved = 0
        for _ in 0..<documents {
            let name = random.next() % 3 == 0 ? "dev.py" : "prod.py"
            var text = random.next() % 2 == 0
                ? ImportDifferentialTests.wordlessImportingModule(&random) : ImportDifferentialTests.importingModule(&random)
            let project = try TemporaryProject([
                "manage.py": "", "mysite/__init__.py": "", "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": Self.baseModule(&random), "mysite/settings/common.py": ImportDifferentialTests.commonModule,
                "mysite/settings/" + name: String(decoding: text, as: UTF8.self),
            ])
            let relative = "mysite/settings/" + name
            let uri = "file://" + project.root + "/" + relative
            let wire = Wire()
            let server = try LanguageServer(send: wire.take, log: { _ in })
            server.handle(Self.message([("id", .number(1)), ("method", .string("initialize")), ("params", .object([
                ("rootUri", .string("file://" + project.root)),
            ]))]))
            server.handle(Self.message([("method", .string("textDocument/didOpen")), ("params", .object([
                ("textDocument", .object([
                    ("uri", .string(uri)), ("languageId", .string("python")), ("version", .number(1)),
                    ("text", .string(String(decoding: text, as: UTF8.self))),
                ])),
            ]))]))
            var version = 1
            for _ in 0..<15 {
                // `base.py` saved with other bindings: seen on the next edit here.
                if random.next() % 6 == 0 { try project.write("mysite/settings/base.py", Self.baseModule(&random)) }
                var range: Range<Int>, replacement: [UInt8]
                if random.next() % 3 == 0 {
                    let lineStarts = [0] + text.indices.filter { text[$0] == 0x0A }.map { $0 + 1 }
                    let start = lineStarts[Int(random.next() % UInt64(lineStarts.count))]
                    range = start..<start
                    replacement = Array((ImportDifferentialTests.pick(Self.insertions, &random) + "\n").utf8)
                } else {
                    (range, replacement, _) = LanguageServerDifferentialTests.change(text, &random)
                }
                let before = SourceText(bytes: text)
                text.replaceSubrange(range, with: replacement)
                version += 1
                server.handle(Self.message([("method", .string("textDocument/didChange")), ("params", .object([
                    ("textDocument", .object([("uri", .string(uri)), ("version", .number(version))])),
                    ("contentChanges", .array([.object([
                        ("range", .object([
                            ("start", Self.position(UTF16Positions.position(ofByte: range.lowerBound, in: before))),
                            ("end", Self.position(UTF16Positions.position(ofByte: range.upperBound, in: before))),
                        ])),
                        ("text", .string(String(decoding: replacement, as: UTF8.self))),
                    ])])),
                ]))]))
                let document = try #require(server.documents[uri])
                #expect(document.source.bytes == text)
                let source = SourceText(bytes: text)
                let expected = (try? full.analyze(
                    path: relative, source: source, parser: parser, imports: SettingsImports(parser: parser, baseFolder: project.root)))?.findings ?? []
                let published = try #require(wire.sent.last)
                #expect(published["params"]?["version"]?.intValue == version)
                let shown = published["params"]?["diagnostics"]?.arrayValue?.map { [$0["code"], $0["range"], $0["message"]] }
                let wanted = expected.map { [JSON.string($0.code), LanguageServer.range($0.range, in: source), JSON.string($0.message)] }
                let described = "base.py:\n\(project.read("mysite/settings/base.py") ?? "")\n\(name):\n\(String(decoding: text, as: UTF8.self))"
                #expect(shown == wanted, "\(described)")
                // What a code action fixes from.
                if let analysis = document.currentAnalysis(parser: parser) {
                    if analysis.isStatementSelection && analysis.followsProjectImports { selected += 1 }
                    let violation = properties.differential(
                        analysis, path: relative, imports: SettingsImports(parser: parser, baseFolder: project.root))
                    #expect(violation == nil, "\(violation.map(String.init(describing:)) ?? "")\n\(described)")
                }
                compared += 1
            }
            moved += server.documents[uri]?.editsWithFindingsMoved ?? 0
        }
        #expect(compared == documents * 15)
        // Worth something only when the statement-level path follows the imports often, and the fast paths run.
        #expect(selected > compared / 8, "statement-level analyses following imports: \(selected) of \(compared)")
        #expect(moved > 0, "findings moved without an analysis after \(moved) of \(compared) edits")
    }
}
