SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"  # DJS001 instead
TEST_SECRET = "short"

# A project template (startproject --template): Django fills the placeholder in when it renders it.
SECRET_KEY = "{{ secret_key }}"
SECRET_KEY = '{{secret_key}}'
