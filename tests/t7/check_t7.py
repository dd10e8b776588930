#!/usr/bin/python3
"""Runs the imported Torch7 vector models in PyTorch and compares with Lua Torch's outputs.

The unit test 't7 import: every vector model ...' imports each model of tests/data/t7 and
writes its weights to BUILD/t7/<model>.safetensors under the imported graph's paths
(0.weight, seqlstm.weight_ih_l0, ...). Here the same architectures are built with torch.nn
(the imported graph's ops and attributes, which that test checks), the weights are loaded
by those names (strict: every key must match), and the forward pass on the recorded
<model>_input.bin must give <model>_output.bin within 1e-5.

nn.SeqGRU is the exception: it applies the reset gate before the recurrent product,
torch.nn.GRU after it. Its weights are checked with SeqGRU's own equations instead, and
the difference to torch.nn.GRU is printed (the importer warns about it).
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

DATA = Path(__file__).resolve().parent.parent / "data" / "t7"
TOLERANCE = 1e-5
DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    blob = path.read_bytes()
    (size,) = struct.unpack_from("<Q", blob)
    header = json.loads(blob[8:8 + size])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(blob[8 + size + begin:8 + size + end], DTYPES[entry["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return tensors


def small_cnn():
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.MaxPool2d(2, 2), nn.Flatten(1), nn.Linear(2048, 10))


class Single(nn.Module):
    """A model that is one recurrent module, named as the importer names it."""

    def __init__(self, name, module):
        super().__init__()
        self.name = name
        self.add_module(name, module)

    def forward(self, x):
        return getattr(self, self.name)(x)[0]


MODELS = {
    # weights file: (architecture, input file, input shape, output file, dtype)
    "small_cnn": (small_cnn, "small_cnn", (1, 3, 32, 32), torch.float32),
    "small_cnn_ascii": (small_cnn, "small_cnn", (1, 3, 32, 32), torch.float32),
    "small_cnn_flatparams": (small_cnn, "small_cnn", (1, 3, 32, 32), torch.float32),
    "small_cnn_double": (small_cnn, "small_cnn_double", (1, 3, 32, 32), torch.float64),
    "mlp_logsoftmax": (lambda: nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Dropout(0.5),
                                             nn.Linear(7, 3), nn.LogSoftmax(1)),
                       "mlp_logsoftmax", (4, 5), torch.float32),
    "rnn_seqlstm": (lambda: Single("seqlstm", nn.LSTM(3, 4)), "rnn_seqlstm", (5, 2, 3),
                    torch.float32),
}


def recorded(name, suffix, shape, dtype):
    """The .bin files are float32 for every model (the double one too)."""
    raw = torch.from_numpy(np.fromfile(DATA / f"{name}_{suffix}.bin", np.float32)).to(dtype)
    return raw.reshape(shape) if shape else raw


def check_model(build, weights_name, model_fn, data_name, shape, dtype):
    model = model_fn().to(dtype).eval()
    model.load_state_dict(read_safetensors(build / f"{weights_name}.safetensors"), strict=True)
    x = recorded(data_name, "input", shape, dtype)
    with torch.no_grad():
        y = model(x)
    want = recorded(data_name, "output", None, dtype).reshape(y.shape)
    diff = (y - want).abs().max().item()
    print(f"{weights_name}: max abs diff {diff:.3g}")
    return diff <= TOLERANCE


def seqgru_reference(w, x):
    """torch/rnn SeqGRU with PyTorch-layout weights: n = tanh(W_in x + b_in + W_hn (r*h))."""
    hidden = w["seqgru.weight_hh_l0"].shape[1]
    h = torch.zeros(x.shape[1], hidden, dtype=torch.float64)
    w_ih, w_hh = w["seqgru.weight_ih_l0"].double(), w["seqgru.weight_hh_l0"].double()
    b = w["seqgru.bias_ih_l0"].double() + w["seqgru.bias_hh_l0"].double()
    out = []
    for step in x.double():
        gx = step @ w_ih.T + b
        r = torch.sigmoid(gx[:, :hidden] + h @ w_hh[:hidden].T)
        z = torch.sigmoid(gx[:, hidden:2 * hidden] + h @ w_hh[hidden:2 * hidden].T)
        n = torch.tanh(gx[:, 2 * hidden:] + (r * h) @ w_hh[2 * hidden:].T)
        h = (1 - z) * n + z * h
        out.append(h)
    return torch.stack(out)


def check_seqgru(build):
    w = read_safetensors(build / "rnn_seqgru.safetensors")
    x = recorded("rnn_seqgru", "input", (5, 2, 3), torch.float32)
    want = recorded("rnn_seqgru", "output", (5, 2, 4), torch.float32)
    diff = (seqgru_reference(w, x).float() - want).abs().max().item()
    gru = nn.GRU(3, 4)
    gru.load_state_dict({k.split(".", 1)[1]: v for k, v in w.items()})
    with torch.no_grad():
        torch_diff = (gru(x)[0] - want).abs().max().item()
    print(f"rnn_seqgru: SeqGRU equations max abs diff {diff:.3g}; "
          f"torch.nn.GRU differs by {torch_diff:.3g} (reset gate placement)")
    return diff <= TOLERANCE


def main():
    build = Path(sys.argv[1]) / "t7"
    ok = all([check_model(build, name, *spec) for name, spec in MODELS.items()])
    return 0 if check_seqgru(build) and ok else 1


if __name__ == "__main__":
    sys.exit(main())
