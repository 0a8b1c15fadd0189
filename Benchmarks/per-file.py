#!/usr/bin/env python3
"""The one-file table of the benchmark (issue #20): hyperfine exports of djlint-secrets against ruff on
single big settings modules, with the ratios and their targets, as Markdown.

    Benchmarks/per-file.py --markdown FILE --djlint-rss-kib N --ruff-rss-kib N "LABEL=hyperfine.json"...

Exit status 1 when a target is missed.
"""
import argparse
import json
import statistics
import sys

FILE_TARGET = 0.5  # djlint-secrets / ruff, check FILE and the editor save of the 5,000-line module
RSS_TARGET_MIB = 32.0


def medians_ms(path):
    with open(path) as handle:
        results = json.load(handle)["results"]
    return {result["command"]: statistics.median(result["times"]) * 1000 for result in results}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--djlint-rss-kib", type=float, required=True)
    ap.add_argument("--ruff-rss-kib", type=float, required=True)
    ap.add_argument("cases", nargs="+", help="LABEL=hyperfine-export.json")
    args = ap.parse_args()

    rows = ["One file (issue #20): `djlint-secrets check FILE` against "
            "`ruff check --no-cache --isolated --select S105,S106,S107 FILE`, whole process (hyperfine -N medians); "
            "the editor save is `check --fix --stdin-filename … - < FILE` against ruff's stdin `--fix` (S105), through a shell "
            "(start-up subtracted). Generated modules: Benchmarks/generate-settings.py (startproject, then groups of "
            "comments, flags, numbers, strings, one-line dicts, lists and reads of non-secret variables, one secret "
            "read with a literal fallback at the very end). Real modules: from the weblate and pretix wheels on PyPI.",
            "",
            "| file | djlint-secrets ms | ruff ms | ratio | target |",
            "| --- | ---: | ---: | ---: | --- |"]
    ok = True
    for case in args.cases:
        label, _, path = case.partition("=")
        medians = medians_ms(path)
        ours, theirs = medians["djlint-secrets"], medians["ruff"]
        ratio = ours / theirs
        ok &= ratio <= FILE_TARGET
        rows.append(f"| {label} | {ours:.2f} | {theirs:.2f} | {ratio:.2f} | "
                    f"≤ {FILE_TARGET}: {'ok' if ratio <= FILE_TARGET else 'MISSED'} |")
    ours_mib, theirs_mib = args.djlint_rss_kib / 1024, args.ruff_rss_kib / 1024
    ok &= ours_mib <= RSS_TARGET_MIB
    rows += ["", f"- peak RSS of `check` on the 10,000-line module: djlint-secrets {ours_mib:.1f} MiB "
                 f"(target ≤ {RSS_TARGET_MIB:.0f} MiB: {'ok' if ours_mib <= RSS_TARGET_MIB else 'MISSED'}), ruff {theirs_mib:.1f} MiB"]
    report = "\n".join(rows) + "\n"
    print(report)
    with open(args.markdown, "w") as handle:
        handle.write(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
