import os

SECRET_KEY = OLD_SECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")
