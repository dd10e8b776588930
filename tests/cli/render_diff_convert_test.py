#!/usr/bin/env python3
"""Command-line tests of `sketchc render`, `diff` and `convert`: drawings that parse and name
every block, semantic diffs of small sketch pairs, and conversions that run in ONNX Runtime
and PyTorch like the model they came from.
Usage: render_diff_convert_test.py SKETCHC SOURCE_DIR WORK_DIR TEST
(convert tests need numpy, node with onnxruntime-node on NODE_PATH, and torch for .pth)"""
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from sketch_texts import MLP_BLOCK  # noqa: E402

SKETCHC = SOURCE = WORK = None

NET = """sketch net
input x: float32[N, 3, 8, 8]
block Unit(c) {
  input i
  conv = Conv2d(c, c, 3, padding=1)
  relu = ReLU()
  i -> conv -> relu
  output relu
}
stem = Conv2d(out_channels=8, kernel_size=3, padding=1)
body = Sequential(Unit(8), Unit(8))
pool = AdaptiveAvgPool2d(1)
flat = Flatten()
fc = Linear(8, 4)
x -> stem -> body -> pool -> flat -> fc
output y = fc
"""


def run(*args, check=None):
    r = subprocess.run([SKETCHC, *map(str, args)], capture_output=True, text=True)
    if check is not None:
        assert r.returncode == check, f"{args}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    return r


def write(name, text):
    path = WORK / name
    path.write_text(text)
    return path


def block_paths(sketch):
    summary = json.loads(run("summary", sketch, "--format", "json", check=0).stdout)
    return [i["name"] for i in summary["inputs"]] + [b["path"] for b in summary["blocks"]]


def dot_boxes(dot):
    return len(re.findall(r"^\s*(?:n|g|out)\d+ \[", dot, re.M))


# ---- render -----------------------------------------------------------------------------

def test_render_svg():
    for sketch in (write("net.sketch", NET), SOURCE / "examples" / "resnet18.sketch"):
        svg = WORK / (sketch.stem + ".svg")
        r = run("render", sketch, "-o", svg, check=0)
        assert r.stdout == "" and r.stderr == "", r
        root = ET.parse(svg).getroot()  # well-formed XML, or this raises
        assert root.tag.endswith("svg"), root.tag
        texts = {t.text for t in root.iter() if t.tag.endswith("text") and t.text}
        for path in block_paths(sketch):
            assert path in texts, f"{sketch.name}: block '{path}' is not drawn"
    onnx = WORK / "net.onnx"  # any importable model draws too
    run("compile", WORK / "net.sketch", "-o", onnx, check=0)
    run("render", onnx, "-o", WORK / "net_onnx.svg", check=0)
    texts = {t.text for t in ET.parse(WORK / "net_onnx.svg").getroot().iter() if t.text}
    assert {"stem", "body.0.conv", "body.1.conv", "fc"} <= texts, texts


def test_render_dot_and_depth():
    sketch = SOURCE / "examples" / "resnet18.sketch"
    full = run("render", sketch, "-o", "-", "--to", "dot", check=0).stdout
    assert full.startswith('digraph "resnet18" {') and full.rstrip().endswith("}"), full[:80]
    assert full.count("{") == full.count("}")
    for path in block_paths(sketch):
        assert f'"{path}\\n' in full, f"block '{path}' has no box"
    if shutil.which("dot"):  # Graphviz's own parser, when the binary is installed
        r = subprocess.run(["dot", "-Tsvg"], input=full, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    counts = [dot_boxes(run("render", sketch, "-o", "-", "--to", "dot", "--depth", d, check=0).stdout)
              for d in (2, 1, 0)]
    assert dot_boxes(full) > counts[0] > counts[1] > counts[2], (dot_boxes(full), counts)
    dot_file = WORK / "resnet18.dot"
    run("render", sketch, "-o", dot_file, check=0)
    assert dot_file.read_text() == full


def test_render_png_and_errors():
    sketch = write("net.sketch", NET)
    png = WORK / "net.png"
    run("render", sketch, "-o", png, check=0)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = run("render", sketch, "-o", WORK / "net.pdf", check=2)
    assert "cannot tell what to draw" in r.stderr and "--to svg|png|dot" in r.stderr, r.stderr
    r = run("render", sketch, "-o", WORK / "missing" / "net.svg", check=2)
    assert "cannot create" in r.stderr, r.stderr
    bad = write("bad.sketch", NET.replace("Linear(8, 4)", "Linear(9, 4)"))
    r = run("render", bad, "-o", WORK / "bad.svg", check=1)
    assert "expects 9 input features" in r.stderr or "error:" in r.stderr, r.stderr
    assert not (WORK / "bad.svg").exists() and not (WORK / "missing").exists()
    r = run("render", sketch, "-o", WORK / "x.svg", "--depth", "-1", check=2)


# ---- diff -------------------------------------------------------------------------------

def diff_json(a, b, code):
    r = run("diff", a, b, "--format", "json", check=code)
    assert r.stderr == "", r.stderr
    return json.loads(r.stdout)


def test_diff_pairs():
    a = write("a.sketch", NET)
    r = run("diff", a, a, check=0)
    assert r.stdout == "" and r.stderr == "", r
    assert diff_json(a, a, 0)["equal"] is True

    wider = write("wider.sketch", NET.replace("Linear(8, 4)", "Linear(8, 6)"))
    d = diff_json(a, wider, 1)
    assert d["equal"] is False and not d["added"] and not d["removed"] and not d["links"]["added"]
    assert d["changed"] == [{"path": "fc", "renamed_from": None, "op": {"before": "Linear", "after": "Linear"},
                             "attrs": [{"name": "out_features", "before": 4, "after": 6}],
                             "outputs": {"before": "float32[N, 4]", "after": "float32[N, 6]"}}], d
    assert d["totals"]["params"] == {"before": 1428, "after": 1446, "delta": 18}, d["totals"]
    assert d["totals"]["macs"]["delta"] == 16, d["totals"]
    text = run("diff", a, wider, check=1).stdout
    assert "~ fc: Linear\n    out_features: 4 → 6\n    output: float32[N, 4] → float32[N, 6]\n" in text, text
    assert "  params: 1,428 → 1,446 (+18)\n" in text, text

    renamed = write("renamed.sketch", NET.replace("fc = ", "head = ").replace("-> fc", "-> head")
                    .replace("y = fc", "y = head"))
    d = diff_json(a, renamed, 1)
    assert [(c["renamed_from"], c["path"]) for c in d["changed"]] == [("fc", "head")], d
    assert d["links"] == {"added": [], "removed": []} and not d["added"] and not d["removed"], d
    assert "~ fc → head: Linear" in run("diff", a, renamed, check=1).stdout

    inserted = write("inserted.sketch", NET.replace("flat = Flatten()", "flat = Flatten()\ndrop = Dropout(0.2)")
                     .replace("flat -> fc", "flat -> drop -> fc"))
    d = diff_json(a, inserted, 1)
    assert [b["path"] for b in d["added"]] == ["drop"] and d["added"][0]["op"] == "Dropout", d
    assert d["links"] == {"added": ["drop -> fc", "flat -> drop"], "removed": ["flat -> fc"]}, d
    assert d["totals"]["params"]["delta"] == 0

    relinked = write("relinked.sketch", NET.replace("x -> stem -> body -> pool", "x -> stem -> pool")
                     .replace("body = Sequential(Unit(8), Unit(8))\n", ""))
    d = diff_json(a, relinked, 1)
    assert {b["path"] for b in d["removed"]} == {"body.0.conv", "body.0.relu", "body.1.conv", "body.1.relu"}, d
    assert "stem -> pool" in d["links"]["added"] and "body.1.relu -> pool" in d["links"]["removed"], d
    text = run("diff", a, relinked, check=1).stdout
    assert "- body.0.conv = Conv2d(" in text and "+ stem -> pool\n" in text, text


def test_diff_errors():
    a = write("a.sketch", NET)
    r = run("diff", a, WORK / "absent.sketch", check=2)
    assert "cannot read" in r.stderr, r.stderr
    bad = write("bad.sketch", NET.replace("ReLU()", "Relu()"))
    r = run("diff", a, bad, check=2)
    assert "unknown op 'Relu'" in r.stderr, r.stderr
    run("diff", a, check=2)


def test_diff_sketch_and_its_onnx_export():
    for sketch in (write("a.sketch", NET), SOURCE / "examples" / "resnet18.sketch"):
        onnx = WORK / (sketch.stem + ".onnx")
        run("compile", sketch, "-o", onnx, check=0)
        r = run("diff", sketch, onnx, check=0)
        assert r.stdout == "", r.stdout
        report = diff_json(sketch, onnx, 0)
        assert report["equal"] is True
        # sketchc names ONNX nodes by block path, and the importer reads the paths back.
        assert report["relabeled"] == [], report["relabeled"]


# ---- convert ----------------------------------------------------------------------------

T7_INPUT = "float32[1, 3, 32, 32]"  # small_cnn's input (tests/data/t7/README.md)


def vectors():
    return SOURCE / "tests" / "data" / "t7"


def ort_output(onnx_path, input_name, x_file, shape):
    ort = SOURCE / "tests" / "onnx" / "ort_run.js"
    out_dir = WORK / (onnx_path.stem + ".out")
    spec = f"{input_name}={x_file}:float32:{','.join(map(str, shape))}"
    r = subprocess.run(["node", str(ort), str(onnx_path), str(out_dir), spec], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    import numpy as np
    return np.fromfile(json.loads(r.stdout)["outputs"][0]["file"], dtype=np.float32)


def test_convert_t7_to_onnx():
    import numpy as np
    onnx = WORK / "small_cnn.onnx"
    r = run("convert", vectors() / "small_cnn.t7", onnx, "--input-shape", T7_INPUT, "--opset", "13", check=0)
    assert r.stdout == "", r.stdout
    import onnx as onnx_lib
    assert onnx_lib.load(str(onnx)).opset_import[0].version == 13  # compile's options carry over
    input_name = onnx_lib.load(str(onnx)).graph.input[0].name
    got = ort_output(onnx, input_name, vectors() / "small_cnn_input.bin", [1, 3, 32, 32])
    want = np.fromfile(vectors() / "small_cnn_output.bin", dtype=np.float32)
    assert got.shape == want.shape and float(np.max(np.abs(got - want))) <= 1e-5, np.max(np.abs(got - want))


def test_convert_onnx_to_pth():
    import numpy as np
    import torch
    onnx = WORK / "small_cnn.onnx"
    run("convert", vectors() / "small_cnn.t7", onnx, "--input-shape", T7_INPUT, check=0)
    pth = WORK / "small_cnn.pth"
    r = run("convert", onnx, pth, check=0)
    assert r.stdout == "", r.stdout
    model = torch.jit.load(str(pth)).eval()
    x = torch.from_numpy(np.fromfile(vectors() / "small_cnn_input.bin", dtype=np.float32).reshape(1, 3, 32, 32))
    with torch.no_grad():
        got = model(x).numpy().ravel()
    want = np.fromfile(vectors() / "small_cnn_output.bin", dtype=np.float32)
    assert got.shape == want.shape and float(np.max(np.abs(got - want))) <= 1e-5, np.max(np.abs(got - want))


TWO_WIDTHS = "sketch two_widths\n" + MLP_BLOCK + """input x: float32[N, 8]
a = Mlp(8, 16)
b = Mlp(8, 32)
x -> a -> b
output y = b
"""


def test_convert_block_at_two_widths():
    """One block definition used at two widths converts to TorchScript as it compiles: a
    module per instance (one class per structure), named by the sketch's paths, computing
    what the ONNX file computes."""
    import numpy as np
    import torch
    sketch = write("two_widths.sketch", TWO_WIDTHS)
    onnx = WORK / "two_widths.onnx"
    run("compile", sketch, "-o", onnx, check=0)
    pth = WORK / "two_widths.pth"
    r = run("convert", onnx, pth, check=0)
    assert "error" not in r.stderr, r.stderr
    run("diff", sketch, pth, check=0)
    model = torch.jit.load(str(pth)).eval()
    assert tuple(model.a.fc1.weight.shape) == (16, 8) and tuple(model.b.fc1.weight.shape) == (32, 8)
    x = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    x.tofile(WORK / "x.bin")
    want = ort_output(onnx, "x", WORK / "x.bin", [3, 8])
    with torch.no_grad():
        got = model(torch.from_numpy(x)).numpy().ravel()
    assert float(np.max(np.abs(got - want))) <= 1e-5, np.max(np.abs(got - want))


def test_convert_failures():
    out = WORK / "out.onnx"
    broken = WORK / "broken.onnx"
    broken.write_bytes(b"not a model")
    r = run("convert", broken, out, check=1)
    assert "error:" in r.stderr, r.stderr
    r = run("convert", vectors() / "small_cnn.t7", WORK / "out.xyz", "--input-shape", T7_INPUT, check=1)
    assert "no kernel handles" in r.stderr, r.stderr
    r = run("convert", WORK / "absent.onnx", out, check=2)
    assert not out.exists() and not (WORK / "out.xyz").exists()
    r = run("convert", vectors() / "small_cnn.t7", vectors() / "small_cnn.t7", "--input-shape", T7_INPUT)
    assert r.returncode == 2 and "it is also an input" in r.stderr, r.stderr
    assert (vectors() / "small_cnn.t7").stat().st_size > 0


def main():
    global SKETCHC, SOURCE, WORK
    SKETCHC, SOURCE, WORK, name = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]) / sys.argv[4], sys.argv[4]
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    globals()["test_" + name]()
    print(f"{name}: passed")


if __name__ == "__main__":
    main()
