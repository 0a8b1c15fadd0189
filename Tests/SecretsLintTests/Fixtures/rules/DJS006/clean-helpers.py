import os


def env(name, default=None):
    return os.environ.get(name, default)


def get_bool_from_env(name, default):
    return os.environ.get(name, str(default)).lower() == "true"


DEBUG = env("DEBUG", "False").lower() in ("1", "true")
DEBUG = env("DEBUG") == "1"
DEBUG = get_bool_from_env("DEBUG", False)
