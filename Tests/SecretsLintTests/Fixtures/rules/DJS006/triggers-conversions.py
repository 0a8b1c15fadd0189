"""Not conversions: bool() takes "False" for true, and eval() runs whatever the variable holds."""
import ast
import os

DEBUG = eval(os.getenv("DEBUG", "False"))  # expect: DJS006
DEBUG = bool(os.environ.get("DEBUG"))  # expect: DJS006
DEBUG = bool(eval(os.environ.get("DEBUG", "0")))  # expect: DJS006
DEBUG = bool(ast.literal_eval(os.getenv("DEBUG", "False")))
