import os
import environ
from decouple import config

env = environ.Env(DEBUG=(bool, True))  # expect: DJS007
DEBUG = os.environ.get("DEBUG", True)  # expect: DJS007
DEBUG = os.getenv("DEBUG", "1") == "1"  # expect: DJS007
DEBUG = os.environ.get("DEBUG", "True").lower() == "true"  # expect: DJS007
DEBUG = env.bool("DEBUG", default=True)  # expect: DJS007
DEBUG = config("DEBUG", default=True, cast=bool)  # expect: DJS007
DEBUG = config("DEBUG", default="yes", cast=bool)  # expect: DJS007
DEBUG = os.environ.get("DEBUG", "on")  # expect: DJS007
