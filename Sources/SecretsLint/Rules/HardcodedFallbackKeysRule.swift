import PythonSyntax

struct HardcodedFallbackKeysRule: Rule {
    static let description = RuleDescription(
        code: "DJS010",
        name: "hardcoded-fallback-keys",
        summary: "SECRET_KEY_FALLBACKS holds literal keys",
        rationale: """
            Django still accepts signatures made with every key in SECRET_KEY_FALLBACKS. An old key \
            written into the settings is as exposed as a hardcoded SECRET_KEY, and a key that leaked \
            must not be a fallback at all: rotation would not lock its holder out. Read fallbacks from \
            the environment and drop them once sessions have turned over.
            """,
        triggeringExamples: [
            "SECRET_KEY_FALLBACKS = [\n    ↓\"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\",\n]\n",
            "SECRET_KEY_FALLBACKS = (↓\"old-key-one\",)\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY_FALLBACKS = [os.environ[\"OLD_SECRET_KEY\"]]\n",
            "SECRET_KEY_FALLBACKS = []\n",
        ],
        fix: .none)

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for assignment in context.model.assignments where assignment.path == ["SECRET_KEY_FALLBACKS"] {
            var container = assignment.value
            while container.type == "parenthesized_expression", let inner = container.namedChild(0) { container = inner }
            guard ["list", "tuple", "set"].contains(container.type) else { continue }
            for entry in container.namedChildren where entry.type != "comment" {
                guard let value = StaticValue.evaluate(entry)?.stringValue, !value.isEmpty,
                      !TemplatePlaceholder.appears(in: value) else { continue }
                findings.append(context.finding(
                    Self.description, at: entry, statement: assignment.statement,
                    message: "SECRET_KEY_FALLBACKS holds a literal key (\(SecretMask.mask(value))); read it from the environment, or drop it if it ever leaked",
                    secret: SecretInUse(setting: "SECRET_KEY_FALLBACKS", value: value, isKey: true)))
            }
        }
        return findings
    }
}
