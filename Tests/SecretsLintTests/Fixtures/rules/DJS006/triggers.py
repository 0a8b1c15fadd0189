import os
import environ
from decouple import config

env = environ.Env()
DEBUG = os.environ.get("DEBUG", "False")  # expect: DJS006
DEBUG = os.getenv("DJANGO_DEBUG")  # expect: DJS006
DEBUG = bool(os.environ.get("DEBUG", ""))  # expect: DJS006
DEBUG = "DEBUG" in os.environ  # expect: DJS006
DEBUG = eval(os.environ.get("DEBUG", "False"))  # expect: DJS006
DEBUG = env("DEBUG")  # expect: DJS006
DEBUG = env.str("DEBUG", default="False")  # expect: DJS006
DEBUG = config("DEBUG")  # expect: DJS006
