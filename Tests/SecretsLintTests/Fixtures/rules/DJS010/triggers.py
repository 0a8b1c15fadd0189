SECRET_KEY_FALLBACKS = [
    "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u",  # expect: DJS010
    OLD_KEY,
    "old-key-two",  # weak: DJS014, not DJS010
]
