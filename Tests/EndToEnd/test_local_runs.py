"""SPEC "Fixes", local runs keep working: right after `--fix`, with nothing exported by hand,
`manage.py check` passes because the settings load the `.env` the fix wrote; once `.env` is moved
away the settings fail closed. A second `--fix` changes nothing."""
import re

import pytest

from conftest import clean_env, manage, run_tool


def files(project):
    return {path: path.read_bytes() for path in sorted(project.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}


def fix_then_check(project, settings, missing_variable_message):
    result = run_tool("check", "--fix", "--color", "never", ".", cwd=project, check_status=0)
    env = clean_env()
    checked = manage(project, "check", env=env)
    assert checked.returncode == 0, (settings.read_text(), checked.stderr)

    before = files(project)
    again = run_tool("check", "--fix", "--color", "never", ".", cwd=project, check_status=0)
    assert files(project) == before
    assert b"Fixed" not in again.stdout

    (project / ".env").rename(project / "env.moved")
    failed = manage(project, "check", env=env)
    assert failed.returncode != 0
    assert missing_variable_message in failed.stderr, failed.stderr
    return result


def test_django_environ_settings_get_read_env(startproject):
    project, settings = startproject
    text = settings.read_text()
    text = "import environ\n" + text.replace(
        "BASE_DIR = Path(__file__).resolve().parent.parent\n",
        "BASE_DIR = Path(__file__).resolve().parent.parent\nenv = environ.Env(DEBUG=(bool, False))\n",
    )
    settings.write_text(text)

    fix_then_check(project, settings, "Set the DJANGO_SECRET_KEY environment variable")
    fixed = settings.read_text()
    assert 'env = environ.Env(DEBUG=(bool, False))\nenviron.Env.read_env(BASE_DIR / ".env")\n' in fixed
    assert 'SECRET_KEY = env("DJANGO_SECRET_KEY")' in fixed


def test_os_settings_of_a_project_that_declares_python_dotenv_get_load_dotenv(startproject):
    project, settings = startproject
    (project / "requirements.txt").write_text("Django>=5.2\npython-dotenv==1.2.2\n")

    fix_then_check(project, settings, "DJANGO_SECRET_KEY")
    fixed = settings.read_text()
    assert fixed.startswith('"""') and "\nimport os\nfrom dotenv import load_dotenv\n" in fixed
    assert 'BASE_DIR = Path(__file__).resolve().parent.parent\nload_dotenv(BASE_DIR / ".env")\n' in fixed
    assert 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]' in fixed


def test_a_fallback_removed_from_the_codes_own_read_also_gets_read_env(startproject):
    """DJS004 and DJS013 keep the code's own reader (`env(N)`, `env.db(N)`) and drop its default: the value
    then lives only in .env, so the Env that never read a file must learn to, as for a new read."""
    project, settings = startproject
    text = settings.read_text()
    key = re.search(r"SECRET_KEY = '([^']+)'", text).group(1)
    text = "import environ\n" + text.replace(
        "BASE_DIR = Path(__file__).resolve().parent.parent\n",
        "BASE_DIR = Path(__file__).resolve().parent.parent\nenv = environ.Env()\n",
    ).replace(f"SECRET_KEY = '{key}'", "SECRET_KEY = env('SECRET_KEY')").replace("DEBUG = True", "DEBUG = False")
    text = re.sub(r"DATABASES = \{.*?\n\}\n", "DATABASES = {'default': env.db('DATABASE_URL', "
                  "default='sqlite:////tmp/ignored.sqlite3')}\nEMAIL_URL = env('EMAIL_URL', "
                  "default='smtp://mailer:m4il-pa55@smtp.example.com:587')\n", text, flags=re.S)
    settings.write_text(text)
    (project / ".env").write_text("SECRET_KEY=" + "k" * 20 + "Q7x9Lm2Vb8Nc4Zr6Tp0Wy3Hd5Jf1Gs" + "a" * 14 + "\nDATABASE_URL=sqlite:////tmp/db.sqlite3\n")

    fix_then_check(project, settings, "Set the SECRET_KEY environment variable")
    fixed = settings.read_text()
    assert 'env = environ.Env()\nenviron.Env.read_env(BASE_DIR / ".env")\n' in fixed
    assert "EMAIL_URL = env(\"EMAIL_URL\")" in fixed and "m4il-pa55" not in fixed


@pytest.mark.parametrize("package", ["mysite", "config"])
def test_a_loader_after_the_env_instance_is_kept_when_its_debug_default_is_fixed(startproject, package):
    """A settings helper module makes `environ.Env(DEBUG=(bool, True))`, then loads `.env`, then reads it
    (a shape seen in a real project): the DEBUG default fix edits the instance's statement, which reads
    nothing, so the loader already there runs before the first read and no second one is added. In a
    `config` package the helper is a settings module by its path and its class a settings class."""
    project, settings = startproject
    if package != "mysite":
        (project / "mysite").rename(project / package)
        settings = project / package / "settings.py"
        for path in [project / "manage.py", *(project / package).glob("*.py")]:
            path.write_text(path.read_text().replace("mysite.", package + "."))
    (project / package / "env.py").write_text(
        "from pathlib import Path\n"
        "import environ\n"
        "\n"
        "BASE_DIR = Path(__file__).resolve().parent.parent\n"
        "env = environ.Env(DEBUG=(bool, True))\n"
        'environ.Env.read_env(BASE_DIR / ".env")\n'
        "\n"
        "\n"
        "class Env:\n"
        '    SECRET_KEY = env.str("SECRET_KEY")\n'
        '    DEBUG = env.bool("DEBUG")\n'
    )
    text = settings.read_text()
    key = re.search(r"SECRET_KEY = '([^']+)'", text).group(1)
    text = text.replace("from pathlib import Path\n", "from pathlib import Path\n\nfrom .env import Env\n")
    text = text.replace(f"SECRET_KEY = '{key}'", "SECRET_KEY = Env.SECRET_KEY").replace("DEBUG = True", "DEBUG = Env.DEBUG")
    settings.write_text(text)
    (project / ".env").write_text("SECRET_KEY=" + "k" * 20 + "Q7x9Lm2Vb8Nc4Zr6Tp0Wy3Hd5Jf1Gs" + "a" * 14 + "\nDEBUG=True\n")

    fix_then_check(project, settings, "Set the SECRET_KEY environment variable")
    helper = (project / package / "env.py").read_text()
    assert "env = environ.Env(DEBUG=(bool, False))\n" in helper
    assert helper.count("read_env") == 1, helper


def test_secrets_deleted_from_a_ci_branch_and_a_shared_line_leave_settings_that_import(startproject):
    """A fix that deletes `os.environ.setdefault(...)` (its value moves to .env) must leave Python that runs:
    an `else:` it empties keeps `pass` (tree-sitter reads an empty block without error, Python does not), and
    a statement sharing its line with others goes alone, so their own fixes apply in the same run."""
    project, settings = startproject
    (project / "requirements.txt").write_text("Django>=5.2\npython-dotenv==1.2.2\n")
    settings.write_text(settings.read_text() + (
        '\nIS_CI = "CI" in os.environ\n'
        "if IS_CI:\n    pass\nelse:\n"
        '    os.environ.setdefault("EMAIL_HOST_PASSWORD", "hunter2-real-password")\n'
        'if IS_CI: pass\nelse: os.environ.setdefault("DJANGO_SMTP_PASSWORD", "smtp-secret-4567")\n'
        'MAIL_PASSWORD = "mail-secret-8910"; os.environ.setdefault("DJANGO_API_PASSWORD", "api-secret-1112")\n'
    ).replace("from pathlib import Path\n", "import os\nfrom pathlib import Path\n", 1))

    result = fix_then_check(project, settings, "DJANGO_SECRET_KEY")
    assert b"remaining" not in result.stdout or b"none remaining" in result.stdout, result.stdout
    fixed = settings.read_text()
    assert "else:\n    pass\n" in fixed and "else: pass\n" in fixed, fixed
    assert 'MAIL_PASSWORD = os.environ["DJANGO_MAIL_PASSWORD"]' in fixed, fixed
    assert "setdefault" not in fixed
    env = (project / "env.moved").read_text()
    for line in ("EMAIL_HOST_PASSWORD=hunter2-real-password", "DJANGO_SMTP_PASSWORD=smtp-secret-4567",
                 "DJANGO_MAIL_PASSWORD=mail-secret-8910", "DJANGO_API_PASSWORD=api-secret-1112"):
        assert line in env.splitlines(), env
