"""DJS013 end to end with the real dj-database-url and django-environ: after --fix the settings import
with the written .env and give the very database and cache settings they gave before, the URLs are
gone from the code, and without the variables the import fails instead of connecting with a default."""
import json
import subprocess
import sys

from dotenv import dotenv_values

from conftest import clean_env, run_tool

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"DATABASES": settings.DATABASES, "CACHES": settings.CACHES}, sort_keys=True, default=str))
"""

DJ_DATABASE_URL_SETTINGS = '''\
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
INSTALLED_APPS = []
DATABASES = {
    "default": dj_database_url.config(
        default="postgres://shop:s3cret-Pw@db.internal:5432/shop",
        conn_max_age=600,
        conn_health_checks=True,
    ),
    "replica": dj_database_url.parse("mysql://reader:r3ad%40only@replica.internal:3306/shop"),
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:c4che-Pw@cache.internal:6379/1",
    }
}
'''

ENVIRON_SETTINGS = '''\
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")
SECRET_KEY = env("DJANGO_SECRET_KEY")
INSTALLED_APPS = []
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://shop:s3cret-Pw@db.internal:5432/shop")}
CACHES = {"default": env.cache(default="redis://:c4che-Pw@cache.internal:6379/1")}
'''

PASSWORDS = ("s3cret-Pw", "r3ad%40only", "c4che-Pw")
KEY = {"DJANGO_SECRET_KEY": "k" * 10 + "Q7pX2mN9vB4cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3q"}


def make_project(tmp_path, settings):
    (tmp_path / "manage.py").write_text("")
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite" / "__init__.py").write_text("")
    (tmp_path / "mysite" / "settings.py").write_text(settings)
    return tmp_path / "mysite" / "settings.py"


def load(project, env):
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=project, capture_output=True, text=True,
        env=clean_env(DJANGO_SETTINGS_MODULE="mysite.settings", **KEY, **env), timeout=60,
    )
    return result


def fix_and_compare(project, settings_file, env_from_file):
    before = load(project, {})
    assert before.returncode == 0, before.stderr
    result = run_tool("check", "--fix", ".", cwd=project)
    out = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, out
    for password in PASSWORDS:
        assert password not in out
        assert password not in settings_file.read_text()
    again = run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert b"Fixed" not in again.stdout + again.stderr
    env = {k: v for k, v in dotenv_values(project / ".env").items()} if env_from_file else {}
    after = load(project, env)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)
    return after


def test_dj_database_url_settings_read_the_urls_from_env(tmp_path):
    settings_file = make_project(tmp_path, DJ_DATABASE_URL_SETTINGS)
    fix_and_compare(tmp_path, settings_file, env_from_file=True)
    fixed = settings_file.read_text()
    assert 'dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True)' in fixed
    assert 'dj_database_url.parse(os.environ["DJANGO_DATABASES_REPLICA"])' in fixed
    assert '"LOCATION": os.environ["DJANGO_CACHES_DEFAULT_LOCATION"]' in fixed
    # Without the variables the import fails: no silent empty database, no published password.
    (tmp_path / ".env").rename(tmp_path / "env.off")
    bare = load(tmp_path, {})
    assert bare.returncode != 0 and "DATABASE_URL" in bare.stderr


def test_django_environ_url_readers_become_required(tmp_path):
    settings_file = make_project(tmp_path, ENVIRON_SETTINGS)
    fix_and_compare(tmp_path, settings_file, env_from_file=False)
    fixed = settings_file.read_text()
    assert 'DATABASES = {"default": env.db("DATABASE_URL")}' in fixed
    assert 'CACHES = {"default": env.cache()}' in fixed
    (tmp_path / ".env").rename(tmp_path / "env.off")
    bare = load(tmp_path, {})
    assert bare.returncode != 0 and "DATABASE_URL" in bare.stderr
