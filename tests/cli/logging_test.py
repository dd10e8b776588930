#!/usr/bin/env python3
"""Logging, progress bars and colour: -v/-q/--log-file, a progress bar for large weight files
only when stderr is a terminal (run under a pseudo-terminal here), colour only on a terminal
and never with NO_COLOR.  Usage: logging_test.py SKETCHC SOURCE_DIR TEST"""
import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from safetensors_file import write_safetensors  # noqa: E402

SKETCHC = SOURCE = None
# Linear(4096, 4352): 68 MiB of float32 weights, above the 64 MiB at which progress shows.
BIG_SKETCH = ('sketch big\ninput x: float32[N, 4096]\nweights "big.safetensors"\n'
              "fc = Linear(4096, 4352)\nx -> fc\noutput y = fc\n")


def run(*args, env=None, cwd=None):
    return subprocess.run([SKETCHC, *args], capture_output=True, text=True, env=env, cwd=cwd)


def run_with_terminal_stderr(*args, env=None, cwd=None):
    """Runs with stderr on a pseudo-terminal and stdout on a pipe; returns (code, out, err)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([SKETCHC, *args], stdout=subprocess.PIPE, stderr=slave, env=env, cwd=cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer has gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    out = proc.stdout.read()
    proc.stdout.close()
    code = proc.wait()
    os.close(master)
    return code, out.decode(), b"".join(chunks).decode()


def make_big(tmp):
    (tmp / "big.sketch").write_text(BIG_SKETCH)
    write_safetensors(tmp / "big.safetensors", {
        "fc.weight": ("F32", [4352, 4096], bytes(4352 * 4096 * 4)),
        "fc.bias": ("F32", [4352], bytes(4352 * 4))})
    return tmp / "big.sketch"


def test_log_levels():
    lenet = str(SOURCE / "examples" / "lenet5.sketch")
    r = run("check", lenet)
    assert r.returncode == 0 and r.stderr == "", "by default nothing but diagnostics on stderr"
    r = run("-v", "check", lenet)
    assert r.stderr == "sketchc: info: checking 1 file on 1 thread\n", r.stderr
    for args in (["-vv", "check", lenet], ["check", lenet, "--verbose", "-v"]):
        r = run(*args)
        assert "sketchc: info: checking" in r.stderr and f"sketchc: debug: checked '{lenet}' in" in r.stderr, r
        assert r.stdout == run("check", lenet).stdout, "logs never reach stdout"
    r = run("-q", "-vv", "check", lenet)
    assert r.returncode == 0 and r.stderr == "", "-q wins over -v"
    r = subprocess.run([SKETCHC, "-q", "check", "-"], input="input x: float32[N, 4]\nr = Relu()\n",
                       capture_output=True, text=True)
    assert r.returncode == 1 and "unknown op 'Relu'" in r.stderr, "-q keeps diagnostics"


def test_log_file():
    lenet = str(SOURCE / "examples" / "lenet5.sketch")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "sketchc.log"
        r = run("--log-file", str(log), "check", lenet)
        assert r.returncode == 0 and r.stderr == "", "the file gets debug logs, stderr stays quiet"
        first = log.read_text()
        assert " info [" in first and "checking 1 file" in first, first
        assert " debug [" in first and f"checked '{lenet}'" in first, first
        r = run("check", lenet, "-q", "--log-file", str(log))
        assert r.stderr == "" and log.read_text().startswith(first), "the log file is appended to"
        assert log.read_text().count("checking 1 file") == 2
        out = Path(tmp) / "out.onnx"
        r = run("--log-file", str(log), "compile", lenet, "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert f"wrote '{out}' (" in log.read_text()
        r = run("--log-file", tmp, "check", lenet)
        assert r.returncode == 2 and "cannot open log file" in r.stderr, r
    r = subprocess.run([str(Path(SKETCHC).parent / "sketch-import"), "--help"], capture_output=True, text=True)
    assert "--log-file" in r.stdout and "--verbose" in r.stdout and "--quiet" in r.stdout


def test_no_progress_off_terminal():
    with tempfile.TemporaryDirectory() as tmp:
        big = make_big(Path(tmp))
        r = run("check", str(big))
        assert r.returncode == 0 and r.stderr == "", r.stderr
        r = run("compile", str(big), "-o", str(Path(tmp) / "big.onnx"))
        assert r.returncode == 0 and r.stderr == "", r.stderr


def test_progress_on_terminal():
    with tempfile.TemporaryDirectory() as tmp:
        big = make_big(Path(tmp))
        code, out, err = run_with_terminal_stderr("check", str(big))
        assert code == 0 and "ok" in out, err
        assert "\rreading " in err and "big.safetensors  [" in err and "100%" in err, repr(err)
        assert err.endswith("\r"), "the bar is erased at the end"
        code, out, err = run_with_terminal_stderr("compile", str(big), "-o", str(Path(tmp) / "big.onnx"))
        assert code == 0, err
        assert "\rwriting " in err and "big.onnx  " in err and " MiB" in err, repr(err)
        code, out, err = run_with_terminal_stderr("-q", "check", str(big))
        assert code == 0 and err == "", repr(err)
        # Two threads reading large files take turns on the line: every redraw is whole.
        other = Path(tmp) / "other"
        other.mkdir()
        make_big(other)
        code, out, err = run_with_terminal_stderr("check", "-j", "2", str(big), str(other / "big.sketch"))
        assert code == 0 and out.count(": ok") == 2, err
        for segment in err.split("\r"):
            assert segment.strip() == "" or (segment.startswith("reading ") and len(segment) == 79), repr(err)
        # The torch kernel module has its own copy of libsketch, but follows the tool's -q.
        if (Path(SKETCHC).parent.parent / "lib" / "sketch" / "sketch_torch_kernel.so").exists():
            pt = str(Path(tmp) / "big.pt")
            code, out, err = run_with_terminal_stderr("compile", str(big), "-o", pt)
            assert code == 0 and "\rwriting " in err and "big.pt  " in err, repr(err)
            code, out, err = run_with_terminal_stderr("-q", "compile", str(big), "-o", pt)
            assert code == 0 and err == "", repr(err)
        small = SOURCE / "examples" / "lenet5.sketch"
        code, out, err = run_with_terminal_stderr("compile", str(small), "-o", str(Path(tmp) / "small.onnx"))
        assert code == 0 and "writing " not in err, "small files show no progress"
        assert "[weights-initialised]" in err, repr(err)  # the one line: no weights were given


def test_colour():
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env["TERM"] = "xterm"
    with tempfile.NamedTemporaryFile("w", suffix=".sketch") as f:
        f.write("input x: float32[N, 4]\nr = Relu()\nx -> r\noutput y = r\n")
        f.flush()
        bad = ["check", f.name]
        code, _, err = run_with_terminal_stderr(*bad, env=env)
        assert code == 1 and "\x1b[" in err, repr(err)
        for no_color in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
            code, _, err = run_with_terminal_stderr(*bad, env={**env, **no_color})
            assert code == 1 and "unknown op" in err and "\x1b[" not in err, (no_color, repr(err))
        code, _, err = run_with_terminal_stderr(*bad, env={**env, "NO_COLOR": ""})
        assert "\x1b[" in err, "an empty NO_COLOR does not count"
        code, _, err = run_with_terminal_stderr("--color=never", *bad, env=env)
        assert "\x1b[" not in err
        r = run(*bad, env=env)
        assert "\x1b[" not in r.stderr, "no colour off a terminal"
        r = run("--color=always", *bad, env={**env, "NO_COLOR": "1"})
        assert "\x1b[" in r.stderr, "--color=always is explicit"


if __name__ == "__main__":
    SKETCHC, SOURCE = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
    globals()["test_" + sys.argv[3]]()
