#!/usr/bin/python3
"""sketch-import of TorchScript archives, checked against real PyTorch and ONNX Runtime.

corpus MODEL (a model of shared/corpus, saved by torch.jit.script in Python):
  sketch-import M.ts.pt -o OUT/M.sketch  ->  sketchc check
  ->  compile to M.pth: torch.jit.load runs it on M.in.bin, the output matches M.out.bin
  ->  compile to M.onnx: ONNX Runtime runs it, the output matches M.out.bin
  ->  sketch-import M.pth: the same sketch text and the same weights file, byte for byte.
traced NAME (a model traced here with torch.jit.trace, which keeps no constructor arguments):
  sketch-import -> compile to .pth: the same outputs as the traced archive.
refusals: a forward whose `if` depends on tensor values, a pickled nn.Module, a plain
  state_dict and an archive whose __setstate__ writes a file on load are refused with exit 1,
  a message naming the cause, and no output file (nor the file written).
rezipped SKETCH: the example's archive rewritten by Python's zipfile, its records stored
  or deflated, imports to the same sketch and weights as the archive itself.
example SKETCH (a sketch of examples/):
  compile to .pth -> sketch-import -> compile -> sketch-import: the same text and weights
  both times, and the imported model computes what the example's archive computes.
Outputs match when max |a - b| <= 1e-4 * max(1, max |reference|). Each check writes into
a folder of --workdir that is removed when it passes.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from typing import Tuple

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from rezip import rezip  # noqa: E402
from work_folder import work_folder  # noqa: E402

TOLERANCE = 1e-4


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        sys.exit("FAIL: %s exited %d\nstdout:\n%s\nstderr:\n%s"
                 % (" ".join(cmd), proc.returncode, proc.stdout, proc.stderr))
    return proc


def compare(label, got, reference):
    got = np.asarray(got, dtype=np.float64).reshape(-1)
    reference = np.asarray(reference, dtype=np.float64).reshape(-1)
    if got.size != reference.size:
        sys.exit("FAIL: %s gives %d values, the reference %d" % (label, got.size, reference.size))
    scale = max(1.0, float(np.abs(reference).max()))
    diff = float(np.abs(got - reference).max())
    print("%s: max abs diff %.3g (scale %.3g)" % (label, diff, scale))
    if diff > TOLERANCE * scale:
        sys.exit("FAIL: %s differs by %.3g > %.3g" % (label, diff, TOLERANCE * scale))


def run_torch(path, x):
    model = torch.jit.load(path).eval()
    with torch.no_grad():
        y = model(x)
    return (y[0] if isinstance(y, tuple) else y).numpy()


def import_twice(args, model, out, options=()):
    """Imports `model`, compiles the sketch back to a .pth and imports that: the second
    import must give the first one's text and weights. Returns the first sketch."""
    first = os.path.join(out, "first")
    second = os.path.join(out, "second")
    for folder in (first, second):
        os.makedirs(folder)
    sketch = os.path.join(first, "model.sketch")
    run([args.sketch_import, model, "-o", sketch] + list(options))
    run([args.sketchc, "check", sketch])
    # Named like the model: the sketch takes its name from the file's.
    stem = os.path.basename(model).split(".")[0]
    archive = os.path.join(out, "recompiled", stem + ".pth")
    os.makedirs(os.path.dirname(archive), exist_ok=True)
    run([args.sketchc, "compile", sketch, "-o", archive])
    run([args.sketch_import, archive, "-o", os.path.join(second, "model.sketch")])
    for name in ("model.sketch", "model.safetensors"):
        with open(os.path.join(first, name), "rb") as a, open(os.path.join(second, name), "rb") as b:
            if a.read() != b.read():
                sys.exit("FAIL: importing the recompiled archive changes %s (%s vs %s)"
                         % (name, first, second))
    print("import -> compile -> import: same sketch and weights")
    return sketch, archive


def ort_output(args, onnx_path, input_file, dtype, shape, out_dir):
    import onnx
    graph = onnx.load(onnx_path, load_external_data=False).graph
    initializers = {t.name for t in graph.initializer}
    name = [i.name for i in graph.input if i.name not in initializers][0]
    spec = "%s=%s:%s:%s" % (name, input_file, dtype, ",".join(str(d) for d in shape))
    proc = run(["node", args.ort_run, onnx_path, out_dir, spec])
    first = json.loads(proc.stdout.strip().splitlines()[-1])["outputs"][0]
    return np.fromfile(first["file"], dtype=np.float32).reshape(first["dims"])


def corpus_row(corpus, name):
    rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(corpus, "corpus.tsv"))]
    row = [r for r in rows if r[0] == name][-1]
    shape = [int(d) for d in row[1].strip("()").split(",") if d.strip()]
    return shape, row[2].replace("torch.", "")


def check_corpus(args, out):
    name = args.target
    shape, dtype = corpus_row(args.corpus, name)
    input_file = os.path.join(args.corpus, name + ".in.bin")
    x = torch.from_numpy(np.fromfile(input_file, dtype=dtype).reshape(shape))
    reference = np.fromfile(os.path.join(args.corpus, name + ".out.bin"), dtype=np.float32)
    archive = os.path.join(args.corpus, name + ".ts.pt")
    # Without --input-shape the first layer gives the input type, with symbolic sizes.
    derived = os.path.join(out, "derived.sketch")
    run([args.sketch_import, archive, "-o", derived])
    run([args.sketchc, "check", derived])
    given = "%s[%s]" % (dtype, ", ".join(["N"] + [str(d) for d in shape[1:]]))
    sketch, archive = import_twice(args, archive, out, ["--input-shape", given])
    compare(name + " .pth in PyTorch", run_torch(archive, x), reference)
    onnx_path = os.path.join(out, "imported.onnx")
    run([args.sketchc, "compile", sketch, "-o", onnx_path])
    compare(name + " .onnx in ONNX Runtime",
            ort_output(args, onnx_path, input_file, dtype, shape, os.path.join(out, "ort")), reference)


def example_input(sketchc, sketch):
    summary = json.loads(run([sketchc, "summary", sketch, "--format", "json"]).stdout)
    text = summary["inputs"][0]["type"]
    dtype, dims = text[:text.index("[")], text[text.index("[") + 1:-1].split(",")
    shape = [2 if not d.strip().isdigit() else int(d) for d in dims]
    torch.manual_seed(0)
    if dtype.startswith("int"):
        return torch.randint(0, 10, shape)
    return torch.randn(shape, dtype=getattr(torch, dtype))


def check_example(args, out):
    name = os.path.splitext(os.path.basename(args.target))[0]
    original = os.path.join(out, "original.pth")
    run([args.sketchc, "compile", args.target, "-o", original])
    _, archive = import_twice(args, original, out)
    x = example_input(args.sketchc, args.target)
    compare(name + " imported vs original", run_torch(archive, x), run_torch(original, x))


def check_rezipped(args, out):
    """The archive of an example, rewritten by Python's zipfile with its records stored
    (unaligned, sizes in the headers) or deflated, imports to the same sketch and weights:
    records read in place from the mapped file and records LibTorch copies agree."""
    archive = os.path.join(out, "model.pth")
    run([args.sketchc, "compile", args.target, "-o", archive])
    results = {}
    for label, compression in (("torch", None), ("stored", zipfile.ZIP_STORED),
                               ("deflated", zipfile.ZIP_DEFLATED)):
        folder = os.path.join(out, label)
        os.makedirs(folder)
        variant = os.path.join(folder, "model.pth")
        if compression is None:
            shutil.copy(archive, variant)
        else:
            rezip(archive, variant, compression)
        sketch = os.path.join(folder, "model.sketch")
        run([args.sketch_import, variant, "-o", sketch])
        results[label] = [open(os.path.join(folder, name), "rb").read()
                          for name in ("model.sketch", "model.safetensors")]
    for label in ("stored", "deflated"):
        if results[label] != results["torch"]:
            sys.exit("FAIL: the %s archive imports differently from torch.jit.save's" % label)
    print("torch.jit.save's, stored and deflated archives: the same sketch and weights")


class TinyLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(50, 8)
        self.lstm = torch.nn.LSTM(8, 16, batch_first=True)
        self.norm = torch.nn.LayerNorm(16)
        self.fc = torch.nn.Linear(16, 4)

    def forward(self, x):
        y, _ = self.lstm(self.emb(x))
        return self.fc(torch.relu(self.norm(y)))


def traced_model(name):
    torch.manual_seed(0)
    if name == "tiny_lstm":
        return TinyLSTM().eval(), torch.randint(0, 50, (2, 7))
    import torchvision
    model = getattr(torchvision.models, name)(weights=None).eval()
    for m in model.modules():  # statistics that are not the identity
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    return model, torch.randn(2, 3, 224, 224)


def check_traced(args, out):
    model, x = traced_model(args.target)
    traced = os.path.join(out, args.target + ".pt")
    with torch.no_grad():
        torch.jit.trace(model, x).save(traced)
    sketch, archive = import_twice(args, traced, out)
    compare(args.target + " traced, imported", run_torch(archive, x), run_torch(traced, x))


class Branchy(torch.nn.Module):
    def forward(self, x):
        if bool(x.sum() > 0):
            return x
        return -x


class WritesOnLoad(torch.nn.Module):
    """torch.jit.load runs __setstate__, and TorchScript can write files through
    torch.from_file(shared=True): loading this archive overwrites `target`."""

    def __init__(self, target: str):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(3, 2))
        self.target = target
        self.written = torch.zeros(4, dtype=torch.uint8)

    def forward(self, x):
        return torch.nn.functional.linear(x, self.weight)

    @torch.jit.export
    def __getstate__(self) -> Tuple[str, bool, torch.Tensor]:
        return (self.target, self.training, self.weight)

    @torch.jit.export
    def __setstate__(self, state: Tuple[str, bool, torch.Tensor]) -> None:
        self.target, self.training, self.weight = state
        # Kept in an attribute: TorchScript drops a dead write.
        self.written = torch.from_file(self.target, True, 4, dtype=torch.uint8).fill_(88)


def expect_refusal(args, model, needles):
    out = os.path.splitext(model)[0] + ".sketch"
    proc = subprocess.run([args.sketch_import, model, "-o", out], capture_output=True, text=True)
    if proc.returncode != 1 or os.path.exists(out):
        sys.exit("FAIL: %s: exit %d (expected 1), output %s\n%s"
                 % (model, proc.returncode, "written" if os.path.exists(out) else "absent", proc.stderr))
    for needle in needles:
        if needle not in proc.stderr:
            sys.exit("FAIL: %s: the message does not say %r:\n%s" % (model, needle, proc.stderr))
    if "Traceback" in proc.stderr or len(proc.stderr.strip().splitlines()) > 3:
        sys.exit("FAIL: %s: expected a short located message:\n%s" % (model, proc.stderr))
    print("%s: refused (%s)" % (os.path.basename(model), proc.stderr.splitlines()[0]))


def check_refusals(args, out):
    branchy = os.path.join(out, "branchy.pt")
    torch.jit.script(Branchy()).save(branchy)
    expect_refusal(args, branchy, ["depends on tensor values", "check_script_import.py:"])
    pickled = os.path.join(out, "pickled_module.pth")
    torch.save(torch.nn.Linear(2, 3), pickled)
    expect_refusal(args, pickled, ["torch.nn.modules.linear.Linear", "torch.jit.save"])
    state_dict = os.path.join(out, "state_dict.pth")
    torch.save(torch.nn.Linear(2, 3).state_dict(), state_dict)
    expect_refusal(args, state_dict, ["no architecture", "--weights"])
    target = os.path.join(out, "target.txt")
    with open(target, "w") as f:
        f.write("untouched")
    writes_on_load = os.path.join(out, "writes_on_load.pt")
    torch.jit.script(WritesOnLoad(target)).save(writes_on_load)
    needles = ["record 'code/__torch__.py' mentions __setstate__", "torch.jit.load runs"]
    expect_refusal(args, writes_on_load, needles)
    bound = os.path.join(out, "bound.pth")
    proc = subprocess.run([args.sketchc, "compile", "-", "-o", bound, "--weights", writes_on_load],
                          input="sketch bound\ninput x: float32[N, 2]\nfc = Linear(2, 3, bias=false)\n"
                                "x -> fc\noutput y = fc\n",
                          capture_output=True, text=True)
    if proc.returncode != 1 or needles[0] not in proc.stderr or os.path.exists(bound):
        sys.exit("FAIL: compile --weights %s: exit %d\n%s" % (writes_on_load, proc.returncode,
                                                                proc.stderr))
    with open(target) as f:
        if f.read() != "untouched":
            sys.exit("FAIL: importing %s ran its __setstate__" % writes_on_load)
    torch.jit.load(writes_on_load)  # the archive is live: Python's loader runs the code
    with open(target) as f:
        if not f.read().startswith("XXXX"):
            sys.exit("FAIL: %s does not write on load, so its refusal proves nothing"
                     % writes_on_load)
    print("%s: nothing ran" % os.path.basename(writes_on_load))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["corpus", "example", "rezipped", "traced", "refusals"])
    p.add_argument("target", nargs="?", help="corpus or traced model name, or a sketch file")
    p.add_argument("--sketchc", required=True)
    p.add_argument("--sketch-import", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--corpus")
    p.add_argument("--ort-run")
    args = p.parse_args()
    target = os.path.splitext(os.path.basename(args.target or ""))[0]
    check, folder = {"corpus": (check_corpus, "corpus_" + target),
                     "example": (check_example, target),
                     "rezipped": (check_rezipped, "rezipped_" + target),
                     "traced": (check_traced, "traced_" + target),
                     "refusals": (check_refusals, "refusals")}[args.mode]
    with work_folder(os.path.join(args.workdir, folder)) as out:
        check(args, out)


if __name__ == "__main__":
    main()
