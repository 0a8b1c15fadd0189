"""No output ever holds a secret in full: the binary runs over the fixture projects and a project with
every secret form, in every format and mode (text, json, sarif, github, --diff, --fix, standard
input, errors), and everything it prints is searched for every secret of the fixtures."""
import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import REPO, run_tool

CREDENTIAL = re.compile(r"(?i)(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY)($|_)")

# Every secret form the rules know, strong and weak, fixable or not.
ZOO = r'''"""Settings with every kind of secret."""
import os

import environ
from decouple import config

env = environ.Env()

SECRET_KEY = "Zq8Rt2Lm9Xv4Bn7Kc1Wd6Yp3Hs5Jf0Ga8Ue2Io4Pl7Mk1Nj9Hb3Vg6Cf5Dx0Sz7"
SECRET_KEY_FALLBACKS = [
    "old-fallback-key-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6Nm8Qa0Ws2Ed4",
    'second\x2dfallback\x2dkey\x2dvalue',
]
DEBUG = True

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": "db-pass-" "implicit-" "concatenation",
    },
    "replica": {"PASSWORD": 'replica\u2011p\xe4ssw\u00f6rd\u00e9'},
}
EMAIL_HOST_PASSWORD = (
    "mail-"
    "multi-line-password"
)
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
STRIPE_API_KEY = "sk_live_" + "51HxYzAbCdEfGhIjKlMn"
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "ghp_fallbackTokenValue1234567890")
SENTRY_SECRET = os.getenv("SENTRY_SECRET") or "sentry-or-fallback-secret"
SLACK_TOKEN = env("SLACK_TOKEN", default="xoxb-environ-default-token")
MAILGUN_API_KEY = config("MAILGUN_API_KEY", default="key-decouple-default-4242")
os.environ.setdefault("REDIS_PASSWORD", "redis-setdefault-password")
UNSTORABLE_PASSWORD = "dollar$in-the-password-value"
QUOTED_SECRET = "it's-a-quoted-secret-value"
'''


def literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal(node.left), literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def is_secret_name(name):
    return name in ("SECRET_KEY", "SECRET_KEY_FALLBACKS") or bool(CREDENTIAL.search(name))


def fallback_of(node):
    """The literal fallback of an environment read: a `default=`, a second argument, or `or "x"`."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return [literal(value) for value in node.values[1:]]
    if isinstance(node, ast.Call):
        values = [literal(keyword.value) for keyword in node.keywords if keyword.arg == "default"]
        if len(node.args) > 1:
            values.append(literal(node.args[1]))
        return values
    return []


def secrets_in(source):
    """Every secret literal of a settings file, evaluated, with the source spelling of each."""
    tree = ast.parse(source)
    values = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [target.id for target in targets if isinstance(target, ast.Name)]
            if not any(is_secret_name(name) for name in names) or node.value is None:
                continue
            values.append(literal(node.value))
            values += fallback_of(node.value)
            if isinstance(node.value, (ast.List, ast.Tuple)):
                values += [literal(element) for element in node.value.elts]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and is_secret_name(key.value):
                    values.append(literal(value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault":
            if node.args and literal(node.args[0]) and is_secret_name(literal(node.args[0])) and len(node.args) > 1:
                values.append(literal(node.args[1]))
    secrets = {value for value in values if value and len(value) >= 8}
    # The source spelling too, where escapes make it differ from the value.
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in secrets:
            segment = ast.get_source_segment(source, node) or ""
            inner = re.sub(r"^[rRbBuUfF]*(['\"]{1,3})(.*)\1$", r"\2", segment, flags=re.S)
            if len(inner) >= 8:
                secrets.add(inner)
    return secrets


def project_secrets(root):
    secrets = set()
    for path in Path(root).rglob("*.py"):
        secrets |= secrets_in(path.read_text())
    return secrets


def copy_fixture(name, tmp_path):
    sources = {
        "demo": REPO / "Fixtures" / "demo-project",
        "environ": REPO / "Tests" / "EndToEnd" / "projects" / "environ_site",
        "decouple": REPO / "Tests" / "EndToEnd" / "projects" / "decouple_site",
    }
    target = tmp_path / name
    if name == "zoo":
        (target / "zoo").mkdir(parents=True)
        (target / "manage.py").write_text("")
        (target / "zoo" / "settings.py").write_text(ZOO)
    else:
        shutil.copytree(sources[name], target)
    return target


def git_commit_all(root):
    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "settings with secrets")


RUNS = [
    ("check", "--color", "always", "."),
    ("check", "--format", "json", "."),
    ("check", "--format", "sarif", "."),
    ("check", "--format", "github", "."),
    ("check", "--format", "gitlab", "."),
    ("check", "--history", "--format", "gitlab", "."),
    ("check", "--diff", "--color", "never", "."),
    ("check", "--diff", "--format", "json", "."),
    ("check", "--fix", "--format", "sarif", "."),
    ("check", "--fix", "--color", "never", "."),  # the second --fix: what is left
]


def outputs_of_every_mode(root):
    outputs = []
    pristine = {path: path.read_bytes() for path in root.rglob("*.py")}
    for arguments in RUNS:
        result = run_tool(*arguments, cwd=root)
        assert result.returncode in (0, 1), (arguments, result.stderr)
        outputs.append((arguments, result.stdout + result.stderr))
    for path, content in pristine.items():  # back to the unfixed files, for --rotate and --keep-key
        path.write_bytes(content)
    for extra in (("--rotate",), ("--keep-key",)):
        (root / ".env").unlink(missing_ok=True)
        result = run_tool("check", "--fix", *extra, "--color", "never", ".", cwd=root)
        outputs.append((("--fix", *extra), result.stdout + result.stderr))
        for path, content in pristine.items():
            path.write_bytes(content)
    # Standard input, as an editor runs it: the fixed source goes to stdout (that is the file's own
    # content), findings and notes to stderr.
    for path in pristine:
        name = path.relative_to(root).as_posix()
        checked = run_tool("check", "--stdin-filename", name, "-", cwd=root, input=pristine[path])
        outputs.append((("stdin", name), checked.stdout + checked.stderr))
        fixed = run_tool("check", "--fix", "--stdin-filename", name, "-", cwd=root, input=pristine[path])
        outputs.append((("stdin --fix", name), fixed.stderr))
        as_json = run_tool("check", "--format", "json", "--stdin-filename", name, "-", cwd=root, input=pristine[path])
        outputs.append((("stdin json", name), as_json.stdout + as_json.stderr))
    # Error paths: a settings file that cannot be written, an .env that cannot be written.
    (root / ".env").unlink(missing_ok=True)
    for path in pristine:
        path.chmod(0o444)
    result = run_tool("check", "--fix", ".", cwd=root)
    outputs.append((("read-only",), result.stdout + result.stderr))
    for path in pristine:
        path.chmod(0o644)
    (root / ".env").write_text("DJANGO_SECRET_KEY=short\n")
    (root / ".env").chmod(0o400)
    result = run_tool("check", "--fix", ".", cwd=root)
    outputs.append((("read-only .env",), result.stdout + result.stderr))
    return outputs


@pytest.mark.parametrize("name", ["zoo", "demo", "environ", "decouple"])
@pytest.mark.parametrize("in_git", [False, True], ids=["plain", "committed"])
def test_no_output_holds_a_secret_in_full(tmp_path, name, in_git):
    root = copy_fixture(name, tmp_path)
    secrets = project_secrets(root)
    assert secrets, "the fixture has no secrets to look for"
    if name == "zoo":
        assert len(secrets) >= 18, sorted(secrets)
    if in_git:
        git_commit_all(root)
    for arguments, output in outputs_of_every_mode(root):
        text = output.decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, f"{arguments} printed the secret {secret[:4]}… in full:\n{text}"
            escaped = secret.replace("\\", "\\\\").replace('"', '\\"')
            assert escaped not in text, f"{arguments} printed the secret {secret[:4]}… (JSON-escaped)"


def test_the_startproject_key_is_never_printed(startproject):
    project, settings = startproject
    secrets = secrets_in(settings.read_text())
    assert any(secret.startswith("django-insecure-") for secret in secrets)
    for arguments, output in outputs_of_every_mode(project):
        text = output.decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, arguments
            # Masks show the prefix, never the random part.
            assert secret.removeprefix("django-insecure-") not in text, arguments


LIFECYCLE_RUNS = [
    ("rotate", "."),  # before --fix: refused, naming the findings
    ("check", "--fix", "."),
    ("env", "."),
    ("env", "--format", "json", "."),
    ("env", "--format", "dotenv", "."),
    ("env", "--check", "--env-file", ".env", "."),
    ("rotate", "--dry-run", "."),
    ("rotate", "."),
    ("rotate", "."),
    ("env", "--check", "--env-file", ".env", "."),
    ("rotate", "--leaked", "."),
    ("rotate", "--drop-fallbacks", "."),
]


@pytest.mark.parametrize("name", ["zoo", "environ", "decouple", "startproject"])
def test_rotate_and_env_never_print_a_secret(tmp_path, name):
    if name == "startproject":
        root = tmp_path / "site"
        root.mkdir()
        subprocess.run([sys.executable, "-m", "django", "startproject", "mysite", str(root)], check=True, capture_output=True)
    else:
        root = copy_fixture(name, tmp_path)
    secrets = project_secrets(root)
    assert secrets
    for arguments in LIFECYCLE_RUNS:
        result = run_tool(*arguments, cwd=root)
        assert result.returncode in (0, 1), (arguments, result.stderr)
        text = (result.stdout + result.stderr).decode("utf-8", "replace")
        # Every key and credential .env holds now, and every one it held before this run.
        if (root / ".env").exists():
            for value in dotenv_values(root / ".env").values():
                secrets |= {part for part in (value or "").split(",") if len(part) >= 8}
        for secret in secrets:
            assert secret not in text, f"{arguments} printed {secret[:4]}… in full:\n{text}"
            if secret.startswith("django-insecure-"):
                assert secret.removeprefix("django-insecure-") not in text, arguments
