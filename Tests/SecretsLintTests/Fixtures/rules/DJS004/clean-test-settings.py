"""Test settings (linted as tests/settings.py): no key rules, however the key looks."""
import os

INSTALLED_APPS = ["django.contrib.auth"]
SECRET_KEY = os.environ.get("SECRET_KEY", "x7Qp9ZrT2mW8vK4nB6yL3sD5fG1hJ0kA")
SECRET_KEY = os.getenv("DJANGO_SECRET_KEY") or "test-key"
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "test")
DATABASES = {"default": {"PASSWORD": os.environ.get("DB_PASSWORD", "postgres")}}
