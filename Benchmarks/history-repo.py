#!/usr/bin/env python3
"""Builds a git repository with a long history quickly (git fast-import), to time DJS012's history pass.

    Benchmarks/history-repo.py DIR [COMMITS [LINES]]   # default 10,000 commits of 5 changed lines
    time .build/release/djlint-secrets check --history DIR

The first commit adds a Django project whose settings hold a SECRET_KEY literal; the second moves the key
to the environment (so `check --history` has a past key to list). Every later commit edits one of 200
modules (LINES changed lines each, like everyday work), with a settings change every 500 commits.
The checked-out tree ends with `.env` holding the original key: `check` reports it with its commit.
"""
import os
import subprocess
import sys

OLD_KEY = "Hx8mQ2vN7pL4kR9tW3yB6cF1gJ5dS0aZ8eU2iO7uY4rT1wE6qP3lK9jM5nB2vC7x"


def main():
    target = sys.argv[1]
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    changed = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    os.makedirs(target, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    stream = []
    mark = 0
    when = 1_600_000_000

    def blob(text):
        nonlocal mark
        mark += 1
        data = text.encode()
        stream.append(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n")
        return mark

    def commit(message, files):
        nonlocal when
        when += 600
        message = message.encode()
        header = b"commit refs/heads/main\ncommitter Dev <dev@example.com> %d +0000\ndata %d\n" % (when, len(message))
        body = header + message + b"\n"  # fast-import chains commits of one branch by itself
        for path, blob_mark in files:
            body += b"M 100644 :%d %s\n" % (blob_mark, path.encode())
        stream.append(body + b"\n")

    settings = 'from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = "%s"\nDEBUG = False\nALLOWED_HOSTS = []\n'
    commit("Start the project", [
        ("manage.py", blob("#!/usr/bin/env python\nimport os\n")),
        ("mysite/__init__.py", blob("")),
        ("mysite/settings.py", blob(settings % OLD_KEY)),
    ])
    env_settings = 'import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = []\n'
    commit("Read the key from the environment", [("mysite/settings.py", blob(env_settings))])
    modules = {}
    for number in range(2, commits):
        name = "app/module_%03d.py" % (number % 200)
        lines = modules.setdefault(name, [])
        lines.extend("VALUE_%d_%d = %d  # change %d" % (number, k, number * k, number) for k in range(changed))
        if len(lines) > 12 * changed:
            del lines[:changed]
        files = [(name, blob("\n".join(lines) + "\n"))]
        if number % 500 == 0:
            files.append(("mysite/settings.py", blob(env_settings + "TIME_ZONE = 'UTC'  # %d\n" % number)))
        commit("Change %d" % number, files)
    subprocess.run(["git", "-C", target, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", target, "checkout", "-q", "-f", "main"], check=True)
    with open(os.path.join(target, ".env"), "w") as env:
        env.write("DJANGO_SECRET_KEY=%s\n" % OLD_KEY)
    with open(os.path.join(target, ".gitignore"), "w") as ignore:
        ignore.write(".env\n")


if __name__ == "__main__":
    main()
