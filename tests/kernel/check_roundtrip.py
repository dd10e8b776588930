#!/usr/bin/python3
"""Export then import of every example and every single-op sketch through one kernel gives
back the sketch: `sketchc diff` reports the two equal (blocks, attributes, links, parameter
counts), and the imported weights are the ones compiled in. The single-op cases are
tests/onnx/check_ops.py's; every sketch gets random weights. An op the kernel writes but
reads back as something else (no row of its table reads what it writes) is listed as
export-only; an op whose row reads it must come back equal.

Usage: check_roundtrip.py --bin DIR --kernel onnx|torch|t7 [--opset N] [-k SUBSTRING]
                          [EXAMPLE...]"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "onnx"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import check_ops  # noqa: E402
from check_report import finish  # noqa: E402
from safetensors_file import NUMPY_DTYPES, read_safetensors, write_safetensors  # noqa: E402
from work_folder import work_folder  # noqa: E402

EXTENSIONS = {"onnx": ".onnx", "torch": ".pth", "t7": ".t7"}
SAFETENSORS = {"float32": "F32", "float64": "F64", "int64": "I64", "int32": "I32", "uint8": "U8",
               "bool": "BOOL"}


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def random_weights(summary, rng):
    """Every parameter of the sketch and its running statistics, random (variances positive,
    counts zero); other buffers (a loss's per-class weights) keep the values their
    attributes give them."""
    tensors = {}
    for block in summary["blocks"]:
        for p in block["parameters"]:
            if p["buffer"] and not p["name"].endswith(("running_mean", "running_var",
                                                       "num_batches_tracked")):
                continue
            dtype = p.get("dtype", "float32")
            if dtype.startswith("float"):
                values = rng.standard_normal(p["shape"]).astype(np.float32 if dtype == "float32"
                                                                 else np.float64)
                if p["name"].endswith("running_var"):
                    values = np.abs(values) + 0.5
            else:
                values = np.zeros(p["shape"], NUMPY_DTYPES[SAFETENSORS[dtype]])
            tensors[p["name"]] = values
    return tensors


def same_weights(kernel, given, imported):
    """Names and values equal; Torch7's recurrent modules keep one bias, so there the sums of
    bias_ih and bias_hh are what must agree."""
    if not set(given) <= set(imported):
        return f"tensors given but not imported: {sorted(set(given) - set(imported))}"
    for name, value in given.items():
        if kernel == "t7" and "bias_" in name and name.endswith("_l0"):
            other = name.replace("bias_ih", "bias_hh") if "bias_ih" in name else \
                name.replace("bias_hh", "bias_ih")
            if np.allclose(value + given[other], imported[name] + imported[other], atol=1e-6):
                continue
        elif np.array_equal(value, imported[name]):
            continue
        elif np.allclose(value, imported[name], rtol=1e-6, atol=1e-7):  # float64 models
            continue
        return f"tensor '{name}' differs"
    return None


def refused(result):
    """The kernel refused to write the sketch, at a block or for its structure (a Torch7
    container has one input and one output): there is nothing to read back."""
    return result is not None and result[0] == "compile" and any(
        f"[{code}]" in result[1] for code in ("unsupported-op", "unsupported-structure",
                                              "unsupported-attribute"))


def kernel_info(binary, kernel):
    r = run(os.path.join(binary, "sketchc"), "kernels", "--format", "json")
    for k in json.loads(r.stdout)["kernels"]:
        if k["name"] == kernel:
            return set(k["ops"]), set(k["reads"])
    raise AssertionError(f"no kernel '{kernel}'")


def check_sketch(binary, kernel, name, sketch, work, rng, options):
    sketchc, importer = os.path.join(binary, "sketchc"), os.path.join(binary, "sketch-import")
    summary = json.loads(run(sketchc, "summary", sketch, "--format", "json").stdout)
    weights = random_weights(summary, rng)
    weights_path = os.path.join(work, name + ".safetensors")
    write_safetensors(weights_path, {n: (SAFETENSORS[str(v.dtype)], v.shape, v.tobytes())
                                     for n, v in weights.items()})
    model = os.path.join(work, name + EXTENSIONS[kernel])
    r = run(sketchc, "compile", sketch, "-o", model, "--weights", weights_path, "-q", *options)
    if r.returncode != 0:
        return "compile", r.stderr
    imported = os.path.join(work, name + ".imported.sketch")
    r = run(importer, model, "-o", imported)
    if r.returncode != 0:
        return "import", r.stderr
    r = run(sketchc, "diff", sketch, imported)
    if r.returncode != 0:
        return "diff", r.stdout + r.stderr
    problem = same_weights(kernel, weights, read_safetensors(imported[:-len(".sketch")] +
                                                             ".safetensors"))
    return ("weights", problem) if problem else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--kernel", required=True, choices=EXTENSIONS)
    parser.add_argument("--opset", type=int)
    parser.add_argument("-k", default="")
    parser.add_argument("examples", nargs="*")
    args = parser.parse_args()
    options = ["--opset", str(args.opset)] if args.opset else []
    written, read = kernel_info(args.bin, args.kernel)
    rng = np.random.default_rng(7)
    failures, export_only, refusals, checked = [], [], [], 0
    with work_folder(f"roundtrip_{args.kernel}{args.opset or ''}") as work:
        for example in args.examples:
            name = os.path.splitext(os.path.basename(example))[0]
            if args.k not in name:
                continue
            result = check_sketch(args.bin, args.kernel, name, example, work, rng, options)
            checked += 1
            if refused(result):
                refusals.append(name)
            elif result is not None:
                failures.append(f"{name}: {result[0]}\n{result[1]}")
        for name, call, inputs, outputs, _reference, body in check_ops.CASES:
            if args.k not in name:
                continue
            op = call.split("(")[0]
            if body is None and op not in written:
                continue  # the kernel does not write it: nothing to read back
            sketch = os.path.join(work, name + ".sketch")
            with open(sketch, "w") as f:
                f.write(check_ops.sketch_text(name, call, inputs, outputs, body))
            result = check_sketch(args.bin, args.kernel, name, sketch, work, rng, options)
            checked += 1
            if result is None:
                continue
            if refused(result):
                refusals.append(name)
                continue
            stage, detail = result
            if op not in read and stage in ("diff", "import", "weights"):
                export_only.append(f"{name} ({stage})")
                continue
            failures.append(f"{name}: {stage}\n{detail}")
    finish(f"{args.kernel}: {checked} sketches, {len(failures)} failed; "
           f"written but not read back: {', '.join(export_only) or 'none'}; "
           f"refused by the kernel: {', '.join(refusals) or 'none'}", failures)


if __name__ == "__main__":
    main()
