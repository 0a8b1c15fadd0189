"""Test settings (linted as tests/settings.py)."""
import os

INSTALLED_APPS = ["django.contrib.auth"]
DATABASE_URL = "postgres://postgres:postgres@localhost:5432/test"
CACHES = {"default": {"LOCATION": "redis://:password@localhost:6379/0"}}
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "amqp://guest:guest@localhost//")
