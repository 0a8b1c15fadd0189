#!/usr/bin/env python3
"""Language server latency and memory, djlint-secrets against ruff, side by side in one run.

A 1,000-line settings file is opened in both servers; the same small incremental edits go to each in
turn (interleaved, so load on the machine hits both alike), and each edit is timed from its
`didChange` sent to the `publishDiagnostics` of its version received. Then 1,000 more edits go to
djlint-secrets alone and its peak RSS (VmHWM) is read.

    Benchmarks/language-server.py --server BIN --ruff RUFF [--edits 60] [--memory-edits 1000] [--markdown FILE]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LATENCY_TARGET = 0.5  # djlint-secrets / ruff, median didChange → diagnostics
RSS_TARGET_MIB = 32.0


class Server:
    """A language server over pipes; a blocking reader, since every step waits for one answer."""

    def __init__(self, command, root, initialization_options=None):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=root)
        self.next_id = 1
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            # No `textDocument.diagnostic`: both servers push diagnostics after every change.
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
            "initializationOptions": initialization_options or {},
        })
        self.notify("initialized", {})

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise EOFError("server ended")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == request_id and "method" not in message:
                return message
            self.answer(message)

    def answer(self, message):
        if "id" in message and "method" in message:  # a server request (configuration, registration)
            result = [None] * len(message["params"].get("items", [])) if message["method"] == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and params.get("version") == version:
                    return params["diagnostics"]
            else:
                self.answer(message)

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


def settings_text(lines):
    """A startproject-like settings module grown to `lines` lines with ordinary settings."""
    head = [
        "from pathlib import Path", "", "BASE_DIR = Path(__file__).resolve().parent.parent", "",
        "SECRET_KEY = 'django-insecure-7q#z0v!k3m^8w@f$1x%b2n&4p*5r(6t)9y_h-j+l=s0d1g2c3e'", "",
        "DEBUG = True", "", "ALLOWED_HOSTS = []", "", "INSTALLED_APPS = [",
        "    'django.contrib.admin',", "    'django.contrib.auth',", "]", "",
        "DATABASES = {", "    'default': {", "        'ENGINE': 'django.db.backends.postgresql',",
        "        'NAME': 'shop',", "        'PASSWORD': 'db-password-1234',", "    }", "}", "",
    ]
    body = []
    index = 0
    while len(head) + len(body) < lines:
        body += [f"# Setting group {index}", f"FEATURE_{index}_ENABLED = {index % 2 == 0}",
                 f"FEATURE_{index}_NAME = 'feature-{index}'", f"FEATURE_{index}_LIMITS = {{'rate': {index}, 'burst': {index * 2}}}", ""]
        index += 1
    return "\n".join((head + body)[:lines]) + "\n"


def utf16_position(text, index):
    before = text[:index]
    line = before.count("\n")
    return {"line": line, "character": len(before[before.rfind("\n") + 1:].encode("utf-16-le")) // 2}


def edits(text, count):
    """Small edits as a user makes them: typing into a value, toggling DEBUG; each against the text so far."""
    for number in range(count):
        if number % 4 == 3:
            old, new = ("DEBUG = True", "DEBUG = False") if "DEBUG = True" in text else ("DEBUG = False", "DEBUG = True")
            start = text.index(old) + len("DEBUG = ")
            end, insert = start + len(old) - len("DEBUG = "), new[len("DEBUG = "):]
        else:
            group = (number * 37) % 180
            needle = f"FEATURE_{group}_NAME = 'feature-{group}"
            start = text.index(needle) + len(needle)
            end, insert = start, "x"
        change = {"range": {"start": utf16_position(text, start), "end": utf16_position(text, end)}, "text": insert}
        text = text[:start] + insert + text[end:]
        yield change, text


def timed_edit(server, uri, version, change):
    started = time.perf_counter()
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    server.diagnostics(uri, version)
    return (time.perf_counter() - started) * 1000


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="djlint-secrets binary")
    ap.add_argument("--ruff", required=True, help="ruff binary")
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=60)
    ap.add_argument("--memory-edits", type=int, default=1000)
    ap.add_argument("--markdown")
    args = ap.parse_args()
    args.server, args.ruff = os.path.abspath(args.server), os.path.abspath(args.ruff)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "manage.py").write_text("")
        (root / "mysite").mkdir()
        settings = root / "mysite" / "settings.py"
        text = settings_text(args.lines)
        settings.write_text(text)
        uri = settings.as_uri()
        ours = Server([args.server, "server"], root)
        ruff = Server([args.ruff, "server"], root, {"settings": {"lint": {"select": ["S105", "S106", "S107"]}}})
        open_params = {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}
        found = {}
        for name, server in (("djlint-secrets", ours), ("ruff", ruff)):
            server.notify("textDocument/didOpen", open_params)
            found[name] = len(server.diagnostics(uri, 1))
        timings = {"djlint-secrets": [], "ruff": []}
        version = 1
        for change, text in edits(text, args.edits):
            version += 1
            # Alternate which server goes first, so neither always runs right after the other.
            pair = [("djlint-secrets", ours), ("ruff", ruff)]
            for name, server in (pair if version % 2 else pair[::-1]):
                timings[name].append(timed_edit(server, uri, version, change))
        ruff.close()
        for change, text in edits(text, args.memory_edits):
            version += 1
            ours.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            ours.diagnostics(uri, version)
        rss = peak_rss_mib(ours.process.pid)
        ours.close()

    median = {name: statistics.median(values) for name, values in timings.items()}
    ratio = median["djlint-secrets"] / median["ruff"]
    rows = [
        f"Language server: {args.lines}-line settings file, {args.edits} incremental edits each, interleaved; "
        f"time from didChange sent to its diagnostics received",
        "",
        "| server | median ms | p90 ms | min ms | max ms | findings on open |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in ("djlint-secrets", "ruff"):
        values = timings[name]
        p90 = statistics.quantiles(values, n=10)[-1]
        rows.append(f"| {name} | {median[name]:.3f} | {p90:.3f} | {min(values):.3f} | {max(values):.3f} | {found[name]} |")
    toggles = timings["djlint-secrets"][3::4]
    rows += [
        "",
        "Three edits in four type a character into a setting's value; every fourth turns DEBUG on or off, "
        "which djlint-secrets analyses again in full (median of those: "
        f"{statistics.median(toggles):.3f} ms, ruff {statistics.median(timings['ruff'][3::4]):.3f} ms).",
        "",
        f"- latency ratio djlint-secrets / ruff: {ratio:.2f} (target ≤ {LATENCY_TARGET}): "
        f"{'ok' if ratio <= LATENCY_TARGET else 'MISSED'}",
        f"- djlint-secrets server peak RSS after {args.memory_edits} more edits: {rss:.1f} MiB (target ≤ {RSS_TARGET_MIB:.0f} MiB): "
        f"{'ok' if rss <= RSS_TARGET_MIB else 'MISSED'}",
    ]
    report = "\n".join(rows) + "\n"
    print(report)
    if args.markdown:
        Path(args.markdown).write_text(report)
    return 0 if ratio <= LATENCY_TARGET and rss <= RSS_TARGET_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
