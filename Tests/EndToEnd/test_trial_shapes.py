"""Issue #19, shapes found by running `check --fix .` on public repositories (a CI-only branch, a
provider's `…_SECRET_KEY`, cookiecutter-django's conditional `read_env` and `environ.Path(__file__) - 3`,
a placeholder key in a fallback dict). Each project is built here, fixed, and imported with real Django
in a clean environment: it must work with nothing exported, fail closed without `.env` where a value was
moved, and a second `--fix` must change nothing."""
import secrets
import subprocess
import sys

from test_real_projects import bare_env, files, fix

SHOW = """
import django
from django.conf import settings
django.setup()
for name in {names!r}:
    print(name, repr(eval("settings." + name)))
"""


def show(project, module, names, **env):
    result = subprocess.run(
        [sys.executable, "-c", SHOW.format(names=names)], cwd=project, env=bare_env(module, **env),
        capture_output=True, text=True, timeout=60)
    return result


def settles(project):
    """A second --fix changes nothing."""
    before = files(project)
    again = fix(project)
    assert files(project) == before, again
    assert "Fixed" not in again


def test_a_ci_only_branch_is_test_configuration_and_its_else_branch_is_not(startproject):
    project, settings = startproject
    token = "ghp_" + secrets.token_hex(18)
    source = settings.read_text().replace("from pathlib import Path\n", "import os\nfrom pathlib import Path\n")
    ci_branch = (
        'if os.environ.get("GITHUB_WORKFLOW"):\n'
        '    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "ci.sqlite3", "PASSWORD": "postgres"}}\n'
        f'    CI_API_TOKEN = "{token}"\n'
        'elif "TRAVIS" in os.environ and os.environ.get("TRAVIS_PULL_REQUEST"):\n'
        '    EMAIL_HOST_PASSWORD = "travis-only"\n'
        'else:\n'
        '    EMAIL_HOST_PASSWORD = "local-mail-pw"\n'
        'if not os.environ.get("CI"):\n'
        '    ANALYTICS_PASSWORD = "runs-locally"\n')
    settings.write_text(source + "\n" + ci_branch)
    summary = fix(project)
    fixed = settings.read_text()
    # The CI-only branches are untouched, byte for byte; the generated-looking token there is reported,
    # unfixed, with where it belongs.
    assert ci_branch.split("else:\n")[0] in fixed
    assert f'"{token}"' in fixed
    assert "CI_API_TOKEN is hardcoded" in summary and "move the value into the CI's secret store" in summary, summary
    assert "postgres" not in (project / ".env").read_text() and "travis-only" not in (project / ".env").read_text()
    # The else branch and a `not CI` branch run locally: moved, read back from .env.
    assert 'EMAIL_HOST_PASSWORD = os.environ["DJANGO_EMAIL_HOST_PASSWORD"]' in fixed
    assert 'ANALYTICS_PASSWORD = os.environ["DJANGO_ANALYTICS_PASSWORD"]' in fixed
    local = show(project, "mysite.settings", ["EMAIL_HOST_PASSWORD", "ANALYTICS_PASSWORD"])
    assert local.returncode == 0, (summary, local.stderr)
    assert "EMAIL_HOST_PASSWORD 'local-mail-pw'" in local.stdout and "ANALYTICS_PASSWORD 'runs-locally'" in local.stdout
    # CI: no .env, the key from the CI's secret store; the CI branch still gives its own database.
    (project / ".env").rename(project / "env.away")
    ci = show(project, "mysite.settings", ["DATABASES['default']['PASSWORD']", "EMAIL_HOST_PASSWORD"],
              GITHUB_WORKFLOW="tests", CI="true", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
              DJANGO_EMAIL_HOST_PASSWORD="from-ci-store")
    assert ci.returncode == 0, ci.stderr
    assert "'postgres'" in ci.stdout
    closed = show(project, "mysite.settings", ["EMAIL_HOST_PASSWORD"])
    assert closed.returncode != 0 and "DJANGO_SECRET_KEY" in closed.stderr
    (project / "env.away").rename(project / ".env")
    settles(project)


def test_a_provider_secret_key_is_moved_verbatim_never_replaced_by_a_django_key(startproject):
    project, settings = startproject
    stripe = "sk_test_" + secrets.token_hex(12)
    source = settings.read_text().replace("from pathlib import Path\n", "import os\nfrom pathlib import Path\n")
    settings.write_text(source + f'\nSTRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "{stripe}")\n'
                        + f'os.environ.setdefault("PAYPAL_SECRET_KEY", "{stripe}x")\n')
    summary = fix(project)
    assert "Replaced STRIPE_SECRET_KEY" not in summary and "Replaced PAYPAL_SECRET_KEY" not in summary, summary
    assert "Moved STRIPE_SECRET_KEY" in summary and "Moved PAYPAL_SECRET_KEY" in summary, summary
    env_file = (project / ".env").read_text()
    assert f"STRIPE_SECRET_KEY={stripe}\n" in env_file and f"PAYPAL_SECRET_KEY={stripe}x\n" in env_file
    local = show(project, "mysite.settings", ["STRIPE_SECRET_KEY"])
    assert local.returncode == 0, local.stderr
    assert f"STRIPE_SECRET_KEY '{stripe}'" in local.stdout
    settles(project)


def cookiecutter_shaped(project, conditional):
    """config/settings/{base,local}.py as cookiecutter-django generated them in 2019: `environ.Path(__file__) - 3`."""
    (project / "manage.py").write_text(
        'import os\nimport sys\nif __name__ == "__main__":\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n'
        '    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n')
    (project / "requirements.txt").write_text("django-environ==0.12.0\n")
    package = project / "config" / "settings"
    package.mkdir(parents=True)
    (project / "config" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    loader = ('READ_DOT_ENV_FILE = env.bool("DJANGO_READ_DOT_ENV_FILE", default=False)\n'
              'if READ_DOT_ENV_FILE:\n    env.read_env(str(ROOT_DIR.path(".env")))\n') if conditional \
        else 'env.read_env(ROOT_DIR(".env"))\n'
    (package / "base.py").write_text(
        '"""Base settings."""\nimport environ\n\nROOT_DIR = (\n    environ.Path(__file__) - 3\n)  # (config/settings/base.py - 3 = ./)\n'
        'env = environ.Env()\n\n' + loader +
        '\nDEBUG = env.bool("DJANGO_DEBUG", False)\nINSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]\n'
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(ROOT_DIR("db.sqlite3"))}}\n'
        'USE_TZ = True\n')
    key = secrets.token_urlsafe(48)
    local = package / "local.py"
    local.write_text(
        'from .base import *  # noqa\nfrom .base import env\n\nDEBUG = True\n'
        f'SECRET_KEY = env(\n    "DJANGO_SECRET_KEY",\n    default="{key}",\n)\n'
        f'MAILGUN_API_KEY = env("MAILGUN_API_KEY", default="key-{secrets.token_hex(16)}")\n')
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".gitignore").write_text(".env\n")
    return local


def test_a_conditional_read_env_is_not_taken_for_a_loader_that_runs_and_the_summary_says_why(tmp_path):
    local = cookiecutter_shaped(tmp_path, conditional=True)
    summary = fix(tmp_path)
    fixed = local.read_text()
    assert fixed.count("read_env(") == 1, fixed
    assert f"to {tmp_path}/config/settings/local.py: {tmp_path}/config/settings/base.py loads {tmp_path}/.env only when READ_DOT_ENV_FILE holds" in summary, summary
    assert "Nothing in the code loads" not in summary
    shown = show(tmp_path, "config.settings.local", ["SECRET_KEY", "MAILGUN_API_KEY"])
    assert shown.returncode == 0, (summary, shown.stderr)
    (tmp_path / ".env").rename(tmp_path / "env.away")
    closed = show(tmp_path, "config.settings.local", ["SECRET_KEY"])
    assert closed.returncode != 0 and "DJANGO_SECRET_KEY" in closed.stderr
    # The project's own switch still works for production settings, which gain nothing.
    (tmp_path / "env.away").rename(tmp_path / ".env")
    settles(tmp_path)


def test_an_unconditional_read_env_through_environ_path_is_the_loader_and_is_not_doubled(tmp_path):
    local = cookiecutter_shaped(tmp_path, conditional=False)
    summary = fix(tmp_path)
    assert "read_env" not in local.read_text(), local.read_text()
    assert "Added" not in summary or "read_env" not in summary, summary
    shown = show(tmp_path, "config.settings.local", ["MAILGUN_API_KEY"])
    assert shown.returncode == 0, (summary, shown.stderr)
    (tmp_path / ".env").rename(tmp_path / "env.away")
    assert show(tmp_path, "config.settings.local", ["SECRET_KEY"]).returncode != 0
    (tmp_path / "env.away").rename(tmp_path / ".env")
    settles(tmp_path)


def test_a_placeholder_key_entry_is_replaced_and_a_placeholder_password_is_not_called_a_secret(startproject):
    project, settings = startproject
    source = settings.read_text()
    start = source.index("SECRET_KEY = ")
    end = source.index("\n", start)
    # www.djangoproject.com's shape: a secrets file in production, a fallback dict for local runs.
    settings.write_text(
        "import json\n" + source[:start]
        + 'try:\n    with open(BASE_DIR / "secrets.json") as handle:\n        SECRETS = json.load(handle)\n'
        + 'except OSError:\n    SECRETS = {\n        "secret_key": "a",\n    }\n'
        + 'SECRET_KEY = str(SECRETS["secret_key"])\nEMAIL_HOST_PASSWORD = "changeme"\n' + source[end + 1:])
    summary = fix(project)
    assert 'Replaced SECRETS["secret_key"] with a new key' in summary, summary
    placeholder = [line for line in summary.splitlines() if line.startswith("Moved EMAIL_HOST_PASSWORD")]
    assert placeholder and "placeholder, not a secret" in placeholder[0] and "rotate" not in placeholder[0], summary
    shown = show(project, "mysite.settings", ["SECRET_KEY", "EMAIL_HOST_PASSWORD"])
    assert shown.returncode == 0, shown.stderr
    key = shown.stdout.split("\n")[0].split(" ", 1)[1]
    assert len(eval(key)) == 64
    assert "EMAIL_HOST_PASSWORD 'changeme'" in shown.stdout
    settles(project)


def test_a_helper_module_that_loads_the_env_file_is_the_loader_however_the_settings_import_it(startproject):
    project, settings = startproject
    (project / "requirements.txt").write_text("Django>=5.2\npython-dotenv>=1.0\n")
    (project / ".gitignore").write_text(".env\n")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    key = secrets.token_urlsafe(48)
    (project / ".env").write_text(f"DJANGO_SECRET_KEY={key}\n")
    # media-finder's shape: a module beside manage.py, imported by its absolute name of one component.
    (project / "environment_variables.py").write_text(
        "import os\nfrom dotenv import load_dotenv, find_dotenv\n\npath = find_dotenv()\n\nload_dotenv(path)\n\n"
        "DJANGO_SECRET_KEY = os.getenv('DJANGO_SECRET_KEY')\n")
    # And a package module imported as `import mysite.envsetup`.
    (project / "mysite" / "envsetup.py").write_text("from dotenv import find_dotenv, load_dotenv\n\nload_dotenv(find_dotenv())\n")
    source = settings.read_text()
    start = source.index("SECRET_KEY = ")
    end = source.index("\n", start)
    settings.write_text(
        "import mysite.envsetup  # noqa: F401\nfrom environment_variables import DJANGO_SECRET_KEY\n"
        + source[:start] + "SECRET_KEY = DJANGO_SECRET_KEY\n" + source[end + 1:]
        + 'EMAIL_HOST_PASSWORD = "local-mail-pw"\n')
    summary = fix(project)
    fixed = settings.read_text()
    assert "load_dotenv" not in fixed and "read_env" not in fixed, fixed
    assert 'EMAIL_HOST_PASSWORD = os.environ["DJANGO_EMAIL_HOST_PASSWORD"]' in fixed
    assert "Declared" not in summary and "Nothing in the code loads" not in summary, summary
    shown = show(project, "mysite.settings", ["EMAIL_HOST_PASSWORD", "DEBUG"])
    assert shown.returncode == 0, (summary, shown.stderr)
    assert "EMAIL_HOST_PASSWORD 'local-mail-pw'" in shown.stdout and "DEBUG True" in shown.stdout
    (project / ".env").rename(project / "env.away")
    closed = show(project, "mysite.settings", ["EMAIL_HOST_PASSWORD"])
    assert closed.returncode != 0 and "DJANGO_EMAIL_HOST_PASSWORD" in closed.stderr
    (project / "env.away").rename(project / ".env")
    settles(project)


def test_a_star_imported_base_that_requires_the_moved_key_gets_the_loader_above_the_import(tmp_path):
    """faclab's shape: base.py requires DJANGO_SECRET_KEY, local.py star-imports it and repeats the read with
    a default. The default moves to .env; base.py reads it at the star import, so the loader goes above it,
    spelled with names bound there (the star import's `environ` is not yet)."""
    local = cookiecutter_shaped(tmp_path, conditional=True)
    base = tmp_path / "config" / "settings" / "base.py"
    base.write_text(base.read_text().replace(
        'DEBUG = env.bool("DJANGO_DEBUG", False)\n', 'DEBUG = env.bool("DJANGO_DEBUG", False)\nSECRET_KEY = env("DJANGO_SECRET_KEY")\n'))
    local.write_text('"""Local settings."""\n\n' + local.read_text())
    summary = fix(tmp_path)
    fixed = local.read_text()
    loader = fixed.index("read_env(")
    assert loader < fixed.index("from .base import *"), fixed
    assert fixed.index("import environ\n") < loader, fixed
    assert fixed.startswith('"""Local settings."""\n'), fixed
    shown = show(tmp_path, "config.settings.local", ["SECRET_KEY", "MAILGUN_API_KEY"])
    assert shown.returncode == 0, (summary, fixed, shown.stderr)
    (tmp_path / ".env").rename(tmp_path / "env.away")
    closed = show(tmp_path, "config.settings.local", ["SECRET_KEY"])
    assert closed.returncode != 0 and "DJANGO_SECRET_KEY" in closed.stderr
    (tmp_path / "env.away").rename(tmp_path / ".env")
    settles(tmp_path)
