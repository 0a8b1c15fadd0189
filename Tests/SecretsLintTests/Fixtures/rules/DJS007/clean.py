import os
import environ
from decouple import config

env = environ.Env(DEBUG=(bool, False))
DEBUG = env("DEBUG")
DEBUG = os.environ.get("DEBUG", "False").lower() == "true"
DEBUG = config("DEBUG", default=False, cast=bool)
DEBUG = os.getenv("DEBUG", "0") == "1"
