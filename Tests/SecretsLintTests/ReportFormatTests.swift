import Testing
import PythonSyntax
@testable import SecretsLint

/// The pieces of the CI formats that no end-to-end test sees alone: the digest under GitLab's
/// fingerprints, and where `--add-noqa` puts its comments.
struct ReportFormatTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256MatchesTheStandardVectors(input: String, digest: String) {
        #expect(SHA256.hexDigest(input) == digest)
    }

    @Test func fingerprintsCountRepeatsAndIgnoreLines() {
        var occurrences: [String: Int] = [:]
        let first = GitLabCodeQuality.fingerprint(path: "a.py", code: "DJS008", subject: "DATABASES", occurrences: &occurrences)
        let second = GitLabCodeQuality.fingerprint(path: "a.py", code: "DJS008", subject: "DATABASES", occurrences: &occurrences)
        var again: [String: Int] = [:]
        #expect(first != second)
        #expect(GitLabCodeQuality.fingerprint(path: "a.py", code: "DJS008", subject: "DATABASES", occurrences: &again) == first)
        #expect(GitLabCodeQuality.repositoryPath("./mysite/settings.py") == "mysite/settings.py")
    }

    func withNoqa(_ text: String, codes: [Int: Set<String>]) throws -> String {
        let tree = try PythonParser().parse(SourceText(text))
        let planned = NoqaComments(tree: tree).edits(adding: codes)
        return String(decoding: EditApplier.apply(planned.edits, to: Array(text.utf8)).bytes, as: UTF8.self)
    }

    @Test func codesJoinAListGoAfterAnotherCommentAndSkipABareNoqa() throws {
        #expect(try withNoqa("X = 1  # noqa: E501\n", codes: [0: ["DJS001"]]) == "X = 1  # noqa: E501, DJS001\n")
        #expect(try withNoqa("X = 1  # noqa:E501 long line\n", codes: [0: ["DJS001"]]) == "X = 1  # noqa:E501, DJS001 long line\n")
        #expect(try withNoqa("X = 1  # noqa: DJS001\n", codes: [0: ["DJS001"]]) == "X = 1  # noqa: DJS001\n")
        #expect(try withNoqa("X = 1  # noqa\n", codes: [0: ["DJS001"]]) == "X = 1  # noqa\n")
        #expect(try withNoqa("X = 1  # see noqa docs   \n", codes: [0: ["DJS005", "DJS001"]]) == "X = 1  # see noqa docs  # noqa: DJS001, DJS005\n")
        #expect(try withNoqa("X = 1\t \r\nY = 2\r\n", codes: [0: ["DJS001"]]) == "X = 1  # noqa: DJS001\r\nY = 2\r\n")
    }

    @Test func theCommentLineSkipsLineEndsInsideStringsAndAfterBackslashes() throws {
        let text = "A = 1\nKEY = '''x\ny''' + \\\n    'z'\nB = (\n    'p'  # c \\\n)\n"
        let tree = try PythonParser().parse(SourceText(text))
        #expect(Suppressions.commentLine(from: 0, tree: tree) == 0)
        #expect(Suppressions.commentLine(from: 6, tree: tree) == 3)
        let bStart = Array(text.utf8).firstIndex(of: UInt8(ascii: "B"))!
        #expect(Suppressions.commentLine(from: bStart, tree: tree) == 4)
    }
}
