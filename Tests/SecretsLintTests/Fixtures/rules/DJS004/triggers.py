import os
import os as operating_system
from os import environ, getenv

import environ as django_environ
from decouple import config

env = django_environ.Env()

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")  # expect: DJS004
SECRET_KEY = os.getenv("SECRET_KEY", default="dev-key")  # expect: DJS004
SECRET_KEY = operating_system.environ.get("SECRET_KEY") or "dev-key"  # expect: DJS004
SECRET_KEY = environ.get("DJANGO_SECRET_KEY", "django-insecure-abc")  # expect: DJS004
SECRET_KEY = getenv("SECRET_KEY", "dev-key")  # expect: DJS004
SECRET_KEY = env("SECRET_KEY", default="dev-key")  # expect: DJS004
SECRET_KEY = env.str("SECRET_KEY", "dev-key")  # expect: DJS004
SECRET_KEY = config("SECRET_KEY", default="dev-key")  # expect: DJS004
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-key")  # expect: DJS004
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "mailpw")  # expect: DJS004
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": os.environ.get("DB_PASSWORD", "postgres"),  # expect: DJS004
    }
}
STRIPE = os.environ.get("STRIPE_API_KEY", "sk_test_x")  # expect: DJS004
DB_PASSWORD_PROD = os.environ.get("DB_PASSWORD_PROD", "prod-pw")  # expect: DJS004
GITHUB_TOKEN_2 = os.getenv("GITHUB_TOKEN_2", "ghp_abc123")  # expect: DJS004
