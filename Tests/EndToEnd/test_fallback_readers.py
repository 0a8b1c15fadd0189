"""Every SECRET_KEY_FALLBACKS read form that rotate writes gives back the keys it kept, byte for byte,
through the real reader: python-dotenv + os.environ, django-environ `env.list`, python-decouple `Csv`
and django-configurations `ListValue`. A key a reader would change is not kept, and the summary says why."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import clean_env, run_tool

# Strong (W009), never committed, and full of Django's own key alphabet: `#` starts a comment for shlex.
SPECIAL = "Kq#7!x@Z%9^m&W*2(p)L-8_r=V+3aB4cD5eF6gH7iJ8kL9mN0oP1qR2sT3uV4w"
PLAIN = "Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2uA"

SETTINGS = {
    "os": '''\
import os
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
INSTALLED_APPS = []
''',
    "environ": '''\
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY")
INSTALLED_APPS = []
''',
    "decouple": '''\
from decouple import config

SECRET_KEY = config("DJANGO_SECRET_KEY")
INSTALLED_APPS = []
''',
    "configurations": '''\
from configurations import Configuration, values


class Base(Configuration):
    SECRET_KEY = values.SecretValue()
    INSTALLED_APPS = []
''',
}

READ_FORMS = {
    "os": 'SECRET_KEY_FALLBACKS = [k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k]\n',
    "environ": 'SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])\n',
    "decouple": 'SECRET_KEY_FALLBACKS = config("DJANGO_SECRET_KEY_FALLBACKS", default="", cast=Csv())\n',
    "configurations": '    SECRET_KEY_FALLBACKS = values.ListValue([], environ_name="SECRET_KEY_FALLBACKS")\n',
}

READ = """
import json, sys
if sys.argv[1] == "configurations":
    import configurations
    configurations.setup()
from django.conf import settings
print(json.dumps({"SECRET_KEY": settings.SECRET_KEY, "SECRET_KEY_FALLBACKS": list(settings.SECRET_KEY_FALLBACKS)}))
"""


def make_project(root, style, old_key):
    (root / "manage.py").write_text(
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n')
    (root / "mysite").mkdir()
    (root / "mysite" / "__init__.py").write_text("")
    (root / "mysite" / "settings.py").write_text(SETTINGS[style])
    (root / ".env").write_text(f"DJANGO_SECRET_KEY='{old_key}'\n")
    (root / ".env").chmod(0o600)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)


def read_settings(root, style):
    # django-configurations reads the process environment only: hand it .env as python-dotenv reads it.
    extra = {k: v for k, v in dotenv_values(root / ".env").items() if v is not None} if style == "configurations" else {}
    result = subprocess.run(
        [sys.executable, "-c", READ, style], cwd=root, capture_output=True, text=True, timeout=60,
        env=clean_env(DJANGO_SETTINGS_MODULE="mysite.settings", DJANGO_CONFIGURATION="Base", **extra),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("style", ["os", "environ", "decouple", "configurations"])
def test_fallbacks_round_trip_through_each_reader(tmp_path, style):
    old_key = PLAIN if style == "decouple" else SPECIAL
    make_project(tmp_path, style, old_key)
    before = read_settings(tmp_path, style)
    assert before["SECRET_KEY"] == old_key

    result = run_tool("rotate", ".", cwd=tmp_path, check_status=0)
    text = (result.stdout + result.stderr).decode()
    assert old_key not in text
    assert READ_FORMS[style] in (tmp_path / "mysite" / "settings.py").read_text()
    after = read_settings(tmp_path, style)
    assert after["SECRET_KEY_FALLBACKS"] == [old_key]
    assert after["SECRET_KEY"] != old_key and len(after["SECRET_KEY"]) == 64

    # The next rotation keeps both, newest first, and every reader still gives them back exactly.
    run_tool("rotate", ".", cwd=tmp_path, check_status=0)
    assert read_settings(tmp_path, style)["SECRET_KEY_FALLBACKS"] == [after["SECRET_KEY"], old_key]


def test_a_key_csv_would_change_is_not_kept(tmp_path):
    make_project(tmp_path, "decouple", SPECIAL)
    result = run_tool("rotate", ".", cwd=tmp_path, check_status=0)
    text = (result.stdout + result.stderr).decode()
    assert "not kept" in text and "Csv" in text and "`#`" in text
    assert SPECIAL not in text
    assert "DJANGO_SECRET_KEY_FALLBACKS" not in dotenv_values(tmp_path / ".env")
    assert read_settings(tmp_path, "decouple")["SECRET_KEY"] != SPECIAL


LEAKED = "django-insecure-0ld+k3y!x7@q#z9w2v5n8m1b4c6d3f0gAbCdEfGh"


@pytest.mark.parametrize("style", ["os", "environ", "decouple"])
def test_literal_fallbacks_are_fixed_into_the_read(tmp_path, style):
    """DJS010/DJS014 --fix: the literal list becomes the read; keys that never leaked and read back
    exactly go to .env, the leaked one is dropped, and the settings give back exactly the kept keys."""
    make_project(tmp_path, style, PLAIN)
    settings = tmp_path / "mysite" / "settings.py"
    kept = [PLAIN[::-1]] + ([] if style == "decouple" else [SPECIAL])
    entries = ", ".join(repr(key) for key in [PLAIN[::-1], LEAKED, SPECIAL])
    settings.write_text(settings.read_text() + f"SECRET_KEY_FALLBACKS = [{entries}]\n")
    result = run_tool("check", "--fix", ".", cwd=tmp_path)
    text = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, text
    assert "django-insecure-…" in text and "dropped" in text
    for key in (PLAIN, SPECIAL, LEAKED):
        assert key not in text and key not in settings.read_text()
    assert READ_FORMS[style] in settings.read_text()
    assert read_settings(tmp_path, style)["SECRET_KEY_FALLBACKS"] == kept
    assert run_tool("check", "--fix", ".", cwd=tmp_path).returncode == 0
