"""The project's example env file is kept in step by --fix and rotate: names only, secrets empty with a
comment, DJANGO_DEBUG=False, merged like .env (what it had stays), never a value."""
from dotenv import dotenv_values

from conftest import run_tool


def test_fix_and_rotate_keep_the_example_in_step(startproject):
    project, _ = startproject
    (project / ".venv").symlink_to(__import__("sys").executable.rsplit("/bin/", 1)[0])
    example = project / ".env.example"
    example.write_text("# Copy to .env and fill in.\nDATABASE_URL=\n")
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    values = dotenv_values(project / ".env")
    text = example.read_text()
    assert text.startswith("# Copy to .env and fill in.\nDATABASE_URL=\n")
    assert dotenv_values(example) == {"DATABASE_URL": "", "DJANGO_SECRET_KEY": "", "DJANGO_DEBUG": "False"}
    assert "generate-key" in text
    for value in values.values():
        if len(value) >= 8:
            assert value not in text

    run_tool("rotate", ".", cwd=project, check_status=0)
    again = example.read_text()
    assert again.startswith(text)
    assert dotenv_values(example)["DJANGO_SECRET_KEY_FALLBACKS"] == ""
    for value in dotenv_values(project / ".env").values():
        for key in value.split(","):
            if len(key) >= 8:
                assert key not in again

    # A second run adds nothing twice.
    run_tool("check", "--fix", ".", cwd=project)
    assert example.read_text() == again


def test_the_configured_example_is_created(startproject):
    project, _ = startproject
    (project / "pyproject.toml").write_text('[tool.djlint-secrets]\nenv-example = "deploy.env.sample"\n')
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    assert dotenv_values(project / "deploy.env.sample") == {"DJANGO_SECRET_KEY": "", "DJANGO_DEBUG": "False"}
    assert not (project / ".env.example").exists()


def test_no_example_file_is_made_unasked(startproject):
    project, _ = startproject
    run_tool("check", "--fix", ".", cwd=project, check_status=0)
    names = {p.name for p in project.iterdir()}
    assert not names & {".env.example", ".env.sample", ".env.template", ".env.dist", "example.env"}
