/// The text `djlint-secrets rule` prints and the README's rule table, both from the rules' declarations.
public enum RuleDocumentation {
    public static func list() -> String {
        RuleRegistry.descriptions.map { rule in
            let fix = rule.fix == .none ? "   " : "[*]"
            return "\(rule.code) \(fix) \(rule.name.padding(28)) \(rule.summary)"
        }.joined(separator: "\n")
    }

    public static func render(_ rule: RuleDescription) -> String {
        var text = "\(rule.code) \(rule.name)\n\n\(rule.summary).\n\nWhy: \(rule.rationale)\n"
        text += "\nFix: " + (rule.fix == .always ? "available (--fix)" : rule.fix == .sometimes ? "available in some cases (--fix)" : "none; report only") + "\n"
        if rule.isDebugRule { text += "Not applied to development or test settings files (dev-settings).\n" }
        if rule.isProjectLevel {
            text += "Checked once per project (git and .env), after the settings files; not for standard input.\n"
            text += "\nTriggers, for a project in this state (↓ marks the finding):\n"
        } else {
            text += "\nTriggers (↓ marks the finding):\n"
        }
        for example in rule.triggeringExamples { text += indent(example) + "\n" }
        text += "Does not trigger:\n"
        for example in rule.nonTriggeringExamples { text += indent(example) + "\n" }
        for correction in rule.corrections {
            text += "Before:\n" + indent(correction.before) + "\nAfter --fix:\n" + indent(correction.after) + "\n"
        }
        return text
    }

    /// A Markdown table for the README.
    public static func markdownTable() -> String {
        var table = "| code | name | reports | fix |\n| --- | --- | --- | --- |\n"
        for rule in RuleRegistry.descriptions {
            // The anchor is where the language server's `codeDescription` links point.
            table += "| <a id=\"\(rule.code.lowercased())\"></a>\(rule.code) | \(rule.name) | \(rule.summary) | \(rule.fix == .none ? "no" : "yes") |\n"
        }
        return table
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
