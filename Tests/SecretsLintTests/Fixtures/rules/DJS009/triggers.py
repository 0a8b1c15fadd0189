import os
import random
import secrets
import string
from django.core.management.utils import get_random_secret_key

SECRET_KEY = get_random_secret_key()  # expect: DJS009
SECRET_KEY = secrets.token_urlsafe(50)  # expect: DJS009
SECRET_KEY = "".join(random.SystemRandom().choice(string.ascii_letters) for _ in range(50))  # expect: DJS009
SECRET_KEY = os.environ.get("SECRET_KEY", get_random_secret_key())  # expect: DJS009
SECRET_KEY = os.getenv("SECRET_KEY") or secrets.token_hex(32)  # expect: DJS009
