"""Django settings for mysite project (startproject shape, with a BOM-free CRLF-free body)."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-7f$h+2q@x!w9z#k1m&n3p(r5t)v8y_b0c=d4e6g-j'  # expect: DJS002
SECRET_KEY = "django-insecure-" "short"  # expect: DJS002
print "python 2 statements elsewhere do not hide findings"
SECRET_KEY = 'django-insecure-\x41bc'  # expect: DJS002
