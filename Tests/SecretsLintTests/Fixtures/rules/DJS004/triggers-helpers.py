import os


def get_env(name, default=None):
    if name in os.environ:
        return os.environ[name]
    return default


def env_value(key, fallback=None):
    try:
        return os.environ[key]
    except KeyError:
        return fallback


def getenv_str(name, default=""):
    return str(os.getenv(name, default))


SECRET_KEY = get_env("SECRET_KEY", "django-insecure-0123456789abcdef")  # expect: DJS004
EMAIL_HOST_PASSWORD = env_value("EMAIL_PASSWORD", "hunter22")  # expect: DJS004
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": get_env("DB_PASSWORD", "postgres"),  # expect: DJS004
    }
}
AWS_SECRET_ACCESS_KEY = getenv_str("AWS_SECRET_ACCESS_KEY", default="abc123secret")  # expect: DJS004
