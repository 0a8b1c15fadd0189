/// A unified diff of two versions of a file (line-based, longest common subsequence).
public enum UnifiedDiff {
    public static func render(old: [UInt8], new: [UInt8], path: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        // Trim the common head and tail so the quadratic table only covers the changed middle.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let middleA = Array(a[head..<(a.count - tail)])
        let middleB = Array(b[head..<(b.count - tail)])
        var operations: [(Character, String)] = a[..<head].map { (" ", $0) }
        operations += diff(middleA, middleB)
        operations += a[(a.count - tail)...].map { (" ", $0) }

        var output = "--- \(path)\n+++ \(path)\n"
        var index = 0
        while index < operations.count {
            guard operations[index].0 != " " else { index += 1; continue }
            let start = max(0, index - context)
            var end = index
            var lastChange = index
            while end < operations.count && end - lastChange <= context * 2 {
                if operations[end].0 != " " { lastChange = end }
                end += 1
            }
            end = min(operations.count, lastChange + context + 1)
            let oldStart = operations[..<start].filter { $0.0 != "+" }.count + 1
            let newStart = operations[..<start].filter { $0.0 != "-" }.count + 1
            let hunk = operations[start..<end]
            output += "@@ -\(oldStart),\(hunk.filter { $0.0 != "+" }.count) +\(newStart),\(hunk.filter { $0.0 != "-" }.count) @@\n"
            for (marker, line) in hunk {
                output += String(marker) + line
                if !line.hasSuffix("\n") { output += "\n\\ No newline at end of file\n" }
            }
            index = end
        }
        return output
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        var result: [String] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            result.append(String(decoding: bytes[start...index], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count { result.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return result
    }

    /// Cells of the longest-common-subsequence table (4 bytes each) a diff may use; a larger changed
    /// middle (thousands of fixed lines far apart) is shown as one replaced block instead.
    static let maximumTableCells = 4_000_000

    private static func diff(_ a: [String], _ b: [String]) -> [(Character, String)] {
        let width = b.count + 1
        guard (a.count + 1).multipliedReportingOverflow(by: width).partialValue <= maximumTableCells,
              a.count < Int(Int32.max) else {
            return a.map { ("-", $0) } + b.map { ("+", $0) }
        }
        var table = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i * width + j] = a[i] == b[j]
                    ? table[(i + 1) * width + j + 1] + 1 : max(table[(i + 1) * width + j], table[i * width + j + 1])
            }
        }
        var result: [(Character, String)] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                result.append((" ", a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || table[(i + 1) * width + j] >= table[i * width + j + 1] {
                result.append(("-", a[i])); i += 1
            } else {
                result.append(("+", b[j])); j += 1
            }
        }
        return result
    }
}
