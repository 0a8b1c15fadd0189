"""Proper conversions of the DEBUG string are never truthiness, whatever the default."""
import ast
import json
import os
from ast import literal_eval
from distutils.util import strtobool

from myproject.utils import str2bool


DEBUG = ast.literal_eval(os.getenv("DEBUG", "False"))
DEBUG = ast.literal_eval(os.getenv("DEBUG", "True"))
DEBUG = literal_eval(os.environ.get("DJANGO_DEBUG"))
DEBUG = json.loads(os.getenv("DEBUG", "false"))
DEBUG = json.loads(os.environ["DEBUG"])
DEBUG = bool(strtobool(os.getenv("DEBUG", "False")))
DEBUG = strtobool(os.getenv("DEBUG"))
DEBUG = int(os.getenv("DEBUG", "0"))
DEBUG = bool(int(os.getenv("DEBUG", "0")))
DEBUG = str2bool(os.getenv("DEBUG", "no"))
DEBUG = os.getenv("DEBUG", "no") == "yes"
DEBUG = os.getenv("DEBUG", "0") in ("1", "true")
