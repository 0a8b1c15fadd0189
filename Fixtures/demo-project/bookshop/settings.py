"""
Settings of the bookshop sample project.

Written by hand for the djlint-secrets demo: it makes the mistakes a fresh
project makes before its first commit.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# The key the project started with; it must not stay in the code.
SECRET_KEY = "django-insecure-q3!v8z@m#1x$w5^k&r*e(t)y_u+i=o-p2a4s6d8f0g9h7j"

DEBUG = True

ALLOWED_HOSTS = ["localhost", "bookshop.example"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "bookshop.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
