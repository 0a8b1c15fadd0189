"""Test settings (linted as tests/settings.py): no DEBUG rules."""
DEBUG = True
INSTALLED_APPS = ["django.contrib.auth"]
