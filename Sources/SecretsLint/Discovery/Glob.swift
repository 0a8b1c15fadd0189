/// Shell-style globs over `/`-separated paths: `*` within a segment, `**` across segments, `?`, `[...]`.
public enum Glob {
    public static func matches(_ pattern: String, path: String) -> Bool {
        match(Array(pattern.utf8), 0, Array(path.utf8), 0)
    }

    private static func match(_ pattern: [UInt8], _ p: Int, _ text: [UInt8], _ t: Int) -> Bool {
        var p = p
        var t = t
        let slash = UInt8(ascii: "/")
        while p < pattern.count {
            let symbol = pattern[p]
            if symbol == UInt8(ascii: "*") {
                let doubleStar = p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: "*")
                if doubleStar {
                    var next = p + 2
                    if next < pattern.count, pattern[next] == slash { next += 1 }
                    if next == pattern.count { return true }
                    for start in t...text.count where start == t || text[start - 1] == slash {
                        if match(pattern, next, text, start) { return true }
                    }
                    return false
                }
                for end in t...text.count {
                    if match(pattern, p + 1, text, end) { return true }
                    if end < text.count, text[end] == slash { break }
                }
                return false
            }
            guard t < text.count else { return false }
            if symbol == UInt8(ascii: "?") {
                guard text[t] != slash else { return false }
            } else if symbol == UInt8(ascii: "["), let close = pattern[(p + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var set = Array(pattern[(p + 1)..<close])
                let negated = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negated { set.removeFirst() }
                var found = false
                var index = 0
                while index < set.count {
                    if index + 2 < set.count, set[index + 1] == UInt8(ascii: "-") {
                        if (set[index]...set[index + 2]).contains(text[t]) { found = true }
                        index += 3
                    } else {
                        if set[index] == text[t] { found = true }
                        index += 1
                    }
                }
                guard found != negated else { return false }
                p = close
            } else if symbol != text[t] {
                return false
            }
            p += 1
            t += 1
        }
        return t == text.count
    }
}
