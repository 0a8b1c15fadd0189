"""The tool where teams run it: the pre-commit hook definition and an editor's on-save formatter."""
import os
import subprocess
import sys
from pathlib import Path

from conftest import BIN, REPO, run_tool

INSECURE = "SECRET_KEY = 'django-insecure-h7$k2!p9@q1#z8w5^m3&x6*c4(v0)b'\nDEBUG = True\n"


def git(project, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(project), *args],
        check=True, capture_output=True,
    )


def pre_commit(project, hook):
    env = dict(os.environ, PATH=str(Path(BIN).parent) + os.pathsep + os.environ["PATH"],
               PRE_COMMIT_HOME=str(project / ".pre-commit-home"))
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


def test_pre_commit_hook_blocks_and_fixes(tmp_path):
    project = tmp_path / "site"
    (project / "mysite").mkdir(parents=True)
    (project / "manage.py").write_text("")
    (project / "mysite" / "settings.py").write_text(INSECURE)
    git(project, "init", "-q")
    git(project, "add", ".")

    blocked = pre_commit(project, "djlint-secrets")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "DJS002" in blocked.stdout and "DJS005" in blocked.stdout
    assert "h7$k2!p9" not in blocked.stdout + blocked.stderr

    fixed = pre_commit(project, "djlint-secrets-fix")
    # pre-commit fails a hook that changed files, as with every fixer; the files are fixed.
    assert "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]" in (project / "mysite" / "settings.py").read_text()
    assert ".env" in (project / ".gitignore").read_text()
    git(project, "add", ".")
    clean = pre_commit(project, "djlint-secrets")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_editor_formatter_invocation_from_the_readme(startproject):
    project, settings = startproject
    original = settings.read_bytes()
    # As configured for VS Code (Custom Local Formatters) and Neovim (conform.nvim) in the README.
    result = run_tool("check", "--fix", "--quiet", "--exit-zero", "--stdin-filename", str(settings), "-",
                      input=original, cwd=project / "mysite", check_status=0)
    assert b'os.environ["DJANGO_SECRET_KEY"]' in result.stdout
    assert result.stdout.count(b"import os") == 1
    assert result.stderr == b""
    assert (project / ".env").stat().st_mode & 0o777 == 0o600


def test_generate_key_and_rule_documentation():
    first = run_tool("generate-key", check_status=0).stdout.decode().strip()
    second = run_tool("generate-key", check_status=0).stdout.decode().strip()
    assert len(first) == 64 and first.isalnum() and first.isascii() and first != second
    listing = run_tool("rule", check_status=0).stdout.decode()
    assert [line.split()[0] for line in listing.splitlines()] == ["DJS%03d" % n for n in range(1, 15)]
    doc = run_tool("rule", "DJS002", check_status=0).stdout.decode()
    assert "insecure-secret-key" in doc and "Triggers" in doc and "After --fix" in doc
    assert run_tool("rule", "DJS999").returncode != 0
    assert run_tool("--version", check_status=0).stdout.decode().strip()
