"""A django-environ project as people write them: scheme defaults, fallbacks, a nested password."""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(DEBUG=(bool, True))
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="django-insecure-+x0$y!r3k@q7#z8w^v2m")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "PASSWORD": "s3cr3t-Pass#word",
    }
}
EMAIL_HOST_PASSWORD = "mail pass 42"
USE_TZ = True
