#!/usr/bin/python3
"""Cases of ONNX's own backend test suite (Debian's libonnx-testdata: data/<set>/<case>, each
model.onnx and test_data_set_*/ input and output tensors) through sketch-import, sketchc
compile to TorchScript, and PyTorch, against the outputs the suite records. Cases are named
<set>/<case> (node/test_lrn, pytorch-converted/test_Conv2d).

Node cases feed weights (InstanceNormalization's scale and B, ...) as graph inputs; those
after the first become initializers holding the recorded values, as a model would carry
them. Each case must import, compile and match (outputs within 1e-4 relative to their
scale, 1e-5 absolute), except those in REFUSED, which must be refused with a diagnostic
(never an internal error or a crash) until they are read: then they fail here, to be taken
off the list.
Usage: check_backend_suite.py --sketchc BIN --sketch-import BIN --workdir DIR SET|CASE...
(a SET is every case of data/<set>)"""
import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from check_report import finish  # noqa: E402

SUITE = Path("/usr/share/libonnx-testdata/data")

# Cases refused today, and why.
REFUSED = {
    "pytorch-converted/test_GLU": "Split into halves",
    "pytorch-converted/test_GLU_dim": "Split into halves",
    "pytorch-converted/test_ReflectionPad2d": "Pad mode reflect",
    "pytorch-converted/test_ReplicationPad2d": "Pad mode edge",
    "pytorch-converted/test_Softmin": "libonnx cannot upgrade its Softmax from opset 6",
    "pytorch-converted/test_Softsign": "libonnx cannot upgrade it from opset 6",
    "pytorch-operator/test_operator_addconstant": "libonnx cannot upgrade it from opset 6",
    "pytorch-operator/test_operator_addmm": "libonnx cannot upgrade it from opset 6",
    "pytorch-operator/test_operator_basic": "an op without import",
    "pytorch-operator/test_operator_chunk": "Split into parts",
    "pytorch-operator/test_operator_max": "elementwise Max",
    "pytorch-operator/test_operator_min": "elementwise Min",
    "pytorch-operator/test_operator_mm": "libonnx cannot upgrade it from opset 6",
    "pytorch-operator/test_operator_pad": "Pad mode reflect",
    "pytorch-operator/test_operator_params": "an op without import",
    "pytorch-operator/test_operator_pow": "Pow with a tensor exponent",
    "pytorch-operator/test_operator_repeat": "Tile",
    "pytorch-operator/test_operator_repeat_dim_overflow": "Tile",
    "pytorch-operator/test_operator_symbolic_override_nested": "ops without import",
    "pytorch-operator/test_operator_view": "view of a 1-D tensor",
}


def tensors(folder, prefix):
    files = sorted(folder.glob(f"{prefix}_*.pb"), key=lambda p: int(p.stem.split("_")[1]))
    out = []
    for f in files:
        t = onnx.TensorProto()
        t.ParseFromString(f.read_bytes())
        out.append(numpy_helper.to_array(t))
    return out


def with_weights_as_initializers(model, inputs):
    """The model with its data inputs after the first as initializers of their recorded
    values (still listed as inputs, as IR version 3 models list every initializer)."""
    graph = model.graph
    weights = {i.name for i in graph.initializer}
    data = [v for v in graph.input if v.name not in weights]
    for value, array in zip(data[1:], inputs[1:]):
        graph.initializer.append(numpy_helper.from_array(array, value.name))
    return model


def check(case, args, work):
    folder = SUITE / case
    data = sorted(folder.glob("test_data_set_*"))[0]
    inputs, outputs = tensors(data, "input"), tensors(data, "output")
    model = with_weights_as_initializers(onnx.load(str(folder / "model.onnx")), inputs)
    name = case.replace("/", "_")
    onnx_path, sketch, pth = work / f"{name}.onnx", work / f"{name}.sketch", work / f"{name}.pth"
    onnx.save(model, str(onnx_path))
    for command in ([args.sketch_import, onnx_path, "-o", sketch], [args.sketchc, "compile", sketch, "-o", pth]):
        r = subprocess.run([str(c) for c in command], capture_output=True, text=True)
        if r.returncode == 0:
            continue
        refused = r.returncode in (1, 2) and "error:" in r.stderr and "internal error" not in r.stderr
        if case in REFUSED and refused:
            return None
        return f"{Path(command[0]).name} failed (exit {r.returncode}): {r.stderr.strip()}"
    if case in REFUSED:
        return "now imports: take it off REFUSED"
    module = torch.jit.load(str(pth)).eval()
    with torch.no_grad():
        got = module(torch.from_numpy(inputs[0]))
    got = [got] if isinstance(got, torch.Tensor) else list(got)
    if len(got) != len(outputs):
        return f"{len(got)} outputs, the suite records {len(outputs)}"
    for i, (g, want) in enumerate(zip(got, outputs)):
        g = g.numpy()
        if g.shape != want.shape:
            return f"output {i} has shape {g.shape}, the suite records {want.shape}"
        scale = max(1.0, float(np.abs(want).max())) if want.size else 1.0
        diff = float(np.abs(g - want).max()) if want.size else 0.0
        if diff > 1e-4 * scale + 1e-5:
            return f"output {i} differs by {diff:.3g} (scale {scale:.3g})"
    print(f"{case}: ok ({sketch.read_text().count(chr(10))} lines of sketch)")
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--sketch-import", dest="sketch_import", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    failures = []
    cases = []
    for name in args.cases:
        cases += sorted(f"{name}/{c.name}" for c in (SUITE / name).iterdir()) if "/" not in name else [name]
    for case in cases:
        try:
            problem = check(case, args, work)
        except Exception as e:  # a model that fails in PyTorch fails its case only
            problem = f"{type(e).__name__}: {str(e).strip().splitlines()[-1]}"
        if problem:
            failures.append(f"{case}: {problem}")
    finish(f"{len(cases) - len(failures)} of {len(cases)} backend suite cases as expected "
           f"({len([c for c in cases if c in REFUSED])} refused)", failures)


if __name__ == "__main__":
    main()
