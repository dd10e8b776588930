#!/usr/bin/env python3
"""Checks that sketchc reports exactly the diagnostics a bad sketch announces.

Each file in tests/bad/ carries annotations on their own lines:
    # expect-error@+1:11: unknown op 'Conv2D'
    # expect-warning@+2:1: block 'x' does not reach any output
`@+K` is the line K lines below the annotation (`@-K` above, `@N` absolute), then the
1-based column and the exact message. Every diagnostic sketchc reports for the file must be
announced, and every announcement must be reported (errors and warnings; notes are not
checked). The exit code must be 1 when an error is expected, 0 otherwise, unless the file
says `# expect-exit: 2` (an I/O error such as a missing weights file). sketchc runs in the
file's folder, so paths in messages do not depend on where the runner was started.
Usage: run_bad.py SKETCHC FILE...
"""
import json
import os
import re
import subprocess
import sys

ANNOTATION = re.compile(r"#\s*expect-(error|warning)@([+-]?\d+):(\d+):\s?(.*)$")
EXIT = re.compile(r"#\s*expect-exit:\s*(\d+)")


def expectations(path):
    expected = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            m = ANNOTATION.search(line)
            if not m:
                continue
            severity, where, column, message = m.groups()
            target = number + int(where) if where[0] in "+-" else int(where)
            expected.append((severity, target, int(column), message.rstrip()))
    return expected


def expected_exit(path, wants_error):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = EXIT.search(line)
            if m:
                return int(m.group(1))
    return 1 if wants_error else 0


def check(sketchc, path):
    expected = expectations(path)
    if not expected:
        return [f"{path}: no expect-error or expect-warning annotation"]
    run = subprocess.run([os.path.abspath(sketchc), "check", "--format", "json",
                          os.path.basename(path)],
                         capture_output=True, text=True, cwd=os.path.dirname(path) or ".")
    problems = []
    if run.stderr.strip():
        problems.append(f"{path}: unexpected stderr in JSON mode: {run.stderr.strip()[:300]}")
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return [f"{path}: output is not JSON (exit {run.returncode}): {run.stdout[:300]!r}"]
    got = [(d["severity"], d.get("line", 0), d.get("column", 0), d["message"])
           for d in report["diagnostics"] if d["severity"] in ("error", "warning")]
    for e in expected:
        if e in got:
            got.remove(e)
        else:
            problems.append(f"{path}:{e[1]}:{e[2]}: expected {e[0]} not reported: {e[3]}")
    for g in got:
        problems.append(f"{path}:{g[1]}:{g[2]}: unexpected {g[0]}: {g[3]}")
    exit_code = expected_exit(path, any(e[0] == "error" for e in expected))
    if run.returncode != exit_code:
        problems.append(f"{path}: exit code {run.returncode}, expected {exit_code}")
    return problems


def main():
    sketchc, files = sys.argv[1], sys.argv[2:]
    problems = [p for f in files for p in check(sketchc, f)]
    for p in problems:
        print(p)
    print(f"{len(files) - len({p.split(':')[0] for p in problems})} passed, "
          f"{len({p.split(':')[0] for p in problems})} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
