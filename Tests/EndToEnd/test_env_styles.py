"""End to end for the django-environ and python-decouple styles: the fixed settings import with the
real libraries reading the written .env, and fail closed without it."""
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import clean_env, run_tool

PROJECTS = Path(__file__).parent / "projects"

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "DEBUG": settings.DEBUG,
    "DB_PASSWORD": settings.DATABASES["default"].get("PASSWORD"),
    "EMAIL_HOST_PASSWORD": getattr(settings, "EMAIL_HOST_PASSWORD", None),
    "STRIPE_API_KEY": getattr(settings, "STRIPE_API_KEY", None),
}))
"""


def load_settings(project, module, env):
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=project, capture_output=True, text=True,
        env=clean_env(DJANGO_SETTINGS_MODULE=module, **env), timeout=60,
    )
    return result


def copy_project(name, tmp_path):
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target)
    return target


def test_environ_project(tmp_path):
    project = copy_project("environ_site", tmp_path)
    settings_file = project / "shop" / "settings.py"
    result = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    out = (result.stdout + result.stderr).decode()
    for secret in ("s3cr3t-Pass#word", "mail pass 42", "django-insecure-+x0$y!r3k@q7#z8w^v2m"):
        assert secret not in out
    fixed = settings_file.read_text()
    assert 'env = environ.Env(DEBUG=(bool, False))' in fixed
    assert 'SECRET_KEY = env("SECRET_KEY")' in fixed
    assert '"PASSWORD": env("DJANGO_DATABASES_DEFAULT_PASSWORD")' in fixed

    loaded = load_settings(project, "shop.settings", {})
    assert loaded.returncode == 0, loaded.stderr
    values = json.loads(loaded.stdout)
    assert re.fullmatch(r"[A-Za-z0-9]{64}", values["SECRET_KEY"])
    assert values["DEBUG"] is True  # local development had DEBUG on
    assert values["DB_PASSWORD"] == "s3cr3t-Pass#word"
    assert values["EMAIL_HOST_PASSWORD"] == "mail pass 42"

    (project / ".env").rename(project / "env.off")
    bare = load_settings(project, "shop.settings", {})
    assert bare.returncode != 0 and "SECRET_KEY" in bare.stderr
    only_key = load_settings(project, "shop.settings", {
        "SECRET_KEY": values["SECRET_KEY"], "DJANGO_DATABASES_DEFAULT_PASSWORD": "x", "DJANGO_EMAIL_HOST_PASSWORD": "y"})
    assert only_key.returncode == 0, only_key.stderr
    assert json.loads(only_key.stdout)["DEBUG"] is False


def test_decouple_project(tmp_path):
    project = copy_project("decouple_site", tmp_path)
    result = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert b"sk_test_4eC39HqLyjWDarjtT1zdp7dc" not in result.stdout + result.stderr
    fixed = (project / "blog" / "settings.py").read_text()
    assert 'SECRET_KEY = config("SECRET_KEY")' in fixed
    assert 'DEBUG = config("DEBUG", default=False, cast=bool)' in fixed

    loaded = load_settings(project, "blog.settings", {})
    assert loaded.returncode == 0, loaded.stderr
    values = json.loads(loaded.stdout)
    assert re.fullmatch(r"[A-Za-z0-9]{64}", values["SECRET_KEY"])
    assert values["DEBUG"] is True
    assert values["STRIPE_API_KEY"] == "sk_test_4eC39HqLyjWDarjtT1zdp7dc"

    (project / ".env").rename(project / "env.off")
    bare = load_settings(project, "blog.settings", {})
    assert bare.returncode != 0 and "SECRET_KEY" in bare.stderr


@pytest.mark.parametrize("value", ["p@ss#w0rd", "two words", "semi;colon", 'dq"uote', "ünïcode-Ω", "=equals=", "a#b c"])
def test_moved_values_round_trip_through_every_reader(tmp_path, value):
    from dotenv import dotenv_values
    import environ
    from decouple import RepositoryEnv

    (tmp_path / "manage.py").write_text("")
    (tmp_path / "settings.py").write_text("EMAIL_HOST_PASSWORD = %r\n" % value)
    run_tool("check", "--fix", ".", cwd=tmp_path, check_status=0)
    env_path = tmp_path / ".env"
    assert dotenv_values(env_path)["DJANGO_EMAIL_HOST_PASSWORD"] == value
    assert RepositoryEnv(str(env_path))["DJANGO_EMAIL_HOST_PASSWORD"] == value
    environ.Env.read_env(str(env_path), overwrite=True)
    import os
    assert os.environ["DJANGO_EMAIL_HOST_PASSWORD"] == value


def test_environ_scheme_defaults_for_secrets(tmp_path):
    project = copy_project("environ_site", tmp_path)
    settings_file = project / "shop" / "settings.py"
    text = settings_file.read_text()
    text = text.replace(
        'env = environ.Env(DEBUG=(bool, True))',
        'env = environ.Env(\n    DEBUG=(bool, True),\n    SECRET_KEY=(str, "django-insecure-+x0$y!r3k@q7#z8w^v2m"),\n'
        '    EMAIL_HOST_PASSWORD=(str, "mail pass 42"),\n)')
    text = text.replace('SECRET_KEY = env("SECRET_KEY", default="django-insecure-+x0$y!r3k@q7#z8w^v2m")', 'SECRET_KEY = env("SECRET_KEY")')
    text = text.replace('EMAIL_HOST_PASSWORD = "mail pass 42"', 'EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")')
    settings_file.write_text(text)
    before = load_settings(project, "shop.settings", {})
    assert before.returncode == 0, before.stderr  # the scheme defaults make it run without any .env

    result = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    out = (result.stdout + result.stderr).decode()
    assert "mail pass 42" not in out and "django-insecure-+x0$y!r3k@q7#z8w^v2m" not in out
    fixed = settings_file.read_text()
    assert "    SECRET_KEY=str,\n    EMAIL_HOST_PASSWORD=str,\n" in fixed
    assert "django-insecure" not in fixed and "mail pass 42" not in fixed

    loaded = load_settings(project, "shop.settings", {})
    assert loaded.returncode == 0, loaded.stderr
    values = json.loads(loaded.stdout)
    assert re.fullmatch(r"[A-Za-z0-9]{64}", values["SECRET_KEY"])  # the published key was replaced
    assert values["EMAIL_HOST_PASSWORD"] == "mail pass 42"

    (project / ".env").rename(project / "env.off")
    bare = load_settings(project, "shop.settings", {})
    assert bare.returncode != 0 and "SECRET_KEY" in bare.stderr
