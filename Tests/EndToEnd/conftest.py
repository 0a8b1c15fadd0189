import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("DJLINT_SECRETS_BIN", str(REPO / ".build/release/djlint-secrets"))


def run_tool(*args, cwd=None, input=None, check_status=None, env=None, prefix=()):
    """Runs the binary; `prefix` runs it through another program (`setpriv ...` to drop root)."""
    result = subprocess.run(
        [*prefix, BIN, *args], cwd=cwd, input=input, capture_output=True, timeout=60, env=env
    )
    if check_status is not None:
        assert result.returncode == check_status, (result.returncode, result.stdout, result.stderr)
    return result


def clean_env(**extra):
    """The process environment without any Django variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("SECRET_KEY", None)
    env.update(extra)
    return env


def manage(project, *args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def startproject(tmp_path):
    """A project made by the real `django-admin startproject`, returned with its settings path."""
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(tmp_path)],
        check=True, capture_output=True,
    )
    return tmp_path, tmp_path / "mysite" / "settings.py"
