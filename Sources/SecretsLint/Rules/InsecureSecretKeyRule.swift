import PythonSyntax

struct InsecureSecretKeyRule: Rule {
    static let description = RuleDescription(
        code: "DJS002",
        name: "insecure-secret-key",
        summary: "SECRET_KEY is the django-insecure- key that startproject generated",
        rationale: """
            `django-admin startproject` writes a key prefixed `django-insecure-` into settings.py, and \
            the first commit publishes it. Django's own deploy check (security.W009) rejects it. The \
            key must be replaced, not just moved: anyone with the repository already holds it.
            """,
        triggeringExamples: [
            "↓SECRET_KEY = \"django-insecure-7f$h+2q@x!w9z#k1m&n3p(r5t)v8y_b0c=d4e6g-j\"\n",
            "↓SECRET_KEY = 'django-insecure-' 'abc'\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n",
            "WARNING = \"django-insecure-7f$h+2q@x!w9z#k1m&n3p(r5t)v8y_b0c=d4e6g-j\"\n",
        ],
        corrections: [(
            before: "SECRET_KEY = \"django-insecure-7f$h+2q@x!w9z#k1m&n3p(r5t)v8y_b0c=d4e6g-j\"\n",
            after: "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]  # .env gets a new key\n"
        )],
        fix: .always)

    func check(_ context: RuleContext) -> [Finding] {
        SecretKeyLiteral.all(in: context).filter(\.isInsecure).map { key in
            context.finding(
                Self.description, at: key.assignment.anchor, statement: key.assignment.statement,
                message: "SECRET_KEY is an insecure startproject key (\(SecretMask.mask(key.value))); replace it with a new key from the environment",
                fix: key.fix(alwaysReplace: true), secret: key.secret, spelledBy: key.assignment.value)
        }
    }
}
