"""Test settings (linted as tests/settings.py)."""
SECRET_KEY = "django-insecure-test-only-0123456789abcdefghijklmnopqrstuvwxyz"
INSTALLED_APPS = ["django.contrib.auth"]
