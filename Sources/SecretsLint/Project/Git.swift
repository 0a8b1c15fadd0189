#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

/// A commit that holds a value.
public struct CommitReference: Equatable {
    public let shortID: String
    public let date: String
}

/// A `SECRET_KEY` string literal that a commit added to a Python file.
public struct PastKeyLiteral: Equatable {
    public let value: String
    /// The oldest commit that added it.
    public let commit: CommitReference
    /// The file's path inside the repository as of that commit, and the added line's number there.
    public let path: String
    public let line: Int
}

/// The git work tree around a folder, queried through the git CLI with argument arrays.
public final class GitRepository {
    public let root: String
    private var historyCache: [String: CommitReference?] = [:]
    private var pastKeys: [PastKeyLiteral]?
    /// How often this run read the whole history; the runner asks for every value at once, so one.
    public private(set) var historyPasses = 0

    private init(root: String) { self.root = root }

    /// The work tree holding `directory`, or nil when there is none (or no git at all).
    public static func containing(_ directory: String) -> GitRepository? {
        guard let result = Subprocess.run(["git", "-C", directory, "rev-parse", "--show-toplevel"]),
              result.status == 0 else { return nil }
        let root = String(decoding: result.output, as: UTF8.self).trimmingSuffix("\n")
        return root.isEmpty ? nil : GitRepository(root: root)
    }

    /// The nearest folder at or above `directory` holding a `.git` entry (folder or file), found without
    /// starting git: most folders of a tree share one, and git is asked once per such folder.
    /// nil when the environment sets where git looks (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_CEILING_DIRECTORIES`):
    /// then only git can tell, folder by folder.
    static func candidateTop(of directory: String) -> String?? {
        for variable in ["GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES"] where getenv(variable) != nil { return nil }
        var candidate = FileSystem.absolute(directory)
        while true {
            if FileSystem.exists(candidate == "/" ? "/.git" : candidate + "/.git") { return .some(candidate) }
            let parent = FileSystem.parentDirectory(of: candidate)
            if parent == candidate { return .some(nil) }
            candidate = parent
        }
    }

    public func isTracked(_ path: String) -> Bool {
        Subprocess.run(["git", "-C", root, "ls-files", "--error-unmatch", "--", path])?.status == 0
    }

    public func isIgnored(_ path: String) -> Bool {
        Subprocess.run(["git", "-C", root, "check-ignore", "-q", "--no-index", "--", path])?.status == 0
    }

    /// For each value, the oldest commit whose diff adds it. Values not asked before cost one pass over
    /// the history for all of them; answers are cached for the rest of the run.
    public func commitsHolding(_ values: [String]) -> [String: CommitReference] {
        scanHistory(for: values)
        var found: [String: CommitReference] = [:]
        for value in values {
            if case .some(.some(let commit)) = historyCache[value] { found[value] = commit }
        }
        return found
    }

    /// The `SECRET_KEY` literals added to Python files anywhere in the history, oldest first; nil until a
    /// scan was asked for them.
    public var pastKeyLiterals: [PastKeyLiteral]? { pastKeys }

    /// One streamed pass over `git log --all -p` answers every value not yet known and, given `keyLiteral`
    /// (the value of a `SECRET_KEY = "…"` line, or nil), collects the past key literals too. Values are
    /// searched in this process: none reaches a command line.
    public func scanHistory(for values: [String], keyLiteral: ((UnsafeBufferPointer<UInt8>) -> String?)? = nil) {
        let unknown = Array(Set(values.filter { historyCache[$0] == nil && !$0.isEmpty }))
        let wantsKeys = keyLiteral != nil && pastKeys == nil
        guard !unknown.isEmpty || wantsKeys else { return }
        for value in unknown { historyCache[value] = .some(nil) }
        var scanner = HistoryScanner(values: unknown, keyLiteral: wantsKeys ? keyLiteral : nil)
        // -U0: only added lines matter; fixed prefixes, no renames, no colour, no external diff or textconv,
        // whatever the user's configuration says.
        let arguments = [
            "git", "-C", root, "-c", "core.quotePath=false", "log", "--all", "-p", "--unified=0", "--no-color",
            "--no-ext-diff", "--no-textconv", "--no-renames", "--no-show-signature", "--src-prefix=a/",
            "--dst-prefix=b/", "--format=%x01%h %cs",
        ]
        historyPasses += 1
        var splitter = LineSplitter()
        let status = Subprocess.stream(arguments) { chunk in
            splitter.feed(chunk) { scanner.line($0) }
        }
        splitter.finish { scanner.line($0) }
        guard status == 0 else { return }
        for (value, commit) in scanner.holding { historyCache[value] = .some(commit) }
        if wantsKeys { pastKeys = scanner.pastKeys }
    }
}

/// Reads `git log -p --unified=0 --format=%x01%h %cs` line by line.
struct HistoryScanner {
    private let needles: [(value: String, bytes: [UInt8])]
    private let keyLiteral: ((UnsafeBufferPointer<UInt8>) -> String?)?
    /// Each value's oldest commit so far: log order is newest first, so every hit replaces the last.
    private(set) var holding: [String: CommitReference] = [:]
    private var pastKeyByValue: [String: PastKeyLiteral] = [:]
    private var pastKeyOrder: [String] = []

    private var commit: CommitReference?
    private var path: String?
    private var inHunk = false
    private var newLine = 0

    init(values: [String], keyLiteral: ((UnsafeBufferPointer<UInt8>) -> String?)?) {
        needles = values.map { ($0, Array($0.utf8)) }
        self.keyLiteral = keyLiteral
    }

    /// Past key literals, oldest commit first.
    var pastKeys: [PastKeyLiteral] { pastKeyOrder.reversed().compactMap { pastKeyByValue[$0] } }

    mutating func line(_ line: UnsafeBufferPointer<UInt8>) {
        guard let first = line.first else { return }
        if first == 0x01 {
            let header = String(decoding: UnsafeBufferPointer(rebasing: line[1...]), as: UTF8.self).split(separator: " ")
            commit = CommitReference(shortID: String(header.first ?? ""), date: String(header.dropFirst().first ?? ""))
            path = nil
            inHunk = false
            return
        }
        if inHunk {
            switch first {
            case UInt8(ascii: "+"):
                added(UnsafeBufferPointer(rebasing: line[1...]))
                newLine += 1
                return
            case UInt8(ascii: "-"), UInt8(ascii: "\\"):
                return
            case UInt8(ascii: " "):
                newLine += 1
                return
            default:
                inHunk = false
            }
        }
        if line.starts(with: Self.fileHeader) {
            path = nil
        } else if line.starts(with: Self.newFile) {
            path = Self.parsePath(UnsafeBufferPointer(rebasing: line[Self.newFile.count...]))
        } else if line.starts(with: Self.hunk) {
            if let start = Self.newStart(line) {
                newLine = start
                inHunk = true
            }
        }
    }

    private mutating func added(_ content: UnsafeBufferPointer<UInt8>) {
        guard let commit else { return }
        for needle in needles where Self.holds(content, needle.bytes) {
            holding[needle.value] = commit
        }
        if let keyLiteral, let path, path.hasSuffix(".py"), Self.find(Self.secretKeyWord, in: content) != nil,
           let value = keyLiteral(content), !value.isEmpty {
            if pastKeyByValue[value] == nil { pastKeyOrder.append(value) } else {
                pastKeyOrder.removeAll { $0 == value }
                pastKeyOrder.append(value)
            }
            pastKeyByValue[value] = PastKeyLiteral(value: value, commit: commit, path: path, line: newLine)
        }
    }

    private static let fileHeader = Array("diff ".utf8)
    private static let newFile = Array("+++ ".utf8)
    private static let hunk = Array("@@ -".utf8)
    private static let secretKeyWord = Array("SECRET_KEY".utf8)

    /// `+c` of `@@ -a,b +c,d @@`.
    static func newStart(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let plus = line.firstIndex(of: UInt8(ascii: "+")) else { return nil }
        var value = 0
        var index = plus + 1
        var digits = 0
        while index < line.count, line[index] >= 0x30, line[index] <= 0x39 {
            value = value * 10 + Int(line[index] - 0x30)
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// The path of a `+++ b/path` line; nil for a deleted file.
    static func parsePath(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var bytes = Array(raw)
        if bytes.last == 0x09 { bytes.removeLast() }  // git appends a tab to names holding a space
        if bytes.first == UInt8(ascii: "\""), bytes.count >= 2, bytes.last == UInt8(ascii: "\"") {
            bytes = unquote(bytes[1..<(bytes.count - 1)])
        }
        guard bytes.starts(with: Array("b/".utf8)) else { return nil }
        return String(decoding: bytes.dropFirst(2), as: UTF8.self)
    }

    /// Git's C-style quoting: `\t`, `\n`, `\"`, `\\` and octal bytes.
    static func unquote(_ quoted: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        var index = quoted.startIndex
        while index < quoted.endIndex {
            let byte = quoted[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < quoted.endIndex else {
                result.append(byte)
                index += 1
                continue
            }
            let next = quoted[index + 1]
            switch next {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = 0
                var end = index + 1
                while end < quoted.endIndex, end < index + 4, (0x30...0x37).contains(quoted[end]) {
                    value = value * 8 + Int(quoted[end] - 0x30)
                    end += 1
                }
                result.append(UInt8(truncatingIfNeeded: value))
                index = end
                continue
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "a"): result.append(0x07)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "v"): result.append(0x0B)
            default: result.append(next)
            }
            index += 2
        }
        return result
    }

    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        needle.withUnsafeBufferPointer { ByteSearch.firstIndex(of: $0, in: haystack, from: start) }
    }

    /// `needle` occurs in `line` as a whole token: a value that starts (ends) with a word character is not
    /// matched inside a longer word, so `postgres` is not found in `postgresql`.
    static func holds(_ line: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, let last = needle.last else { return false }
        let checkBefore = isWord(first)
        let checkAfter = isWord(last)
        var start = 0
        while let index = find(needle, in: line, from: start) {
            let end = index + needle.count
            let clearBefore = !checkBefore || index == 0 || !isWord(line[index - 1])
            let clearAfter = !checkAfter || end == line.count || !isWord(line[end])
            if clearBefore && clearAfter { return true }
            start = index + 1
        }
        return false
    }

    static func isWord(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F || byte >= 0x80
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
