#!/usr/bin/env python3
"""A big generated settings module for the per-file benchmarks (issue #20).

What `django-admin startproject` writes, then groups of the statement kinds big real settings modules
are made of (a comment, a flag, a number, a plain string, a one-line dict, a list, an environment read
of a non-secret variable), and at the very end one secret read with a literal fallback: the finding is
the last statement, so no tool can stop early.

    Benchmarks/generate-settings.py LINES > settings.py
"""
import sys

STARTPROJECT = '''"""
Django settings for mysite project.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-7q#z0v!k3m^8w@f$1x%b2n&4p*5r(6t)9y_h-j+l=s0d1g2c3e'

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = True

ALLOWED_HOSTS = []

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'mysite.urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]

WSGI_APPLICATION = 'mysite.wsgi.application'

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    }
}

LANGUAGE_CODE = 'en-us'
TIME_ZONE = 'UTC'
USE_I18N = True
USE_TZ = True
STATIC_URL = 'static/'
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
'''


def group(index):
    return [
        f"# Feature group {index}: limits and switches",
        f"FEATURE_{index}_ENABLED = {index % 2 == 0}",
        f"FEATURE_{index}_TIMEOUT = {30 + index}",
        f"FEATURE_{index}_NAME = 'feature-{index}'",
        f"FEATURE_{index}_LIMITS = {{'rate': {index}, 'burst': {index * 2}, 'window': 'minute'}}",
        f"FEATURE_{index}_HOSTS = ['a{index}.example.com', 'b{index}.example.com']",
        f"FEATURE_{index}_REGION = os.environ.get('FEATURE_{index}_REGION', 'eu-west-1')",
        "",
    ]


def settings_text(lines):
    head = STARTPROJECT.splitlines()
    tail = ["", "# The one secret of the file, read with a literal fallback.",
            "EMAIL_HOST_PASSWORD = os.environ.get('EMAIL_HOST_PASSWORD', 'smtp-fallback-pass-2024')"]
    body = []
    index = 0
    while len(head) + len(body) + len(tail) < lines:
        body += group(index)
        index += 1
    body = body[:max(0, lines - len(head) - len(tail))]
    return "\n".join(head + body + tail) + "\n"


if __name__ == "__main__":
    sys.stdout.write(settings_text(int(sys.argv[1])))
