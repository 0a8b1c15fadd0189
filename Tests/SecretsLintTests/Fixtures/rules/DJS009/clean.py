import os
from django.core.management.utils import get_random_secret_key

DEBUG = os.environ.get("DEBUG", "False") == "True"
SECRET_KEY = os.environ["SECRET_KEY"]
if DEBUG:
    SECRET_KEY = get_random_secret_key()
if TESTING and DEBUG:
    SECRET_KEY = get_random_secret_key()


def generate():
    return get_random_secret_key()
