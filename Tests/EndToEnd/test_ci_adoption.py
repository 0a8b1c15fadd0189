"""Adoption in CI (issue #22): -q, the GitLab Code Quality report, --output-file and --add-noqa, on real
startproject settings and the end-to-end projects."""
import ast
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, run_tool

HERE = Path(__file__).resolve().parent
PROJECTS = HERE / "projects"
GITLAB_SCHEMA = json.loads((HERE / "schemas" / "gitlab-code-quality.schema.json").read_text())
FORMATS = ["text", "json", "sarif", "github", "gitlab"]


def copy_project(name, tmp_path):
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target)
    return target


def python_files(folder):
    return {path: path.read_bytes() for path in sorted(folder.rglob("*.py"))}


def startproject_key(settings):
    return re.search(r"SECRET_KEY = '([^']+)'", settings.read_text()).group(1)


# --- -q ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", [["-q"], ["check", "-q"]])
def test_q_is_quiet(startproject, spelling):
    project, _ = startproject
    quiet = run_tool("check", "--quiet", "--color", "never", ".", cwd=project, check_status=1)
    short = run_tool(*spelling, "--color", "never", ".", cwd=project, check_status=1)
    assert short.stdout == quiet.stdout and b"DJS002" in short.stdout
    assert b"Found" not in short.stdout


# --- GitLab Code Quality ----------------------------------------------------------------------------

SECRETS_SITE = '''SECRET_KEY = "Vx7Qp2LmZr9Tk4Ws8Yb3Nc6Hd1Jf5Gq0Aa"
DEBUG = True
DATABASES = {
    "default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "first-Pass#word-1"},
    "replica": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "second-Pass#word-2"},
}
EMAIL_HOST_PASSWORD = "mail pass 42"
'''
SECRETS = ["Vx7Qp2LmZr9Tk4Ws8Yb3Nc6Hd1Jf5Gq0Aa", "first-Pass#word-1", "second-Pass#word-2", "mail pass 42"]


def gitlab_report(project, *paths):
    result = run_tool("check", "--format", "gitlab", *(paths or (".",)), cwd=project, check_status=1)
    report = json.loads(result.stdout)
    jsonschema.validate(report, GITLAB_SCHEMA)
    return report, result


def test_gitlab_report_validates_and_has_unique_fingerprints_and_no_secret(tmp_path):
    (tmp_path / "settings.py").write_text(SECRETS_SITE)
    report, result = gitlab_report(tmp_path)
    codes = sorted(issue["check_name"] for issue in report)
    assert codes.count("DJS008") >= 3, codes  # both passwords of DATABASES and the mail password
    fingerprints = [issue["fingerprint"] for issue in report]
    assert len(set(fingerprints)) == len(fingerprints)
    assert {issue["location"]["path"] for issue in report} == {"settings.py"}
    output = result.stdout.decode() + result.stderr.decode()
    for secret in SECRETS:
        assert secret not in output


def test_gitlab_fingerprints_stay_when_lines_move_above_and_differ_per_project_file(tmp_path):
    (tmp_path / "settings.py").write_text(SECRETS_SITE)
    before, _ = gitlab_report(tmp_path)
    # Unrelated code above every finding, and a line inside the dict between the two passwords.
    moved = '"""Settings."""\nimport os\n\nALLOWED_HOSTS = ["*"]\n\n' + SECRETS_SITE.replace(
        '    "replica"', '    "cache": {"ENGINE": "django.db.backends.dummy"},\n    "replica"')
    (tmp_path / "settings.py").write_text(moved)
    after, _ = gitlab_report(tmp_path)
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert [i["location"]["lines"]["begin"] + 5 for i in before][:2] == [i["location"]["lines"]["begin"] for i in after][:2]
    # The same code in another file is another issue.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "settings.py").write_text(SECRETS_SITE)
    both, _ = gitlab_report(tmp_path)
    assert len({i["fingerprint"] for i in both}) == 2 * len(before)


def test_gitlab_paths_are_relative_to_the_repository(startproject):
    project, settings = startproject
    report, _ = gitlab_report(project, str(settings))
    assert {issue["location"]["path"] for issue in report} == {"mysite/settings.py"}
    assert {issue["severity"] for issue in report} <= {"critical", "major"}


# --- --output-file ----------------------------------------------------------------------------------

@pytest.mark.parametrize("format", FORMATS)
def test_output_file_holds_what_stdout_would_and_the_terminal_the_summary(startproject, format):
    project, settings = startproject
    key = startproject_key(settings)
    # Text: the report is the findings (what --quiet prints); the other formats print only the report.
    plain = run_tool("check", "--format", format, "--color", "never", *(["--quiet"] if format == "text" else []), ".",
                     cwd=project, check_status=1)
    (project / "reports").mkdir()
    to_file = run_tool("check", "--format", format, "--output-file", "reports/djlint-secrets.out", ".",
                       cwd=project, check_status=1)
    written = (project / "reports" / "djlint-secrets.out").read_bytes()
    assert written == plain.stdout and b"DJS002" in written
    assert to_file.stdout == b"Found 2 problems (2 fixable with --fix).\n"
    assert key.encode() not in written + to_file.stdout + to_file.stderr
    assert [p.name for p in (project / "reports").iterdir()] == ["djlint-secrets.out"]


def test_output_file_replaces_an_old_report_and_a_missing_folder_is_a_usage_error(startproject):
    project, _ = startproject
    report = project / "report.json"
    report.write_text("old")
    run_tool("check", "--format", "json", "--output-file", str(report), "--exit-zero", ".", cwd=project, check_status=0)
    assert [finding["code"] for finding in json.loads(report.read_text())] == ["DJS002", "DJS005"]
    missing = run_tool("check", "--output-file", "no/such/folder/report.txt", ".", cwd=project, check_status=2)
    assert b"--output-file" in missing.stderr and missing.stdout == b""


# --- --add-noqa -------------------------------------------------------------------------------------

def assert_only_comments_changed(before, after):
    """Comments are not in Python's syntax tree: equal trees mean no code and no string changed."""
    assert ast.dump(ast.parse(before)) == ast.dump(ast.parse(after))


def add_noqa_and_check_it_holds(project, *paths):
    paths = paths or (".",)
    before = python_files(project)
    added = run_tool("check", "--add-noqa", "--color", "never", *paths, cwd=project, check_status=0)
    after = python_files(project)
    assert b"Added " in added.stdout and after != before
    for path, text in before.items():
        assert_only_comments_changed(text, after[path])
    # Silenced: check passes, a second --add-noqa and a --fix change nothing (no .env written either).
    run_tool("check", "--color", "never", *paths, cwd=project, check_status=0)
    again = run_tool("check", "--add-noqa", *paths, cwd=project, check_status=0)
    assert b"Added no noqa comments." in again.stdout
    run_tool("check", "--fix", *paths, cwd=project, check_status=0)
    assert python_files(project) == after
    assert not (project / ".env").exists()
    return before, after, added


def test_add_noqa_on_startproject_merges_an_existing_list(startproject):
    project, settings = startproject
    text = settings.read_text()
    text = re.sub(r"^(SECRET_KEY = .*)$", r"\1  # noqa: E501", text, flags=re.M)
    settings.write_text(text)
    _, after, added = add_noqa_and_check_it_holds(project)
    lines = after[settings].decode().splitlines()
    assert any(re.fullmatch(r"SECRET_KEY = '[^']+'  # noqa: E501, DJS002", line) for line in lines), lines
    assert "DEBUG = True  # noqa: DJS005" in lines
    assert b"Added 2 noqa codes in 1 file." in added.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir()))
def test_add_noqa_on_the_end_to_end_projects(tmp_path, name):
    project = copy_project(name, tmp_path)
    run_tool("check", ".", cwd=project, check_status=1)
    add_noqa_and_check_it_holds(project)


def test_add_noqa_never_writes_inside_a_string_and_keeps_crlf(tmp_path):
    source = (
        'SECRET_KEY = """Vx7Qp2LmZr9Tk4Ws8Yb3\n'
        'Nc6Hd1Jf5Gq0Aa"""\n'
        "DATABASES = {\n"
        '    "default": {  # primary\n'
        '        "PASSWORD": "first-Pass#word-1",\n'
        "    }\n"
        "}\n"
        'EMAIL_HOST_PASSWORD = \\\n    "mail pass 42"\n'
        'DEBUG = True   \n'
    ).replace("\n", "\r\n")
    (tmp_path / "settings.py").write_bytes(source.encode())
    before, after, _ = add_noqa_and_check_it_holds(tmp_path)
    text = after[tmp_path / "settings.py"]
    assert b"\n" not in text.replace(b"\r\n", b"")
    lines = text.decode().split("\r\n")
    # The string's first line ends inside it: the comment goes where the statement can take one.
    assert lines[0] == 'SECRET_KEY = """Vx7Qp2LmZr9Tk4Ws8Yb3' and lines[1] == 'Nc6Hd1Jf5Gq0Aa"""  # noqa: DJS003', lines
    assert lines[3] == '    "default": {  # primary' and lines[2] == "DATABASES = {  # noqa: DJS008"
    assert lines[7] == "EMAIL_HOST_PASSWORD = \\" and lines[8].endswith('"mail pass 42"  # noqa: DJS008')
    assert lines[9] == "DEBUG = True  # noqa: DJS005"


@pytest.mark.parametrize("arguments", [["--fix"], ["--diff"], ["--stdin-filename", "settings.py", "-"]])
def test_add_noqa_with_fix_diff_or_stdin_is_a_usage_error(tmp_path, arguments):
    (tmp_path / "settings.py").write_text("DEBUG = True\n")
    result = run_tool("check", "--add-noqa", *arguments, *([] if "-" in arguments else ["."]), cwd=tmp_path,
                      input=b"DEBUG = True\n", check_status=2)
    assert b"--add-noqa" in result.stderr
    assert (tmp_path / "settings.py").read_text() == "DEBUG = True\n"


def test_add_noqa_also_silences_a_committed_secret_reported_from_history(tmp_path):
    """DJS012 (the value is in git history) is found by the project pass; its noqa joins the statement's."""
    import subprocess
    settings = tmp_path / "settings.py"
    settings.write_text('INSTALLED_APPS = []\nSECRET_KEY = "Qm7Vt2Lp9Xr4Kz8Wn3Bd6Hs1Jf5Gc0Ya2Te7Uq4Ro9Pv3Mx"\n')
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "settings"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *command], cwd=tmp_path, check=True)
    codes = {f["code"] for f in json.loads(run_tool("check", "--format", "json", ".", cwd=tmp_path, check_status=1).stdout)}
    assert "DJS012" in codes, codes
    run_tool("check", "--add-noqa", ".", cwd=tmp_path, check_status=0)
    line = settings.read_text().splitlines()[1]
    assert line.endswith("# noqa: " + ", ".join(sorted(codes))), line
    run_tool("check", ".", cwd=tmp_path, check_status=0)


# --- --diff -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("arguments", [["--diff"], ["--fix", "--diff"], ["--diff", "--fix"]])
def test_diff_writes_nothing_even_with_fix(startproject, arguments):
    """`--diff` is a preview: with `--fix` as well nothing is written, no `.env` and no `.gitignore` (as ruff's
    `--diff`); the key it would store is shown masked."""
    folder, settings = startproject
    key = startproject_key(settings)
    before = sorted(path.relative_to(folder) for path in folder.rglob("*"))
    source = settings.read_bytes()
    shown = run_tool("check", *arguments, "--color", "never", ".", cwd=folder, check_status=1).stdout.decode()
    assert "+++ ./mysite/settings.py" in shown and "+DJANGO_SECRET_KEY=" in shown, shown
    assert key not in shown
    assert settings.read_bytes() == source
    assert sorted(path.relative_to(folder) for path in folder.rglob("*")) == before
