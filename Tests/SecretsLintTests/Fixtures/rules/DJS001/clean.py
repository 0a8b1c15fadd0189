import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
HELP = """
SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
"""
SECRET_KEY = f"{PREFIX}k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
SECRET_KEY = ""


def make_settings():
    SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
    return SECRET_KEY


SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"  # noqa: DJS001

# A project template (startproject --template): Django fills the placeholders in when it renders it.
SECRET_KEY = "{{ secret_key }}-{{ project_name }}-0123456789abcdefghijklmnopqrstuvwxyz"
