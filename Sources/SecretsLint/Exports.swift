@_exported import PythonSyntax
