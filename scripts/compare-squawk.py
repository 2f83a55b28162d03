#!/usr/bin/env python3
"""Side by side: fcto review and squawk on the same SQL migrations.

    scripts/compare-squawk.py FCTO SQUAWK FILE.sql...

Maps squawk's rule names to fcto's, then prints every (file, line, rule)
where the two disagree, as Markdown for BENCHMARKS.md. squawk's style-only
rules (prefer-robust-stmts, prefer-bigint-over-* on non-key columns...) are
listed apart: fcto does not flag them on purpose.
"""
import json
import subprocess
import sys
from collections import defaultdict

# squawk rule -> the fcto rule that covers the same risk.
SAME_RISK = {
    "adding-field-with-default": "add-column-volatile-default",
    "adding-foreign-key-constraint": "foreign-key-not-valid",
    "adding-not-nullable-field": "set-not-null",
    "adding-required-field": "add-column-not-null-no-default",
    "adding-serial-primary-key-field": "add-column-volatile-default",
    "ban-char-field": "prefer-text",
    "ban-concurrent-index-creation-in-transaction": "concurrent-index-in-transaction",
    "ban-drop-column": "drop-column",
    "ban-drop-database": "drop-database",
    "ban-drop-table": "drop-table",
    "ban-truncate-cascade": "truncate-cascade",
    "changing-column-type": "alter-column-type",
    "constraint-missing-not-valid": "check-constraint-not-valid",
    "disallowed-unique-constraint": "unique-constraint-without-index",
    "prefer-big-int": "int-primary-key",
    "prefer-bigint-over-int": "int-primary-key",
    "prefer-bigint-over-smallint": "int-primary-key",
    "prefer-identity": "int-primary-key",
    "prefer-text-field": "prefer-text",
    "prefer-timestamptz": "timestamp-without-time-zone",
    "prefer-timestamp-tz": "timestamp-without-time-zone",
    "renaming-column": "rename-column",
    "renaming-table": "rename-table",
    "require-concurrent-index-creation": "index-not-concurrent",
    "require-concurrent-index-deletion": "index-not-concurrent",
    "require-lock-timeout": "missing-lock-timeout",
}
# Both ways of saying "constraint without NOT VALID".
EQUIVALENT = {"check-constraint-not-valid": {"foreign-key-not-valid"}}
# fcto reports a missing timeout once per file; squawk on every statement.
PER_FILE = {"missing-lock-timeout"}
# require-statement-timeout: fcto asks for lock_timeout (what stops a
# blocked DDL from queueing everyone behind it) and accepts either.
STYLE_ONLY = {"require-statement-timeout", "prefer-robust-stmts", "transaction-nesting", "ban-uncommitted-transaction"}


def statement_starts(path):
    """1-based line of each statement start, by fcto's own splitter's rule of
    thumb: a line after a line ending in ';' (good enough to align lines)."""
    starts, expect = [], True
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            stripped = line.strip()
            if expect and stripped and not stripped.startswith("--"):
                starts.append(number)
                expect = False
            if stripped.endswith(";"):
                expect = True
    return starts


def statement_of(starts, line):
    best = starts[0] if starts else 1
    for s in starts:
        if s <= line:
            best = s
    return best


def per_file(key, rule):
    return ((key[0], 0), rule) if rule in PER_FILE else (key, rule)


def main():
    fcto, squawk, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    # squawk reads PostgreSQL only.
    files = [f for f in files if "mysql" not in f and "sqlite" not in f]
    ours = defaultdict(set)
    out = subprocess.run([fcto, "review", "--format", "json", "--fail-on", "never", *files],
                         capture_output=True, text=True, check=True)
    for f in json.loads(out.stdout)["findings"]:
        starts = statement_starts(f["path"])
        key, rule = per_file((f["path"], statement_of(starts, f["line"])), f["rule"])
        ours[key].add(rule)
    theirs = defaultdict(set)
    style = defaultdict(set)
    out = subprocess.run([squawk, "--reporter", "json", *files], capture_output=True, text=True)
    for f in json.loads(out.stdout or "[]"):
        starts = statement_starts(f["file"])
        key = (f["file"], statement_of(starts, f["line"] + 1))
        rule = f["rule_name"]
        if rule in STYLE_ONLY:
            style[rule].add(key)
        else:
            key, rule = per_file(key, SAME_RISK.get(rule, "squawk:" + rule))
            theirs[key].add(rule)
    only_squawk, only_fcto = [], []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key, set()), theirs.get(key, set())
        for rule in sorted(b):
            if rule not in a and not (EQUIVALENT.get(rule, set()) & a) and not any(rule in EQUIVALENT.get(x, set()) for x in a):
                only_squawk.append((key, rule))
        for rule in sorted(a):
            if rule not in b and not (EQUIVALENT.get(rule, set()) & b) and not any(rule in EQUIVALENT.get(x, set()) for x in b):
                only_fcto.append((key, rule))
    agreed = sum(len(ours[k] & theirs.get(k, set())) for k in ours)
    print(f"Files: {len(files)}. Statement-rule pairs both flag: {agreed}. "
          f"Only squawk: {len(only_squawk)}. Only fcto: {len(only_fcto)}. "
          f"squawk style-only findings not counted: "
          + ", ".join(f"{r} {len(v)}" for r, v in sorted(style.items())) + ".\n")
    print("Only squawk flags (file:line, rule as fcto would name it):\n")
    for (path, line), rule in only_squawk:
        print(f"- `{path}:{line or 'file'}` {rule}")
    print("\nOnly fcto flags:\n")
    for (path, line), rule in only_fcto:
        print(f"- `{path}:{line or 'file'}` {rule}")


if __name__ == "__main__":
    main()
