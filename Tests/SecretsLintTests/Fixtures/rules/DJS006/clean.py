import os
import environ
from decouple import config

env = environ.Env(DEBUG=(bool, False))
DEBUG = env("DEBUG")
DEBUG = env.bool("DEBUG", default=False)
DEBUG = config("DEBUG", default=False, cast=bool)
DEBUG = os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes")
DEBUG = os.getenv("DEBUG") == "1"
DEBUG = int(os.environ.get("DEBUG", "0"))
