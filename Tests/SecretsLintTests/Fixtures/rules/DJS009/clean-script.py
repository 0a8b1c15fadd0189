"""A script that prints a new key (linted as docs/key.py): no settings module."""
from django.core.management.utils import get_random_secret_key

SECRET_KEY = get_random_secret_key()
print(SECRET_KEY)
