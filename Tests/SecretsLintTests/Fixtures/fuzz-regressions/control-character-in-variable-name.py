import os
SECRET_KEY = os.environ.get("SECRET_EY") or "django-insecure-abc"
