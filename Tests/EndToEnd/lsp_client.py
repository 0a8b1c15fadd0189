"""A small Language Server Protocol client over pipes: frames, requests, notifications, and the
client's side of `workspace/applyEdit`. Positions are UTF-16 code units, applied here independently
of the server's own conversion."""
import json
import queue
import subprocess
import threading
import time


def line_starts(text):
    """Where each line starts: LSP 3.17 ends lines at "\\r\\n", "\\r" and "\\n"."""
    starts = [0]
    index = 0
    while index < len(text):
        if text[index] == "\r" and text[index + 1:index + 2] == "\n":
            index += 1
        if text[index] in "\r\n":
            starts.append(index + 1)
        index += 1
    return starts


def utf16_offset(text, line, character):
    """The index into `text` of an LSP position (UTF-16 code units within the line; past the line's content
    means its end, past the last line the end of the text)."""
    starts = line_starts(text)
    if line >= len(starts):
        return len(text)
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    while end > starts[line] and text[end - 1] in "\r\n":
        end -= 1
    units = 0
    index = starts[line]
    while index < end and units < character:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def utf16_position(text, index):
    starts = line_starts(text)
    line = max(number for number, start in enumerate(starts) if start <= index)
    return {"line": line, "character": len(text[starts[line]:index].encode("utf-16-le")) // 2}


def apply_text_edits(text, edits):
    """Applies edits made against `text` (non-overlapping), from the last to the first."""
    resolved = []
    for edit in edits:
        start = utf16_offset(text, edit["range"]["start"]["line"], edit["range"]["start"]["character"])
        end = utf16_offset(text, edit["range"]["end"]["line"], edit["range"]["end"]["character"])
        resolved.append((start, end, edit["newText"]))
    for start, end, new in sorted(resolved, reverse=True):
        text = text[:start] + new + text[end:]
    return text


class LanguageClient:
    def __init__(self, command, cwd=None, env=None):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env
        )
        self.messages = queue.Queue()
        self.backlog = []
        self.next_id = 1
        self.documents = {}  # uri -> [version, text]
        self.apply_edits = True  # answer workspace/applyEdit by applying (else reject)
        self.shown = []  # window/showMessage params
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # --- wire ---
    def send_raw(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read(self):
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def _read_stderr(self):
        self.stderr = self.process.stderr.read()

    def receive(self, predicate, timeout=20):
        """The next message for which `predicate` holds; server requests met on the way are answered."""
        for index, message in enumerate(self.backlog):
            if predicate(message):
                del self.backlog[index]
                return message
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no matching message from the server")
            message = self.messages.get(timeout=remaining)
            if message is None:
                raise EOFError("the server closed its output")
            self._on_message(message)
            if predicate(message):
                return message
            self.backlog.append(message)  # kept for a later wait (diagnostics may come before a response)

    def _on_message(self, message):
        method = message.get("method")
        if method == "window/showMessage":
            self.shown.append(message["params"])
        if method == "workspace/applyEdit" and "id" in message:
            edit = message["params"]["edit"]
            if self.apply_edits:
                self._apply_workspace_edit(edit)
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": {"applied": True}})
            else:
                self.send({"jsonrpc": "2.0", "id": message["id"],
                           "result": {"applied": False, "failureReason": "rejected by the test"}})

    def _apply_workspace_edit(self, edit):
        changes = {}
        for document_edit in edit.get("documentChanges", []):
            uri = document_edit["textDocument"]["uri"]
            assert document_edit["textDocument"]["version"] == self.documents[uri][0], "edit against another version"
            changes[uri] = document_edit["edits"]
        changes.update(edit.get("changes", {}))
        for uri, edits in changes.items():
            version, text = self.documents[uri]
            # As an editor does: the buffer changes, then the server hears of it as incremental changes.
            content_changes = []
            for text_edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                                    reverse=True):
                content_changes.append({"range": text_edit["range"], "text": text_edit["newText"]})
            new_text = apply_text_edits(text, edits)
            self.documents[uri] = [version + 1, new_text]
            self.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version + 1}, "contentChanges": content_changes})

    # --- protocol ---
    def request(self, method, params=None, timeout=20):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return self.receive(lambda m: m.get("id") == request_id and "method" not in m, timeout=timeout)

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def initialize(self, root_uri=None, document_changes=True):
        response = self.request("initialize", {
            "processId": None,
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "project"}] if root_uri else None,
            "capabilities": {"workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": document_changes}}},
        })
        self.notify("initialized", {})
        return response

    def diagnostics(self, uri, version=None, timeout=20):
        message = self.receive(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            and (version is None or m["params"].get("version") == version), timeout=timeout)
        return message["params"]["diagnostics"]

    def open(self, uri, text, version=1):
        self.documents[uri] = [version, text]
        self.notify("textDocument/didOpen", {
            "textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}})
        return self.diagnostics(uri, version)

    def change(self, uri, start, end, new_text):
        """Replaces the text between two indices of the client's buffer; returns the diagnostics."""
        version, text = self.documents[uri]
        change = {"range": {"start": utf16_position(text, start), "end": utf16_position(text, end)}, "text": new_text}
        self.documents[uri] = [version + 1, text[:start] + new_text + text[end:]]
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version + 1},
                                               "contentChanges": [change]})
        return self.diagnostics(uri, version + 1)

    def shutdown_and_exit(self, timeout=20):
        response = self.request("shutdown")
        self.notify("exit")
        return response, self.process.wait(timeout=timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
