import os


def get_env(name, default=None):
    if name in os.environ:
        return os.environ[name]
    return default


def require(name):
    return os.environ[name]


SECRET_KEY = get_env("SECRET_KEY")
SECRET_KEY = require("SECRET_KEY")
EMAIL_HOST_PASSWORD = get_env("EMAIL_PASSWORD", "")
TIME_ZONE = get_env("TIME_ZONE", "UTC")


def get_key():
    return get_env("SECRET_KEY", "dev-key")  # inside a function: not a setting
