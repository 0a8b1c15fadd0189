"""Test settings (linted as tests/settings.py)."""
import os

INSTALLED_APPS = ["django.contrib.auth"]
SECRET_KEY = os.environ.get("SECRET_KEY", "x7Qp9ZrT2mW8vK4nB6yL3sD5fG1hJ0kA")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "test")
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "ghp_R8x2LmQ7vZ4kT9pW3nB6yH1cJ5dF0sA2eG7u")  # expect: DJS004
