import os
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
EXAMPLE = 'django-insecure-7f$h+2q@x!w9z#k1m&n3p(r5t)v8y_b0c=d4e6g-j'
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-abc")  # DJS004, not DJS002
