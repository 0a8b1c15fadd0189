import PythonSyntax

struct WeakSecretKeyRule: Rule {
    static let description = RuleDescription(
        code: "DJS003",
        name: "weak-secret-key",
        summary: "SECRET_KEY is a literal shorter than 50 characters or with fewer than 5 distinct characters",
        rationale: """
            A short or repetitive key can be guessed, and Django's deploy check (security.W009) \
            rejects keys under 50 characters or with fewer than 5 distinct characters. The length is \
            measured on the evaluated string, as Django sees it, not on the source text.
            """,
        triggeringExamples: [
            "↓SECRET_KEY = \"changeme\"\n",
            "↓SECRET_KEY = \"aaaaaaaaaaaaaaaaaaaaaaaaa\" \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
            "↓SECRET_KEY = \"\\x41\\x42\\x43\\x44\\x45\\x46\\x47\\x48\\x49\\x4a\\x4b\\x4c\\x4d\\x4e\\x4f\\x50\"\n",
        ],
        nonTriggeringExamples: [
            "SECRET_KEY = \"\"\n",
            "SECRET_KEY = \"{{ secret_key }}\"  # a project template: startproject fills it in\n",
            "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n",
        ],
        corrections: [(
            before: "SECRET_KEY = \"changeme\"\n",
            after: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]  # .env gets a new key\n"
        )],
        fix: .always)

    func check(_ context: RuleContext) -> [Finding] {
        SecretKeyLiteral.all(in: context).filter { !$0.isInsecure && $0.isWeak }.map { key in
            let length = key.value.unicodeScalars.count
            let distinct = Set(key.value.unicodeScalars).count
            let reason = length < 50 ? "\(length) characters, Django asks for 50" : "\(distinct) distinct characters, Django asks for 5"
            return context.finding(
                Self.description, at: key.assignment.anchor, statement: key.assignment.statement,
                message: "SECRET_KEY is a weak literal (\(reason)); replace it with a new key from the environment",
                fix: key.fix(alwaysReplace: true), secret: key.secret, spelledBy: key.assignment.value)
        }
    }
}
