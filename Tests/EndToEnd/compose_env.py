"""A reader of docker compose `env_file` files, written from Compose's documented syntax
(https://docs.docker.com/compose/env-file/), for tests that compare what each `.env` reader sees:

- lines starting with `#` are comments, blank lines are ignored, each other line is `VAR=VAL`;
- `VAR='VAL'`: single-quoted values are used literally (no interpolation, no escapes) except that
  `\\'` stands for a quote; a comment may follow the closing quote;
- `VAR="VAL"`: `\\n`, `\\r`, `\\t`, `\\\\` and `\\"` are decoded, then `$NAME` / `${NAME}` interpolated;
- unquoted: an inline comment needs a space before `#`; surrounding blanks go; interpolated.
"""
import re

_NAME = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_DOUBLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}


def _interpolate(text, environment):
    return _NAME.sub(lambda m: environment.get(m.group(1) or m.group(2), ""), text)


def _quoted(raw, quote):
    """The text between `quote` at raw[0] and its closing quote (one not escaped by `\\`), and the rest."""
    body = []
    index = 1
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            if quote == "'":
                if raw[index + 1] == "'":
                    body.append("'")
                    index += 2
                    continue
            else:
                following = raw[index + 1]
                body.append(_DOUBLE_ESCAPES.get(following, "\\" + following))
                index += 2
                continue
        if char == quote:
            return "".join(body), raw[index + 1:]
        body.append(char)
        index += 1
    raise ValueError("unterminated quoted value")


def read_env_file(text, environment=None):
    environment = dict(environment or {})
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, equals, raw = stripped.partition("=")
        if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name.strip()):
            raise ValueError(f"line {number}: not VAR=VAL")
        raw = raw.lstrip()
        if raw[:1] in ("'", '"'):
            quote = raw[0]
            value, rest = _quoted(raw, quote)
            rest = rest.strip()
            if rest and not rest.startswith("#"):
                raise ValueError(f"line {number}: text after the closing quote")
            if quote == '"':
                value = _interpolate(value, {**environment, **values})
        else:
            value = re.split(r"\s#", raw, maxsplit=1)[0].strip()
            value = _interpolate(value, {**environment, **values})
        values[name.strip()] = value
    return values
