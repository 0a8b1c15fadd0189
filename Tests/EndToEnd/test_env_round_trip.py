"""`.env` values round-trip exactly (SPEC "Fixes", `.env` traps): a strong key that was never committed
is moved by `--fix` when every reader keeps its form, and then python-dotenv's `dotenv_values`,
django-environ's `read_env` + `env(...)`, python-decouple and docker compose `env_file` all read it back
byte for byte; a key that some reader would change is replaced by a new one, and writing it anyway
shows a reader that really changes it."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clean_env, run_tool

HERE = Path(__file__).parent
BODY = "m@9q!zw2e#r5t^y8u&i1o*p4a-s7d=f0g+h6j%l)x_cvbnm"

# Each reader in its own process with an empty environment: django-environ's read_env fills os.environ,
# which python-decouple would then read instead of the file.
READERS = {
    "python-dotenv": "import dotenv; value = dotenv.dotenv_values(path)[name]",
    "django-environ": "import environ; environ.Env.read_env(path); value = environ.Env()(name)",
    "python-decouple": "import decouple; value = decouple.Config(decouple.RepositoryEnv(path))(name)",
    "docker compose": "import compose_env; value = compose_env.read_env_file(open(path, encoding='utf-8').read())[name]",
}

MOVED = {
    "the issue's key: $ # % ^ & *": "k3$" + BODY,
    "an unclosed ${": "k3${" + BODY,
    "$NAME without braces": "k3$HOME" + BODY,
    "one backslash": "k3\\" + BODY,
    "a trailing space": "k3$" + BODY + " ",
    "a leading space": " k3$" + BODY,
    "a %-format": "%(k3)s$" + BODY,
    "${ with a colon": "k3${a:b}" + BODY,
}

REPLACED = {
    "${NAME}": ("k3${HOME}" + BODY, "python-dotenv expands"),
    "${NAME:-default}": ("k3${NOPE:-x}" + BODY, "python-dotenv expands"),
    "a leading $": ("$k3" + BODY, "django-environ"),
    "a single quote": ("k3'" + BODY, "single quote"),
    "two backslashes": ("k3\\\\" + BODY, "python-dotenv decodes"),
    "a final backslash": ("k3" + BODY + "\\", "backslash"),
    "double quotes around it": ('"k3' + BODY + '"', "django-environ"),
}


def read_back(env_file, name):
    """What each reader gets for `name` from `env_file` (an exception's name when it fails)."""
    values = {}
    for reader, code in READERS.items():
        script = f"import json, sys\npath, name = sys.argv[1], sys.argv[2]\n{code}\nprint(json.dumps(value))"
        result = subprocess.run(
            [sys.executable, "-c", script, str(env_file), name], capture_output=True, text=True, timeout=60,
            env=clean_env(PYTHONPATH=str(HERE)), cwd=env_file.parent,
        )
        values[reader] = json.loads(result.stdout) if result.returncode == 0 else result.stderr.strip().splitlines()[-1]
    return values


def make_project(root, key):
    (root / "mysite").mkdir()
    (root / "manage.py").write_text("")
    (root / "mysite" / "__init__.py").write_text("")
    settings = root / "mysite" / "settings.py"
    settings.write_text(f"SECRET_KEY = {key!r}\n", encoding="utf-8")
    return settings


@pytest.mark.parametrize("key", MOVED.values(), ids=MOVED.keys())
def test_a_key_every_reader_keeps_is_moved_and_reads_back_exactly(tmp_path, key):
    assert len(key) >= 50
    settings = make_project(tmp_path, key)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path, check_status=0)
    assert "cannot be stored" not in result.stdout.decode() + result.stderr.decode()
    assert key not in settings.read_text()
    read = read_back(tmp_path / ".env", "DJANGO_SECRET_KEY")
    assert read == {reader: key for reader in READERS}, read


@pytest.mark.parametrize("key,reason", REPLACED.values(), ids=REPLACED.keys())
def test_a_key_some_reader_changes_is_replaced(tmp_path, key, reason):
    # Written single-quoted as it is, at least one reader would get another value.
    probe = tmp_path / "probe.env"
    probe.write_text("PROBE='" + key + "'\n", encoding="utf-8")
    assert set(read_back(probe, "PROBE").values()) != {key}
    probe.unlink()

    make_project(tmp_path, key)
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path, check_status=0)
    output = result.stdout.decode() + result.stderr.decode()
    assert "cannot be stored in .env exactly" in output and reason in output, output
    read = read_back(tmp_path / ".env", "DJANGO_SECRET_KEY")
    new_key = read["python-dotenv"]
    assert re.fullmatch(r"[A-Za-z0-9]{64}", new_key)
    assert read == {reader: new_key for reader in READERS}, read


def test_credentials_with_dollar_signs_move_when_every_reader_keeps_them(tmp_path):
    settings = make_project(tmp_path, "k3$" + BODY)
    settings.write_text(
        settings.read_text() + "EMAIL_HOST_PASSWORD = 'p@ss$word #1 %s'\nAPI_TOKEN = '$tok3n-secret'\n", encoding="utf-8"
    )
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=tmp_path, check_status=1)
    output = result.stdout.decode()
    fixed = settings.read_text()
    assert "p@ss$word" not in fixed and "API_TOKEN = '$tok3n-secret'" in fixed
    assert re.search(r"DJS008 .*API_TOKEN.*django-environ", output), output
    read = read_back(tmp_path / ".env", "DJANGO_EMAIL_HOST_PASSWORD")
    assert read == {reader: "p@ss$word #1 %s" for reader in READERS}, read
