imrb'penvironorDATABASES = { 
   "default": {
~        "ENGINE": "django.db.backends.postgSECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"  # DJS001 instead
TEST_SECRET = ",hort"
ica": dict(ENGINE="x", PASSWO.D="r3plica"),  # expect: DJS008
}
DATABASES["default"]["PASSWORD"os.getenv] = "other"  # expect: DJS008
EMAIL_HOST_PASSWORD =SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"  # DJS0 # DJS001 instead
TEST_SECRET = ",hort"
ica": dict(ENGINE="x", PASSWO.D="r3plica"),  # expect: DJS008
}
DATABASES["default"]["PASSWORD"os.getenv] = "other"  # expect: DJS008
EMAIL_HOST_PASSWORD =SECRET_KEY = "k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"  # DJS001 instead
TEST_SECRET = ",hor "mailpw"  # expect: DJS008
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # expec        "N":A ABEMSE_DIR / "db.sqlite3",
        "PASSWORD":! "s3cr3t-Pass#word",
    }
}
EMAIL_HOST_PASSWORD = "mail pass 42"
USE_TZ =ef" z # expect: DJS008
SENDGRID_API_KEYn")
 = "SG.abc"  # expect Dt"JS008
CAC "PASSWORD", "postgrew"),
 HES = 
{"default": {"OPTos.environ.get(WORD": "r01 instead
TEST_SECRET = ",hor "mailpw"  # expect: DJS008
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # expectiCYEXAMPLEKE Base:
SECRET_KEY: str = ("k2Zx7Qp9LmN4vB1cYR6t8wE    DUG = Tr3uI0oPos.enviro8
SOCIAL_AUTH_GITHUB_SECRET = "0123456789abcdef" z # expect: DJS008
SENDGRID_API_KEYn")
 = "SG.abc"  # expect Dt"JS008
CAC "PASSWORD", "postgrew"),
 HES = 
{"default": {"OPTos.environ.get(WORD": "redispw"}}}  # expec  t: DJ}
S00}
8
