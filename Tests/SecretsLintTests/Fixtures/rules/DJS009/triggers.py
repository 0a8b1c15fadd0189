import os
import random
import secrets
import string

import environ
from decouple import config
from django.core.management.utils import get_random_secret_key

SECRET_KEY = get_random_secret_key()  # expect: DJS009
SECRET_KEY = secrets.token_urlsafe(50)  # expect: DJS009
SECRET_KEY = "".join(random.SystemRandom().choice(string.ascii_letters) for _ in range(50))  # expect: DJS009
SECRET_KEY = os.environ.get("SECRET_KEY", get_random_secret_key())  # expect: DJS009
SECRET_KEY = os.getenv("SECRET_KEY") or secrets.token_hex(32)  # expect: DJS009
SECRET_KEY = config("SECRET_KEY", default=get_random_secret_key())  # expect: DJS009
SECRET_KEY = os.getenv("SECRET_KEY") if os.getenv("SECRET_KEY") else secrets.token_urlsafe(50)  # expect: DJS009
env = environ.Env(DEBUG=(bool, False), SECRET_KEY=(str, get_random_secret_key()))  # expect: DJS009
SECRET_KEY = env("SECRET_KEY")
SECRET_KEY = env("SECRET_KEY", default=get_random_secret_key())  # expect: DJS009
