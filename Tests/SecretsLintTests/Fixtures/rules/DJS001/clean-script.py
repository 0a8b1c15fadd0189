"""A script that shows a key's shape (linted as docs/key.py): no settings module."""
SECRET_KEY = "Xk2mQ9vL4pR7tW1zB8nC3yF6hJ0sD5gA2eK9uM4qT7wZ1xV8bN3"
print(len(SECRET_KEY))
