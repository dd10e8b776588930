#!/usr/bin/python3
"""Writes a large float32 model for the big-model benchmark: OUT.sketch plus OUT.safetensors
with random weights (written tensor by tensor, never all in memory).
  mlp:         a deep MLP, Sequential of Linear(width, width) + ReLU
  transformer: a stack of TransformerEncoderLayer(d_model=1024, nhead=16, ff=4096)
Parameter names and shapes come from `sketchc summary --format json`, so they are exactly
what the compiler expects.  Usage: gen_big_model.py SKETCHC mlp|transformer MEGABYTES OUT"""
import json
import os
import struct
import subprocess
import sys

import numpy as np


MLP_WIDTH = 4096
D_MODEL, NHEAD, FF = 1024, 16, 4096


def mlp_sketch(megabytes):
    layer_bytes = (MLP_WIDTH * MLP_WIDTH + MLP_WIDTH) * 4
    width = MLP_WIDTH if megabytes * 10**6 >= 8 * layer_bytes else MLP_WIDTH // 4
    layer_bytes = (width * width + width) * 4
    layers = max(1, round(megabytes * 10**6 / layer_bytes))
    body = ", ".join("Linear(%d, %d), ReLU()" % (width, width) for _ in range(layers))
    return ["input x: float32[N, %d]" % width, "body = Sequential(%s)" % body,
            "x -> body", "output y = body"]


def transformer_sketch(megabytes):
    layer_bytes = (4 * D_MODEL * D_MODEL + 2 * D_MODEL * FF) * 4
    layers = max(1, round(megabytes * 10**6 / layer_bytes))
    layer = ("TransformerEncoderLayer(%d, %d, dim_feedforward=%d, dropout=0.0, batch_first=true)"
             % (D_MODEL, NHEAD, FF))
    return ["input x: float32[N, 128, %d]" % D_MODEL,
            "body = Sequential(%s)" % ", ".join([layer] * layers), "x -> body", "output y = body"]


def write_random_safetensors(path, params):
    """The safetensors layout of tests/support/safetensors_file.py, with each tensor's random
    bytes made just before they are written."""
    header, offset = {}, 0
    for p in params:
        size = 4 * int(np.prod(p["shape"], dtype=np.int64))
        header[p["name"]] = {"dtype": "F32", "shape": p["shape"],
                             "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    rng = np.random.default_rng(0)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for p in params:
            n = int(np.prod(p["shape"], dtype=np.int64))
            f.write((rng.standard_normal(n, dtype=np.float32) * 0.02).tobytes())


def main():
    sketchc, kind, megabytes, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    lines = (mlp_sketch if kind == "mlp" else transformer_sketch)(megabytes)
    name = os.path.basename(out)
    with open(out + ".sketch", "w") as f:
        f.write("\n".join(["sketch %s" % name] + lines) + "\n")
    summary = json.loads(subprocess.check_output(
        [sketchc, "summary", out + ".sketch", "--format", "json"]))
    params = [p for b in summary["blocks"] for p in b.get("parameters", [])]
    assert all(p["dtype"] == "float32" for p in params), "float32 weights only"
    write_random_safetensors(out + ".safetensors", params)
    lines.insert(1, 'weights "%s.safetensors"' % name)
    with open(out + ".sketch", "w") as f:
        f.write("\n".join(["sketch %s" % name] + lines) + "\n")


if __name__ == "__main__":
    main()
