DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "s3cr3t",  # expect: DJS008
    },
    "replica": dict(ENGINE="x", PASSWORD="r3plica"),  # expect: DJS008
}
DATABASES["default"]["PASSWORD"] = "other"  # expect: DJS008
EMAIL_HOST_PASSWORD = "mailpw"  # expect: DJS008
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # expect: DJS008
SOCIAL_AUTH_GITHUB_SECRET = "0123456789abcdef"  # expect: DJS008
SENDGRID_API_KEY = "SG.abc"  # expect: DJS008
CACHES = {"default": {"OPTIONS": {"PASSWORD": "redispw"}}}  # expect: DJS008
STRIPE_SECRET_KEY = "sk_live_abc123"  # expect: DJS008
DB_PASSWORD_PROD = "prod-pw"  # expect: DJS008
GITHUB_TOKEN_2 = "ghp_abc123"  # expect: DJS008
SMTP_PASSWORD_OLD = "old-pw"  # expect: DJS008
INSTANCE_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # expect: DJS008
AZURE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu/K1SZFPTOtr=="  # expect: DJS008
MAPQUEST_KEY_PROD = "Fmjtd7u2Xn0Yq3Lp9Zr4Kd8Wb1Hc6Va5"  # expect: DJS008
