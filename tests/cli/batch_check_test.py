#!/usr/bin/env python3
"""Batch checking: `sketchc check` over many files and folders in parallel gives the report of
checking one file at a time, in a stable order, with one summary line; JSON and SARIF carry
the same diagnostics.  Usage: batch_check_test.py SKETCHC SOURCE_DIR TEST [SARIF_SCHEMA]"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKETCHC = SOURCE = SCHEMA = None


def run(*args, cwd=None):
    return subprocess.run([SKETCHC, *args], capture_output=True, text=True, cwd=cwd)


def make_tree(root):
    """Examples and bad inputs in nested folders, plus files that check must skip."""
    shutil.copytree(SOURCE / "examples", root / "examples")
    shutil.copytree(SOURCE / "tests" / "bad", root / "nested" / "deeper" / "bad")
    (root / "nested" / "notes.txt").write_text("not a sketch\n")
    (root / "nested" / "model.onnx").write_bytes(b"\0")
    (root / "z.yml").write_text((SOURCE / "examples" / "tiny_resnet.yaml").read_text())
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.suffix in (".sketch", ".yaml", ".yml"))


def test_parallel_matches_sequential():
    with tempfile.TemporaryDirectory() as tmp:
        make_tree(Path(tmp))
        for fmt in ("text", "json", "sarif"):
            sequential = run("check", "-j", "1", "--format", fmt, "examples", "nested", "z.yml", cwd=tmp)
            # 2: tests/bad has a sketch whose weights file is missing, an I/O error.
            assert sequential.returncode == 2, sequential.stderr
            for jobs in ([], ["-j", "2"], ["--jobs", "7"]):
                for attempt in range(3):
                    parallel = run("check", *jobs, "--format", fmt, "examples", "nested", "z.yml", cwd=tmp)
                    assert parallel.returncode == sequential.returncode, (fmt, jobs)
                    assert parallel.stdout == sequential.stdout, (fmt, jobs, attempt)
                    assert parallel.stderr == sequential.stderr, (fmt, jobs, attempt)


def test_same_as_one_file_at_a_time():
    """Folders expand to their sketches in sorted order; each file's diagnostics come before
    its status line, exactly as checking that file alone prints them."""
    with tempfile.TemporaryDirectory() as tmp:
        files = make_tree(Path(tmp))
        batch = run("check", "examples", "nested", "z.yml", cwd=tmp)
        status_lines = batch.stdout.splitlines()
        assert [line.split(": ")[0] for line in status_lines[:-1]] == files, status_lines
        err, out = "", ""
        for f in files:
            single = run("check", f, cwd=tmp)
            err += single.stderr
            out += single.stdout
        assert batch.stderr == err
        assert batch.stdout == out + status_lines[-1] + "\n"


def test_summary_line():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ok = (SOURCE / "examples" / "lenet5.sketch").read_text()
        (tmp / "a.sketch").write_text(ok)
        (tmp / "b.sketch").write_text(ok)
        (tmp / "c.sketch").write_text("input x: float32[N, 4]\nr = Relu()\ns = Sigmoyd()\n"
                                      "x -> r -> s\noutput y = s\n")
        (tmp / "d.sketch").write_text("input x: float32[N, 4]\ninput unused: float32[N]\n"
                                      "r = ReLU()\nx -> r\noutput y = r\n")
        r = run("check", str(tmp))
        assert r.returncode == 1, r
        last = r.stdout.splitlines()[-1]
        assert last == "checked 4 files: 3 ok, 1 with errors (2 errors, 1 warning)", r.stdout
        r = run("check", "--format", "json", str(tmp))
        summary = json.loads(r.stdout)["summary"]
        assert summary == {"files": 4, "ok": 3, "invalid": 1, "errors": 2, "warnings": 1}, summary
        r = run("check", str(tmp / "a.sketch"), str(tmp / "b.sketch"))
        assert r.returncode == 0 and r.stdout.splitlines()[-1] == "checked 2 files: 2 ok", r.stdout
        r = run("check", str(tmp / "a.sketch"))
        assert r.stdout.count("\n") == 1, "one file: its status line is the summary"
        r = run("check", str(tmp / "a.sketch"), "/nonexistent/x.sketch")
        assert r.returncode == 2, "an unreadable file wins over valid ones"


def sarif_for_tree(tmp):
    make_tree(Path(tmp))
    paths = ["examples", "nested", "missing.sketch"]  # the last: a problem with a whole file
    sarif = run("check", "--format", "sarif", *paths, cwd=tmp)
    diags = run("check", "--format", "json", *paths, cwd=tmp)
    assert sarif.returncode == diags.returncode == 2 and sarif.stderr == "", sarif.stderr
    return json.loads(sarif.stdout), json.loads(diags.stdout)["diagnostics"]


def test_sarif_fields():
    """Field by field, the subset GitHub code scanning reads, against the JSON diagnostics."""
    with tempfile.TemporaryDirectory() as tmp:
        log, diagnostics = sarif_for_tree(tmp)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    version = run("--version").stdout.split()[-1]
    assert driver["name"] == "sketchc" and driver["version"] == version
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids) and "unknown-op" in rule_ids and "cycle" in rule_ids
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] in (
            "error", "warning", "note")
    results = run_["results"]
    assert len(results) == len(diagnostics) > 100
    for result, d in zip(results, diagnostics):
        assert result["ruleId"] == d["code"] and rule_ids[result["ruleIndex"]] == d["code"]
        assert result["level"] == d["severity"]
        assert result["message"]["text"].startswith(d["message"])
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == d["file"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        if "line" in d:
            assert (region["startLine"], region["startColumn"]) == (d["line"], d["column"])
            assert (region["endLine"], region["endColumn"]) == (d["end_line"], d["end_column"])
        else:
            assert region == {"startLine": 1}, "code scanning needs a line for every result"
        located = [n for n in d["notes"] if "line" in n]
        related = result.get("relatedLocations", [])
        assert [r["message"]["text"] for r in related] == [n["message"] for n in located]
        for r, n in zip(related, located):
            assert r["physicalLocation"]["region"]["startLine"] == n["line"]
    assert any(r.get("relatedLocations") for r in results), "no notes became related locations"


def test_sarif_unicode_and_uri():
    """Columns count code points (columnKind), where the JSON counts bytes; odd file names
    are percent-encoded."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "my net é.sketch"
        path.write_text('input x: float32[N, 4]\nfc = Linear(4, "é€")\nx -> fc\noutput y = fc\n')
        log = json.loads(run("check", "--format", "sarif", path.name, cwd=tmp).stdout)
        diagnostics = json.loads(run("check", "--format", "json", path.name, cwd=tmp).stdout)["diagnostics"]
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    result, d = run_["results"][0], diagnostics[0]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20net%20%C3%A9.sketch"
    region = location["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 16), region
    assert (d["line"], d["column"], d["end_column"]) == (2, 16, 23), d
    assert region["endColumn"] == 20, region


def test_sarif_schema():
    """The log validates against the published SARIF 2.1.0 JSON schema."""
    import jsonschema
    schema = json.loads(Path(SCHEMA).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        log, _ = sarif_for_tree(tmp)
        ok_log = json.loads(run("check", "--format", "sarif", str(SOURCE / "examples")).stdout)
    validator = jsonschema.validators.validator_for(schema)(schema)
    for candidate in (log, ok_log):
        errors = sorted(validator.iter_errors(candidate), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert ok_log["runs"][0]["results"] == []


if __name__ == "__main__":
    SKETCHC, SOURCE = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
    SCHEMA = sys.argv[4] if len(sys.argv) > 4 else None
    globals()["test_" + sys.argv[3]]()
