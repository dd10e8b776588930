#!/usr/bin/python3
"""Each one-module file that real Lua Torch wrote (tests/data/t7/modules, cases listed in its
README with their input shapes) goes through sketch-import and sketchc compile to TorchScript;
torch.jit.load runs it on the recorded input and must reproduce the output Lua Torch computed
within 1e-5 x max(1, max |output|).

A module whose computation differs from its catalogue op's (DIFFERENT) must be imported with
a warning that says so.

The classes the importer does not read yet are listed in REFUSED: each must be refused
cleanly (an error naming the file, a non-zero exit, no output written). A case that starts
importing fails the test until it leaves the list, so the list is always the exact gap.

Usage: check_t7_modules.py BIN_DIR WORK_DIR"""
import os
import re
import subprocess
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from check_report import finish  # noqa: E402
from work_folder import work_folder  # noqa: E402

DATA = os.path.join(HERE, "..", "data", "t7", "modules")
TOLERANCE = 1e-5

# Cases whose module has no reader (or, for table inputs, whose input a sketch cannot take).
REFUSED = {
    "depthwise_conv", "depthwise_conv_nonsquare", "temporal_conv", "volumetric_conv",
    "volumetric_max_pool", "volumetric_avg_pool", "volumetric_batchnorm", "reflection_padding",
    "replication_padding", "upsampling_nearest", "upsampling_bilinear", "hardtanh_0_6",
    "add_constant", "mul_constant", "hardswish_composite", "csub_table", "cdiv_table",
    "cmax_table", "mm_batch", "transpose_2_3", "select_in_sequential", "mean_2", "sum_2",
    "max_2", "squeeze", "unsqueeze_2", "replicate_3_2", "power_2", "sqrt", "exp", "log", "abs",
    "softplus", "softsign", "softmin_2d", "glu", "normalize_2", "lrn_3", "lrn_3_custom",
    "layer_norm", "layer_norm_batch_bug", "dilated_conv", "spatial_softmax", "seqblstm_sum",
    "seqblstm_concat", "bisequencer_lstm", "bisequencer_lstm_peephole",
}
# Modules that compute something other than their catalogue op: the import must warn with
# this text, and the outputs then differ.
DIFFERENT = {"seqgru": "nn.SeqGRU resets the hidden state before the recurrent product"}
# nn.LookupTable takes 1-based indices and imports as Embedding, which takes 0-based ones.
INTEGER_INPUTS = {"lookup_table"}


def cases():
    """(name, input shape) of every row of the README's table."""
    with open(os.path.join(DATA, "README.md")) as f:
        for line in f:
            cells = [c.strip() for c in line.split("|")]
            if len(cells) > 4 and re.fullmatch(r"[a-z0-9_]+", cells[1]) and cells[1] != "case":
                yield cells[1], cells[3]


def shape_of(text):
    return [int(d) for d in re.match(r"[0-9x]+", text).group(0).split("x")]


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def check(binary, work, name, shape_text):
    model = os.path.join(DATA, name + ".t7")
    sketch = os.path.join(work, name + ".sketch")
    integer = name in INTEGER_INPUTS
    if name in REFUSED:
        r = run(os.path.join(binary, "sketch-import"), model, "-o", sketch)
        if r.returncode == 0:
            return "imports now: remove it from REFUSED"
        if "error:" not in r.stderr or name + ".t7" not in r.stderr or "Traceback" in r.stderr:
            return "not refused cleanly:\n" + r.stderr
        return "refused" if not os.path.exists(sketch) else "refused but wrote " + sketch
    shape = shape_of(shape_text)
    dtype = "int64" if integer else "float32"
    r = run(os.path.join(binary, "sketch-import"), model, "-o", sketch,
            "--input-shape", f"{dtype}[{', '.join(map(str, shape))}]")
    if r.returncode != 0:
        return "import failed:\n" + r.stderr
    if name in DIFFERENT:
        return None if DIFFERENT[name] in r.stderr else "no warning that outputs differ:\n" + \
            r.stderr
    compiled = os.path.join(work, name + ".pth")
    r = run(os.path.join(binary, "sketchc"), "compile", sketch, "-o", compiled, "-q")
    if r.returncode != 0:
        return "compile failed:\n" + r.stderr
    x = np.fromfile(os.path.join(DATA, name + "_input.bin"), np.float32).reshape(shape)
    x = torch.from_numpy(x.astype(np.int64) - 1) if integer else torch.from_numpy(x)
    want = np.fromfile(os.path.join(DATA, name + "_output.bin"), np.float32)
    module = torch.jit.load(compiled).eval()
    with torch.no_grad():
        got = module(x)
    got = (got[0] if isinstance(got, tuple) else got).numpy().reshape(-1)
    if got.shape != want.shape:
        return f"output has {got.size} values, Lua Torch's {want.size}"
    error = float(np.abs(got - want).max())
    if error > TOLERANCE * max(1.0, float(np.abs(want).max())):
        return f"max difference {error:.3g}"
    return None


def main():
    binary, work_dir = sys.argv[1], sys.argv[2]
    failures, refused, matched = [], 0, 0
    with work_folder(work_dir) as work:
        for name, shape in cases():
            result = check(binary, work, name, shape)
            if result == "refused":
                refused += 1
            elif result is None:
                matched += 1
            else:
                failures.append(f"{name}: {result}")
    finish(f"t7 modules: {matched} reproduce Lua Torch's output (or warn why not), "
           f"{refused} refused as listed, {len(failures)} failed", failures)


if __name__ == "__main__":
    main()
