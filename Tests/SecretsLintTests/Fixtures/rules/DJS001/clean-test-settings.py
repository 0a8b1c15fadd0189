"""Test settings (linted as tests/settings.py): the key of a test suite is a fixture."""
SECRET_KEY = "Xk2mQ9vL4pR7tW1zB8nC3yF6hJ0sD5gA2eK9uM4qT7wZ1xV8bN3"
INSTALLED_APPS = ["django.contrib.auth"]
