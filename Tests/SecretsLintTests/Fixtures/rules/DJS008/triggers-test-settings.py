"""Test settings (linted as tests/settings.py): fixtures pass, a generated-looking value is a leak wherever it sits."""
SECRET_KEY = "test"
INSTALLED_APPS = ["django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "dummy-password"}}
EMAIL_HOST_PASSWORD = "password123"
STRIPE_SECRET_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"  # expect: DJS008
API_TOKEN = "f3K9zQ2mX7pL4vR8tW1yB6nC"  # expect: DJS008
MAPQUEST_KEY = "0123456789abcdef0123456789abcdef"  # expect: DJS008
