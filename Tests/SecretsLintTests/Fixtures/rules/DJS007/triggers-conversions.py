"""DEBUG read and converted properly, but on when the variable is unset."""
import ast
import json
import os
from ast import literal_eval
from distutils.util import strtobool

from myproject.utils import str_to_bool


def str2bool(value):
    return value.lower() in ("yes", "true", "t", "1")


DEBUG = ast.literal_eval(os.getenv("DEBUG", "True"))  # expect: DJS007
DEBUG = literal_eval(os.environ.get("DJANGO_DEBUG", "1"))  # expect: DJS007
DEBUG = ast.literal_eval(os.getenv("DEBUG", "true").capitalize())  # expect: DJS007
DEBUG = json.loads(os.getenv("DEBUG", "true"))  # expect: DJS007
DEBUG = bool(strtobool(os.getenv("DEBUG", "yes")))  # expect: DJS007
DEBUG = strtobool(os.environ.get("DEBUG", "on"))  # expect: DJS007
DEBUG = int(os.getenv("DEBUG", "1"))  # expect: DJS007
DEBUG = bool(int(os.environ.get("DEBUG", 1)))  # expect: DJS007
DEBUG = str2bool(os.getenv("DEBUG", "True"))  # expect: DJS007
DEBUG = str_to_bool(os.getenv("DEBUG", "true"))  # expect: DJS007
DEBUG = os.getenv("DEBUG", "True") in ("True", "true", "1")  # expect: DJS007
