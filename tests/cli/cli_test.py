#!/usr/bin/env python3
"""Command-line tests of sketchc: exit codes, streams, fmt properties on every example, and
that the main binary does not load LibTorch.  Usage: cli_test.py SKETCHC SOURCE_DIR TEST"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from safetensors_file import write_safetensors  # noqa: E402
from sketch_texts import MLP_BLOCK  # noqa: E402

SKETCHC = SOURCE = None


def run(*args, stdin=None, env=None):
    return subprocess.run([SKETCHC, *args], capture_output=True, text=True, input=stdin,
                          env=None if env is None else {**os.environ, **env})


def examples():
    return sorted(p for p in (SOURCE / "examples").iterdir() if p.suffix in (".sketch", ".yaml"))


def comparable_graph(path):
    """The graph as JSON minus source locations, which differ between forms."""
    r = run("graph", str(path), "--format", "json")
    assert r.returncode == 0, f"{path}: {r.stderr}"
    g = json.loads(r.stdout)
    for node in g["nodes"]:
        node.pop("location")
    return g


def test_fmt_idempotent():
    for path in examples():
        once = run("fmt", str(path))
        assert once.returncode == 0, f"{path}: {once.stderr}"
        suffix = path.suffix
        with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False) as f:
            f.write(once.stdout)
        twice = run("fmt", f.name)
        os.unlink(f.name)
        assert twice.stdout == once.stdout, f"{path}: fmt is not idempotent"


def test_text_yaml_text_keeps_graph():
    with tempfile.TemporaryDirectory() as tmp:
        for path in examples():
            yaml_path = Path(tmp) / (path.stem + ".yaml")
            text_path = Path(tmp) / (path.stem + ".sketch")
            r = run("fmt", str(path), "--to", "yaml", "-o", str(yaml_path))
            assert r.returncode == 0, f"{path}: {r.stderr}"
            r = run("fmt", str(yaml_path), "--to", "sketch", "-o", str(text_path))
            assert r.returncode == 0, f"{path}: {r.stderr}"
            original = comparable_graph(path)
            assert comparable_graph(yaml_path) == original, f"{path}: YAML form differs"
            assert comparable_graph(text_path) == original, f"{path}: text form differs"


def test_exit_codes_and_streams():
    ok = SOURCE / "examples" / "lenet5.sketch"
    r = run("check", str(ok))
    assert r.returncode == 0 and r.stderr == "" and "ok" in r.stdout, r
    r = run("check", "/nonexistent/x.sketch")
    assert r.returncode == 2 and "cannot read '/nonexistent/x.sketch'" in r.stderr, r
    r = run("check", "-", stdin="input x: float32[N, 4]\nr = Relu()\nx -> r\noutput y = r\n")
    assert r.returncode == 1, r
    assert "<stdin>:2:5: error: unknown op 'Relu'" in r.stderr and "did you mean 'ReLU'?" in r.stderr, r
    r = run("check", "--format", "json", "-", stdin="input x: float32[N, 4]\nr = ReLU()\nx -> r\noutput y = r\n")
    assert r.returncode == 0 and r.stderr == "", r
    assert json.loads(r.stdout)["files"][0]["ok"] is True
    r = run("check", "--no-such-flag", str(ok))
    assert r.returncode == 2, r
    r = run("--help")
    assert r.returncode == 0 and "check" in r.stdout, r
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("sketchc "), r


def test_check_folder():
    r = run("check", str(SOURCE / "examples"))
    assert r.returncode == 0, r.stderr
    assert f"checked {len(examples())} files: {len(examples())} ok" in r.stdout, r.stdout


def test_fmt_writes_atomically():
    src = SOURCE / "examples" / "lenet5.sketch"
    with tempfile.TemporaryDirectory() as tmp:
        r = run("fmt", str(src), "-o", f"{tmp}/missing/dir/out.sketch")
        assert r.returncode == 2 and "cannot create" in r.stderr, r
        assert not Path(f"{tmp}/missing").exists()
        copy = Path(tmp) / "net.sketch"
        copy.write_text(src.read_text())
        r = run("fmt", str(copy), "-o", str(copy))
        assert r.returncode == 2, r
        assert copy.read_text() == src.read_text(), "the input was changed"
        r = run("fmt", str(copy), "-i")
        assert r.returncode == 0, r
        assert os.listdir(tmp) == ["net.sketch"], os.listdir(tmp)


def test_weights_directive():
    """The weights directive binds by path; wrong shapes, missing and unused tensors are named."""
    import struct
    with tempfile.TemporaryDirectory() as tmp:
        sketch = Path(tmp) / "net.sketch"
        sketch.write_text('sketch net\ninput x: float32[N, 4]\nweights "net.safetensors"\n'
                          "fc = Linear(4, 2)\nx -> fc\noutput y = fc\n")
        floats = lambda n: struct.pack(f"<{n}f", *range(n))
        write_safetensors(Path(tmp) / "net.safetensors", {"fc.weight": ("F32", [2, 4], floats(8)),
                                                          "fc.bias": ("F32", [2], floats(2))})
        r = run("check", str(sketch))
        assert r.returncode == 0 and r.stderr == "", r
        write_safetensors(Path(tmp) / "net.safetensors", {"fc.weight": ("F32", [4, 2], floats(8)),
                                                          "head.bias": ("F32", [2], floats(2))})
        r = run("check", "--format", "json", str(sketch))
        assert r.returncode == 1, r
        messages = [d["message"] for d in json.loads(r.stdout)["diagnostics"]]
        assert any("'fc.weight'" in m and "[2, 4]" in m and "[4, 2]" in m for m in messages), messages
        assert any("fc.bias" in m for m in messages), messages
        assert any("head.bias" in m for m in messages), messages


EDITED_MLP = MLP_BLOCK + """input x: float32[N, 8]
m = Mlp(8, WIDTH)
head = Linear(8, 3)
x -> m -> head
output head
"""


def test_weights_edit():
    """Widening a block instance: without --reinit-mismatched each tensor that no longer fits
    is an error at the instance, naming the option; with it exactly those are initialised and
    listed, and every other tensor is written unchanged. No weights at all is a warning."""
    import struct
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sketch = tmp / "mlp.sketch"
        sketch.write_text(EDITED_MLP.replace("WIDTH", "16"))
        r = run("compile", str(sketch), "-o", str(tmp / "fresh.onnx"))
        assert r.returncode == 0, r
        assert "no weights were given, so 6 parameters were initialised" in r.stderr, r.stderr
        assert "[weights-initialised]" in r.stderr, r.stderr
        r = run("compile", str(sketch), "-o", str(tmp / "fresh.onnx"), "-v")
        assert r.stderr.count("info: initialised ") == 6, r.stderr

        def tensor(seed, shape):
            n = 1
            for d in shape:
                n *= d
            return ("F32", shape, struct.pack(f"<{n}f", *[seed + i / 1024 for i in range(n)]))
        trained = {"m.fc1.weight": tensor(1, [16, 8]), "m.fc1.bias": tensor(2, [16]),
                   "m.fc2.weight": tensor(3, [8, 16]), "m.fc2.bias": tensor(4, [8]),
                   "head.weight": tensor(5, [3, 8]), "head.bias": tensor(6, [3])}
        write_safetensors(tmp / "trained.safetensors", trained)
        sketch.write_text(EDITED_MLP.replace("WIDTH", "32"))
        out = tmp / "wide.onnx"
        r = run("compile", str(sketch), "-o", str(out), "--weights", str(tmp / "trained.safetensors"))
        assert r.returncode == 1 and not out.exists(), r
        errors = [line for line in r.stderr.splitlines() if "error:" in line]
        assert len(errors) == 3 and all(e.startswith(f"{sketch}:10:5: error: tensor 'm.fc") for e in errors), r.stderr
        assert r.stderr.count("help: to keep the tensors that fit and initialise the others, "
                              "compile with --reinit-mismatched") == 3, r.stderr
        r = run("compile", str(sketch), "-o", str(out), "--weights", str(tmp / "trained.safetensors"),
                "--reinit-mismatched", "-v")
        assert r.returncode == 0, r
        assert ("3 parameters no longer fit their tensors in '" + str(tmp / "trained.safetensors") +
                "' and were initialised: 'm.fc1.weight', 'm.fc1.bias', 'm.fc2.weight' "
                "[weight-reinitialised]") in r.stderr, r.stderr
        assert "info: m.fc1.weight is [16, 8] in " in r.stderr, r.stderr
        written = out.read_bytes()
        for name, (_, _, raw) in trained.items():
            kept = name in ("m.fc2.bias", "head.weight", "head.bias")
            assert (raw in written) == kept, f"{name}: {'not ' if kept else ''}kept"


def test_unknown_command():
    """A mistyped command is named, with the closest one, not "A subcommand is required"."""
    r = run("chek", "examples/lenet5.sketch")
    assert r.returncode == 2 and r.stdout == "", r
    assert r.stderr == ("sketchc: error: unknown command 'chek'\n"
                        "  help: did you mean 'check'? 'sketchc --help' lists the commands\n"), r.stderr
    r = run("--color", "never", "frobnicate")
    assert r.returncode == 2 and "unknown command 'frobnicate'" in r.stderr, r
    assert "did you mean" not in r.stderr, r.stderr


def test_ops():
    """`sketchc ops` lists every catalogue op that a sketch can call, with the kernels that
    write and read it (custom ops of Lua plug-ins too); named ops in full; an unknown name is
    an error with a suggestion."""
    r = run("ops", "--format", "json")
    assert r.returncode == 0, r
    ops = {op["name"]: op for op in json.loads(r.stdout)["ops"]}
    assert "Input" not in ops and {"Conv2d", "LSTM", "Hardshrink", "Constant"} <= set(ops), sorted(ops)
    conv = ops["Conv2d"]
    assert [a["name"] for a in conv["attributes"]][:3] == ["in_channels", "out_channels", "kernel_size"]
    assert conv["attributes"][0]["inferred"] and conv["attributes"][1]["required"]
    assert {"onnx", "torch", "t7"} <= set(conv["writes"]) and {"onnx", "t7"} <= set(conv["reads"]), conv
    assert "t7" not in ops["Conv3d"]["writes"], ops["Conv3d"]
    text = run("ops").stdout
    assert text.count("\n  writes: ") == len(ops), text[:400]
    r = run("ops", "Conv2d")
    assert r.returncode == 0 and r.stdout.startswith(
        "Conv2d(in_channels=(inferred), out_channels, kernel_size, stride=1, padding=0,"), r.stdout
    assert "  stride: int or tuple of 2 ints, default 1: " in r.stdout, r.stdout
    plugins = {"SKETCH_KERNEL_PATH": str(SOURCE / "tests" / "lua" / "plugins" / "ops")}
    assert "\nSwish(num_features=(inferred), init=1)\n" in run("ops", env=plugins).stdout
    r = run("ops", "Conv2e")
    assert r.returncode == 1 and "unknown op 'Conv2e'" in r.stderr and "did you mean 'Conv2d'?" in r.stderr, r


def test_refusal_says_why():
    """A block a kernel has a row for but cannot write says why; one without a row points
    at `sketchc ops`."""
    with tempfile.TemporaryDirectory() as tmp:
        sketch = Path(tmp) / "net.sketch"
        sketch.write_text("input x: float32[N, 4, 8]\nfc = Linear(8, 2)\nact = GELU()\n"
                          "x -> fc -> act\noutput y = act\n")
        r = run("compile", str(sketch), "-o", str(Path(tmp) / "net.t7"))
        assert r.returncode == 1 and not (Path(tmp) / "net.t7").exists(), r
        assert "help: the t7 kernel writes Linear only on a 1-D or 2-D input" in r.stderr, r.stderr
        assert "help: 'sketchc ops GELU' lists the kernels that write it" in r.stderr, r.stderr


def test_binary_input():
    """A model file given where a sketch belongs is one error that says so, not one per byte."""
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "model.pth"
        model.write_bytes(b"PK\x03\x04" + bytes(4 << 20))
        for command in ("check", "summary", "fmt", "graph"):
            r = run(command, str(model))
            assert r.returncode != 0, r
            assert r.stderr.count("error:") == 1, r.stderr[:2000]
            assert f"'{model}' is not a sketch: byte 4 is NUL" in r.stderr, r.stderr
            assert f"sketch-import {model} -o {Path(tmp) / 'model.sketch'}`" in r.stderr, r.stderr
        r = run("check", "--format", "json", str(model))
        codes = [d["code"] for d in json.loads(r.stdout)["diagnostics"]]
        assert codes == ["not-text"], codes
        r = run("check", "-", stdin="input x: float32[N, 4]\0\n")
        assert r.returncode != 0 and "'<stdin>' is not a sketch: byte 22 is NUL" in r.stderr, r
        assert "help" not in r.stderr, r.stderr


def test_error_limit():
    """Text full of invalid characters is cut off after the error limit, with a note there.
    Reports stay valid UTF-8 and free of control characters whatever bytes the file holds
    (run() decodes them strictly)."""
    with tempfile.TemporaryDirectory() as tmp:
        garbage = Path(tmp) / "garbage.sketch"
        garbage.write_bytes(bytes((7 * i) % 254 + 1 for i in range(200_000)))
        r = run("check", str(garbage))
        assert r.returncode == 1 and r.stderr.count("error:") == 20, r.stderr[:3000]
        assert not [c for c in r.stderr if ord(c) < 0x20 and c != "\n"], r.stderr[:3000]
        assert "note: too many errors: stopped after the first 20 [too-many-errors]" in r.stderr, r
        assert r.stderr.rstrip().endswith("help: --error-limit N keeps N errors, "
                                          "--error-limit 0 all of them"), r.stderr[-500:]
        assert f"{garbage}: 20 errors" in r.stdout, r.stdout
        r = run("check", "--format", "json", "--error-limit", "3", str(garbage))
        codes = [d["code"] for d in json.loads(r.stdout)["diagnostics"]]
        assert codes == ["invalid-character"] * 3 + ["too-many-errors"], codes
        r = run("check", str(garbage), "--error-limit", "0")
        assert r.returncode == 1 and "too-many-errors" not in r.stderr, r.stderr[-500:]
        assert r.stderr.count("error:") > 10_000, r.stderr.count("error:")


def test_not_utf8():
    """Bytes that are not UTF-8 in a sketch's strings reach reports as U+FFFD: JSON and SARIF
    stay valid, and the text report decodes."""
    with tempfile.TemporaryDirectory() as tmp:
        sketch = Path(tmp) / "net.sketch"
        sketch.write_bytes(b'sketch net\ninput x: float32[N, 4]\nweights "w\xff.safetensors"\n'
                           b"fc = Linear(4, 2)\nx -> fc\noutput y = fc\n")
        r = run("check", str(sketch))
        assert r.returncode == 2 and "w\ufffd.safetensors" in r.stderr, r
        for form in ("json", "sarif"):
            r = run("check", "--format", form, str(sketch))
            assert r.returncode == 2 and "w\ufffd.safetensors" in r.stdout, r
            json.loads(r.stdout)


def test_no_libtorch():
    """check/fmt/summary must not pay for LibTorch: neither binary links it."""
    for binary in (SKETCHC, str(Path(SKETCHC).parent / "sketch-import")):
        r = subprocess.run(["ldd", binary], capture_output=True, text=True)
        assert r.returncode == 0, r
        assert "torch" not in r.stdout and "libc10" not in r.stdout, f"{binary}:\n{r.stdout}"


def test_torch_module_errors():
    """A torch kernel module that is missing or cannot be loaded is an I/O error (exit 2)
    that names the file, and no output is written. A copy of sketchc outside the build tree
    finds modules only through SKETCH_KERNEL_PATH."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "bin").mkdir()
        copy = tmp / "bin" / "sketchc"
        copy.write_bytes(Path(SKETCHC).read_bytes())
        copy.chmod(0o755)
        modules = tmp / "modules"
        modules.mkdir()
        out = tmp / "x.pth"
        example = str(SOURCE / "examples" / "lenet5.sketch")
        env = dict(os.environ, SKETCH_KERNEL_PATH=str(modules))
        r = subprocess.run([str(copy), "compile", example, "-o", str(out)],
                           capture_output=True, text=True, env=env)
        assert r.returncode == 2, r
        assert "the torch kernel module is not installed" in r.stderr, r.stderr
        assert str(modules) in r.stderr, r.stderr
        broken = modules / "sketch_torch_kernel.so"
        broken.write_text("not a shared library")
        r = subprocess.run([str(copy), "compile", example, "-o", str(out)],
                           capture_output=True, text=True, env=env)
        assert r.returncode == 2, r
        assert f"{broken}: error: cannot load kernel module: " in r.stderr, r.stderr
        assert not out.exists()


def test_torch_stdout():
    """`-o -` writes the TorchScript archive (a zip) to standard output, not a file '-'. The
    run ends without LibTorch's teardown (tools/process_exit.h): the archive and the log
    file are complete all the same."""
    import io
    import zipfile
    with tempfile.TemporaryDirectory() as tmp:
        example = str((SOURCE / "examples" / "lenet5.sketch").resolve())
        r = subprocess.run([os.path.abspath(SKETCHC), "compile", example, "-o", "-", "--kernel", "torch"],
                           capture_output=True, cwd=tmp)
        assert r.returncode == 0, r.stderr
        assert r.stdout[:4] == b"PK\x03\x04", r.stdout[:16]
        with zipfile.ZipFile(io.BytesIO(r.stdout)) as archive:
            assert archive.testzip() is None
            assert any(name.endswith("/data.pkl") for name in archive.namelist()), archive.namelist()
        assert os.listdir(tmp) == [], os.listdir(tmp)
        r = subprocess.run([os.path.abspath(SKETCHC), "--log-file", "run.log", "compile", example,
                            "-o", "lenet5.pth"], capture_output=True, text=True, cwd=tmp)
        assert r.returncode == 0, r.stderr
        log = (Path(tmp) / "run.log").read_text()
        size = (Path(tmp) / "lenet5.pth").stat().st_size
        assert "loading kernel module" in log and log.endswith(f"wrote 'lenet5.pth' ({size} bytes)\n"), log
        r = subprocess.run([os.path.abspath(SKETCHC), "diff", "lenet5.pth", str(SOURCE / "examples" / "alexnet.sketch")],
                           capture_output=True, text=True, cwd=tmp)
        assert r.returncode == 1 and r.stdout.startswith("--- lenet5.pth\n") and "\nblocks:\n" in r.stdout, r


SMALL_CNN = """input x: float32[N, 1, H, W]
c1 = Conv2d(1, 16, 3)
p1 = MaxPool2d(2)
c2 = Conv2d(16, 32, 3)
f = Flatten()
x -> c1 -> p1 -> c2 -> f
output y = f
"""


def test_summary_macs():
    """MACs never silently count a symbolic size as 1: with H and W symbolic the counts are
    unknown and name the symbols; --input-shape gives them; the batch alone still counts per
    sample. check and diff carry the same."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cnn.sketch"
        path.write_text(SMALL_CNN)
        r = run("summary", str(path), "--format", "json")
        assert r.returncode == 0, r.stderr
        j = json.loads(r.stdout)
        conv = next(b for b in j["blocks"] if b["path"] == "c1")
        assert conv["macs"] is None and conv["macs_depend_on"] == ["H", "W"], conv
        assert j["totals"]["macs"] is None and j["totals"]["macs_depend_on"] == ["H", "W"], j
        r = run("summary", str(path))
        assert "Total MACs (per sample): ? (they depend on H, W; give sizes with --input-shape)" \
            in r.stdout, r.stdout
        r = run("summary", str(path), "--format", "json", "--input-shape", "float32[1, 1, 28, 28]")
        assert r.returncode == 0, r.stderr
        j = json.loads(r.stdout)
        # 16*1*9 per output pixel of 26x26, and 32*16*9 per pixel of 11x11.
        assert j["totals"]["macs"] == 144 * 26 * 26 + 4608 * 11 * 11, j["totals"]
        assert "macs_depend_on" not in j["totals"], j["totals"]
        path.write_text(SMALL_CNN.replace("N, 1, H, W", "N, 1, 28, 28"))
        j = json.loads(run("summary", str(path), "--format", "json").stdout)
        assert j["totals"]["macs"] == 144 * 26 * 26 + 4608 * 11 * 11, j["totals"]
        j = json.loads(run("check", str(path), "--format", "json").stdout)
        assert j["files"][0]["macs"] == 144 * 26 * 26 + 4608 * 11 * 11, j
        for bad, message in (("float32[1, 1, 28]x", "is not of the form"),
                             ("float32[1, 2, 28, 28]", "expects 1 input channel")):
            r = run("summary", str(path), "--input-shape", bad)
            assert r.returncode == 1 and message in r.stderr, (bad, r.stderr)


def main():
    global SKETCHC, SOURCE
    SKETCHC, SOURCE, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    globals()["test_" + name]()
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
