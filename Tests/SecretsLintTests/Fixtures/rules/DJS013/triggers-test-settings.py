"""Test settings (linted as tests/settings.py): a URL's password is judged as a value."""
INSTALLED_APPS = ["django.contrib.auth"]
DATABASE_URL = "postgres://postgres:postgres@localhost:5432/test"
BROKER_URL = "amqp://app:Zx81Qm4LpT7vWk2RnB9s@rabbit//"  # expect: DJS013
