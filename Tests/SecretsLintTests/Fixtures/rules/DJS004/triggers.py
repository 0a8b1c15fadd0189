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
SECRET_KEY = os.getenv("SECRET_KEY") if os.getenv("SECRET_KEY") else "dev-key"  # expect: DJS004
SECRET_KEY = "dev-key" if "SECRET_KEY" not in os.environ else os.environ["SECRET_KEY"]  # expect: DJS004
mapping = os.environ
EMAIL_HOST_PASSWORD = mapping.get("EMAIL_HOST_PASSWORD", "mailpw")  # expect: DJS004
INSTANCE_KEY = os.environ.get("INSTANCE_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")  # expect: DJS004
AZURE = env("AZURE_ACCOUNT_KEY", default="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu/K1SZFPTOtr==")  # expect: DJS004
