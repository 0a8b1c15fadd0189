import PythonSyntax

struct HardcodedSecretKeyRule: Rule {
    static let description = RuleDescription(
        code: "DJS001",
        name: "hardcoded-secret-key",
        summary: "SECRET_KEY is a string literal in the settings",
        rationale: """
            Django signs sessions, password-reset tokens and signed cookies with SECRET_KEY. Whoever \
            reads the settings (a clone, a backup, a leaked repository) can forge a session for any \
            user, admins included. Read the key from the environment and keep the value out of the code.
            """,
        triggeringExamples: [
            "↓SECRET_KEY = \"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"\n",
            "↓SECRET_KEY: str = (\"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5a\"\n              \"S7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\")\n",
            "class Production:\n    ↓SECRET_KEY = 'k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u'\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
            "SECRET_KEY = \"\"\n",
            "def make():\n    SECRET_KEY = \"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"\n",
            "# SECRET_KEY = \"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"\n",
        ],
        corrections: [(
            before: "SECRET_KEY = \"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"\n",
            after: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n"
        )],
        fix: .always)

    func check(_ context: RuleContext) -> [Finding] {
        SecretKeyLiteral.all(in: context).filter { !$0.isInsecure && !$0.isWeak }.map { key in
            context.finding(
                Self.description, at: key.assignment.anchor, statement: key.assignment.statement,
                message: "SECRET_KEY is hardcoded (\(SecretMask.mask(key.value))); read it from the environment",
                fix: key.fix(alwaysReplace: false), secret: key.secret, spelledBy: key.assignment.value)
        }
    }
}
