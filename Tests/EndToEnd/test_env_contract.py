"""End to end for `djlint-secrets env`: the contract of the split-settings project is exactly what
`manage.py check` needs, and `env --check` is a deploy preflight in a container-like run (`env -i`):
a clean environment plus --env-file passes; a missing required variable, a django-insecure- key or
DEBUG left on fail, naming the variable and never printing a value."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dotenv import dotenv_values

from conftest import BIN, run_tool

PROJECT = Path(__file__).parent / "projects" / "split_site"


def contained(*arguments, cwd):
    """The tool in an empty environment, as a container starts it."""
    return subprocess.run(["env", "-i", BIN, *arguments], cwd=cwd, capture_output=True, text=True, timeout=60)


def manage_check(project, variables):
    return subprocess.run(
        ["env", "-i", f"PATH={os.environ['PATH']}", *[f"{k}={v}" for k, v in variables.items()],
         sys.executable, "manage.py", "check"], cwd=project, capture_output=True, text=True, timeout=120,
    )


def test_json_contract_of_split_settings_is_what_manage_check_needs(tmp_path):
    project = tmp_path / "split_site"
    shutil.copytree(PROJECT, project)
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    values = dotenv_values(project / ".env")
    # Out of read_env's reach: the variables come only from the environment given below.
    (project / ".env").rename(project / "production.env")

    result = run_tool("env", "--format", "json", ".", cwd=project, check_status=0)
    contract = json.loads(result.stdout)
    assert contract["settings_module"] == "conf.settings.production"
    assert [Path(m).name for m in contract["modules"]] == ["base.py", "common.py", "production.py"]
    variables = {v["name"]: v for v in contract["variables"]}
    # Exactly the variables the fixed settings read: the ones --fix stored, nothing else.
    assert set(variables) == set(values) == {"SECRET_KEY", "DEBUG", "EMAIL_HOST_PASSWORD"}
    assert variables["SECRET_KEY"]["required"] and variables["SECRET_KEY"]["secret"]
    assert variables["EMAIL_HOST_PASSWORD"]["required"] and variables["EMAIL_HOST_PASSWORD"]["secret"]
    assert variables["DEBUG"] == {
        "name": "DEBUG", "secret": False, "required": False, "type": "bool",
        "uses": [{"setting": "DEBUG", "path": "conf/settings/production.py", "line": 5, "type": "bool",
                  "required": False, "default": "False"}],
    }
    for value in values.values():
        assert value not in result.stdout.decode()

    required = {name: values[name] for name, v in variables.items() if v["required"]}
    ok = manage_check(project, required)
    assert ok.returncode == 0, ok.stderr
    for name in required:
        missing = manage_check(project, {k: v for k, v in required.items() if k != name})
        assert missing.returncode != 0 and name in missing.stderr


def test_check_is_a_container_preflight(startproject):
    project, _ = startproject
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    values = dotenv_values(project / ".env")
    production = {k: v for k, v in values.items() if k != "DJANGO_DEBUG"}
    env_file = project / "production.env"

    def preflight(variables):
        env_file.write_text("".join(f"{k}={v}\n" for k, v in variables.items()))
        result = contained("env", "--check", "--env-file", "production.env", ".", cwd=project)
        for value in variables.values():
            if len(value) >= 8:
                assert value not in result.stdout + result.stderr
        return result

    passed = preflight(production)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    missing = preflight({k: v for k, v in production.items() if k != "DJANGO_SECRET_KEY"})
    assert missing.returncode == 1 and "DJANGO_SECRET_KEY is required" in missing.stdout

    empty = preflight({**production, "DJANGO_SECRET_KEY": ""})
    assert empty.returncode == 1 and "DJANGO_SECRET_KEY" in empty.stdout and "empty" in empty.stdout

    insecure = preflight({**production, "DJANGO_SECRET_KEY": "django-insecure-" + "k3y!x7@q#z9w2v5n8m1b4c6d3f0g" * 2})
    assert insecure.returncode == 1 and "django-insecure-" in insecure.stdout

    weak = preflight({**production, "DJANGO_SECRET_KEY": "short-key"})
    assert weak.returncode == 1 and "weak" in weak.stdout

    debug = preflight({**production, "DJANGO_DEBUG": "True"})
    assert debug.returncode == 1 and "DEBUG would be on" in debug.stdout

    # The process environment counts too, and wins over the file as python-dotenv's load_dotenv does.
    env_file.write_text("".join(f"{k}={v}\n" for k, v in production.items()))
    overridden = subprocess.run(
        ["env", "-i", "DJANGO_DEBUG=1", BIN, "env", "--check", "--env-file", "production.env", "."],
        cwd=project, capture_output=True, text=True, timeout=60)
    assert overridden.returncode == 1 and "DEBUG would be on" in overridden.stdout


def test_dotenv_format_is_an_example_file_without_values(startproject):
    project, _ = startproject
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    result = run_tool("env", "--format", "dotenv", ".", cwd=project, check_status=0)
    example = project / "example.env"
    example.write_bytes(result.stdout)
    parsed = dotenv_values(example)
    assert parsed == {"DJANGO_SECRET_KEY": ""}  # DEBUG's default is commented out
    text = result.stdout.decode()
    assert "# DJANGO_DEBUG=False" in text and "generate-key" in text
    assert dotenv_values(project / ".env")["DJANGO_SECRET_KEY"] not in text
