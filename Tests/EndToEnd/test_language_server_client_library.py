"""`djlint-secrets server` under pytest-lsp: a real client library (pygls, lsprotocol) with Neovim 0.11's
own capabilities, which reads every message of ours into the protocol's types, so a field of the wrong
shape fails here. Neovim resolves a code action's command lazily (`codeAction/resolve`), as this does."""
import re
import stat
import subprocess
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import BIN
from lsp_client import apply_text_edits


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "server"]))
async def client(lsp_client: LanguageClient, request):
    project = request.getfixturevalue("tmp_path")
    lsp_client.applied_edits = []

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        lsp_client.applied_edits.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("neovim@v0.11"),
        root_uri=project.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="project")],
    ))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_vscode_client_sees_diagnostics_and_carries_out_the_quick_fix(client: LanguageClient, tmp_path):
    subprocess.run([sys.executable, "-m", "django", "startproject", "mysite", str(tmp_path)], check=True, capture_output=True)
    settings = tmp_path / "mysite" / "settings.py"
    text = settings.read_text()
    uri = settings.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diagnostics = {d.code: d for d in client.diagnostics[uri]}
    assert set(diagnostics) == {"DJS002", "DJS005"}
    key = diagnostics["DJS002"]
    assert key.source == "djlint-secrets" and key.code_description.href.endswith("#djs002")
    assert text.splitlines()[key.range.start.line].startswith("SECRET_KEY = 'django-insecure-")

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=key.range,
        context=types.CodeActionContext(diagnostics=[key], only=[types.CodeActionKind.QuickFix])))
    assert [action.kind for action in actions] == [types.CodeActionKind.QuickFix]
    assert actions[0].command is None and actions[0].edit is None
    action = await client.code_action_resolve_async(actions[0])
    assert action.command.command == "djlint-secrets.applyFixes"
    assert not (tmp_path / ".env").exists()  # asking and resolving write nothing

    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=action.command.command, arguments=action.command.arguments))
    [edit] = client.applied_edits
    if edit.document_changes:  # versioned, when the client takes them
        [document_edit] = edit.document_changes
        assert document_edit.text_document.version == 1
        text_edits = document_edit.edits
    else:
        text_edits = edit.changes[uri]
    edits = [{"range": {"start": {"line": e.range.start.line, "character": e.range.start.character},
                        "end": {"line": e.range.end.line, "character": e.range.end.character}},
              "newText": e.new_text} for e in text_edits]
    fixed = apply_text_edits(text, edits)
    assert 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]' in fixed and "django-insecure-" not in fixed
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    assert re.search(r"^DJANGO_SECRET_KEY=[A-Za-z0-9]{64}$", (tmp_path / ".env").read_text(), re.M)
