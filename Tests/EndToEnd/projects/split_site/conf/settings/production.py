"""Production: reads through the env bound in base.py."""
from .common import *  # noqa: F401,F403

SECRET_KEY = env("SECRET_KEY", default="django-insecure-+x0$y!r3k@q7#z8w^v2m")
DEBUG = env.bool("DEBUG", default=True)
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="mail pass 42")
