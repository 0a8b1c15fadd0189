"""`djlint-secrets server` driven by a Language Server Protocol client over pipes, as an editor does."""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import BIN, run_tool
from lsp_client import LanguageClient, apply_text_edits, utf16_position

FIX_ALL = "source.fixAll.djlint-secrets"


@pytest.fixture
def client(tmp_path):
    client = LanguageClient([BIN, "server"], cwd=tmp_path)
    yield client
    client.kill()


def uri_of(path):
    return path.resolve().as_uri()


def by_code(diagnostics):
    return {d["code"]: d for d in diagnostics}


def line_of(text, needle):
    return next(number for number, line in enumerate(text.splitlines()) if needle in line)


def open_startproject(client, project, settings):
    client.initialize(uri_of(project))
    text = settings.read_text()
    uri = uri_of(settings)
    return uri, text, client.open(uri, text)


def code_actions(client, uri, diagnostic=None, only=None):
    version, text = client.documents[uri]
    whole = {"start": {"line": 0, "character": 0}, "end": utf16_position(text, len(text))}
    params = {
        "textDocument": {"uri": uri},
        "range": diagnostic["range"] if diagnostic else whole,
        "context": {"diagnostics": [diagnostic] if diagnostic else [], **({"only": only} if only else {})},
    }
    response = client.request("textDocument/codeAction", params)
    assert "error" not in response, response
    return response["result"]


def execute(client, action):
    command = action["command"]
    return client.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})


def test_startproject_settings_get_diagnostics_and_an_edit_clears_debug(client, startproject):
    project, settings = startproject
    uri, text, diagnostics = open_startproject(client, project, settings)
    found = by_code(diagnostics)
    assert set(found) == {"DJS002", "DJS005"}, diagnostics
    key_line, debug_line = line_of(text, "SECRET_KEY ="), line_of(text, "DEBUG = True")
    assert found["DJS002"]["range"]["start"] == {"line": key_line, "character": 0}
    assert found["DJS005"]["range"]["start"] == {"line": debug_line, "character": 0}
    assert found["DJS005"]["range"]["end"] == {"line": debug_line, "character": len("DEBUG = True")}
    # The same findings as `check` reports for the file: messages, severities, lines.
    cli = json.loads(run_tool("check", "--format", "json", str(settings)).stdout)
    assert [(f["code"], f["message"], f["line"] - 1) for f in cli] == [
        (d["code"], d["message"], d["range"]["start"]["line"]) for d in diagnostics]
    for diagnostic, finding in zip(diagnostics, cli):
        assert diagnostic["source"] == "djlint-secrets"
        assert diagnostic["severity"] == {"error": 1, "warning": 2}[finding["severity"]]
        assert diagnostic["codeDescription"]["href"].endswith("#" + diagnostic["code"].lower())
    key = re.search(r"SECRET_KEY = '([^']+)'", text).group(1)
    assert key not in found["DJS002"]["message"] and key[20:40] not in found["DJS002"]["message"]

    # DEBUG = True → DEBUG = False: one small incremental change.
    start = text.index("DEBUG = True") + len("DEBUG = ")
    after = client.change(uri, start, start + len("True"), "False")
    assert set(by_code(after)) == {"DJS002"}
    assert by_code(after)["DJS002"]["range"] == found["DJS002"]["range"]
    # Asking for actions writes nothing.
    assert code_actions(client, uri)
    assert not (project / ".env").exists() and not (project / ".gitignore").exists()
    response, status = client.shutdown_and_exit()
    assert response["result"] is None and status == 0


def test_quick_fix_moves_the_key_to_env_and_the_buffer_reads_the_environment(client, startproject):
    project, settings = startproject
    on_disk = settings.read_bytes()
    uri, text, diagnostics = open_startproject(client, project, settings)
    old_key = re.search(r"SECRET_KEY = '([^']+)'", text).group(1)
    key_diagnostic = by_code(diagnostics)["DJS002"]
    actions = code_actions(client, uri, key_diagnostic, only=["quickfix"])
    assert [a["kind"] for a in actions] == ["quickfix"], actions
    assert "SECRET_KEY" in actions[0]["title"] and ".env" in actions[0]["title"]
    assert not (project / ".env").exists()

    response = execute(client, actions[0])
    assert "error" not in response, response
    after = client.diagnostics(uri, version=2)
    assert set(by_code(after)) == {"DJS005"}  # only the key was asked for
    buffer = client.documents[uri][1]
    assert 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]' in buffer
    assert "import os\n" in buffer and old_key not in buffer
    env_file = project / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    new_key = values["DJANGO_SECRET_KEY"]
    assert re.fullmatch(r"[A-Za-z0-9]{64}", new_key) and new_key != old_key
    assert ".env" in (project / ".gitignore").read_text().split()
    # The settings file itself belongs to the editor: the server never wrote it.
    assert settings.read_bytes() == on_disk
    # The buffer, saved, runs: Django reads the key from the environment.
    settings.write_text(buffer)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SECRET_KEY"] = new_key
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not any(old_key[:20] in shown["message"] for shown in client.shown)


def test_fix_all_on_another_project(client, tmp_path):
    project = tmp_path / "shop"
    project.mkdir()
    subprocess.run([sys.executable, "-m", "django", "startproject", "shop", str(project)], check=True, capture_output=True)
    settings = project / "shop" / "settings.py"
    with settings.open("a") as handle:
        handle.write("EMAIL_HOST_PASSWORD = 'hunter2-mail-password'\n")
    uri, text, diagnostics = open_startproject(client, project, settings)
    assert set(by_code(diagnostics)) == {"DJS002", "DJS005", "DJS008"}
    actions = code_actions(client, uri, only=[FIX_ALL])
    assert [a["kind"] for a in actions] == [FIX_ALL]
    assert not (project / ".env").exists()
    response = execute(client, actions[0])
    assert "error" not in response, response
    assert client.diagnostics(uri, version=2) == []
    buffer = client.documents[uri][1]
    assert "hunter2" not in buffer and "django-insecure-" not in buffer
    assert 'os.environ["DJANGO_EMAIL_HOST_PASSWORD"]' in buffer
    values = dotenv_values(project / ".env")
    assert values["DJANGO_EMAIL_HOST_PASSWORD"] == "hunter2-mail-password"
    assert values["DJANGO_DEBUG"] == "True"
    assert re.fullmatch(r"[A-Za-z0-9]{64}", values["DJANGO_SECRET_KEY"])
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600
    assert any("DJANGO_SECRET_KEY" in shown["message"] for shown in client.shown)
    assert not any("hunter2-mail" in shown["message"] for shown in client.shown)


def test_a_stale_version_is_refused_and_a_rejected_edit_is_reported(client, startproject):
    project, settings = startproject
    uri, text, diagnostics = open_startproject(client, project, settings)
    actions = code_actions(client, uri, by_code(diagnostics)["DJS002"], only=["quickfix"])
    # The user types before the action runs: the action is for version 1, the buffer is at 2.
    after = client.change(uri, 0, 0, "# edited\n")
    response = execute(client, actions[0])
    assert response["error"]["code"] == -32801
    assert not (project / ".env").exists()

    # The editor refuses the edit: the settings keep the key, .env holds it as well, and the user is told.
    actions = code_actions(client, uri, by_code(after)["DJS002"], only=["quickfix"])
    client.apply_edits = False
    response = execute(client, actions[0])
    assert "error" not in response, response
    assert "django-insecure-" in client.documents[uri][1]
    assert (project / ".env").exists()
    assert any(shown["type"] == 2 and "did not apply" in shown["message"] for shown in client.shown)


def test_ranges_count_utf16_units_after_non_ascii_and_astral_characters(client, tmp_path):
    (tmp_path / "manage.py").write_text("")
    settings = tmp_path / "settings.py"
    prefix = "TITLE = 'Ünïcödé 日本 😀🎉'; "
    text = "# café 😀\n" + prefix + "SECRET_KEY = 'django-insecure-" + "x7Qp" * 10 + "'\nDEBUG = False\n"
    settings.write_text(text)
    client.initialize(uri_of(tmp_path))
    uri = uri_of(settings)
    diagnostics = client.open(uri, text)
    key = by_code(diagnostics)["DJS002"]
    statement = prefix + "SECRET_KEY"
    assert key["range"]["start"] == {"line": 1, "character": len(prefix.encode("utf-16-le")) // 2}
    line = text.splitlines()[1]
    assert key["range"]["end"] == {"line": 1, "character": len(line.encode("utf-16-le")) // 2}
    assert len(prefix.encode("utf-16-le")) // 2 != len(prefix.encode("utf-8")) != len(prefix)
    # The quick fix's edit lands where the client's UTF-16 positions put it.
    actions = code_actions(client, uri, key, only=["quickfix"])
    assert "error" not in execute(client, actions[0])
    assert client.diagnostics(uri, version=2) == []
    # With the loader of the .env the value now lives in (SPEC "Fixes", local runs keep working).
    assert client.documents[uri][1] == (
        "# café 😀\nimport os\nfrom dotenv import load_dotenv\n"
        'load_dotenv(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".env"))\n'
        + prefix + 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\n')


def test_malformed_input_unknown_methods_and_bad_documents_keep_the_server_running(client, tmp_path):
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    error = client.receive(lambda m: "error" in m)
    assert error["id"] is None and error["error"]["code"] == -32700
    assert client.request("textDocument/hover", {})["error"]["code"] == -32002  # not initialized yet
    client.initialize(uri_of(tmp_path))
    assert client.request("djlint/unknown", {})["error"]["code"] == -32601
    client.notify("$/unknownNotification", {"x": 1})
    client.send_raw(b"Content-Length: 2\r\n\r\n[]")
    assert client.receive(lambda m: "error" in m)["error"]["code"] == -32600
    # Syntax errors and a NUL byte: the statements that parse still get their findings.
    text = "def broken(:\n    pass\nDEBUG = True\nx = '\x00'\nAPI_TOKEN = 'tok-1234567890abcdef'\n"
    uri = uri_of(tmp_path / "settings.py")
    found = by_code(client.open(uri, text))
    assert {"DJS005", "DJS008"} <= set(found), found
    assert found["DJS008"]["range"]["start"]["line"] == 4
    response, status = client.shutdown_and_exit()
    assert status == 0
    assert b"tok-1234567890" not in client.stderr


def test_end_of_input_ends_the_server(tmp_path):
    client = LanguageClient([BIN, "server"], cwd=tmp_path)
    try:
        client.initialize()
        client.process.stdin.close()
        assert client.process.wait(timeout=10) == 1  # no shutdown first
    finally:
        client.kill()


def test_split_settings_read_through_the_star_imported_reader(client, tmp_path):
    """production.py reads through `env` bound in base.py (via common.py): the server follows the imports."""
    project = tmp_path / "split"
    shutil.copytree(Path(__file__).parent / "projects" / "split_site", project)
    production = project / "conf" / "settings" / "production.py"
    client.initialize(uri_of(project))
    text = production.read_text()
    uri = uri_of(production)
    diagnostics = client.open(uri, text)
    found = {(d["code"], d["range"]["start"]["line"]) for d in diagnostics}
    assert found == {("DJS004", line_of(text, "SECRET_KEY =")), ("DJS007", line_of(text, "DEBUG =")),
                     ("DJS004", line_of(text, "EMAIL_HOST_PASSWORD ="))}, diagnostics
    # Turning the default off is seen on the change, through the same imported reader.
    start = text.index("default=True") + len("default=")
    after = client.change(uri, start, start + len("True"), "False")
    assert {d["code"] for d in after} == {"DJS004"}, after


def test_a_lone_carriage_return_ends_a_line_for_the_server_as_for_the_client(client, tmp_path):
    """LSP 3.17 ends lines at "\\r\\n", "\\r" and "\\n": after a lone "\\r" at the end of the document the
    client's line 2 starts after it. The server must apply edits there as the client does, or its text drifts
    (it read line 2 as past the end and appended "DEBUG = " after "True\\n")."""
    (tmp_path / "manage.py").write_text("")
    settings = tmp_path / "settings.py"
    text = "ALLOWED_HOSTS = []\n\r"
    settings.write_bytes(text.encode())
    client.initialize(uri_of(tmp_path))
    uri = uri_of(settings)
    assert client.open(uri, text) == []
    client.change(uri, len(text), len(text), "True\n")
    diagnostics = client.change(uri, len(text), len(text), "DEBUG = ")
    assert client.documents[uri][1] == "ALLOWED_HOSTS = []\n\rDEBUG = True\n"
    debug = [d for d in diagnostics if d["range"]["start"]["line"] == 2]
    assert debug and all(d["range"]["start"]["character"] == 0 for d in debug), diagnostics
    # An edit in the middle of the line after the lone return lands where the client puts it.
    diagnostics = client.change(uri, len(text) + len("DEBUG = "), len(text) + len("DEBUG = True"), "False")
    assert client.documents[uri][1] == "ALLOWED_HOSTS = []\n\rDEBUG = False\n"
    assert [d for d in diagnostics if d["range"]["start"]["line"] == 2] == [], diagnostics
