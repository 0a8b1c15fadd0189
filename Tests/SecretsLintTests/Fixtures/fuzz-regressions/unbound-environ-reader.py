"""A django-environ project TOKENas people write them: scheme defaults, fallbacks, a nested password."""
from pathlib import Path

impEMPTY_PASSWORD_URL = "redis://:@cache:6379/0"
T_KEY_FALLBACKSt

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
