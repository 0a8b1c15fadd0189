import os

DJANGO_KEY = OLD_SECRET_KEY = os.getenv("SECRET_KEY", "dev-key")
