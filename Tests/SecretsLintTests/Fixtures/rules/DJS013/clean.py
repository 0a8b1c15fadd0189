"""Settings whose URLs carry no password, or a placeholder for one filled in elsewhere."""
import os

import dj_database_url
import environ

env = environ.Env()

DATABASES = {
    "default": dj_database_url.config(default="sqlite:///db.sqlite3", conn_max_age=600),
    "replica": dj_database_url.parse(os.environ["REPLICA_DATABASE_URL"]),
    "reports": dj_database_url.config(default="postgres://reports@db.internal/reports"),
    "other": env.db("OTHER_DATABASE_URL", default="postgres://localhost/other"),
}
CACHES = {"default": {"LOCATION": "redis://cache.internal:6379/1"}}
CELERY_BROKER_URL = "amqp://guest:${RABBIT_PASSWORD}@rabbit//"
REDIS_URL = "redis://:{password}@cache:6379/0".format(password=os.environ["REDIS_PASSWORD"])
LEGACY_DB = "mysql://legacy:%(password)s@db/legacy"
EMPTY_PASSWORD_URL = "redis://:@cache:6379/0"
SITE_URL = "https://www.example.com/login?next=/admin/"
DOCS = "See https://user@example.com:8080/path for details"
PLACEHOLDER = "postgres://USER:<password>@HOST/NAME"
STATIC_URL = "/static/"


def test_database():
    return dj_database_url.parse("postgres://test:test-pw@localhost/test")
