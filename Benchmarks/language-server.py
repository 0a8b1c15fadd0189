#!/usr/bin/env python3
"""Language server latency and memory, djlint-secrets against ruff, side by side in one run.

Generated settings files (1,000 and 5,000 lines, Benchmarks/generate-settings.py) are opened in both
servers; the same incremental edits of each kind of issue #20 (a character typed in a comment, in a plain
value, in the SECRET_KEY literal, DEBUG toggled, a statement line inserted and deleted, a 50-line block
pasted) go to each in turn (interleaved, so load on the machine hits both alike), and each edit is timed
from its `didChange` sent to the `publishDiagnostics` of its version received. Then 1,000 more edits go
to djlint-secrets alone and its peak RSS (VmHWM) is read.

    Benchmarks/language-server.py --server BIN --ruff RUFF [--lines 1000,5000] [--edits 20] [--memory-edits 1000] [--markdown FILE]
"""
import argparse
import importlib.util
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


def load_generator():
    """Benchmarks/generate-settings.py: the same generated modules as the command-line benchmark."""
    spec = importlib.util.spec_from_file_location("generate_settings", Path(__file__).with_name("generate-settings.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def utf16_position(text, index):
    before = text[:index]
    line = before.count("\n")
    return {"line": line, "character": len(before[before.rfind("\n") + 1:].encode("utf-16-le")) // 2}


def change(text, start, end, insert):
    """The LSP change replacing text[start:end] by insert, and the new text."""
    edit = {"range": {"start": utf16_position(text, start), "end": utf16_position(text, end)}, "text": insert}
    return edit, text[:start] + insert + text[end:]


# Edit kinds of issue #20. Each takes the text and the edit's number and gives (LSP change, new text, timed):
# untimed steps undo what a timed one did (the inserted line deleted, the pasted block removed), so that
# the file keeps its size.
def edit_comment(text, number):
    group = (number * 37) % 100
    needle = f"# Feature group {group}: limits"
    start = text.index(needle) + len(needle)
    return (*change(text, start, start, "x"), True)


def edit_plain_value(text, number):
    group = (number * 41) % 100
    needle = f"FEATURE_{group}_NAME = 'feature-{group}"
    start = text.index(needle) + len(needle)
    return (*change(text, start, start, "x"), True)


def edit_secret_key(text, number):
    start = text.index("SECRET_KEY = '") + len("SECRET_KEY = 'django-insecure-")
    return (*change(text, start, start, "k"), True)


def edit_debug(text, number):
    old, new = ("DEBUG = True", "DEBUG = False") if "DEBUG = True\n" in text else ("DEBUG = False", "DEBUG = True")
    start = text.index(old + "\n")
    return (*change(text, start, start + len(old), new), True)


INSERTED = "INSERTED_SETTING = 42\n"


def edit_line(text, number):
    # Odd edits delete the line the even one inserted; both are timed (a statement line inserted and deleted).
    if INSERTED in text:
        start = text.index(INSERTED)
        return (*change(text, start, start + len(INSERTED), ""), True)
    group = (number * 43) % 100
    start = text.index(f"FEATURE_{group}_TIMEOUT")
    return (*change(text, start, start, INSERTED), True)


def edit_paste(text, number):
    marker = "# pasted block\n"
    if marker in text:  # untimed: remove what the previous step pasted
        start = text.index(marker)
        end = text.index("# end of pasted block\n") + len("# end of pasted block\n")
        return (*change(text, start, end, ""), False)
    lines = [marker.rstrip("\n")]
    index = 0
    while len(lines) < 49:
        lines += [f"PASTED_{index}_ENABLED = True", f"PASTED_{index}_NAME = 'pasted-{index}'",
                  f"PASTED_{index}_LIMITS = {{'rate': {index}}}"]
        index += 1
    block = "\n".join(lines[:49] + ["# end of pasted block"]) + "\n"
    group = (number * 47) % 100
    start = text.index(f"# Feature group {group}: limits")
    return (*change(text, start, start, block), True)


EDIT_KINDS = [
    ("a character typed in a comment", edit_comment),
    ("a character typed in a plain value", edit_plain_value),
    ("a character typed in the SECRET_KEY literal", edit_secret_key),
    ("DEBUG turned on or off", edit_debug),
    ("a statement line inserted or deleted", edit_line),
    ("a 50-line block pasted", edit_paste),
]


def cpu_ns(pid):
    """CPU time the process's threads have run, in ns (schedstat): on a busy machine, what an edit costs
    the server itself, apart from waiting for a core."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                total += int(stat.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def timed_edit(server, uri, version, change):
    """Wall ms from didChange sent to its diagnostics received, and the server's CPU ms meanwhile."""
    cpu_before = cpu_ns(server.process.pid)
    started = time.perf_counter()
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    server.diagnostics(uri, version)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, (cpu_ns(server.process.pid) - cpu_before) / 1e6


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile90(values):
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]


def measure(args, lines, generator):
    """One file size: both servers open the file, then each edit kind in turn, interleaved."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "manage.py").write_text("")
        (root / "mysite").mkdir()
        settings = root / "mysite" / "settings.py"
        text = generator.settings_text(lines)
        settings.write_text(text)
        uri = settings.as_uri()
        ours = Server([args.server, "server"], root)
        ruff = Server([args.ruff, "server"], root, {"settings": {"lint": {"select": ["S105", "S106", "S107"]}}})
        open_params = {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}
        found = {}
        for name, server in (("djlint-secrets", ours), ("ruff", ruff)):
            server.notify("textDocument/didOpen", open_params)
            found[name] = len(server.diagnostics(uri, 1))
        timings = {kind: {"djlint-secrets": [], "ruff": []} for kind, _ in EDIT_KINDS}
        cpu = {kind: {"djlint-secrets": [], "ruff": []} for kind, _ in EDIT_KINDS}
        version = 1
        for kind, make_edit in EDIT_KINDS:
            number = 0
            while len(timings[kind]["ruff"]) < args.edits:
                edit, text, timed = make_edit(text, number)
                number += 1
                version += 1
                # Alternate which server goes first, so neither always runs right after the other.
                pair = [("djlint-secrets", ours), ("ruff", ruff)]
                for name, server in (pair if version % 2 else pair[::-1]):
                    elapsed, spent = timed_edit(server, uri, version, edit)
                    if timed:
                        timings[kind][name].append(elapsed)
                        cpu[kind][name].append(spent)
        ruff.close()
        rss = None
        if args.memory_edits:
            for number in range(args.memory_edits):
                edit, text, _ = EDIT_KINDS[number % len(EDIT_KINDS)][1](text, number)
                version += 1
                ours.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [edit]})
                ours.diagnostics(uri, version)
            rss = peak_rss_mib(ours.process.pid)
        ours.close()
    return timings, cpu, found, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="djlint-secrets binary")
    ap.add_argument("--ruff", required=True, help="ruff binary")
    ap.add_argument("--lines", default="1000,5000", help="file sizes, comma-separated")
    ap.add_argument("--edits", type=int, default=20, help="timed edits per kind and size")
    ap.add_argument("--memory-edits", type=int, default=1000)
    ap.add_argument("--markdown")
    args = ap.parse_args()
    args.server, args.ruff = os.path.abspath(args.server), os.path.abspath(args.ruff)
    generator = load_generator()

    rows = [
        "Language server: generated settings files (Benchmarks/generate-settings.py), "
        f"{args.edits} timed edits of each kind per size, sent to both servers in turn; "
        "time from didChange sent to its diagnostics received.",
        "",
        "| lines | edit | djlint-secrets median ms | p90 ms | ruff median ms | p90 ms | median ratio | target | p90 ≤ ruff median | CPU ms per edit, djlint-secrets / ruff |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    all_ok = True
    notes = []
    for lines in [int(size) for size in args.lines.split(",")]:
        timings, cpu, found, rss = measure(args, lines, generator)
        for kind, _ in EDIT_KINDS:
            ours, theirs = timings[kind]["djlint-secrets"], timings[kind]["ruff"]
            ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
            ratio = ours_median / theirs_median
            p90_ok = percentile90(ours) <= theirs_median
            ok = ratio <= LATENCY_TARGET and p90_ok
            all_ok &= ok
            rows.append(f"| {lines} | {kind} | {ours_median:.3f} | {percentile90(ours):.3f} | {theirs_median:.3f} | "
                        f"{percentile90(theirs):.3f} | {ratio:.2f} | {'ok' if ratio <= LATENCY_TARGET else 'MISSED'} | "
                        f"{'ok' if p90_ok else 'MISSED'} | {statistics.median(cpu[kind]['djlint-secrets']):.3f} / "
                        f"{statistics.median(cpu[kind]['ruff']):.3f} |")
        notes.append(f"- {lines} lines: findings on open djlint-secrets {found['djlint-secrets']}, ruff {found['ruff']}"
                     + (f"; djlint-secrets server peak RSS after {args.memory_edits} more edits: {rss:.1f} MiB "
                        f"(target ≤ {RSS_TARGET_MIB:.0f} MiB): {'ok' if rss <= RSS_TARGET_MIB else 'MISSED'}" if rss is not None else ""))
        if rss is not None:
            all_ok &= rss <= RSS_TARGET_MIB
    rows += ["", f"Targets: median ≤ {LATENCY_TARGET} × ruff's, p90 ≤ ruff's median, for every kind and size. "
             "CPU ms per edit: the median of the CPU time the server's threads ran between the didChange and its "
             "diagnostics (/proc/PID/task/*/schedstat), which a busy machine does not inflate.", ""] + notes
    report = "\n".join(rows) + "\n"
    print(report)
    if args.markdown:
        Path(args.markdown).write_text(report)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
