#!/usr/bin/python3
"""End-to-end check of the ONNX importer on one corpus model, or on an unknown op.

Round trip (one model):
  sketch-import M.onnx -o OUT/M.sketch  ->  sketchc check OUT/M.sketch
  ->  sketchc compile OUT/M.sketch -o OUT/M.re.onnx
  ->  ONNX Runtime (tests/onnx/ort_run.js) on M.onnx and M.re.onnx with the corpus input
  ->  both outputs match the PyTorch reference M.out.bin: max abs diff <= 1e-4 * scale,
      scale = max(1, max |reference|).
Unknown op (--unknown-op): a model with an op of a custom domain makes sketch-import exit 1
and name the op and its node; with --allow-unknown it exits 0.
Each check writes into OUT/M (OUT/unknown_op), which is removed when it passes.

Needs /usr/bin/python3's onnx module (to read input names and build the custom-op model)
and NODE_PATH with onnxruntime-node (the ctest fixture provides it).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from work_folder import work_folder  # noqa: E402

TOLERANCE = 1e-4
NUMPY_TYPES = {TensorProto.FLOAT: ("float32", np.float32), TensorProto.INT64: ("int64", np.int64),
               TensorProto.INT32: ("int32", np.int32), TensorProto.DOUBLE: ("float64", np.float64)}


def run(cmd, expect=0):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != expect:
        sys.exit("FAIL: %s exited %d (expected %d)\nstdout:\n%s\nstderr:\n%s"
                 % (" ".join(cmd), proc.returncode, expect, proc.stdout, proc.stderr))
    return proc


def ort_outputs(args, model, input_file, out_dir):
    """Runs `model` on the raw input file; returns its first output as a numpy array."""
    graph = onnx.load(model, load_external_data=False).graph
    initializers = {t.name for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in initializers]
    if len(inputs) != 1:
        sys.exit("FAIL: %s has %d inputs, the corpus gives one" % (model, len(inputs)))
    tensor = inputs[0].type.tensor_type
    dtype, _ = NUMPY_TYPES[tensor.elem_type]
    dims = ",".join(str(d.dim_value) for d in tensor.shape.dim)
    spec = "%s=%s:%s:%s" % (inputs[0].name, input_file, dtype, dims)
    proc = run(["node", args.ort_run, model, out_dir, spec])
    first = json.loads(proc.stdout.strip().splitlines()[-1])["outputs"][0]
    array_type = dict(NUMPY_TYPES.values())[first["type"]]
    return np.fromfile(first["file"], dtype=array_type).reshape(first["dims"])


def compare(name, got, reference):
    got = got.reshape(-1).astype(np.float64)
    if got.size != reference.size:
        sys.exit("FAIL: %s gives %d values, the reference has %d" % (name, got.size, reference.size))
    scale = max(1.0, float(np.abs(reference).max()))
    diff = float(np.abs(got - reference).max())
    print("%s: max abs diff %.3g (scale %.3g)" % (name, diff, scale))
    if diff > TOLERANCE * scale:
        sys.exit("FAIL: %s differs from the PyTorch reference by %.3g > %.3g"
                 % (name, diff, TOLERANCE * scale))


def round_trip(args, model, out):
    original = os.path.join(args.corpus, model + ".onnx")
    sketch = os.path.join(out, model + ".sketch")
    recompiled = os.path.join(out, model + ".re.onnx")
    run([args.sketch_import, original, "-o", sketch])
    run([args.sketchc, "check", sketch])
    run([args.sketchc, "compile", sketch, "-o", recompiled])
    reference = np.fromfile(os.path.join(args.corpus, model + ".out.bin"), dtype=np.float32)
    reference = reference.astype(np.float64)
    input_file = os.path.join(args.corpus, model + ".in.bin")
    for label, path in (("original", original), ("recompiled", recompiled)):
        out_dir = os.path.join(out, label)
        compare("%s %s" % (model, label), ort_outputs(args, path, input_file, out_dir), reference)


def unknown_op(args, out):
    model = os.path.join(out, "unknown_op.onnx")
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="/frob/Frobnicate",
                            domain="com.example")
    graph = helper.make_graph(
        [node, helper.make_node("Relu", ["y"], ["z"], name="/relu/Relu")], "unknown",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4])],
        value_info=[helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                      helper.make_opsetid("com.example", 1)]),
              model)
    sketch = os.path.join(out, "unknown_op.sketch")
    failed = run([args.sketch_import, model, "-o", sketch], expect=1)
    for needle in ("Frobnicate", "com.example", "/frob/Frobnicate", "--allow-unknown"):
        if needle not in failed.stderr:
            sys.exit("FAIL: the diagnostic does not mention %r:\n%s" % (needle, failed.stderr))
    if os.path.exists(sketch):
        sys.exit("FAIL: a failed import wrote %s" % sketch)
    run([args.sketch_import, model, "-o", sketch, "--allow-unknown"])
    print("unknown op: listed, and kept with --allow-unknown")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sketch-import", required=True)
    p.add_argument("--sketchc", required=True)
    p.add_argument("--ort-run", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--unknown-op", action="store_true")
    p.add_argument("model", nargs="?")
    args = p.parse_args()
    name = "unknown_op" if args.unknown_op else args.model
    with work_folder(os.path.join(args.out, name)) as out:
        if args.unknown_op:
            unknown_op(args, out)
        else:
            round_trip(args, args.model, out)


if __name__ == "__main__":
    main()
