#!/usr/bin/env python3
"""Real Lua Torch files through the whole tool chain: sketch-import each vector model,
compile the sketch to ONNX, run it in ONNX Runtime on the recorded input, and compare with
the output Lua Torch recorded (max abs diff <= 1e-5).

nn.SeqGRU is left out: it applies the reset gate before the recurrent product, PyTorch's GRU
(the catalogue's) after it, so its import is reported as approximate (the kernel warns).
small_cnn_double is left out too: ONNX Runtime's CPU provider has no float64 Conv; the
PyTorch check (check_t7.py) covers it.
Usage: check_t7_onnx.py BIN_DIR SOURCE_DIR WORK_DIR MODEL"""
import json
import os
import subprocess
import sys

import numpy as np

# Input type of each vector model (the .t7 files do not record it; see their README).
INPUTS = {
    "small_cnn": ("float32", [1, 3, 32, 32]),
    "small_cnn_ascii": ("float32", [1, 3, 32, 32]),
    "small_cnn_flatparams": ("float32", [1, 3, 32, 32]),
    "mlp_logsoftmax": ("float32", [4, 5]),
    "rnn_seqlstm": ("float32", [5, 2, 3]),
}


def data_name(model):
    """The ascii and flatparams variants share small_cnn's input and output."""
    return "small_cnn" if model in ("small_cnn_ascii", "small_cnn_flatparams") else model


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return r.stdout


def main():
    bin_dir, source, work, model = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    vectors = os.path.join(source, "tests", "data", "t7")
    dtype, shape = INPUTS[model]
    type_text = f"{dtype}[{', '.join(map(str, shape))}]"
    sketch = os.path.join(work, model + ".sketch")
    onnx_path = os.path.join(work, model + ".onnx")
    run(os.path.join(bin_dir, "sketch-import"), os.path.join(vectors, model + ".t7"), "-o", sketch,
        "--input-shape", type_text)
    run(os.path.join(bin_dir, "sketchc"), "check", sketch)
    run(os.path.join(bin_dir, "sketchc"), "compile", sketch, "-o", onnx_path)
    x = np.fromfile(os.path.join(vectors, data_name(model) + "_input.bin"), dtype=np.float32)
    x_file = os.path.join(work, model + ".in.bin")
    x.astype(dtype).tofile(x_file)
    input_name = subprocess.run([os.path.join(bin_dir, "sketchc"), "summary", sketch, "--format", "json"],
                                capture_output=True, text=True, check=True)
    input_name = json.loads(input_name.stdout)["inputs"][0]["name"]
    ort = os.path.join(source, "tests", "onnx", "ort_run.js")
    result = json.loads(run("node", ort, onnx_path, os.path.join(work, model + ".out"),
                            f"{input_name}={x_file}:{dtype}:{','.join(map(str, shape))}"))
    out = result["outputs"][0]
    got = np.fromfile(out["file"], dtype=np.float64 if out["type"] == "float64" else np.float32)
    want = np.fromfile(os.path.join(vectors, data_name(model) + "_output.bin"), dtype=np.float32)
    if got.size != want.size:
        sys.exit(f"FAIL: {model}: {got.size} outputs, Lua Torch recorded {want.size}")
    diff = float(np.max(np.abs(got.astype(np.float64) - want)))
    if diff > 1e-5:
        sys.exit(f"FAIL: {model}: max abs diff {diff:.3g} > 1e-5")
    print(f"{model}: max abs diff {diff:.3g}")
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
