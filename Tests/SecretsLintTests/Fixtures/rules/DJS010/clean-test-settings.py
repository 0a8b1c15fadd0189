"""Test settings (linted as tests/settings.py): fallback keys of a test suite are fixtures."""
SECRET_KEY = "test"
SECRET_KEY_FALLBACKS = ["old-test-key", "Xk2mQ9vL4pR7tW1zB8nC3yF6hJ0sD5gA2eK9uM4qT7wZ1xV8bN3"]
INSTALLED_APPS = ["django.contrib.auth"]
