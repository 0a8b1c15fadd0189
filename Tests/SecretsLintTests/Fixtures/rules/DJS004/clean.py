import os
from decouple import config

SECRET_KEY = os.environ["SECRET_KEY"]
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY = config("SECRET_KEY")
TIME_ZONE = os.environ.get("TZ", "UTC")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")


def read():
    return os.environ.get("SECRET_KEY", "dev-key")
