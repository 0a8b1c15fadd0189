import os
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k]
SECRET_KEY_FALLBACKS = []
SECRET_KEY_FALLBACKS = ["{{ old_secret_key }}"]
SECRET_KEY_FALLBACKS = ["k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"]
