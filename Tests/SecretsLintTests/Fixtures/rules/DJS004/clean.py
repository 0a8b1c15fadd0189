import os
from decouple import config

SECRET_KEY = os.environ["SECRET_KEY"]
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY = config("SECRET_KEY")
TIME_ZONE = os.environ.get("TZ", "UTC")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")

# Project template placeholders are filled in when the project is created: not a fallback value.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "{{ secret_key }}")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "{{ email_password }}")


def read():
    return os.environ.get("SECRET_KEY", "dev-key")


# Names where the secret word is not what the name denotes, and values that are never credentials.
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
SECRET_KEY_FALLBACKS = os.environ.get("SECRET_KEY_FALLBACKS", "old-key").split(",")
ACCESS_TOKEN_LIFETIME = os.environ.get("ACCESS_TOKEN_LIFETIME", "5m")
TOKEN_SERIALIZER = os.environ.get("TOKEN_OBTAIN_SERIALIZER", "accounts.serializers.TokenSerializer")
LOGIN_RATE_TOKEN = os.environ.get("LOGIN_RATE_TOKEN", "5/m/ip,100/d/key")
SECRET_KEY = os.getenv("SECRET_KEY") if os.getenv("SECRET_KEY") else None
SECRET_KEY = os.getenv("SECRET_KEY") if DEBUG else "dev-key"
RECAPTCHA_SITE_KEY = os.environ.get("RECAPTCHA_SITE_KEY", "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI")
CACHE_KEY = os.environ.get("CACHE_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
SORT_KEY = os.environ.get("SORT_KEY", "created_at")
