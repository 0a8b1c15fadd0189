/// A project-level rule: CheckRunner's project pass reports it once per `.env` file (see ProjectAudit).
struct EnvFileNotIgnoredRule: Rule {
    static let description = RuleDescription(
        code: "DJS011",
        name: "env-file-not-ignored",
        summary: "The project's .env is not git-ignored, or git tracks it (inside a git work tree)",
        rationale: """
            The .env file holds the secrets the settings read. If git does not ignore it, the next \
            `git add .` commits every one of them, and a committed secret stays in the history of every \
            clone even after the file is deleted. A tracked .env has already been committed: untrack it \
            with `git rm --cached .env` and rotate what it holds. Reported once per .env file, at its \
            first line; not reported outside a git work tree or when there is no .env.
            """,
        triggeringExamples: [
            "$ ls -a\n.env  .git  manage.py  mysite\n$ git check-ignore -q .env || echo 'not ignored'\nnot ignored\n↓.env:1:1: DJS011 [*] .env is not git-ignored\n",
            "$ git ls-files .env\n.env\n↓.env:1:1: DJS011 .env is tracked by git: run `git rm --cached .env` and rotate what it holds\n",
        ],
        nonTriggeringExamples: [
            "$ cat .gitignore\n.env\n$ git check-ignore .env\n.env\n",
            "$ ls -a\n.git  manage.py  mysite\n",
        ],
        corrections: [(
            before: "$ cat .gitignore\n__pycache__/\n",
            after: "$ cat .gitignore\n__pycache__/\n.env\n"
        )],
        fix: .sometimes,
        isProjectLevel: true)

    func check(_ context: RuleContext) -> [Finding] { [] }
}
