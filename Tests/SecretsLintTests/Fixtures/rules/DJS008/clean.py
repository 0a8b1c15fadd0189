import os
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
EMAIL_HOST_PASSWORD = ""
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"]}
TOKEN_MODEL = "rest_framework.authtoken.models.Token"
GOOGLE_SECRET_FILE = "/run/secrets/google.json"
SECRET_KEY = os.environ["SECRET_KEY"]
STRIPE_PUBLISHABLE_KEY = "pk_test_abc"
# Project template placeholders are filled in when the project is created.
EMAIL_HOST_PASSWORD = "{{ email_password }}"
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "{{ db_password }}"}}
