/// A commit that holds a value.
public struct CommitReference: Equatable {
    public let shortID: String
    public let date: String
}

/// The git work tree around a folder, queried through the git CLI with argument arrays.
public final class GitRepository {
    public let root: String
    private var historyCache: [String: CommitReference?] = [:]

    private init(root: String) { self.root = root }

    /// The work tree holding `directory`, or nil when there is none (or no git at all).
    public static func containing(_ directory: String) -> GitRepository? {
        guard let result = Subprocess.run(["git", "-C", directory, "rev-parse", "--show-toplevel"]),
              result.status == 0 else { return nil }
        let root = String(decoding: result.output, as: UTF8.self).trimmingSuffix("\n")
        return root.isEmpty ? nil : GitRepository(root: root)
    }

    public func isTracked(_ path: String) -> Bool {
        Subprocess.run(["git", "-C", root, "ls-files", "--error-unmatch", "--", path])?.status == 0
    }

    public func isIgnored(_ path: String) -> Bool {
        Subprocess.run(["git", "-C", root, "check-ignore", "-q", "--no-index", "--", path])?.status == 0
    }

    /// For each value, the oldest commit whose diff holds it. One pass over the history answers all values;
    /// answers are cached for the rest of the run.
    public func commitsHolding(_ values: [String]) -> [String: CommitReference] {
        let unknown = Array(Set(values.filter { historyCache[$0] == nil && !$0.isEmpty }))
        if !unknown.isEmpty {
            for value in unknown { historyCache[value] = .some(nil) }
            let arguments = ["git", "-C", root, "log", "--all", "-p", "--no-color", "--no-ext-diff", "--no-textconv",
                             "--format=%x01%h %cs"]
            if let result = Subprocess.run(arguments), result.status == 0 {
                let needles = unknown.map { (value: $0, bytes: Array($0.utf8)) }
                var commit: CommitReference?
                for line in result.output.split(separator: 0x0A, omittingEmptySubsequences: true) {
                    if line.first == 0x01 {
                        let header = String(decoding: line.dropFirst(), as: UTF8.self).split(separator: " ")
                        commit = CommitReference(shortID: String(header.first ?? ""), date: String(header.dropFirst().first ?? ""))
                        continue
                    }
                    guard let commit else { continue }
                    for needle in needles where line.count >= needle.bytes.count && line.containsSequence(needle.bytes) {
                        // Log order is newest first: the last hit is the commit that introduced the value.
                        historyCache[needle.value] = .some(commit)
                    }
                }
            }
        }
        var found: [String: CommitReference] = [:]
        for value in values {
            if case .some(.some(let commit)) = historyCache[value] { found[value] = commit }
        }
        return found
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}

extension Collection where Element == UInt8, Index == Int {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return needle.isEmpty }
        var index = startIndex
        let last = endIndex - needle.count
        while index <= last {
            if self[index] == first {
                var matched = true
                for offset in 1..<needle.count where self[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }
}
