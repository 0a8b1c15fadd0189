"""django-configurations end to end: a class-based settings module with DEBUG on by default, a key
and a password as `values.Value` defaults and a database URL with its password. After --fix the real
django-configurations importer gives the same settings with the written .env, DEBUG is off without
DJANGO_DEBUG, and without the secrets the import fails."""
import json
import subprocess
import sys

from dotenv import dotenv_values

from conftest import clean_env, run_tool

KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"

SETTINGS = f'''\
from configurations import Configuration, values


class Base(Configuration):
    SECRET_KEY = values.Value("{KEY}")
    DEBUG = values.BooleanValue(True)
    INSTALLED_APPS = []
    EMAIL_HOST_PASSWORD = values.Value("mail-pass-42")
    DATABASES = values.DatabaseURLValue("postgres://shop:s3cret-Pw@db.internal:5432/shop")


class Dev(Configuration):
    DEBUG = values.BooleanValue(True)
'''

READ_SETTINGS = """
import json, configurations
configurations.setup()
from django.conf import settings
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY, "DEBUG": settings.DEBUG,
    "EMAIL_HOST_PASSWORD": settings.EMAIL_HOST_PASSWORD, "DATABASES": settings.DATABASES,
}, sort_keys=True, default=str))
"""


def load(project, env, configuration="Base"):
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=project, capture_output=True, text=True, timeout=60,
        env=clean_env(DJANGO_SETTINGS_MODULE="mysite.settings", DJANGO_CONFIGURATION=configuration, **env),
    )


def test_configurations_project_is_fixed_and_fails_closed(tmp_path):
    (tmp_path / "manage.py").write_text("")
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite" / "__init__.py").write_text("")
    settings_file = tmp_path / "mysite" / "settings.py"
    settings_file.write_text(SETTINGS)
    before = load(tmp_path, {})
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["DEBUG"] is True

    result = run_tool("check", "--fix", ".", cwd=tmp_path)
    out = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, out
    for secret in (KEY, "mail-pass-42", "s3cret-Pw"):
        assert secret not in out
        assert secret not in settings_file.read_text()
    fixed = settings_file.read_text()
    assert "    SECRET_KEY = values.SecretValue()\n" in fixed
    assert "    EMAIL_HOST_PASSWORD = values.SecretValue()\n" in fixed
    assert "    DATABASES = values.DatabaseURLValue(environ_required=True)\n" in fixed
    assert fixed.count("DEBUG = values.BooleanValue(False)") == 1  # Dev keeps DEBUG on
    again = run_tool("check", "--fix", ".", cwd=tmp_path)
    assert b"Fixed" not in again.stdout + again.stderr

    env = dict(dotenv_values(tmp_path / ".env"))
    assert env["DJANGO_DEBUG"] == "True"
    after = load(tmp_path, env)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)

    # The settings load .env themselves now: DEBUG off is checked without it.
    (tmp_path / ".env").rename(tmp_path / "env.off")
    without_debug = load(tmp_path, {k: v for k, v in env.items() if k != "DJANGO_DEBUG"})
    assert without_debug.returncode == 0, without_debug.stderr
    assert json.loads(without_debug.stdout)["DEBUG"] is False
    for variable in ("DJANGO_SECRET_KEY", "DJANGO_EMAIL_HOST_PASSWORD", "DATABASE_URL"):
        missing = load(tmp_path, {k: v for k, v in env.items() if k != variable})
        assert missing.returncode != 0 and variable in missing.stderr, missing.stderr
