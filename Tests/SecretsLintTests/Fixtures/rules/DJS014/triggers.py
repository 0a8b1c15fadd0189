SECRET_KEY_FALLBACKS = [
    "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u",
    "django-insecure-0ld+k3y!x7@q#z9$w2%v5^n8&m1*b4(c6)d3-f0=g",  # expect: DJS014
    "old-key-two",  # expect: DJS014
]
