"""End to end: real `startproject` settings, fixed by the built binary, run by real Django."""
import os
import re
import stat
import shutil
import subprocess
import sys
from pathlib import Path

from dotenv import dotenv_values

from conftest import clean_env, manage, run_tool


def test_check_reports_the_startproject_settings(startproject):
    project, settings = startproject
    result = run_tool("check", "--color", "never", ".", cwd=project, check_status=1)
    out = result.stdout.decode()
    assert re.search(r"mysite/settings\.py:\d+:1: DJS002 \[\*\]", out)
    assert re.search(r"mysite/settings\.py:\d+:1: DJS005 \[\*\]", out)
    old_key = re.search(r"SECRET_KEY = '([^']+)'", settings.read_text()).group(1)
    assert old_key not in out and old_key not in result.stderr.decode()


def test_fix_makes_a_project_that_fails_closed_and_passes_the_deploy_checks(startproject):
    project, settings = startproject
    old_key = re.search(r"SECRET_KEY = '([^']+)'", settings.read_text()).group(1)

    result = run_tool("check", "--fix", "--color", "never", ".", cwd=project, check_status=0)
    output = result.stdout.decode() + result.stderr.decode()
    assert old_key not in output

    env_file = project / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    values = dotenv_values(env_file)
    new_key = values["DJANGO_SECRET_KEY"]
    assert new_key != old_key and len(new_key) == 64 and re.fullmatch(r"[A-Za-z0-9]{64}", new_key)
    assert new_key not in output
    assert values["DJANGO_DEBUG"] == "True"
    assert ".env" in (project / ".gitignore").read_text().splitlines()

    fixed = settings.read_text()
    assert old_key not in fixed
    assert 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]' in fixed

    # With the .env loaded (DEBUG switched off, as in production): no W009, no W018.
    deploy = manage(project, "check", "--deploy", env=clean_env(**{**values, "DJANGO_DEBUG": "False"}))
    assert deploy.returncode == 0, deploy.stderr
    report = deploy.stdout + deploy.stderr
    assert "security.W009" not in report
    assert "security.W018" not in report

    # Local development keeps working: the .env turns DEBUG on and the key is the new one.
    shell = manage(
        project, "shell", "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY == %r)" % new_key,
        env=clean_env(**values),
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.strip().splitlines()[-1].split() == ["True", "True"]

    # The settings load .env themselves (python-dotenv): nothing exported, it runs.
    assert manage(project, "check", env=clean_env()).returncode == 0
    # Without the environment and .env the project fails closed.
    env_file.rename(project / "env.off")
    bare = manage(project, "check", env=clean_env())
    assert bare.returncode != 0
    assert "DJANGO_SECRET_KEY" in bare.stderr
    # ...and with only the key, DEBUG is off.
    only_key = manage(
        project, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
        env=clean_env(DJANGO_SECRET_KEY=new_key),
    )
    assert only_key.stdout.strip().splitlines()[-1] == "False", only_key.stderr


def test_second_fix_changes_nothing(startproject):
    project, settings = startproject
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    snapshot = {p: p.read_bytes() for p in (settings, project / ".env", project / ".gitignore")}
    again = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert "All checks passed" in again.stdout.decode()
    assert {p: p.read_bytes() for p in snapshot} == snapshot


def test_editor_stdin_fix_of_startproject_settings(startproject):
    project, settings = startproject
    original = settings.read_bytes()
    result = run_tool(
        "check", "--fix", "--stdin-filename", str(settings), "-", input=original, cwd=project, check_status=0
    )
    fixed = result.stdout
    assert b'os.environ["DJANGO_SECRET_KEY"]' in fixed
    assert settings.read_bytes() == original  # stdin mode never writes the settings file
    assert "DJANGO_SECRET_KEY" in dotenv_values(project / ".env")
    # Nothing to fix: the exact input bytes come back.
    unchanged = run_tool("check", "--fix", "--stdin-filename", str(settings), "-", input=fixed, check_status=0)
    assert unchanged.stdout == fixed


def test_git_committed_strong_key_is_replaced_not_moved(tmp_path):
    project = tmp_path
    (project / "manage.py").write_text("")
    strong = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
    (project / "settings.py").write_text(f'SECRET_KEY = "{strong}"\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(git + ["-C", str(project), "add", "."], check=True)
    subprocess.run(git + ["-C", str(project), "commit", "-qm", "init"], check=True)
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY"] != strong


def test_never_committed_strong_key_is_moved(tmp_path):
    project = tmp_path
    (project / "manage.py").write_text("")
    strong = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
    (project / "settings.py").write_text(f'SECRET_KEY = "{strong}"\n')
    result = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY"] == strong
    assert strong not in (result.stdout + result.stderr).decode()


def test_a_project_template_placeholder_is_not_a_key_but_the_rendered_key_is(tmp_path):
    """A `startproject --template` template holds `SECRET_KEY = '{{ secret_key }}'`; Django fills it in."""
    import django

    template = tmp_path / "project_template"
    shutil.copytree(Path(django.__file__).parent / "conf" / "project_template", template)
    package = template / "project_name"
    (package / "settings").mkdir()
    (package / "settings" / "__init__.py").write_text("")
    (package / "settings.py-tpl").rename(package / "settings" / "dev.py")
    with (package / "settings" / "dev.py").open("a") as settings:
        settings.write('EMAIL_HOST_PASSWORD = "{{ email_password }}"\n')
    assert "SECRET_KEY = '{{ secret_key }}'" in (package / "settings" / "dev.py").read_text()

    result = run_tool("check", "--color", "never", str(template), cwd=tmp_path, check_status=0)
    assert b"DJS" not in result.stdout, result.stdout
    fixed = run_tool("check", "--fix", str(template), cwd=tmp_path, check_status=0)
    assert not (template / ".env").exists() and b"DJS" not in fixed.stdout

    rendered = tmp_path / "rendered"
    rendered.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "--template", str(template), "newsite", str(rendered)],
        check=True, capture_output=True,
    )
    result = run_tool("check", "--color", "never", str(rendered), cwd=tmp_path, check_status=1)
    assert re.search(rb"newsite/settings/dev\.py:\d+:1: DJS002", result.stdout), result.stdout
