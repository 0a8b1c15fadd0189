/// The patterns of one `.gitignore` (or `.git/info/exclude`), matched relative to the folder holding it.
struct GitIgnoreRules {
    struct Pattern {
        let glob: String
        let negated: Bool
        let directoryOnly: Bool
    }

    /// Absolute folder the patterns are relative to, with a trailing `/`.
    let base: String
    let patterns: [Pattern]

    init?(file: String, base: String) {
        guard let bytes = try? FileSystem.read(file, limit: 1 << 20) else { return nil }
        // git (2.32 and later) does not read an in-tree `.gitignore` that is a symbolic link: neither do we.
        if file.hasSuffix("/.gitignore") && FileSystem.isSymbolicLink(file) { return nil }
        self.base = base.hasSuffix("/") ? base : base + "/"
        var patterns: [Pattern] = []
        for rawLine in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line = line.dropFirst()
            } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
                line = line.dropFirst()
            }
            var directoryOnly = false
            if line.hasSuffix("/") {
                directoryOnly = true
                line = line.dropLast()
            }
            guard !line.isEmpty else { continue }
            // A slash at the start or in the middle anchors the pattern to this folder.
            let anchored = line.dropLast().contains("/")
            if line.hasPrefix("/") { line = line.dropFirst() }
            let glob = anchored || line.hasPrefix("**/") ? String(line) : "**/" + line
            patterns.append(Pattern(glob: glob, negated: negated, directoryOnly: directoryOnly))
        }
        guard !patterns.isEmpty else { return nil }
        self.patterns = patterns
    }

    /// nil when no pattern speaks about the path; otherwise whether the last matching one ignores it.
    func verdict(forAbsolutePath path: String, isDirectory: Bool) -> Bool? {
        guard path.hasPrefix(base) else { return nil }
        let relative = String(path.dropFirst(base.count))
        var verdict: Bool?
        for pattern in patterns where !pattern.directoryOnly || isDirectory {
            if Glob.matches(pattern.glob, path: relative) { verdict = !pattern.negated }
        }
        return verdict
    }
}

/// The ignore files that apply inside one folder: its own and every enclosing folder's.
struct GitIgnoreStack {
    private(set) var levels: [GitIgnoreRules] = []

    /// The rules in force at `folder` (absolute), gathered from the work tree root down.
    static func enclosing(_ folder: String) -> GitIgnoreStack {
        var stack = GitIgnoreStack()
        var chain: [String] = []
        var candidate = folder
        while true {
            chain.append(candidate)
            if FileSystem.exists(candidate + "/.git") { break }
            let parent = FileSystem.parentDirectory(of: candidate)
            if parent == candidate { break }
            candidate = parent
        }
        let root = chain.last!
        if FileSystem.isDirectory(root + "/.git"), let exclude = GitIgnoreRules(file: root + "/.git/info/exclude", base: root) {
            stack.levels.append(exclude)
        }
        for level in chain.reversed() where level != folder {
            if let rules = GitIgnoreRules(file: level + "/.gitignore", base: level) { stack.levels.append(rules) }
        }
        return stack
    }

    func entering(_ folder: String) -> GitIgnoreStack {
        guard let rules = GitIgnoreRules(file: folder + "/.gitignore", base: folder) else { return self }
        var next = self
        next.levels.append(rules)
        return next
    }

    func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        // Deeper files override shallower ones; within a file the last match wins.
        for level in levels.reversed() {
            if let verdict = level.verdict(forAbsolutePath: path, isDirectory: isDirectory) { return verdict }
        }
        return false
    }
}
