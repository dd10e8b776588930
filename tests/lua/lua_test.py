#!/usr/bin/env python3
"""End-to-end tests of the Lua plug-ins: the shipped kernels (pytorch-py against real
PyTorch, dot), custom ops, error reporting and the sandbox, and that commands which do not
need plug-ins never load them.  Usage: lua_test.py SKETCHC SOURCE_DIR TEST
Run with /usr/bin/python3 (torch, torchvision) for the pytorch_py_* tests."""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from safetensors_file import write_safetensors  # noqa: E402

SKETCHC = SOURCE = None
HERE = Path(__file__).resolve().parent
PLUGINS = HERE / "plugins"
NUMPY_DTYPES = {"float32": "<f4", "float64": "<f8", "int64": "<i8"}
SAFETENSORS_DTYPES = {"float32": "F32", "float64": "F64", "int64": "I64"}


def run(*args, kernel_path=None):
    env = dict(os.environ)
    env.pop("SKETCH_KERNEL_PATH", None)
    env["HOME"] = env["XDG_DATA_HOME"] = str(Path(tempfile.gettempdir()) / "sketch-lua-test-home")
    if kernel_path:
        env["SKETCH_KERNEL_PATH"] = str(kernel_path)
    return subprocess.run([SKETCHC, *map(str, args)], capture_output=True, text=True, env=env)


def parameters(sketch, kernel_path=None):
    r = run("summary", sketch, "--format", "json", kernel_path=kernel_path)
    assert r.returncode == 0, r.stderr
    return [p for block in json.loads(r.stdout)["blocks"] for p in block["parameters"]]


def random_weights(sketch, path, kernel_path=None):
    """Random weights for every parameter of `sketch`, as numpy arrays by name."""
    import numpy as np
    rng = np.random.default_rng(7)
    arrays = {}
    for p in parameters(sketch, kernel_path):
        if p["dtype"] == "int64":
            arrays[p["name"]] = np.zeros(p["shape"], dtype="<i8")
        elif p["name"].endswith("running_var"):
            arrays[p["name"]] = rng.uniform(0.5, 1.5, p["shape"]).astype(NUMPY_DTYPES[p["dtype"]])
        else:
            arrays[p["name"]] = (rng.standard_normal(p["shape"]) * 0.1).astype(NUMPY_DTYPES[p["dtype"]])
    write_safetensors(path, {name: (SAFETENSORS_DTYPES[str(a.dtype.name)], a.shape, a.tobytes())
                             for name, a in arrays.items()})
    return arrays


def import_file(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Independent PyTorch definitions of the examples, with the same module paths.
def reference(name):
    import torch
    from torch import nn
    import torchvision
    if hasattr(torchvision.models, name):
        return getattr(torchvision.models, name)(), torch.randn(1, 3, 224, 224)
    if name == "lenet5":
        class LeNet5(nn.Module):
            def __init__(self):
                super().__init__()
                self.c1, self.c3 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
                self.c5, self.f6, self.out = nn.Conv2d(16, 120, 5), nn.Linear(120, 84), nn.Linear(84, 10)

            def forward(self, x):
                x = nn.functional.avg_pool2d(torch.tanh(self.c1(x)), 2)
                x = nn.functional.avg_pool2d(torch.tanh(self.c3(x)), 2)
                x = torch.flatten(torch.tanh(self.c5(x)), 1)
                return self.out(torch.tanh(self.f6(x)))
        return LeNet5(), torch.randn(3, 1, 32, 32)
    if name == "lstm_classifier":
        class LstmClassifier(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb, self.fc = nn.Embedding(1000, 64), nn.Linear(128, 5)
                self.lstm = nn.LSTM(64, 128, num_layers=2, batch_first=True)

            def forward(self, tokens):
                return self.fc(self.lstm(self.emb(tokens))[0][:, -1])
        return LstmClassifier(), torch.randint(0, 1000, (3, 12))
    if name == "transformer_classifier":
        class TransformerClassifier(nn.Module):
            def __init__(self):
                super().__init__()
                layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, batch_first=True)
                self.enc, self.head = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False), nn.Linear(64, 3)

            def forward(self, x):
                return self.head(self.enc(x).mean(dim=1))
        return TransformerClassifier(), torch.randn(2, 10, 64)
    raise KeyError(name)


def check_pytorch_py(name):
    import numpy as np
    import torch
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        sketch = SOURCE / "examples" / f"{name}.sketch"
        weights = Path(tmp) / "weights.safetensors"
        arrays = random_weights(sketch, weights)
        out = Path(tmp) / f"{name}_gen.py"
        r = run("compile", sketch, "-o", out, "--weights", weights)
        assert r.returncode == 0, r.stderr
        assert (Path(tmp) / f"{name}_gen.bin").exists(), "no weights sidecar"
        generated = import_file(out).build()
        state = generated.state_dict()
        assert set(state) == set(arrays), set(state) ^ set(arrays)
        for key, array in arrays.items():
            assert np.array_equal(state[key].numpy(), array), f"{key} differs from the weights file"
        model, example = reference(name)
        model.load_state_dict({k: torch.from_numpy(a.copy()) for k, a in arrays.items()})
        model.eval()
        with torch.no_grad():
            expected, got = model(example), generated(example)
        assert torch.allclose(expected, got, rtol=1e-4, atol=1e-5), \
            f"{name}: max difference {(expected - got).abs().max().item()}"


def test_pytorch_py_lenet5():
    check_pytorch_py("lenet5")


def test_pytorch_py_resnet18():
    check_pytorch_py("resnet18")


def test_pytorch_py_lstm_classifier():
    check_pytorch_py("lstm_classifier")


def test_pytorch_py_transformer_classifier():
    check_pytorch_py("transformer_classifier")


def test_pytorch_py_examples():
    """Every example either compiles and runs (matching torchvision where it has the model),
    or fails listing only unsupported ops."""
    import torchvision
    with tempfile.TemporaryDirectory() as tmp:
        for sketch in sorted((SOURCE / "examples").glob("*.sketch")):
            if hasattr(torchvision.models, sketch.stem):
                check_pytorch_py(sketch.stem)
                continue
            out = Path(tmp) / f"{sketch.stem}_gen.py"
            r = run("compile", sketch, "-o", out)
            if r.returncode != 0:
                errors = [l for l in r.stderr.splitlines() if ": error: " in l]
                assert errors and all("[unsupported-op]" in l for l in errors), r.stderr
                assert not out.exists()
                continue
            model = import_file(out).build()
            assert sum(p.numel() for p in model.parameters()) > 0, sketch


def test_dot():
    with tempfile.TemporaryDirectory() as tmp:
        for sketch in sorted((SOURCE / "examples").glob("*.sketch")):
            out = Path(tmp) / f"{sketch.stem}.dot"
            r = run("compile", sketch, "-o", out)
            assert r.returncode == 0, f"{sketch}: {r.stderr}"
            text = out.read_text()
            assert text.startswith("digraph ") and text.rstrip().endswith("}")
            assert text.count("{") == text.count("}"), f"{sketch}: unbalanced braces"
            declared = set(re.findall(r'^\s*"([^"]+)" \[label=', text, re.M))
            r = run("graph", sketch, "--format", "json")
            paths = {n["path"] for n in json.loads(r.stdout)["nodes"]}
            assert paths <= declared, f"{sketch}: missing {paths - declared}"
            for a, b in re.findall(r'^\s*"([^"]+)" -> "([^"]+)"', text, re.M):
                assert a in declared and b in declared, f"{sketch}: edge {a} -> {b}"
            if shutil.which("dot"):
                svg = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True)
                assert svg.returncode == 0, svg.stderr


def test_kernels_listing():
    r = run("kernels", "--format", "json", kernel_path=PLUGINS / "confined")
    assert r.returncode == 0, r.stderr
    kernels = {k["name"]: k for k in json.loads(r.stdout)["kernels"]}
    assert list(kernels)[:3] == ["onnx", "t7", "torch"], "built-in kernels come first"
    assert kernels["onnx"]["origin"] == "built-in"
    assert kernels["pytorch-py"]["extensions"] == [".py"]
    assert "Conv2d" in kernels["pytorch-py"]["ops"]
    assert kernels["dot"]["origin"].endswith("share/sketch/kernels/dot.lua")
    assert kernels["confined"]["origin"] == str(PLUGINS / "confined" / "confined.lua")
    text = run("kernels").stdout
    assert re.search(r"^pytorch-py  \.py  .*pytorch_py\.lua$", text, re.M), text


def test_kernel_by_name():
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lenet5.txt"
        r = run("compile", SOURCE / "examples" / "lenet5.sketch", "-o", out, "--kernel", "dot")
        assert r.returncode == 0, r.stderr
        assert out.read_text().startswith('digraph "lenet5"')
        # `-o -` is standard output; a kernel that needs a sidecar says so instead.
        dot = subprocess.run([SKETCHC, "compile", SOURCE / "examples" / "lenet5.sketch", "-o", "-",
                              "--kernel", "dot"], capture_output=True, text=True, cwd=tmp)
        assert dot.returncode == 0 and dot.stdout.startswith('digraph "lenet5"'), dot.stderr
        py = subprocess.run([SKETCHC, "compile", SOURCE / "examples" / "lenet5.sketch", "-o", "-",
                             "--kernel", "pytorch-py"], capture_output=True, text=True, cwd=tmp)
        assert py.returncode == 1 and "a sidecar needs an output file, not stdout" in py.stderr
        assert py.stdout == "" and sorted(os.listdir(tmp)) == ["lenet5.txt"], os.listdir(tmp)


def test_man_example():
    """The worked example of man/sketch-kernels.7 (tests/lua/plugins/example)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lenet5.csv"
        weights = Path(tmp) / "w.safetensors"
        arrays = random_weights(SOURCE / "examples" / "lenet5.sketch", weights)
        r = run("compile", SOURCE / "examples" / "lenet5.sketch", "-o", out, "--weights", weights,
                kernel_path=PLUGINS / "example")
        assert r.returncode == 0, r.stderr
        rows = [line.split(",") for line in out.read_text().splitlines()]
        assert rows[0] == ["path", "op", "output", "line", "params", "weight_sum"]
        c1 = next(row for row in rows if row[0] == "c1")
        assert c1[1:5] == ["Conv2d", "N x 6 x 28 x 28", "8", "156"], c1
        expected = float(arrays["c1.weight"].sum() + arrays["c1.bias"].sum())
        assert abs(float(c1[5]) - expected) < 1e-4, (c1, expected)


def test_custom_ops():
    sketch = HERE / "sketches" / "swish_net.sketch"
    r = run("check", sketch, kernel_path=PLUGINS / "ops")
    assert r.returncode == 0, r.stderr
    r = run("summary", sketch, "--format", "json", kernel_path=PLUGINS / "ops")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    blocks = {b["path"]: b for b in summary["blocks"]}
    assert blocks["act"]["op"] == "Swish" and blocks["act"]["params"] == 4
    assert blocks["act"]["parameters"][0]["name"] == "act.beta"
    assert blocks["add"]["macs"] == 4 * 8 * 8
    assert summary["totals"]["params"] == 112 + 4 + 148 + 10
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "swish.onnx"
        r = run("compile", sketch, "-o", out, kernel_path=PLUGINS / "ops")
        assert r.returncode == 1 and not out.exists(), r.stderr
        assert "swish_net.sketch:7:9: error: the onnx kernel cannot express Swish 'act'" in r.stderr
        assert "swish_net.sketch:9:9: error: the onnx kernel cannot express ScaledAdd 'add'" in r.stderr
        out = Path(tmp) / "swish.dot"
        r = run("compile", sketch, "-o", out, kernel_path=PLUGINS / "ops")
        assert r.returncode == 0 and '"act" [label="act\\nSwish"' in out.read_text(), r.stderr
    r = run("check", sketch)
    assert r.returncode == 1 and "unknown op 'Swish'" in r.stderr


def test_custom_ops_python():
    """pytorch-py writes custom ops from their `python` field; checked against torch functions."""
    import torch
    import torch.nn.functional as F
    sketch = HERE / "sketches" / "swish_net.sketch"
    with tempfile.TemporaryDirectory() as tmp:
        weights = Path(tmp) / "w.safetensors"
        arrays = random_weights(sketch, weights, PLUGINS / "ops")
        out = Path(tmp) / "swish_net.py"
        r = run("compile", sketch, "-o", out, "--weights", weights, kernel_path=PLUGINS / "ops")
        assert r.returncode == 0, r.stderr
        model = import_file(out).build()
        w = {k: torch.from_numpy(a.copy()) for k, a in arrays.items()}
        x = torch.randn(2, 3, 8, 8)
        conv = F.conv2d(x, w["conv.weight"], w["conv.bias"], padding=1)
        act = conv * torch.sigmoid(w["act.beta"].view(1, -1, 1, 1) * conv)
        add = 0.5 * (F.conv2d(act, w["conv2.weight"], w["conv2.bias"], padding=1) + act)
        expected = F.linear(add.mean(dim=(2, 3)), w["fc.weight"], w["fc.bias"])
        with torch.no_grad():
            got = model(x)
        assert torch.allclose(expected, got, rtol=1e-4, atol=1e-5), (expected - got).abs().max()


BAD_KERNELS = [
    ("bad_syntax", ".broken", "broken.lua:6: error: cannot load the plug-in: unexpected symbol near ')'"),
    ("bad_runtime", ".crash", "crash.lua:8: error: the crash kernel failed: attempt to index local 'missing'"),
    ("bad_return", ".wrong", "wrong.lua:5: error: the wrong kernel failed: export returned a number"),
    ("bad_io", ".escape", "escape.lua:6: error: the escape kernel failed: attempt to index global 'io'"),
    ("bad_os", ".shell", "shell.lua:6: error: the shell kernel failed: attempt to index global 'os'"),
    ("confined", ".confined", "confined.lua:8: error: the confined kernel failed: a sidecar suffix is an extension"),
]


def test_kernel_errors():
    escaped = Path("/tmp/sketch-escape.txt")
    with tempfile.TemporaryDirectory() as tmp:
        for folder, ext, expected in BAD_KERNELS:
            out = Path(tmp) / f"model{ext}"
            r = run("compile", SOURCE / "examples" / "lenet5.sketch", "-o", out, kernel_path=PLUGINS / folder)
            assert r.returncode == 1, f"{folder}: exit {r.returncode}: {r.stderr}"
            assert str(PLUGINS / folder) + "/" + expected in r.stderr, f"{folder}: {r.stderr}"
            assert os.listdir(tmp) == [], f"{folder}: left {os.listdir(tmp)}"
    assert not escaped.exists()


def test_plugins_load_only_when_needed():
    """A broken plug-in on the path does not disturb commands that need no plug-in."""
    broken = PLUGINS / "bad_syntax"
    r = run("check", SOURCE / "examples" / "resnet18.sketch", kernel_path=broken)
    assert r.returncode == 0 and "plugin" not in r.stderr, r.stderr
    with tempfile.TemporaryDirectory() as tmp:
        r = run("compile", SOURCE / "examples" / "lenet5.sketch", "-o", Path(tmp) / "m.onnx",
                kernel_path=broken)
        assert r.returncode == 0, r.stderr
    r = run("kernels", kernel_path=broken)
    assert r.returncode == 1 and "broken.lua:6: error: cannot load the plug-in" in r.stderr


def main():
    global SKETCHC, SOURCE
    SKETCHC, SOURCE, test = os.path.abspath(sys.argv[1]), Path(sys.argv[2]).resolve(), sys.argv[3]
    globals()["test_" + test]()
    print(f"ok {test}")


if __name__ == "__main__":
    main()
