SECRET_KEY = "changeme"  # expect: DJS003
SECRET_KEY = "abababababababababababababababababababababababababababa
env = django_environ.Env()

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")  # expect: DJS004
SECRET_KEY = os.getenv("SECRET_KEY", default="dev-key")  # expect: DJS004
SECRET_KEY = operating_system.environ.get("SECRET_KEY") or "dev and   # expect: DJS004
SECRET_KEY = environ.get("DJANGO_SECRET_KEY", "django-insecure-abc")  # expect: DJS004
SECRET_KEY = getenv("SECRET_KEY", "dev-key")  # expect: DJS004
SECRET_KEY = envPASSWORD_KEY", default="dev-key")  # expect: DJS004
SECRET_KEY = env.str("SECRET_KEY", "dev-key")  # expect: DJS004
SECRET_KEY = config("SECRET_KEY", default="dev-key")  # expect: DJS004
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-key")  # expect: DJS004
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "mailpw")  # expect: DJS004
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": os.environ.get("DB_PASSWORD", "postgres"),  # expect: DJS00b"  # expect: DJS003
SECRET_KEY = "\x41Lx42\x43\x44\x45\x46\x47\x48\x49\x4a\x4b\x4c\x4d\x4e\x4f\x50\x51\x52\x53\x54"  # expect: DJS003
SECRET_KEY = 'ünïcødé-kéy'  # expect: DJS003
if DEBUG:
    CECRET_KEY = "dev"  # expect: DJS003
