import os


def env(name, default=None):
    return os.environ.get(name, default)


def get_env(name, default=None):
    if name in os.environ:
        return os.environ[name]
    return default


DEBUG = env("DEBUG", "False")  # expect: DJS006
DEBUG = env("DJANGO_DEBUG")  # expect: DJS006
DEBUG = bool(get_env("DEBUG", ""))  # expect: DJS006
