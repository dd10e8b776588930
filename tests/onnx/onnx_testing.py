"""Shared pieces of the ONNX export tests: safetensors writing, sketchc and ONNX Runtime
runs, the Python ONNX checker and the output comparison.

ONNX Runtime is onnxruntime-node (tests/onnx/ort_run.js, NODE_PATH set by ctest); the
checker is Debian's python3-onnx; the references run in Debian's python3-torch.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from safetensors_file import write_torch_safetensors as write_safetensors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ORT_RUN = os.path.join(HERE, "ort_run.js")
TOLERANCE = 1e-4

ORT_DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64",
              torch.int32: "int32", torch.bool: "bool"}
NUMPY_DTYPES = {"float32": np.float32, "float64": np.float64, "int64": np.int64,
                "int32": np.int32, "bool": np.bool_}


def sketchc(binary, *args):
    """Runs sketchc; returns (exit code, stdout, stderr)."""
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def summary(binary, path):
    code, out, err = sketchc(binary, "summary", path, "--format", "json")
    if code != 0:
        raise AssertionError(f"sketchc summary {path} failed:\n{err}")
    return json.loads(out)


def randomize_stats(module, generator):
    """Non-trivial BatchNorm running statistics and affine parameters, so that inference
    mode really uses them."""
    for m in module.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm) and m.track_running_stats:
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=generator) + 0.5)
                if m.affine:
                    m.weight.copy_(torch.rand(m.weight.shape, generator=generator) + 0.5)
                    m.bias.copy_(torch.randn(m.bias.shape, generator=generator) * 0.1)


def state_for(summary_json, module):
    """The module's state_dict in the sketch's parameter order; checks names and shapes."""
    state = module.state_dict()
    wanted = [p for b in summary_json["blocks"] for p in b["parameters"]]
    names = [p["name"] for p in wanted]
    if set(names) != set(state):
        raise AssertionError(f"parameter names differ: sketch-only {sorted(set(names) - set(state))}, "
                             f"torch-only {sorted(set(state) - set(names))}")
    for p in wanted:
        if list(state[p["name"]].shape) != p["shape"]:
            raise AssertionError(f"{p['name']}: sketch {p['shape']}, torch {list(state[p['name']].shape)}")
    return {n: state[n] for n in names}


def check_onnx_file(path, symbols):
    """The Python checker with full_check, and symbolic input dims as dim_param."""
    onnx.checker.check_model(path, full_check=True)
    model = onnx.load(path)
    for value in model.graph.input:
        for dim in value.type.tensor_type.shape.dim:
            if dim.HasField("dim_param") and dim.dim_param not in symbols:
                raise AssertionError(f"input {value.name}: unexpected dim_param {dim.dim_param}")
    params = {d.dim_param for v in model.graph.input for d in v.type.tensor_type.shape.dim
              if d.HasField("dim_param")}
    missing = set(symbols) - params
    if missing:
        raise AssertionError(f"symbolic dims {sorted(missing)} are not dim_params of the inputs")
    return model


def run_ort(model_path, inputs):
    """inputs: name -> torch tensor. Returns name -> numpy array, in the model's output order."""
    with tempfile.TemporaryDirectory() as tmp:
        specs = []
        for i, (name, t) in enumerate(inputs.items()):
            file = os.path.join(tmp, f"in{i}.bin")
            t.contiguous().numpy().tofile(file)
            dims = ",".join(str(d) for d in t.shape)
            specs.append(f"{name}={file}:{ORT_DTYPES[t.dtype]}:{dims}")
        p = subprocess.run(["node", ORT_RUN, model_path, os.path.join(tmp, "out"), *specs],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError(f"onnxruntime failed on {model_path}:\n{p.stderr}")
        result = {}
        for out in json.loads(p.stdout)["outputs"]:
            data = np.fromfile(out["file"], dtype=NUMPY_DTYPES[out["type"]])
            result[out["name"]] = data.reshape(out["dims"])
        return result


def compare(what, got, ref):
    """Max abs difference within TOLERANCE x max(1, max|ref|); returns the difference."""
    ref = ref.detach().numpy() if isinstance(ref, torch.Tensor) else np.asarray(ref)
    if tuple(got.shape) != tuple(ref.shape):
        raise AssertionError(f"{what}: ONNX Runtime gives shape {list(got.shape)}, torch {list(ref.shape)}")
    if ref.size == 0:
        return 0.0
    diff = float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64))))
    scale = max(1.0, float(np.max(np.abs(ref.astype(np.float64)))))
    if diff > TOLERANCE * scale:
        raise AssertionError(f"{what}: max abs diff {diff:.3g} exceeds {TOLERANCE} x {scale:.3g}")
    return diff
