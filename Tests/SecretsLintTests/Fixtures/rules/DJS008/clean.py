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
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": "5m",
    "TOKEN_TYPE_CLAIM": "token_type",
    "TOKEN_USER_CLASS": "rest_framework_simplejwt.models.TokenUser",
    "AUTH_TOKEN_CLASSES": ("rest_framework_simplejwt.tokens.AccessToken",),
    "TOKEN_OBTAIN_SERIALIZER": "rest_framework_simplejwt.serializers.TokenObtainPairSerializer",
    "JTI_CLAIM": "jti",
}
ACCOUNT_RATE_LIMITS = {
    "change_password": "1/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_password": "100/day",
}
PASSWORD_RESET_TOKEN = "accounts.tokens.PasswordResetTokenGenerator"
GITHUB_TOKEN_URL = "https://github.com/login/oauth/access_token"
BROKER_PASSWORD = "amqp://guest@localhost//"
SECRET_KEY_PATH = "/run/secrets/django"
TOKEN_PREFIX_DEV = "Bearer"
STRIPE_PUBLISHABLE_KEY = "pk_live_51HxYzAbCdEfGhIjKlMnOpQr"
RECAPTCHA_SITE_KEY = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
RSA_PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo"
SORT_KEY = "created_at"
LOOKUP_KEY = "a very long description that has spaces in it"
CACHES = {"default": {"KEY": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}
