"""Test settings (linted as tests/settings.py)."""
SECRET_KEY = "test"
INSTALLED_APPS = ["django.contrib.auth"]
