"""Where --fix may put a secret, in real git repositories (issues #19 item 4 and #24): never into a .env
git tracks or does not ignore (and cannot be made to), never through a .gitignore that is a symbolic
link, never through a .env link that leads out of the project, never into a file others can read."""
import os
import stat
import subprocess
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import BIN, run_tool
from lsp_client import LanguageClient

KEY = "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
PASSWORD = "mail#pass word 42"
SETTINGS = f'''import os

SECRET_KEY = "{KEY}"
EMAIL_HOST_PASSWORD = "{PASSWORD}"
'''
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]


def git(root, *args):
    return subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def make_repository(root, settings=SETTINGS):
    (root / "mysite").mkdir(parents=True)
    (root / "manage.py").write_text("import os\n")
    (root / "mysite" / "settings.py").write_text(settings)
    git(root, "init", "-q")
    return root / "mysite" / "settings.py"


def fix(root, *extra, **env):
    result = run_tool("check", "--fix", "--color", "never", *extra, ".", cwd=root, env={**os.environ, **env})
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def snapshot(*folders):
    files = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if ".git" in path.parts or path.is_dir():
                continue
            files[str(path)] = (path.is_symlink() and os.readlink(path), path.read_bytes() if path.exists() else None)
    return files


def is_ignored(root, relative):
    return subprocess.run(["git", "-C", str(root), "check-ignore", "-q", relative]).returncode == 0


def assert_secrets_not_fixed(out, *reasons):
    """The password (DJS002) and the key (DJS008) are both reported, each line giving every reason."""
    for code in ("DJS002", "DJS008"):
        line = next(line for line in out.splitlines() if code in line)
        for reason in reasons:
            assert reason in line, line


def test_a_tracked_env_never_receives_a_secret(tmp_path):
    """#19 item 4: git tracks .env (committed before .gitignore listed it)."""
    root = tmp_path / "site"
    settings = make_repository(root)
    (root / ".env").write_text("LOCAL_SETTING=1\n")
    git(root, "add", ".env")
    git(root, "commit", "-qm", "env")
    env_before = (root / ".env").read_bytes()

    status, out, err = fix(root)
    assert status == 1, out + err
    assert (root / ".env").read_bytes() == env_before
    assert settings.read_text() == SETTINGS
    assert "git tracks .env" in out and "git rm --cached .env" in out, out
    assert_secrets_not_fixed(out, "not fixed: git tracks .env")
    assert PASSWORD not in out + err and KEY[16:] not in out + err

    # The editor path refuses the same way, and a second --fix changes nothing.
    stdin = run_tool("check", "--fix", "--stdin-filename", "mysite/settings.py", "-", cwd=root, input=SETTINGS.encode())
    assert stdin.stdout.decode() == SETTINGS and "git rm --cached .env" in stdin.stderr.decode()
    before = snapshot(root)
    status, out, _ = fix(root)
    assert status == 1 and snapshot(root) == before
    assert (root / ".env").read_bytes() == env_before

    # Untracked as the message says: the fix goes through, into the now ignored .env.
    git(root, "rm", "-q", "--cached", ".env")
    status, out, err = fix(root)
    assert status == 0, out + err
    assert dotenv_values(root / ".env")["DJANGO_EMAIL_HOST_PASSWORD"] == PASSWORD
    assert is_ignored(root, ".env")


def test_a_tracked_env_never_receives_the_debug_flag(tmp_path):
    """A committed DJANGO_DEBUG=True turns DEBUG on wherever the repository is deployed: refused like a secret."""
    root = tmp_path / "site"
    debug_settings = "import os\n\nDEBUG = True\nINSTALLED_APPS = []\n"
    settings = make_repository(root, settings=debug_settings)
    (root / ".env").write_text("LOCAL_SETTING=1\n")
    git(root, "add", ".env")
    git(root, "commit", "-qm", "env")

    status, out, err = fix(root)
    assert status == 1, out + err
    assert (root / ".env").read_text() == "LOCAL_SETTING=1\n"
    assert settings.read_text() == debug_settings
    line = next(line for line in out.splitlines() if "DJS005" in line)
    assert "not fixed: git tracks .env" in line and "git rm --cached .env" in line, line


def test_a_symlinked_gitignore_is_never_written_and_env_stays_reported(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "gitignore").write_text("*.pyc\n")
    root = tmp_path / "site"
    settings = make_repository(root)
    (root / ".gitignore").symlink_to(outside / "gitignore")
    (root / ".env").write_text("LOCAL_SETTING=1\n")
    env_before = (root / ".env").read_bytes()

    status, out, err = fix(root)
    assert status == 1, out + err
    assert (outside / "gitignore").read_text() == "*.pyc\n"
    assert (root / ".gitignore").is_symlink()
    assert (root / ".env").read_bytes() == env_before
    assert settings.read_text() == SETTINGS
    djs011 = next(line for line in out.splitlines() if "DJS011" in line)
    assert "not git-ignored" in djs011 and "symbolic link" in djs011, out
    assert "Fixed" not in out or "none remaining" not in out
    assert not is_ignored(root, ".env")
    assert_secrets_not_fixed(out, "not fixed: git does not ignore .env", "symbolic link")

    before = snapshot(root, outside)
    status, again, _ = fix(root)
    assert status == 1 and snapshot(root, outside) == before
    assert "DJS011" in again


def test_a_negation_rule_that_wins_leaves_gitignore_as_it_was_and_refuses_secrets(tmp_path):
    """The project is a folder of the work tree whose own .gitignore says !.env: the root entry loses."""
    repository = tmp_path / "repo"
    root = repository / "site"
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (root / "manage.py").write_text("import os\n")
    (root / "mysite").mkdir()
    settings = root / "mysite" / "settings.py"
    settings.write_text(SETTINGS)
    (root / ".gitignore").write_text("!.env\n")
    status, out, err = fix(root)
    assert status == 1, out + err
    assert not (repository / ".gitignore").exists()
    assert (root / ".gitignore").read_text() == "!.env\n"
    assert settings.read_text() == SETTINGS
    assert not (root / ".env").exists()
    line = next(line for line in out.splitlines() if "DJS008" in line)
    assert "does not make git ignore it" in line and "!" in line, line


def test_a_env_linked_outside_the_project_is_not_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "target").write_text("UNRELATED=1\n")
    root = tmp_path / "site"
    settings = make_repository(root)
    (root / ".env").symlink_to(outside / "target")
    (root / ".gitignore").write_text(".env\n")

    status, out, err = fix(root)
    assert status == 1, out + err
    assert (outside / "target").read_text() == "UNRELATED=1\n"
    assert settings.read_text() == SETTINGS
    assert (root / ".env").is_symlink()
    assert_secrets_not_fixed(out, f"not fixed: .env is a symbolic link to {outside / 'target'}, outside the project")
    stdin = run_tool("check", "--fix", "--stdin-filename", "mysite/settings.py", "-", cwd=root, input=SETTINGS.encode())
    assert stdin.stdout.decode() == SETTINGS and "symbolic link" in stdin.stderr.decode()
    assert (outside / "target").read_text() == "UNRELATED=1\n"

    # Named by the configuration: the user chose that file, and it is written through the link.
    (root / "pyproject.toml").write_text('[tool.djlint-secrets]\nenv-file = ".env"\n')
    status, out, err = fix(root)
    assert status == 0, out + err
    values = dotenv_values(outside / "target")
    assert values["UNRELATED"] == "1" and values["DJANGO_EMAIL_HOST_PASSWORD"] == PASSWORD
    assert (root / ".env").is_symlink()


def test_a_env_linked_inside_the_project_is_written_through(tmp_path):
    root = tmp_path / "site"
    settings = make_repository(root)
    (root / "config").mkdir()
    (root / "config" / "local.env").write_text("LOCAL_SETTING=1\n")
    (root / ".env").symlink_to("config/local.env")

    status, out, err = fix(root)
    assert status == 0, out + err
    assert os.readlink(root / ".env") == "config/local.env"
    values = dotenv_values(root / "config" / "local.env")
    assert values["LOCAL_SETTING"] == "1"
    assert values["DJANGO_EMAIL_HOST_PASSWORD"] == PASSWORD
    assert len(values["DJANGO_SECRET_KEY"]) == 64
    assert 'os.environ["DJANGO_EMAIL_HOST_PASSWORD"]' in settings.read_text()
    # The secrets live in the link's target: git ignores that file.
    assert is_ignored(root, "config/local.env")
    assert stat.S_IMODE((root / "config" / "local.env").stat().st_mode) & 0o077 == 0
    before = snapshot(root)
    assert fix(root)[0] == 0 and snapshot(root) == before


@pytest.mark.parametrize("mode", [0o644, 0o666])
def test_an_env_others_can_read_loses_their_permissions(tmp_path, mode):
    root = tmp_path / "site"
    make_repository(root)
    (root / ".gitignore").write_text(".env\n")
    env_file = root / ".env"
    env_file.write_text("# mine\nLOCAL_SETTING=1\n")
    env_file.chmod(mode)
    status, out, err = fix(root)
    assert status == 0, out + err
    assert stat.S_IMODE(env_file.stat().st_mode) == mode & 0o700
    assert f"(mode {mode:#o} → 0600)".replace("0o", "0") in out, out
    assert env_file.read_text().startswith("# mine\nLOCAL_SETTING=1\n")
    values = dotenv_values(env_file)
    assert values["DJANGO_EMAIL_HOST_PASSWORD"] == PASSWORD and len(values["DJANGO_SECRET_KEY"]) == 64


@pytest.mark.parametrize("case", ["tracked", "linked-outside"])
def test_the_language_server_refuses_the_same_env_files(tmp_path, case):
    root = tmp_path / "site"
    settings = make_repository(root)
    if case == "tracked":
        (root / ".env").write_text("LOCAL_SETTING=1\n")
        git(root, "add", ".env")
        git(root, "commit", "-qm", "env")
        reason = "git rm --cached .env"
        target = root / ".env"
    else:
        target = tmp_path / "elsewhere.env"
        target.write_text("LOCAL_SETTING=1\n")
        (root / ".env").symlink_to(target)
        reason = ".env is a symbolic link to"
    client = LanguageClient([BIN, "server"], cwd=root)
    try:
        client.initialize(root.resolve().as_uri())
        uri = settings.resolve().as_uri()
        diagnostics = client.open(uri, SETTINGS)
        assert {d["code"] for d in diagnostics} >= {"DJS002", "DJS008"}
        text = SETTINGS
        end = {"line": len(text.splitlines()), "character": 0}
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": end},
            "context": {"diagnostics": [], "only": ["source.fixAll.djlint-secrets"]}})["result"]
        command = actions[0]["command"]
        response = client.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
        assert "error" not in response, response
        assert client.documents[uri][1] == SETTINGS  # no edit applied
        assert target.read_text() == "LOCAL_SETTING=1\n"
        assert any(reason in shown["message"] for shown in client.shown), client.shown
    finally:
        client.kill()


def make_rotatable(root):
    settings = make_repository(root, 'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n')
    (root / ".env").write_text("DJANGO_SECRET_KEY=" + "a1" * 32 + "\n")
    return settings


def test_rotate_keeps_the_same_rules(tmp_path):
    # An env file others can read loses their bits when the new key goes in.
    root = tmp_path / "readable"
    make_rotatable(root)
    (root / ".gitignore").write_text(".env\n")
    (root / ".env").chmod(0o644)
    result = run_tool("rotate", ".", cwd=root)
    out = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, out
    assert stat.S_IMODE((root / ".env").stat().st_mode) == 0o600
    assert "mode 0644 → 0600" in out
    assert dotenv_values(root / ".env")["DJANGO_SECRET_KEY"] != "a1" * 32

    # A tracked .env, or one linked out of the project, gets no new key; nothing is written.
    for case in ("tracked", "linked-outside"):
        root = tmp_path / case
        make_rotatable(root)
        target = root / ".env"
        if case == "tracked":
            git(root, "add", ".env")
            git(root, "commit", "-qm", "env")
            reason = "git rm --cached"
        else:
            target = tmp_path / f"{case}.env"
            (root / ".env").rename(target)
            (root / ".env").symlink_to(target)
            reason = "symbolic link to"
        before = target.read_bytes()
        settings_before = (root / "mysite" / "settings.py").read_bytes()
        result = run_tool("rotate", ".", cwd=root)
        out = (result.stdout + result.stderr).decode()
        assert result.returncode == 1, out
        assert reason in out and ("nothing was changed" in out or "Nothing was written" in out), out
        assert target.read_bytes() == before
        assert (root / "mysite" / "settings.py").read_bytes() == settings_before
