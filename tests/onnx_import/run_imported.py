#!/usr/bin/python3
"""Runs imported graphs in PyTorch and compares with the corpus reference outputs.

Usage: run_imported.py CORPUS_DIR IMPORTED_DIR MODEL...
IMPORTED_DIR/<model>.graph.json and .safetensors are what the importer made of
CORPUS_DIR/<model>.onnx (written by the corpus graph test). Every node is built as the
torch.nn module its op names, with its attributes as constructor arguments and its weights
loaded by path, or as the torch function of a tensor op; the output on <model>.in.bin
must match <model>.out.bin within 1e-4 relative to the output scale. This checks the
imported structure and weights numerically before the sketch printer and the ONNX
exporter exist.
"""
import json
import sys

import numpy as np
import torch

from compare_state_dict import read_safetensors

TOLERANCE = 1e-4


def value(v):
    return tuple(value(x) for x in v) if isinstance(v, list) else v


def tensor_function(op, a, x):
    """The tensor functions of the catalogue the corpus uses, as torch calls."""
    if op in ("Add", "Sub"):
        return (torch.add if op == "Add" else torch.sub)(x[0], x[1], alpha=a["alpha"])
    if op == "Mul":
        return x[0] * x[1]
    if op == "Div":
        return torch.div(x[0], x[1], rounding_mode=a["rounding_mode"])
    if op == "MatMul":
        return torch.matmul(x[0], x[1])
    if op == "Concat":
        return torch.cat(x, dim=a["dim"])
    if op == "Select":
        return x[0].select(a["dim"], a["index"])
    if op == "Slice":
        index = [slice(None)] * x[0].dim()
        index[a["dim"]] = slice(a["start"], a["end"], a["step"])
        return x[0][tuple(index)]
    if op == "Reshape":
        return x[0].reshape(a["shape"])
    if op == "Permute":
        return x[0].permute(a["dims"])
    if op == "Transpose":
        return x[0].transpose(a["dim0"], a["dim1"])
    if op in ("Squeeze", "Unsqueeze"):
        return getattr(x[0], op.lower())(a["dim"]) if a.get("dim") is not None else x[0].squeeze()
    if op in ("Mean", "Sum"):
        return getattr(torch, op.lower())(x[0], dim=a["dim"], keepdim=a["keepdim"])
    if op == "Pow":
        return torch.pow(x[0], a["exponent"])
    if op in ("Sqrt", "Exp", "Log", "Erf"):
        return getattr(torch, op.lower())(x[0])
    if op == "Constant":
        return torch.tensor(a["value"], dtype=getattr(torch, a["dtype"]))
    raise SystemExit("FAIL: run_imported.py has no rule for op %s" % op)


def module(node, weights):
    attrs = {k: value(v) for k, v in node["attrs"].items()}
    m = getattr(torch.nn, node["op"])(**attrs)
    prefix = node["path"] + "."
    state = {k[len(prefix):]: torch.from_numpy(v.copy()) for k, v in weights.items()
             if k.startswith(prefix)}
    m.load_state_dict(state, strict=True)
    return m.eval()


def run(graph, weights, x):
    results = {}
    for node in graph["nodes"]:
        op = node["op"]
        if op == "Input":
            results[node["id"]] = [x]
            continue
        inputs = [results[i["node"]][i["port"]] for i in node["inputs"] if i is not None]
        if op == "Parameter":
            out = torch.from_numpy(weights[node["path"]].copy())
        elif hasattr(torch.nn, op) and op not in ("Transpose",):
            out = module(node, weights)(*inputs)
        else:
            out = tensor_function(op, {k: value(v) for k, v in node["attrs"].items()}, inputs)
        if isinstance(out, tuple):  # LSTM: output, (h_n, c_n)
            out = [out[0]] + list(out[1] if isinstance(out[1], tuple) else [out[1]])
        results[node["id"]] = out if isinstance(out, list) else [out]
    o = graph["outputs"][0]
    return results[o["node"]][o["port"]]


def main():
    corpus, imported, models = sys.argv[1], sys.argv[2], sys.argv[3:]
    failed = False
    for model in models:
        graph = json.load(open("%s/%s.graph.json" % (imported, model)))
        weights = read_safetensors("%s/%s.safetensors" % (imported, model))
        shape_text = graph["nodes"][graph["inputs"][0]]["attrs"]["shape"]
        dtype = np.int64 if graph["nodes"][graph["inputs"][0]]["attrs"]["dtype"] == "int64" else np.float32
        x = torch.from_numpy(np.fromfile("%s/%s.in.bin" % (corpus, model), dtype=dtype).reshape(shape_text))
        with torch.no_grad():
            y = run(graph, weights, x).double().reshape(-1).numpy()
        ref = np.fromfile("%s/%s.out.bin" % (corpus, model), dtype=np.float32).astype(np.float64)
        scale = max(1.0, float(np.abs(ref).max()))
        diff = float(np.abs(y - ref).max()) if y.size == ref.size else float("inf")
        ok = diff <= TOLERANCE * scale
        failed = failed or not ok
        print("%s %s: max abs diff %.3g (scale %.3g)" % ("ok" if ok else "FAIL", model, diff, scale))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
