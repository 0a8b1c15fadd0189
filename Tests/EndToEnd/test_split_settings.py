"""End to end for split settings (base ← common ← production): production.py reads through the
django-environ instance bound in base.py by star imports; --fix rewrites production.py in that
style, and the real Django settings import with the written .env and fail closed without it."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import clean_env, run_tool

PROJECT = Path(__file__).parent / "projects" / "split_site"

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "DEBUG": settings.DEBUG,
    "EMAIL_HOST_PASSWORD": settings.EMAIL_HOST_PASSWORD,
}))
"""


def load_settings(project, env=None):
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=project, capture_output=True, text=True,
        env=clean_env(DJANGO_SETTINGS_MODULE="conf.settings.production", **(env or {})), timeout=60,
    )


def test_split_settings_are_checked_and_fixed_across_files(tmp_path):
    project = tmp_path / "split_site"
    shutil.copytree(PROJECT, project)
    production = project / "conf" / "settings" / "production.py"
    base_before = (project / "conf" / "settings" / "base.py").read_bytes()

    before = load_settings(project)
    assert before.returncode == 0, before.stderr  # the fallbacks make it run with nothing set
    assert json.loads(before.stdout)["DEBUG"] is True

    report = run_tool("check", ".", cwd=project).stdout.decode()
    found = sorted(re.findall(r"^(?:\./)?(\S+\.py):(\d+):\d+: (DJS\d+)", report, re.M))
    production_path = str(Path("conf", "settings", "production.py"))
    assert found == [(production_path, "4", "DJS004"), (production_path, "5", "DJS007"), (production_path, "6", "DJS004")], report

    result = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    out = (result.stdout + result.stderr).decode()
    assert "mail pass 42" not in out and "django-insecure-+x0$y!r3k@q7#z8w^v2m" not in out
    fixed = production.read_text()
    assert 'SECRET_KEY = env("SECRET_KEY")\n' in fixed
    assert 'DEBUG = env.bool("DEBUG", default=False)\n' in fixed
    assert 'EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")\n' in fixed
    assert "import os" not in fixed
    assert (project / "conf" / "settings" / "base.py").read_bytes() == base_before

    again = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert production.read_text() == fixed, again.stdout

    loaded = load_settings(project)
    assert loaded.returncode == 0, loaded.stderr
    values = json.loads(loaded.stdout)
    assert re.fullmatch(r"[A-Za-z0-9]{64}", values["SECRET_KEY"])  # the published key was replaced
    assert values["DEBUG"] is True  # local development had DEBUG on
    assert values["EMAIL_HOST_PASSWORD"] == "mail pass 42"

    (project / ".env").rename(project / "env.off")
    bare = load_settings(project)
    assert bare.returncode != 0 and "SECRET_KEY" in bare.stderr
    deployed = load_settings(project, {"SECRET_KEY": values["SECRET_KEY"], "EMAIL_HOST_PASSWORD": "x"})
    assert deployed.returncode == 0, deployed.stderr
    assert json.loads(deployed.stdout)["DEBUG"] is False
