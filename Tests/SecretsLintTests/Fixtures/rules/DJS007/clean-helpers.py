import os


def get_bool_from_env(name, default):
    return os.environ.get(name, str(default)).lower() == "true"


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def require(name):
    return os.environ[name]


def obscure(name, default):
    for candidate in (name, "DJANGO_" + name):
        if candidate in os.environ:
            return os.environ[candidate]
    return default


DEBUG = get_bool_from_env("DEBUG", False)
DEBUG = env_flag("DEBUG")
DEBUG = require("DEBUG") == "1"
DEBUG = obscure("DEBUG", "True") == "True"  # the body is not followed: a loop
