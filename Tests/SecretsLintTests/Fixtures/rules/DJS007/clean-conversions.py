"""DEBUG read and converted properly: off, or failing at import, when the variable is unset."""
import ast
import json
import os
from ast import literal_eval
from distutils.util import strtobool

from myproject.utils import str_to_bool


def str2bool(value):
    return value.lower() in ("yes", "true", "t", "1")


DEBUG = ast.literal_eval(os.getenv("DEBUG", "False"))
DEBUG = literal_eval(os.environ.get("DJANGO_DEBUG", "0"))
DEBUG = ast.literal_eval(os.getenv("DEBUG"))  # literal_eval(None) raises: fails closed
DEBUG = ast.literal_eval(os.getenv("DEBUG", "true"))  # not a Python literal: raises
DEBUG = json.loads(os.getenv("DEBUG", "false"))
DEBUG = json.loads(os.getenv("DEBUG", "True"))  # not JSON: raises
DEBUG = bool(strtobool(os.getenv("DEBUG", "False")))
DEBUG = strtobool(os.environ.get("DEBUG", "off"))
DEBUG = strtobool(os.getenv("DEBUG"))  # None.lower() raises
DEBUG = int(os.getenv("DEBUG", "0"))
DEBUG = int(os.getenv("DEBUG"))  # int(None) raises
DEBUG = bool(int(os.environ.get("DEBUG", 0)))
DEBUG = str2bool(os.getenv("DEBUG", "False"))
DEBUG = str2bool(os.getenv("DEBUG", "on"))  # the file's own function says no
DEBUG = str_to_bool(os.getenv("DEBUG", "false"))
DEBUG = os.getenv("DEBUG", "False") in ("True", "true", "1")
