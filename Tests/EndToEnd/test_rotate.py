"""End to end for `djlint-secrets rotate` with real Django 5.2: a session cookie, a django.core.signing
value and a password-reset token made before a rotation stay valid through SECRET_KEY_FALLBACKS, and stop
being valid after --drop-fallbacks, after --leaked, and after rotating a key that a commit holds. A Django
4.0 project (as its requirements declare it) gets no fallbacks and is told why. Nothing prints a key."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import clean_env, run_tool

# Runs inside the project with .env loaded as python-dotenv reads it; never prints a key.
TOKENS = r'''
import json, os, sys
from dotenv import dotenv_values
os.environ.update({k: v for k, v in dotenv_values(".env").items() if v is not None})
os.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"
import django
django.setup()
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core import signing

user = User(pk=7, username="ada", email="ada@example.com", password="pbkdf2_sha256$1$salt$hash")
if sys.argv[1] == "make":
    session = SessionStore()
    session["user"] = "ada"
    session.save()
    print(json.dumps({
        "session": session.session_key,
        "signed": signing.dumps({"order": 42}),
        "reset": default_token_generator.make_token(user),
    }))
else:
    made = json.loads(sys.stdin.read())
    try:
        signed = signing.loads(made["signed"]) == {"order": 42}
    except signing.BadSignature:
        signed = False
    print(json.dumps({
        "session": SessionStore(session_key=made["session"]).load().get("user") == "ada",
        "signed": signed,
        "reset": default_token_generator.check_token(user, made["reset"]),
    }))
'''


def tokens(project, made=None):
    result = subprocess.run(
        [sys.executable, "-c", TOKENS, "make" if made is None else "check"], cwd=project, env=clean_env(),
        input=None if made is None else json.dumps(made), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def all_valid(answer):
    return answer == {"session": True, "signed": True, "reset": True}


def none_valid(answer):
    return answer == {"session": False, "signed": False, "reset": False}


def output(result):
    return (result.stdout + result.stderr).decode()


def assert_no_key_printed(text, project):
    for value in dotenv_values(project / ".env").values():
        for key in (value or "").split(","):
            if len(key) >= 8:
                assert key not in text


@pytest.fixture
def project(startproject):
    root, _ = startproject
    # The project runs in its own virtualenv (the test one): rotate asks its Python which Django it has.
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    run_tool("check", "--fix", ".", cwd=root, check_status=0)
    return root


def test_rotate_keeps_old_tokens_valid_until_drop_fallbacks(project):
    before = dotenv_values(project / ".env")["DJANGO_SECRET_KEY"]
    made = tokens(project)
    assert all_valid(tokens(project, made))

    result = run_tool("rotate", ".", cwd=project, check_status=0)
    text = output(result)
    env = dotenv_values(project / ".env")
    assert re.fullmatch(r"[A-Za-z0-9]{64}", env["DJANGO_SECRET_KEY"]) and env["DJANGO_SECRET_KEY"] != before
    assert env["DJANGO_SECRET_KEY_FALLBACKS"] == before
    settings = (project / "mysite" / "settings.py").read_text()
    assert ('SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nSECRET_KEY_FALLBACKS = '
            '[k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k]\n') in settings
    assert "Django 5.2" in text and "SESSION_COOKIE_AGE" in text and "--drop-fallbacks" in text
    assert re.search(r"on or after \d{4}-\d{2}-\d{2}", text)
    assert "Production: set DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FALLBACKS" in text and "restart" in text
    assert_no_key_printed(text, project)
    assert before not in text
    assert all_valid(tokens(project, made))

    # A second rotation keeps both old keys, newest first, and the settings are not edited twice.
    second_old = env["DJANGO_SECRET_KEY"]
    run_tool("rotate", ".", cwd=project, check_status=0)
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY_FALLBACKS"] == f"{second_old},{before}"
    assert (project / "mysite" / "settings.py").read_text() == settings
    assert all_valid(tokens(project, made))

    result = run_tool("rotate", "--drop-fallbacks", ".", cwd=project, check_status=0)
    text = output(result)
    assert "SESSION_COOKIE_AGE" in text and re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY_FALLBACKS"] == ""
    assert none_valid(tokens(project, made))
    assert run_tool("check", ".", cwd=project).returncode == 0


def test_dry_run_writes_nothing(project):
    files = {path: path.read_bytes() for path in [project / ".env", project / "mysite" / "settings.py"]}
    result = run_tool("rotate", "--dry-run", ".", cwd=project, check_status=0)
    assert "Dry run" in output(result)
    assert {path: path.read_bytes() for path in files} == files


def test_leaked_keeps_nothing(project):
    made = tokens(project)
    result = run_tool("rotate", "--leaked", ".", cwd=project, check_status=0)
    text = output(result)
    assert "not kept" in text and "logged out" in text
    assert not dotenv_values(project / ".env").get("DJANGO_SECRET_KEY_FALLBACKS")
    assert none_valid(tokens(project, made))


def test_a_key_a_commit_holds_is_not_kept_and_leaked_fallbacks_go(project):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    run_tool("rotate", ".", cwd=project, check_status=0)
    first_old = dotenv_values(project / ".env")["DJANGO_SECRET_KEY_FALLBACKS"]
    subprocess.run(["git", "init", "-q", "."], cwd=project, check=True)
    key = dotenv_values(project / ".env")["DJANGO_SECRET_KEY"]
    (project / "deploy.txt").write_text(f"export DJANGO_SECRET_KEY={key}\n")
    subprocess.run(["git", "add", "deploy.txt"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "oops"], cwd=project, check=True)
    made = tokens(project)
    result = run_tool("rotate", ".", cwd=project, check_status=0)
    text = output(result)
    assert "not kept" in text and "holds it" in text and "logged out" in text
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY_FALLBACKS"] == first_old
    assert none_valid(tokens(project, made))

    # A leaked key put into the fallbacks by hand is reported (DJS014) and removed by the next rotation.
    env_path = project / ".env"
    env_path.write_text(env_path.read_text().replace("DJANGO_SECRET_KEY_FALLBACKS=", f"DJANGO_SECRET_KEY_FALLBACKS={key},"))
    check = run_tool("check", ".", cwd=project)
    assert check.returncode == 1 and "DJS014" in output(check) and key not in output(check)
    result = run_tool("rotate", ".", cwd=project, check_status=0)
    assert "Removed the leaked key" in output(result)
    fallbacks = dotenv_values(project / ".env")["DJANGO_SECRET_KEY_FALLBACKS"].split(",")
    assert key not in fallbacks and first_old in fallbacks


def test_django_4_0_gets_no_fallbacks(project):
    (project / ".venv").unlink()
    (project / "requirements.txt").write_text("Django==4.0\npython-dotenv\n")
    settings_before = (project / "mysite" / "settings.py").read_text()
    result = run_tool("rotate", ".", cwd=project, check_status=0)
    text = output(result)
    assert "Django 4.0 (declared in requirements.txt) has no SECRET_KEY_FALLBACKS" in text
    assert "logged out" in text
    assert "DJANGO_SECRET_KEY_FALLBACKS" not in dotenv_values(project / ".env")
    assert (project / "mysite" / "settings.py").read_text() == settings_before


def test_needs_the_key_read_from_the_environment(startproject):
    root, settings = startproject
    before = settings.read_bytes()
    result = run_tool("rotate", ".", cwd=root, check_status=1)
    text = output(result)
    assert "DJS002" in text and "check --fix" in text
    assert "django-insecure-" in text and not re.search(r"django-insecure-[^…\s]", text)
    assert settings.read_bytes() == before and not (root / ".env").exists()


def test_a_kill_at_any_write_step_loses_no_key(project):
    """DJLINT_SECRETS_CRASH_AFTER=N ends the process at the N-th write step (four per file written):
    .env (both keys at once) comes first, then the settings, so the old key is never lost."""
    import os
    settings = project / "mysite" / "settings.py"
    pristine = {path: path.read_bytes() for path in [project / ".env", settings, project / ".gitignore"]}
    old = dotenv_values(project / ".env")["DJANGO_SECRET_KEY"]
    run_tool("rotate", ".", cwd=project, check_status=0)
    rotated_settings = settings.read_bytes()
    assert rotated_settings != pristine[settings]
    crashes = 0
    for step in range(1, 16):
        for path, content in pristine.items():
            path.write_bytes(content)
        result = run_tool("rotate", ".", cwd=project, env={**os.environ, "DJLINT_SECRETS_CRASH_AFTER": str(step)})
        if result.returncode != 86:
            assert result.returncode == 0, output(result)
            break
        crashes += 1
        env = dotenv_values(project / ".env")
        kept = [env.get("DJANGO_SECRET_KEY")] + (env.get("DJANGO_SECRET_KEY_FALLBACKS") or "").split(",")
        assert old in kept, step
        # Either the old settings or the new ones, never half of them.
        assert settings.read_bytes() in (pristine[settings], rotated_settings), step
        if env.get("DJANGO_SECRET_KEY") != old:
            # The new key is stored: the old one must be its fallback, in the same write.
            assert env.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",")[0] == old, step
    assert crashes >= 8  # .env and the settings, four steps each
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY_FALLBACKS"] == old


def test_a_new_key_never_goes_into_an_env_file_git_tracks(project):
    subprocess.run(["git", "init", "-q", "."], cwd=project, check=True)
    subprocess.run(["git", "add", "-f", ".env"], cwd=project, check=True)
    before = (project / ".env").read_bytes()
    result = run_tool("rotate", ".", cwd=project, check_status=1)
    assert "git rm --cached .env" in output(result) and "Nothing was written" in output(result)
    assert (project / ".env").read_bytes() == before


def test_a_loose_env_file_is_made_private(project):
    (project / ".env").chmod(0o644)
    result = run_tool("rotate", ".", cwd=project, check_status=0)
    assert (project / ".env").stat().st_mode & 0o077 == 0
    assert "permissions" in output(result)
