import os
import sys

DEBUG = False
if os.environ.get("DJANGO_ENV") == "development":
    DEBUG = True
ENVIRONMENT = os.getenv("ENVIRONMENT", "production")
if ENVIRONMENT == "local":
    DEBUG = True
if "runserver" in sys.argv:
    DEBUG = True
DEBUG = True  # noqa
TEMPLATE_DEBUG = True


def enable():
    DEBUG = True
