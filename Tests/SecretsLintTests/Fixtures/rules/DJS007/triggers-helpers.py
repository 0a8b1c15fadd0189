"""Settings read through small helpers of this file (as many public projects write them)."""
import os


def get_bool_from_env(name, default):
    return os.environ.get(name, str(default)).lower() == "true"


def env_flag(name, default=True):
    """Read a yes/no flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def get_env(name, default=None):
    if name in os.environ:
        return os.environ[name]
    return default


def env_setting(key, default=None):
    try:
        return os.environ[key]
    except KeyError:
        return default


DEBUG = get_bool_from_env("DEBUG", True)  # expect: DJS007
DEBUG = get_bool_from_env(default=True, name="DJANGO_DEBUG")  # expect: DJS007
DEBUG = env_flag("DEBUG")  # expect: DJS007
DEBUG = get_env("DEBUG", "True") == "True"  # expect: DJS007
DEBUG = env_setting("DEBUG", "1") == "1"  # expect: DJS007
DEBUG = get_env("DEBUG", True)  # expect: DJS007
