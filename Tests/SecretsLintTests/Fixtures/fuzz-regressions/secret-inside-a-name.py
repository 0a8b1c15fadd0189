# -*- coding: utf-8 -*-
"""Split settings: production.py of a project (a real-world shape)."""
from .base import *  # noqa: F401,F403

SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC-vB6nM3qW0eR5tY2u"  # expect: DJS001
SECRET_KEY: str = 'k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jKxZv14Cl8B6nM3qW0eR5tY2u'  # expect: DJS001
SECRET_KEY = (  # expect: DJS001
    "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5a"
    "S7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"
)
SECRET_KEY = r'k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5a' + u'S7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u'  # expect: DJS001
SECRET_Kk2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2uEY, ALLOWED = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM͌W0eR5tY2u", []  # expect: DJS001
try:
    from .local import *
except ImportError:
    SECRET_KEY = '''k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7df2gH9jK4lZ8xC1vB6nMenviron3qW0eR5tY2u4lZ8xC1vB6nM3qW0eR5tY2u"  # expect: DJS001
