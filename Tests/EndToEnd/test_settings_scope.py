"""SPEC "Which code is looked at": a finding needs a settings module, and test settings hold fixtures.

One real startproject site, checked and fixed whole (`check --fix .`), with beside it a script that
generates and prints a key (no settings module: not reported, untouched) and a `tests/settings.py`
that `conftest.py` selects (test settings: its test key and dummy password are not reported and not
rewritten, and `pytest` starts without any `.env`; a generated-looking token there is reported, never
rewritten, with the advice to move it into the CI's secret store)."""
import json
import subprocess
import sys

import pytest

from conftest import BIN, clean_env, run_tool

KEY_SCRIPT = '''"""Prints a new SECRET_KEY for the deployment docs."""
from django.core.management.utils import get_random_secret_key

SECRET_KEY = get_random_secret_key()
print(SECRET_KEY)
'''

CONFTEST = '''import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()
'''

# A token of a real provider's shape: a leak wherever it sits, so reported even in test settings.
TOKEN = "ghp_R8x2LmQ7vZ4kT9pW3nB6yH1cJ5dF0sA2eG7u"

TEST_SETTINGS = f'''import os

SECRET_KEY = "test-key-not-for-production"
DEBUG = True
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "PASSWORD": "dummy-password",
    }}
}}
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "test")
GITHUB_TOKEN = "{TOKEN}"
'''

TEST_MODULE = '''from django.conf import settings


def test_the_suite_runs_on_its_fixtures():
    assert settings.SECRET_KEY == "test-key-not-for-production"
    assert settings.DATABASES["default"]["PASSWORD"] == "dummy-password"
'''


@pytest.fixture
def project(startproject):
    root, _ = startproject
    (root / "docs").mkdir()
    (root / "docs" / "key.py").write_text(KEY_SCRIPT)
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "settings.py").write_text(TEST_SETTINGS)
    (root / "tests" / "test_suite.py").write_text(TEST_MODULE)
    (root / "conftest.py").write_text(CONFTEST)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def findings(project, *paths):
    result = run_tool("check", "--format", "json", *paths, cwd=project)
    items = json.loads(result.stdout)
    for item in items:
        item["path"] = item["path"].removeprefix("./")
    return items


def run_pytest(project):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project, env=clean_env(), capture_output=True, text=True, timeout=120,
    )


def test_a_key_generator_script_and_test_settings_survive_fixing_the_whole_project(project):
    key_script = (project / "docs" / "key.py").read_bytes()
    test_settings = (project / "tests" / "settings.py").read_bytes()

    before = findings(project, ".")
    reported = {(item["path"], item["code"]) for item in before}
    assert ("mysite/settings.py", "DJS002") in reported
    assert not any(path.startswith("docs/") for path, _ in reported), before
    test_findings = [item for item in before if item["path"] == "tests/settings.py"]
    assert [(item["code"], item["line"], item["fixable"]) for item in test_findings] == [("DJS008", 14, False)]
    assert "CI's secret store" in test_findings[0]["message"]
    assert TOKEN not in json.dumps(before)

    fixed = run_tool("check", "--fix", "--color", "never", ".", cwd=project, check_status=1)
    output = (fixed.stdout + fixed.stderr).decode()
    assert "./tests/settings.py:14:1: DJS008 GITHUB_TOKEN" in output and TOKEN not in output
    assert (project / "docs" / "key.py").read_bytes() == key_script
    assert (project / "tests" / "settings.py").read_bytes() == test_settings
    env_names = {line.split("=", 1)[0] for line in (project / ".env").read_text().splitlines() if "=" in line}
    assert env_names == {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}

    # The key script still makes a key, and the test suite starts with no .env at all.
    (project / ".env").rename(project / "env.moved")
    made = subprocess.run([sys.executable, "docs/key.py"], cwd=project, env=clean_env(), capture_output=True, text=True)
    assert made.returncode == 0 and len(made.stdout.strip()) == 50, made.stderr
    suite = run_pytest(project)
    assert suite.returncode == 0, suite.stdout + suite.stderr
    (project / "env.moved").rename(project / ".env")

    # A second run changes nothing; the token stays reported.
    files = {path: path.read_bytes() for path in project.rglob("*") if path.is_file() and ".git" not in path.parts}
    again = run_tool("check", "--fix", "--color", "never", ".", cwd=project, check_status=1)
    assert b"Fixed" not in again.stdout
    assert {path: path.read_bytes() for path in files} == files


def test_a_file_named_on_the_command_line_is_a_settings_module(project):
    named = findings(project, "docs/key.py")
    assert [(item["code"], item["fixable"]) for item in named] == [("DJS009", True)]
    # Named test settings stay test settings: only the token.
    assert [item["code"] for item in findings(project, "tests/settings.py")] == ["DJS008"]


def test_the_language_server_treats_open_documents_as_check_dot_treats_the_files(project):
    """An editor opens every kind of Python file: a document is a settings module on the terms of `check .`,
    not on those of a file named to `check`."""
    from lsp_client import LanguageClient

    # A module of no settings shape that manage.py selects is settings through DJANGO_SETTINGS_MODULE.
    (project / "mysite" / "live.py").write_text('import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-key")\n')
    manage = project / "manage.py"
    manage.write_text(manage.read_text().replace("mysite.settings", "mysite.live"))
    assert "mysite.live" in manage.read_text()
    client = LanguageClient([BIN, "server"], cwd=project)
    try:
        client.initialize(project.resolve().as_uri())
        for path, expected in [
            ("docs/key.py", []),
            ("tests/settings.py", ["DJS008"]),
            ("mysite/live.py", ["DJS004"]),
        ]:
            file = project / path
            diagnostics = client.open(file.resolve().as_uri(), file.read_text())
            assert [d["code"] for d in diagnostics] == expected, (path, diagnostics)
    finally:
        client.kill()
