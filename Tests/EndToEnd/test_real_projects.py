"""Issue #19, real projects keep running after --fix (SPEC "Fixes", round 3). Each test builds a project
of one shape seen in public repositories (with the real `django-admin startproject`, then edited as such
projects are), runs `check --fix .`, and then, in a clean environment (`env -i`: nothing exported but
PATH and the settings module), checks that

- importing the local settings module with Django works (the code loads the env file the fix wrote),
- without that env file it fails closed (the variable is missing),
- `manage.py check` starts,
- a second `--fix` changes nothing.

The projects' declared requirements are the test venv's packages; django-dotenv, whose module is also
called `dotenv`, lives in its own folder put first on PYTHONPATH (see the Makefile's venv target)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_tool

VENV = Path(sys.executable).parent.parent
DJANGO_DOTENV = VENV / "django-dotenv"

IMPORT_SETTINGS = """
import django
from django.conf import settings
django.setup()
assert len(settings.SECRET_KEY) == 64, "the generated key"
print("DEBUG", settings.DEBUG)
"""


def bare_env(settings_module=None, **extra):
    """What `env -i` leaves, plus PATH and the settings module (none: the project's own choice)."""
    env = {"PATH": f"{VENV / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    env.update(extra)
    return env


def files(project):
    return {
        path: path.read_bytes() for path in sorted(project.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and "db.sqlite3" not in path.name
    }


def fix(project, **env):
    tool_env = {"PATH": f"{VENV / 'bin'}:/usr/bin:/bin", "VIRTUAL_ENV": str(VENV), **env}
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=project, env=tool_env)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.decode() + result.stderr.decode()


def keeps_running(project, settings_module, env_file, **env):
    """After --fix: imports and checks with nothing exported, fails closed without the env file, and a
    second --fix changes nothing. Returns the summary of the first run."""
    summary = fix(project, **env)
    assert "Nothing in the code loads" not in summary, summary
    python = [sys.executable]
    imported = subprocess.run(
        [*python, "-c", IMPORT_SETTINGS], cwd=project, env=bare_env(settings_module, **env),
        capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, (summary, imported.stderr)
    assert "DEBUG True" in imported.stdout  # local development keeps DEBUG from the env file
    checked = subprocess.run(
        [*python, "manage.py", "check"], cwd=project, env=bare_env(settings_module, **env),
        capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr

    before = files(project)
    again = fix(project, **env)
    assert files(project) == before, again
    assert "Fixed" not in again and "Declared" not in again

    env_file.rename(env_file.with_name("env.moved"))
    closed = subprocess.run(
        [*python, "-c", IMPORT_SETTINGS], cwd=project, env=bare_env(settings_module, **env),
        capture_output=True, text=True, timeout=60)
    assert closed.returncode != 0
    assert "SECRET_KEY" in closed.stderr, closed.stderr
    env_file.with_name("env.moved").rename(env_file)
    return summary


def make_venv_without_packages(path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, capture_output=True, timeout=60)
    return path


def test_startproject_without_a_dependency_file_gets_load_dotenv_and_one_install_command(startproject, tmp_path):
    project, settings = startproject
    # The project's Python cannot import python-dotenv yet: the summary names the one install command.
    bare = make_venv_without_packages(tmp_path / "bare-venv")
    summary = fix(project, VIRTUAL_ENV=str(bare))
    install = [line for line in summary.splitlines() if "install it once" in line]
    assert install == [f"python-dotenv is not installed for {bare}/bin/python; install it once: {bare}/bin/python -m pip install python-dotenv"], summary
    fixed = settings.read_text()
    assert "from dotenv import load_dotenv\n" in fixed
    assert 'BASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / ".env")\n' in fixed
    assert not (project / "requirements.txt").exists()  # nothing invented: no dependency file to declare in
    # With python-dotenv installed (the test venv), it runs with nothing exported, every time.
    assert "Fixed" not in fix(project)
    keeps_running(project, "mysite.settings", project / ".env")


def test_a_test_runner_on_the_main_settings_is_told_what_ci_must_export(startproject):
    """pytest.ini runs the suite on mysite.settings itself: no test settings take defaults, and CI has no
    .env, so the summary says which variables CI must set; pointed at test settings, it says nothing."""
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\n")
    (project / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n")
    summary = keeps_running(project, "mysite.settings", project / ".env")
    told = [line for line in summary.splitlines() if "runs the test suite on" in line]
    assert told == [
        f"{project}/pytest.ini runs the test suite on {settings}, which now requires DJANGO_SECRET_KEY and reads "
        "DJANGO_DEBUG as off when unset (it was on), and CI has no .env: set DJANGO_SECRET_KEY, DJANGO_DEBUG in the CI's "
        "environment (a test-only value serves a test run; a real one belongs in its secret store), or point the test "
        "runner at test settings."], summary


def test_a_test_runner_on_test_settings_needs_no_word_about_ci(startproject):
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\n")
    (project / "mysite" / "test_settings.py").write_text("from mysite.settings import *  # noqa: F403\n")
    (project / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = mysite.test_settings\n")
    summary = fix(project)
    assert "runs the test suite on" not in summary, summary
    assert "Added test-only defaults for DJANGO_SECRET_KEY" in summary, summary


def test_os_settings_with_requirements_that_lack_a_loader_declare_python_dotenv(startproject):
    project, settings = startproject
    (project / "requirements.txt").write_bytes(b"Django==5.2.19\r\ndj-database-url==3.1.2\r\n")
    summary = keeps_running(project, "mysite.settings", project / ".env")
    assert (project / "requirements.txt").read_bytes() == b"Django==5.2.19\r\ndj-database-url==3.1.2\r\npython-dotenv>=1.0\r\n"
    assert f"Declared python-dotenv>=1.0 in {project}/requirements.txt" in summary
    assert "install it once" not in summary  # the project's Python imports it already
    assert 'load_dotenv(BASE_DIR / ".env")' in settings.read_text()


def test_pyproject_dependencies_take_the_declaration(startproject):
    project, settings = startproject
    pyproject = '[project]\nname = "mysite"\nversion = "1"\ndependencies = [\n    "django>=5.2",  # web\n]\n\n[tool.ruff]\nline-length = 100\n'
    (project / "pyproject.toml").write_text(pyproject)
    keeps_running(project, "mysite.settings", project / ".env")
    assert (project / "pyproject.toml").read_text() == pyproject.replace(
        '"django>=5.2",  # web\n', '"django>=5.2",  # web\n    "python-dotenv>=1.0",\n')


def split_settings(project, settings):
    """mysite/settings.py becomes the package mysite/settings/: the untouched startproject module as
    original.py, and base.py that star-imports it before its own django-environ loader."""
    package = project / "mysite" / "settings"
    package.mkdir()
    original = settings.read_text().replace(
        "BASE_DIR = Path(__file__).resolve().parent.parent", "BASE_DIR = Path(__file__).resolve().parent.parent.parent")
    settings.unlink()
    (package / "__init__.py").write_text("")
    (package / "original.py").write_text(original)
    (package / "base.py").write_text(
        "import environ\n\nfrom .original import *  # noqa: F403\n\n"
        "env = environ.Env()\nenviron.Env.read_env(BASE_DIR / \".env\")  # noqa: F405\n\n"
        "ALLOWED_HOSTS = env.list(\"ALLOWED_HOSTS\", default=[\"localhost\"])\n")
    manage_py = project / "manage.py"
    manage_py.write_text(manage_py.read_text().replace("'mysite.settings'", "'mysite.settings.base'"))
    return package


def test_django_environ_split_settings_with_a_star_import_before_read_env(startproject):
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\ndjango-environ==0.14.0\n")
    package = split_settings(project, settings)
    summary = keeps_running(project, "mysite.settings.base", project / ".env")
    original = (package / "original.py").read_text()
    # original.py reads at its own import, before base.py's read_env: it loads the file itself, with the
    # package the project already uses; nothing is declared.
    assert "import environ\n" in original
    assert 'BASE_DIR = Path(__file__).resolve().parent.parent.parent\nenviron.Env.read_env(BASE_DIR / ".env")\n' in original
    assert "load_dotenv" not in original and "Declared" not in summary
    assert (project / "requirements.txt").read_text() == "Django==5.2.19\ndjango-environ==0.14.0\n"


def test_django_dotenv_in_manage_py(startproject):
    assert (DJANGO_DOTENV / "dotenv.py").exists(), "make venv installs django-dotenv into .venv/django-dotenv"
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\ndjango-dotenv==1.4.2\n")
    manage_py = project / "manage.py"
    manage_py.write_text(manage_py.read_text().replace(
        "def main():\n", "import dotenv\n\n\ndef main():\n    dotenv.read_dotenv()\n"))
    env = {"PYTHONPATH": str(DJANGO_DOTENV)}
    summary = keeps_running(project, "mysite.settings", project / ".env", **env)
    fixed = settings.read_text()
    # manage.py's loader names the file (.env beside it) and the package; the settings load it too, for
    # every process that does not start through manage.py (pytest, wsgi, celery).
    assert "from dotenv import read_dotenv\n" in fixed and 'read_dotenv(BASE_DIR / ".env")\n' in fixed
    assert "install it once" not in summary and "Declared" not in summary
    # Through manage.py alone it works as well, and django-dotenv reads what the fix wrote.
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))"],
        cwd=project, env=bare_env("mysite.settings", **env), capture_output=True, text=True, timeout=60)
    assert shell.stdout.splitlines()[-1:] == ["64"], shell.stderr


def test_a_local_helper_that_reads_the_env_file(startproject):
    project, settings = startproject
    helper = (
        "BASE_DIR = Path(__file__).resolve().parent.parent\n\n\n"
        "def read_env_file(path):\n"
        "    \"\"\"KEY=value lines into os.environ, without overriding what is set.\"\"\"\n"
        "    if not path.exists():\n"
        "        return\n"
        "    for line in path.read_text().splitlines():\n"
        "        name, separator, value = line.partition(\"=\")\n"
        "        if separator and not name.startswith(\"#\"):\n"
        "            os.environ.setdefault(name.strip(), value.strip())\n\n\n"
        "read_env_file(BASE_DIR / \".env\")\n"
    )
    text = "import os\n" + settings.read_text().replace("BASE_DIR = Path(__file__).resolve().parent.parent\n", helper)
    settings.write_text(text)
    summary = keeps_running(project, "mysite.settings", project / ".env")
    fixed = settings.read_text()
    assert "load_dotenv" not in fixed and "read_env_file(BASE_DIR / \".env\")\n" in fixed
    assert not (project / "requirements.txt").exists() and "install it once" not in summary


def test_envs_folder_through_dotenv_values(startproject):
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\npython-dotenv==1.2.2\n")
    (project / "envs").mkdir()
    (project / "envs" / ".env").write_text("ALLOWED_HOST=localhost\n")
    text = "from dotenv import dotenv_values\n" + settings.read_text().replace(
        "BASE_DIR = Path(__file__).resolve().parent.parent\n",
        "BASE_DIR = Path(__file__).resolve().parent.parent\nENV = dotenv_values(BASE_DIR / \"envs\" / \".env\")\n",
    ).replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = [ENV.get(\"ALLOWED_HOST\", \"localhost\")]")
    settings.write_text(text)
    keeps_running(project, "mysite.settings", project / "envs" / ".env")
    assert not (project / ".env").exists()  # no second env file
    values = (project / "envs" / ".env").read_text()
    assert values.startswith("ALLOWED_HOST=localhost\n") and re.search(r"^DJANGO_SECRET_KEY=[A-Za-z0-9]{64}$", values, re.M)
    assert 'load_dotenv(BASE_DIR / "envs" / ".env")\n' in settings.read_text()
    assert "/envs/.env" in (project / ".gitignore").read_text().splitlines()


def test_a_moved_value_that_git_holds_is_said_to_need_rotation_at_its_provider(startproject):
    """Issue #19 item 7: the summary of a moved credential agrees with DJS012 of the same run."""
    from test_git_forensics import commit, git

    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\npython-dotenv==1.2.2\n")
    settings.write_text(settings.read_text() + "\nEMAIL_HOST_PASSWORD = 'mail-pass-4242'\nAPI_TOKEN = 'tok-local-99'\n")
    git(project, "init", "-q")
    commit(project, "settings", "2026-01-02")
    settings.write_text(settings.read_text().replace("'tok-local-99'", "'tok-never-committed-77'"))
    output = fix(project, HOME=str(project), GIT_CONFIG_NOSYSTEM="1")
    moved = {line.split()[1]: line for line in output.splitlines() if line.startswith("Moved ")}
    assert "git holds it (commit " in moved["EMAIL_HOST_PASSWORD"] and "rotate it at its provider" in moved["EMAIL_HOST_PASSWORD"]
    assert "git never held it" in moved["API_TOKEN"], output
    assert "if the settings were ever shared" not in output
    assert "mail-pass-4242" not in output and "tok-never-committed-77" not in output
    assert re.search(r"DJS012 .*EMAIL_HOST_PASSWORD", output), output


# Issue #19 gap A: test settings that import a module the fix made require a variable. CI has no .env,
# so after --fix the test settings (and a tiny test suite) must start with nothing exported and no env
# file, through the test-only defaults the fix adds before their import (SPEC "Test settings").

TEST_ONLY_VALUE = "djlint-secrets-test-only-value-not-a-secret-never-use-in-production"

IMPORT_TEST_SETTINGS = """
import django
from django.conf import settings
django.setup()
print("KEY", settings.SECRET_KEY)
print("ENGINE", settings.DATABASES["default"]["ENGINE"])
"""

SQLITE_IN_MEMORY = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}\n'

CONFTEST = """import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")
django.setup()
"""

PYTEST_SUITE = f"""from django.conf import settings


def test_the_suite_runs_on_the_test_settings():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.SECRET_KEY == "{TEST_ONLY_VALUE}"
"""


def diff_lists_the_test_settings(project, test_settings, *expected):
    """`--diff` shows the lines the test settings would get, and writes nothing."""
    before = files(project)
    tool_env = {"PATH": f"{VENV / 'bin'}:/usr/bin:/bin", "VIRTUAL_ENV": str(VENV)}
    shown = run_tool("check", "--diff", "--color", "never", ".", cwd=project, env=tool_env).stdout.decode()
    relative = test_settings.relative_to(project)
    assert f"+++ ./{relative}" in shown, shown
    for line in expected:
        assert f"+{line}\n" in shown, (line, shown)
    assert files(project) == before
    return shown


def suite_starts_without_the_env_file(project, test_module, suite, **env):
    """With nothing exported and no env file: the test settings import, their key is the test-only value,
    and the project's test suite starts and passes."""
    env_file = project / ".env"
    env_file.rename(project / "env.moved")
    try:
        imported = subprocess.run(
            [sys.executable, "-c", IMPORT_TEST_SETTINGS], cwd=project, env=bare_env(test_module, **env),
            capture_output=True, text=True, timeout=60)
        assert imported.returncode == 0, imported.stderr
        assert f"KEY {TEST_ONLY_VALUE}" in imported.stdout and "ENGINE django.db.backends.sqlite3" in imported.stdout
        ran = subprocess.run(suite, cwd=project, env=bare_env(**env), capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        return ran.stdout + ran.stderr
    finally:
        (project / "env.moved").rename(env_file)


def make_tests_package_on_the_settings(project, suite_check):
    """tests/settings.py star-importing mysite.settings with sqlite, selected by conftest.py, and a pytest
    suite ending in `suite_check`. Returns the test settings' path and text."""
    tests = project / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    test_settings = tests / "settings.py"
    original = "from mysite.settings import *  # noqa: F403\n\n" + SQLITE_IN_MEMORY
    test_settings.write_text(original)
    (tests / "test_suite.py").write_text(PYTEST_SUITE + suite_check)
    (project / "conftest.py").write_text(CONFTEST.format(module="tests.settings"))
    return test_settings, original


def no_findings(project, path):
    result = run_tool("check", "--color", "never", path, cwd=project)
    assert result.returncode == 0, result.stdout.decode()


def test_split_settings_whose_test_module_star_imports_base(startproject):
    """settings/base.py (os style, the startproject key) and settings/test.py doing `from .base import *`
    with sqlite, selected by pytest.ini and conftest.py."""
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\n")
    package = project / "mysite" / "settings"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(settings.read_text().replace(".resolve().parent.parent", ".resolve().parent.parent.parent"))
    settings.unlink()
    test_settings = package / "test.py"
    original = '"""Settings for the test suite."""\n\nfrom .base import *  # noqa: F403\n\n' + SQLITE_IN_MEMORY
    test_settings.write_text(original)
    manage_py = project / "manage.py"
    manage_py.write_text(manage_py.read_text().replace("'mysite.settings'", "'mysite.settings.base'"))
    (project / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings.test\n")
    (project / "conftest.py").write_text(CONFTEST.format(module="mysite.settings.test"))
    (project / "tests").mkdir()
    (project / "tests" / "__init__.py").write_text("")
    (project / "tests" / "test_suite.py").write_text(PYTEST_SUITE)

    diff_lists_the_test_settings(
        project, test_settings, "import os", f'os.environ.setdefault("DJANGO_SECRET_KEY", "{TEST_ONLY_VALUE}")')
    summary = keeps_running(project, "mysite.settings.base", project / ".env")
    assert f"Added test-only defaults for DJANGO_SECRET_KEY, DJANGO_DEBUG to {test_settings} so the test suite starts without .env" in summary
    # Lines added before the import, none changed; startproject's `DEBUG = True` is off when unset now, and
    # the test settings keep it on.
    assert test_settings.read_text() == original.replace(
        "from .base import *", "# Test-only defaults, so that the test suite runs without .env (values CI sets win):\n"
        f'import os\nos.environ.setdefault("DJANGO_SECRET_KEY", "{TEST_ONLY_VALUE}")\n'
        'os.environ.setdefault("DJANGO_DEBUG", "True")\nfrom .base import *')
    no_findings(project, "mysite/settings/test.py")
    output = suite_starts_without_the_env_file(
        project, "mysite.settings.test", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
    assert "1 passed" in output

    # Run locally with .env present, the tests still take the test-only key (load_dotenv does not override).
    local = subprocess.run(
        [sys.executable, "-c", IMPORT_TEST_SETTINGS], cwd=project, env=bare_env("mysite.settings.test"),
        capture_output=True, text=True, timeout=60)
    assert f"KEY {TEST_ONLY_VALUE}" in local.stdout, local.stderr
    # CI's own value wins over the default.
    exported = subprocess.run(
        [sys.executable, "-c", IMPORT_TEST_SETTINGS], cwd=project,
        env=bare_env("mysite.settings.test", DJANGO_SECRET_KEY="ci-" + "k" * 60), capture_output=True, text=True, timeout=60)
    assert "KEY ci-" in exported.stdout, exported.stderr


def test_flat_settings_with_a_test_settings_module_beside_them(startproject):
    """mysite/settings.py and mysite/test_settings.py doing `from mysite.settings import *`; a weak
    development password keeps its value in the test settings, masked in --diff. An app-style
    `mysite/tests.py` beside them imports no settings module and is left alone."""
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\npython-dotenv==1.2.2\n")
    settings.write_text(settings.read_text() + "\nEMAIL_HOST_PASSWORD = 'mailpass'\n")
    test_settings = project / "mysite" / "test_settings.py"
    original = "from mysite.settings import *  # noqa: F403\n\n" + SQLITE_IN_MEMORY
    test_settings.write_text(original)
    tests_module = project / "mysite" / "tests.py"
    tests_module.write_text(
        "from django.conf import settings\nfrom django.test import SimpleTestCase\n\n\n"
        "class SuiteTests(SimpleTestCase):\n"
        "    def test_runs_on_the_test_settings(self):\n"
        f'        self.assertEqual(settings.SECRET_KEY, "{TEST_ONLY_VALUE}")\n'
        '        self.assertEqual(settings.EMAIL_HOST_PASSWORD, "mailpass")\n')
    tests_before = tests_module.read_bytes()

    shown = diff_lists_the_test_settings(
        project, test_settings, f'os.environ.setdefault("DJANGO_SECRET_KEY", "{TEST_ONLY_VALUE}")')
    assert "mailpass" not in shown
    assert "+os.environ.setdefault(\"DJANGO_EMAIL_HOST_PASSWORD\", 'ma…' (8 chars))\n" in shown, shown
    summary = keeps_running(project, "mysite.settings", project / ".env")
    assert "mailpass" not in summary
    assert "DJANGO_EMAIL_HOST_PASSWORD keeps the old development value there" in summary, summary
    fixed = test_settings.read_text()
    assert fixed.endswith(original)
    assert 'os.environ.setdefault("DJANGO_EMAIL_HOST_PASSWORD", "mailpass")\nfrom mysite.settings import *' in fixed
    assert tests_module.read_bytes() == tests_before
    no_findings(project, "mysite/test_settings.py")
    output = suite_starts_without_the_env_file(
        project, "mysite.test_settings", [sys.executable, "manage.py", "test", "--settings=mysite.test_settings"])
    assert "Ran 1 test" in output


def test_django_environ_settings_and_tests_settings_selected_by_conftest(startproject):
    """django-environ style: `env("DJANGO_SECRET_KEY", default=...)` and a generated-looking token;
    `tests/settings.py` does `from mysite.settings import *` and `conftest.py` selects it. The token is
    never copied: the test settings get a placeholder."""
    project, settings = startproject
    (project / "requirements.txt").write_text("Django==5.2.19\ndjango-environ==0.14.0\n")
    token = "gH7kP2mQ9xR4tV8wZ1bN5cL3dF6jS0aE"
    text = settings.read_text()
    key_line = next(line for line in text.splitlines() if line.startswith("SECRET_KEY = "))
    text = text.replace("from pathlib import Path\n", "from pathlib import Path\n\nimport environ\n\nenv = environ.Env()\n")
    text = text.replace(key_line, 'SECRET_KEY = env("DJANGO_SECRET_KEY", default=' + key_line.split(" = ", 1)[1] + ")")
    settings.write_text(text + f'\nAPI_TOKEN = "{token}"\n')
    test_settings, original = make_tests_package_on_the_settings(
        project, '    assert settings.API_TOKEN.startswith("djlint-secrets-test-only")\n')

    shown = diff_lists_the_test_settings(project, test_settings, f'os.environ.setdefault("DJANGO_API_TOKEN", "{TEST_ONLY_VALUE}")')
    assert token not in shown
    summary = keeps_running(project, "mysite.settings", project / ".env")
    assert token not in summary and token not in test_settings.read_text()
    assert "DJANGO_API_TOKEN gets a placeholder, not the value (it looks generated)" in summary, summary
    assert 'env("DJANGO_SECRET_KEY")' in settings.read_text()
    no_findings(project, "tests/settings.py")
    output = suite_starts_without_the_env_file(
        project, "tests.settings", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
    assert "1 passed" in output


# The gap seen on saleor: a DEBUG read whose default means on, and settings that require more when DEBUG is
# off (`ALLOWED_CLIENT_HOSTS must be set when DEBUG=False`). The fix makes DEBUG off when unset; the test
# settings that import those settings get the variable set to "True" before the import, which the read the
# fix writes (each style) parses as on, so the test suite runs as it did, while production without the
# variable is DEBUG off.

DEBUG_READS = {
    "os": ("python-dotenv==1.2.2", "", 'DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"'),
    "environ": ("django-environ==0.14.0", "import environ\n\nenv = environ.Env()\n", 'DEBUG = env.bool("DJANGO_DEBUG", default=True)'),
    "decouple": ("python-decouple==3.8", "from decouple import config\n", 'DEBUG = config("DJANGO_DEBUG", default=True, cast=bool)'),
}

REQUIRE_HOSTS_WHEN_NOT_DEBUG = """
if not DEBUG:
    ALLOWED_HOSTS = [host for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if host]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DEBUG=False")
"""

PRINT_DEBUG = """
import django
from django.conf import settings
django.setup()
print("DEBUG", settings.DEBUG, settings.ALLOWED_HOSTS)
"""


@pytest.mark.parametrize("style", sorted(DEBUG_READS))
def test_a_debug_default_turned_off_keeps_the_test_suite_on_debug(startproject, style):
    """settings.py reads DEBUG with a default that means on and raises when DEBUG is off without
    DJANGO_ALLOWED_HOSTS; tests/settings.py star-imports it (pytest.ini and conftest.py select it)."""
    project, settings = startproject
    requirement, header, read = DEBUG_READS[style]
    (project / "requirements.txt").write_text(f"Django==5.2.19\n{requirement}\n")
    text = settings.read_text()
    text = text.replace(
        "from pathlib import Path\n",
        "import os\nfrom pathlib import Path\n\nfrom django.core.exceptions import ImproperlyConfigured\n" + header)
    assert "DEBUG = True\n" in text and "ALLOWED_HOSTS = []\n" in text
    text = text.replace("DEBUG = True\n", read + "\n").replace("ALLOWED_HOSTS = []\n", "ALLOWED_HOSTS = []\n" + REQUIRE_HOSTS_WHEN_NOT_DEBUG)
    settings.write_text(text)
    test_settings, original = make_tests_package_on_the_settings(project, "    assert settings.DEBUG is True\n")
    (project / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\n")

    diff_lists_the_test_settings(
        project, test_settings, 'os.environ.setdefault("DJANGO_DEBUG", "True")',
        f'os.environ.setdefault("DJANGO_SECRET_KEY", "{TEST_ONLY_VALUE}")')
    summary = keeps_running(project, "mysite.settings", project / ".env")
    assert 'DJANGO_DEBUG is "True" there: DEBUG is off when unset now' in summary, summary
    assert read not in settings.read_text()
    fixed = test_settings.read_text()
    assert fixed.endswith(original)
    assert 'os.environ.setdefault("DJANGO_DEBUG", "True")\nfrom mysite.settings import *' in fixed, fixed
    no_findings(project, "tests/settings.py")
    output = suite_starts_without_the_env_file(
        project, "tests.settings", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
    assert "1 passed" in output

    # Production, with no env file and no DJANGO_DEBUG: DEBUG is off, and the settings' own check runs.
    env_file = project / ".env"
    env_file.rename(project / "env.moved")
    try:
        key = {"DJANGO_SECRET_KEY": "k" * 10 + "production-key-long-enough-for-django-checks-0123456789"}
        production = subprocess.run(
            [sys.executable, "-c", PRINT_DEBUG], cwd=project,
            env=bare_env("mysite.settings", DJANGO_ALLOWED_HOSTS="example.com", **key),
            capture_output=True, text=True, timeout=60)
        assert production.returncode == 0, production.stderr
        assert "DEBUG False ['example.com']" in production.stdout
        closed = subprocess.run(
            [sys.executable, "-c", PRINT_DEBUG], cwd=project, env=bare_env("mysite.settings", **key),
            capture_output=True, text=True, timeout=60)
        assert closed.returncode != 0 and "DJANGO_ALLOWED_HOSTS must be set when DEBUG=False" in closed.stderr
        # CI that sets the variable keeps its value: setdefault leaves it.
        ci = subprocess.run(
            [sys.executable, "-c", PRINT_DEBUG], cwd=project,
            env=bare_env("tests.settings", DJANGO_DEBUG="False", DJANGO_ALLOWED_HOSTS="ci.example", **key),
            capture_output=True, text=True, timeout=60)
        assert ci.returncode == 0 and "DEBUG False ['ci.example']" in ci.stdout, ci.stderr
    finally:
        (project / "env.moved").rename(env_file)
