"""End to end: DJS011 and DJS012 on real git repositories built in temporary folders."""
import json
import os
import re
import subprocess

import pytest
from dotenv import dotenv_values

from conftest import run_tool

KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
NEW_KEY = "Pq8Rt2Wm5Yx9Zb3Cv6Nd1Fg4Hj7Kl0Mn2Bv5Cx8Zl1Ak4Sj7Dh0Fg3Gh6Jk9Lq2"
FORMATS = ("text", "json", "sarif", "github")


def git(repo, *args, date=None):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date + "T12:00:00+0000"
    result = subprocess.run(
        ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=repo, env=env, capture_output=True, text=True, check=True,
    )
    return result.stdout.strip()


def commit(repo, message, date):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "--short", "HEAD")


def settings_key(settings):
    return re.search(r"SECRET_KEY = '([^']+)'", settings.read_text()).group(1)


def outputs(project, *args):
    """The tool's stdout and stderr in every output format, for the never-print-a-secret checks."""
    text = ""
    for fmt in FORMATS:
        result = run_tool("check", "--color", "never", "--format", fmt, *args, ".", cwd=project)
        text += result.stdout.decode() + result.stderr.decode()
    return text


def json_findings(project, *args):
    result = run_tool("check", "--format", "json", *args, ".", cwd=project)
    findings = json.loads(result.stdout)
    for finding in findings:  # paths are reported as found under "." (./mysite/settings.py)
        finding["path"] = finding["path"].removeprefix("./")
    return result.returncode, findings


@pytest.fixture
def committed_project(startproject):
    """A startproject whose settings (with the generated key) were committed, then .env ignored."""
    project, settings = startproject
    git(project, "init", "-q")
    first = commit(project, "startproject", "2021-03-04")
    return project, settings, first


def move_key_to_env(project, settings, key):
    text = settings.read_text()
    text = re.sub(r"SECRET_KEY = '[^']+'", 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', text)
    text = text.replace("from pathlib import Path", "import os\nfrom pathlib import Path")
    settings.write_text(text)
    (project / ".gitignore").write_text(".env\n")
    (project / ".env").write_text("DJANGO_SECRET_KEY='%s'\n" % key)


def test_key_committed_then_moved_verbatim_to_env_is_reported_with_its_commit(committed_project):
    project, settings, first = committed_project
    key = settings_key(settings)
    move_key_to_env(project, settings, key)
    commit(project, "read the key from the environment", "2022-05-06")

    status, findings = json_findings(project)
    assert status == 1
    leaks = [f for f in findings if f["code"] == "DJS012"]
    assert len(leaks) == 1, findings
    leak = leaks[0]
    assert leak["path"] == ".env" and leak["line"] == 1 and leak["column"] == 1
    assert first in leak["message"] and "2021-03-04" in leak["message"]
    assert "django-insecure-…" in leak["message"]
    assert key not in outputs(project)
    assert key not in outputs(project, "--history")


def test_rotated_key_is_not_reported_and_history_lists_the_old_one(committed_project):
    project, settings, first = committed_project
    old_key = settings_key(settings)
    move_key_to_env(project, settings, NEW_KEY)
    commit(project, "rotate", "2022-05-06")

    status, findings = json_findings(project)
    assert not [f for f in findings if f["code"] in ("DJS011", "DJS012")], findings

    status, findings = json_findings(project, "--history")
    assert status == 1
    past = [f for f in findings if f["code"] == "DJS012"]
    assert len(past) == 1, findings
    assert past[0]["path"] == "mysite/settings.py"
    assert past[0]["severity"] == "warning"
    assert first in past[0]["message"] and "2021-03-04" in past[0]["message"]
    text = outputs(project, "--history")
    assert old_key not in text and NEW_KEY not in text


def test_history_lists_a_key_committed_long_ago(tmp_path):
    repo = tmp_path / "repo"
    (repo / "mysite").mkdir(parents=True)
    (repo / "manage.py").write_text("")
    (repo / "mysite" / "settings.py").write_text('SECRET_KEY = "%s"\nDEBUG = False\n' % KEY)
    git(repo, "init", "-q")
    first = commit(repo, "start", "2015-06-07")
    for number in range(30):
        (repo / "mysite" / ("module_%d.py" % number)).write_text("X = %d\n" % number)
        commit(repo, "work %d" % number, "2016-01-%02d" % (number % 28 + 1))
    (repo / "mysite" / "settings.py").write_text('import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\n')
    commit(repo, "env", "2017-01-01")

    result = run_tool("check", "--history", "--color", "never", ".", cwd=repo, check_status=1)
    out = result.stdout.decode()
    assert re.search(r"mysite/settings\.py:1:1: DJS012 a past SECRET_KEY \('k2Zx…' \(64 chars\)\) was committed in %s \(2015-06-07\)" % first, out), out
    assert KEY not in outputs(repo, "--history")
    # Without --history the old key is nobody's business: it is not in use.
    run_tool("check", ".", cwd=repo, check_status=0)


def test_fix_replaces_a_committed_key_and_names_the_commit_with_history(committed_project):
    project, settings, first = committed_project
    old_key = settings_key(settings)
    result = run_tool("check", "--fix", "--history", "--color", "never", ".", cwd=project)
    out = result.stdout.decode() + result.stderr.decode()
    new_key = dotenv_values(project / ".env")["DJANGO_SECRET_KEY"]
    assert new_key != old_key and re.fullmatch(r"[A-Za-z0-9]{64}", new_key)
    assert "must be considered public" in out
    assert re.search(r"DJS012 a past SECRET_KEY \(django-insecure-…\) was committed in %s \(2021-03-04\)" % first, out), out
    assert old_key not in out and new_key not in out
    assert ".env" in (project / ".gitignore").read_text().splitlines()
    # Nothing else is left: the new key was never committed, .env is ignored.
    run_tool("check", ".", cwd=project, check_status=0)


def test_tracked_env_is_reported(committed_project):
    project, settings, _ = committed_project
    move_key_to_env(project, settings, NEW_KEY)
    (project / ".gitignore").write_text("")
    env_commit = commit(project, "commit the env file too", "2023-01-02")

    status, findings = json_findings(project)
    codes = [f["code"] for f in findings]
    assert codes.count("DJS011") == 1, findings
    tracked = next(f for f in findings if f["code"] == "DJS011")
    assert tracked["path"] == ".env" and (tracked["line"], tracked["column"]) == (1, 1)
    assert "git rm --cached .env" in tracked["message"] and not tracked["fixable"]
    leak = next(f for f in findings if f["code"] == "DJS012")
    assert env_commit in leak["message"] and "2023-01-02" in leak["message"]
    assert NEW_KEY not in outputs(project)


def test_unignored_env_is_reported_once_and_fixed(committed_project):
    project, settings, _ = committed_project
    move_key_to_env(project, settings, NEW_KEY)
    (project / ".gitignore").unlink()
    # A second settings module of the same project: still one finding for the one .env.
    (project / "mysite" / "settings_prod.py").write_text("from .settings import *\nDEBUG = False\n")

    status, findings = json_findings(project)
    env_findings = [f for f in findings if f["code"] == "DJS011"]
    assert len(env_findings) == 1 and env_findings[0]["fixable"], findings
    assert "not git-ignored" in env_findings[0]["message"]

    run_tool("check", "--fix", ".", cwd=project)
    assert (project / ".gitignore").read_text().splitlines() == [".env"]
    assert git(project, "check-ignore", ".env") == ".env"
    status, findings = json_findings(project)
    assert not [f for f in findings if f["code"] == "DJS011"]


def test_nothing_outside_a_git_work_tree(startproject):
    project, settings = startproject
    move_key_to_env(project, settings, KEY)
    (project / ".gitignore").unlink()
    status, findings = json_findings(project, "--history")
    assert findings and not [f for f in findings if f["code"] in ("DJS011", "DJS012")], findings
