/// A project-level rule: CheckRunner's project pass reports it after the files are checked (see ProjectAudit).
struct SecretInGitHistoryRule: Rule {
    static let description = RuleDescription(
        code: "DJS012",
        name: "secret-in-git-history",
        summary: "A secret in use now (a settings literal or a secret variable of the project's .env) is in a commit of the git history; --history also lists past SECRET_KEY literals",
        rationale: """
            Moving a key out of the settings does not unpublish it: every clone, fork and backup of the \
            repository still holds the commit that added it. A value that any commit holds has leaked and \
            must be rotated: a new SECRET_KEY (`djlint-secrets generate-key`), a new password at the \
            database or provider. The finding names the oldest commit holding the value (short id and \
            date); the value itself is never printed. Values shorter than 8 characters are not looked up \
            (they would match unrelated text). With --history, every SECRET_KEY literal ever added to a \
            Python file is listed too, so that none of them stays in use (as a fallback, on another \
            server). The history is read once per run, in this process: no value reaches a command line.
            """,
        triggeringExamples: [
            "$ git log -p --format=%h -- mysite/settings.py\n1a2b3c4\n+SECRET_KEY = \"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"\n$ cat .env\n↓DJANGO_SECRET_KEY=k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\n",
            "$ git log -p --format=%h -- mysite/settings.py\n9f8e7d6\n+EMAIL_HOST_PASSWORD = \"correct-horse-battery\"\n$ cat mysite/settings.py\n↓EMAIL_HOST_PASSWORD = \"correct-horse-battery\"\n",
        ],
        nonTriggeringExamples: [
            "$ cat .env\nDJANGO_SECRET_KEY=<a key generated after the leak, never committed>\n",
            "$ git log -p --format=%h -- mysite/settings.py\n1a2b3c4\n-SECRET_KEY = \"<the old key>\"\n+SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n$ cat .env\nDJANGO_SECRET_KEY=<a new key>\n",
        ],
        fix: .none,
        isProjectLevel: true)

    func check(_ context: RuleContext) -> [Finding] { [] }
}
