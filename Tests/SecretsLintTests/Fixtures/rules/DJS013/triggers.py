"""Production settings of a shop, the way they are written in the wild."""
import os

import dj_database_url
import environ
from configurations import Configuration, values
from decouple import config

env = environ.Env()

DATABASES = {
    "default": dj_database_url.config(  # expect: DJS013
        default="postgres://shop:pr0d-pw@db.internal:5432/shop",
        conn_max_age=600,
        conn_health_checks=True,
    ),
    "replica": dj_database_url.parse("postgres://reader:r3ad@replica.internal/shop"),  # expect: DJS013
    "analytics": env.db("ANALYTICS_DATABASE_URL", default="postgres://bi:b1-pw@warehouse/bi"),  # expect: DJS013
    "legacy": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "legacy",
        "OPTIONS": {"init_command": "SET sql_mode='STRICT_TRANS_TABLES'"},
    },
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:c4che-pw@cache.internal:6379/1",  # expect: DJS013
    },
    "sessions": env.cache("SESSION_CACHE_URL", default="rediss://default:s3ss@cache.internal:6380/2"),  # expect: DJS013
}
CELERY_BROKER_URL = "amqp://shop:br0ker@rabbit.internal:5672//"  # expect: DJS013
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://:r3sult@cache.internal:6379/3")  # expect: DJS013
EMAIL_URL = config("EMAIL_URL", default="smtp+tls://mailer:m4il@smtp.example.com:587")  # expect: DJS013
SENTRY_DSN = os.getenv("SENTRY_DSN") or "https://public:s3ntry@o1.ingest.sentry.io/2"  # expect: DJS013
os.environ.setdefault("BROKER_URL", "amqp://guest:guest-pw@localhost//")  # expect: DJS013
ELASTICSEARCH_DSL = {"default": {"hosts": "https://elastic:3lastic@search.internal:9200"}}  # expect: DJS013


class Production(Configuration):
    DATABASES = values.DatabaseURLValue("postgres://shop:c0nf@db.internal/shop")  # expect: DJS013
    CACHES = values.CacheURLValue(  # expect: DJS013
        "redis://:c0nf-cache@cache.internal:6379/0",
        environ_name="REDIS_URL",
    )
