#!/usr/bin/env python3
"""Turns hyperfine's JSON exports and peak-RSS numbers into the benchmark table.

Called by Benchmarks/run.sh; prints a plain-text table and writes the same summary as Markdown.
Exit status 1 only with --strict and a missed target.
"""
import argparse
import datetime
import json
import statistics
import sys

CORPUS_TARGET = 0.30  # djlint-secrets / ruff, corpus scan
EDITOR_TARGET = 0.60  # djlint-secrets / ruff, editor save
RSS_TARGET_MIB = 32.0  # djlint-secrets peak RSS on the corpus
EXPECTED = "ruff's editor run exits 1 by design: S105 has no fix, so its finding remains."


def medians_ms(path):
    with open(path) as handle:
        results = json.load(handle)["results"]
    out = {}
    for result in results:
        times = result["times"]
        out[result["command"]] = {
            "median": statistics.median(times) * 1000,
            "min": min(times) * 1000,
            "max": max(times) * 1000,
            "runs": len(times),
            "failed": sum(1 for code in result.get("exit_codes", []) if code not in (0, None)),
        }
    return out


def verdict(ok):
    return "ok" if ok else "MISSED"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus-json", required=True)
    ap.add_argument("--editor-json", required=True)
    ap.add_argument("--djlint-rss-kib", type=float, required=True)
    ap.add_argument("--ruff-rss-kib", type=float, required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--findings", default="")
    ap.add_argument("--machine", required=True)
    ap.add_argument("--load", default="")
    ap.add_argument("--versions", default="")
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()

    corpus = medians_ms(args.corpus_json)
    editor = medians_ms(args.editor_json)
    corpus_ratio = corpus["djlint-secrets"]["median"] / corpus["ruff"]["median"]
    editor_ratio = editor["djlint-secrets"]["median"] / editor["ruff"]["median"]
    djlint_mib = args.djlint_rss_kib / 1024
    ruff_mib = args.ruff_rss_kib / 1024

    rows = []  # (what, command, median, min-max, runs)
    for group, label in ((corpus, "corpus scan"), (editor, "editor save")):
        for name, r in group.items():
            rows.append((label, name, f"{r['median']:.1f}", f"{r['min']:.1f} – {r['max']:.1f}", str(r["runs"])))
    checks = [
        ("corpus scan, djlint-secrets / ruff", f"{corpus_ratio:.2f}", f"≤ {CORPUS_TARGET:.2f}",
         verdict(corpus_ratio <= CORPUS_TARGET)),
        ("corpus scan, djlint-secrets / read floor",
         f"{corpus['djlint-secrets']['median'] / corpus['read-floor']['median']:.1f}×", "", ""),
        ("corpus scan, ruff / read floor",
         f"{corpus['ruff']['median'] / corpus['read-floor']['median']:.1f}×", "", ""),
        ("editor save, djlint-secrets / ruff", f"{editor_ratio:.2f}", f"≤ {EDITOR_TARGET:.2f}",
         verdict(editor_ratio <= EDITOR_TARGET)),
        ("peak RSS on the corpus, djlint-secrets", f"{djlint_mib:.1f} MiB", f"≤ {RSS_TARGET_MIB:.0f} MiB",
         verdict(djlint_mib <= RSS_TARGET_MIB)),
        ("peak RSS on the corpus, ruff", f"{ruff_mib:.1f} MiB", "", ""),
    ]
    failed_runs = [f"{label}/{name}" for group, label in ((corpus, "corpus"), (editor, "editor"))
                   for name, r in group.items() if r["failed"]]

    # Plain text for the terminal.
    w = [max(len(row[i]) for row in rows + [("what", "command", "median ms", "min – max ms", "runs")])
         for i in range(5)]
    print()
    print(f"machine:  {args.machine}")
    if args.load:
        print(f"load avg: {args.load} (1, 5, 15 min)")
    print(f"corpus:   {args.corpus}")
    if args.findings:
        print(f"findings: {args.findings}")
    if args.versions:
        print(f"versions: {args.versions}")
    print()
    header = ("what", "command", "median ms", "min – max ms", "runs")
    print("  ".join(h.ljust(w[i]) if i < 2 else h.rjust(w[i]) for i, h in enumerate(header)))
    for row in rows:
        print("  ".join(c.ljust(w[i]) if i < 2 else c.rjust(w[i]) for i, c in enumerate(row)))
    print()
    cw = [max(len(c[i]) for c in checks) for i in range(4)]
    for check in checks:
        print("  ".join(c.ljust(cw[i]) if i == 0 else c.rjust(cw[i]) for i, c in enumerate(check)).rstrip())
    if failed_runs:
        print(f"\nnote: non-zero exit codes in {', '.join(failed_runs)} (ignored with hyperfine -i). {EXPECTED}")
    print()

    # The same as Markdown.
    md = ["# djlint-secrets vs ruff: latest benchmark", ""]
    md.append(f"Run `Benchmarks/run.sh` (or `make bench`) to refresh; {datetime.date.today().isoformat()}.")
    md.append("")
    md.append(f"- machine: {args.machine}")
    if args.load:
        md.append(f"- load average (1, 5, 15 min): {args.load}")
    md.append(f"- corpus: {args.corpus} (Django 5.2.19 sdist; wheels of wagtail, django-cms, "
              "djangorestframework, django-allauth, django-oscar)")
    if args.findings:
        md.append(f"- findings on the corpus: {args.findings}")
    if args.versions:
        md.append(f"- versions: {args.versions}")
    md += ["", "| what | command | median ms | min – max ms | runs |", "| --- | --- | ---: | ---: | ---: |"]
    md += [f"| {' | '.join(row)} |" for row in rows]
    md += ["", "| measure | value | target | |", "| --- | ---: | ---: | --- |"]
    md += [f"| {' | '.join(check)} |" for check in checks]
    md += ["", "Commands (hyperfine medians, shell start-up subtracted; peak RSS from `/usr/bin/time -v`):", ""]
    md += [
        "- corpus, djlint-secrets: `djlint-secrets check --exit-zero --quiet corpus`",
        "- corpus, ruff: `ruff check --no-cache --isolated --select S105,S106,S107 --exit-zero --quiet corpus`",
        "- corpus, read floor: `find corpus -name '*.py' -print0 | xargs -0 cat > /dev/null`",
        "- editor, djlint-secrets: `djlint-secrets check --fix --stdin-filename <tmp>/mysite/settings.py - < settings.py`"
        " (a startproject settings.py with a django-insecure- key and `DEBUG = True`, `manage.py` beside it)",
        "- editor, ruff: `ruff check --fix --no-cache --isolated --select S105 --stdin-filename settings.py - < settings.py`",
    ]
    if failed_runs:
        md += ["", f"Non-zero exit codes in {', '.join(failed_runs)} (ignored with hyperfine -i). {EXPECTED}"]
    with open(args.markdown, "w") as handle:
        handle.write("\n".join(md) + "\n")

    missed = [c[0] for c in checks if c[3] == "MISSED"]
    if args.strict and missed:
        print("missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
