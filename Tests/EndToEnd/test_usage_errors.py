"""Usage errors exit 2 with the message on stderr (SPEC "Command line"), whichever reader takes the
command line, and nothing is read or written; CI scripts test for that status."""
import pytest

from conftest import run_tool

SETTINGS = 'SECRET_KEY = "django-insecure-abcdefghijklmnopqrstuvwxyz0123456789abcdefghijkl"\n'

USAGE_ERRORS = [
    (["check", "--no-such-option", "."], "--no-such-option"),
    (["--no-such-option", "."], "--no-such-option"),
    (["check", "--format"], "--format"),
    (["check", "--stdin-filename"], "--stdin-filename"),
    (["check", "--format", "xml", "."], "xml"),
    (["check", "--format=xml", "."], "xml"),
    (["check", "--color", "sometimes", "."], "sometimes"),
    (["check", "--fix", "--rotate", "--keep-key", "."], "--keep-key"),
    (["frobnicate"], "frobnicate"),
    (["chek", "--fix", "."], "chek"),
    (["check", "--select", "DJS999", "."], "DJS999"),
    (["rule", "DJS999"], "DJS999"),
    (["rule", "--no-such-option"], "--no-such-option"),
]


@pytest.mark.parametrize("arguments,named", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_error_exits_two_with_the_message_on_stderr(tmp_path, arguments, named):
    settings = tmp_path / "settings.py"
    settings.write_text(SETTINGS)
    result = run_tool(*arguments, cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == b""
    assert named in result.stderr.decode(), result.stderr
    assert settings.read_text() == SETTINGS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.py"]


def test_a_first_word_that_names_a_folder_is_still_a_path(tmp_path):
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite" / "settings.py").write_text(SETTINGS)
    result = run_tool("mysite", cwd=tmp_path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert b"DJS002" in result.stdout


@pytest.mark.parametrize("arguments", [["--help"], ["check", "--help"], ["--version"], ["help"]])
def test_help_and_version_exit_zero_on_stdout(tmp_path, arguments):
    result = run_tool(*arguments, cwd=tmp_path)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert result.stdout and result.stderr == b""
