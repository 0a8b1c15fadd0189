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
            "SECRET_KEY_FALLBACKS = (↓\"Vq8rT2mX9pL4kJ7hG3fD6sA1zW5eR0tY8uI2oP4aS6dF9gHj3Kq\",)\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY_FALLBACKS = [os.environ[\"OLD_SECRET_KEY\"]]\n",
            "SECRET_KEY_FALLBACKS = []\n",
            "SECRET_KEY_FALLBACKS = [\"old-key-one\"]  # weak: DJS014, not DJS010\n",
        ],
        corrections: [(
            before: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nSECRET_KEY_FALLBACKS = [\"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"]\n",
            after: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nSECRET_KEY_FALLBACKS = [k for k in os.environ.get(\"DJANGO_SECRET_KEY_FALLBACKS\", \"\").split(\",\") if k]\n# .env: DJANGO_SECRET_KEY_FALLBACKS=k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\n"
        )],
        fix: .sometimes)

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for list in FallbackKeys.literalLists(in: context) {
            // A key that leaked without git's help (django-insecure-, weak) is DJS014's.
            for entry in list.entries where FallbackKeys.staticLeak(entry.value) == nil {
                findings.append(context.finding(
                    Self.description, at: entry.node, statement: list.assignment.statement,
                    message: "SECRET_KEY_FALLBACKS holds a literal key (\(SecretMask.mask(entry.value))); read it from the environment, or drop it if it ever leaked",
                    fix: list.fix,
                    secret: SecretInUse(setting: "SECRET_KEY_FALLBACKS", value: entry.value, isKey: true)))
            }
        }
        return findings
    }
}
