"""Test settings (linted as tests/settings.py): no DEBUG rules."""
import os

DEBUG = os.environ.get("DEBUG", "True") == "True"
INSTALLED_APPS = ["django.contrib.auth"]
