import PythonSyntax

/// DJS014. From one file: literal fallbacks that are `django-insecure-` or weak. The project pass adds
/// the keys a commit holds and the values of the fallbacks variable in the project's `.env`.
struct LeakedFallbackKeyRule: Rule {
    static let description = RuleDescription(
        code: "DJS014",
        name: "leaked-fallback-key",
        summary: "SECRET_KEY_FALLBACKS (in the code or in .env) holds a key that leaked",
        rationale: """
            Every key in SECRET_KEY_FALLBACKS still verifies sessions, signed cookies and password-reset \
            links. Fallbacks exist to keep users logged in while a key that never leaked is retired; a \
            django-insecure- key, a key below Django's W009 thresholds or a key that a git commit holds \
            is known to others, and as a fallback it keeps opening every session after the rotation. \
            Besides literal entries, the values of the fallbacks variable in the project's .env are \
            checked, and inside a git work tree every key is looked up in the history. \
            `djlint-secrets rotate` removes leaked fallbacks from .env on every run.
            """,
        triggeringExamples: [
            "SECRET_KEY_FALLBACKS = [↓\"django-insecure-0ld+k3y!x7@q#z9$w2%v5^n8&m1*b4(c6)d3-f0=g\"]\n",
            "SECRET_KEY_FALLBACKS = [\n    \"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\",\n    ↓\"old-key-one\",\n]\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY_FALLBACKS = [k for k in os.environ.get(\"DJANGO_SECRET_KEY_FALLBACKS\", \"\").split(\",\") if k]\n",
            "SECRET_KEY_FALLBACKS = [\"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"]  # DJS010\n",
        ],
        corrections: [(
            before: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nSECRET_KEY_FALLBACKS = [\"old-key-one\"]\n",
            after: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nSECRET_KEY_FALLBACKS = [k for k in os.environ.get(\"DJANGO_SECRET_KEY_FALLBACKS\", \"\").split(\",\") if k]\n# the leaked key is dropped, not stored\n"
        )],
        fix: .sometimes)

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for list in FallbackKeys.literalLists(in: context) {
            for entry in list.entries {
                guard let reason = FallbackKeys.staticLeak(entry.value) else { continue }
                findings.append(context.finding(
                    Self.description, at: entry.node, statement: list.assignment.statement,
                    message: "SECRET_KEY_FALLBACKS holds a leaked key (\(SecretMask.mask(entry.value))): \(reason); it still opens every session, drop it",
                    fix: list.fix,
                    secret: SecretInUse(setting: "SECRET_KEY_FALLBACKS", value: entry.value, isKey: true)))
            }
        }
        return findings
    }
}
