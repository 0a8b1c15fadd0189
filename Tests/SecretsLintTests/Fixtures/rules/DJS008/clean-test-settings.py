"""Test settings (linted as tests/settings.py): passwords and tokens of a test suite are fixtures."""
INSTALLED_APPS = ["django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "USER": "postgres", "PASSWORD": "postgres"}}
EMAIL_HOST_PASSWORD = "test-password"
API_TOKEN = "token"
AWS_SECRET_ACCESS_KEY = "testing"
