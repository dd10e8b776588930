#!/usr/bin/python3
"""Writes small torch-exported models for converters the shared corpus does not reach.

Usage: make_extra_models.py OUTDIR
Same layout as the corpus: <name>.onnx (torch.onnx.export, opset 13), <name>.in.bin,
<name>.out.bin (reference, eval mode) and <name>.sd.pth. Covers GRU, multi-layer ReLU RNNs and
bidirectional LSTMs (gate order, directions), ConvTranspose, F.pad, pooling options, GELU's decompositions (erf and tanh), SiLU,
Hardswish and Mish as x * f(x), the
decomposed LayerNorm without batch_first attention, and several activations.
"""
import os
import sys

import torch
import torch.nn.functional as F


class GruTagger(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(50, 16)
        self.gru = torch.nn.GRU(16, 24, batch_first=True)
        self.out = torch.nn.Linear(24, 4)

    def forward(self, x):
        y, _ = self.gru(self.emb(x))
        return self.out(y)


class ReluRnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(8, 12, num_layers=2, nonlinearity="relu")
        self.head = torch.nn.Linear(12, 2)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[-1])


class BiLstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(8, 10, num_layers=2, bidirectional=True, batch_first=True)
        self.head = torch.nn.Linear(20, 3)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y[:, -1])


class Decoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.up = torch.nn.ConvTranspose2d(4, 3, 2, stride=2)
        self.act = torch.nn.LeakyReLU(0.2)
        self.conv = torch.nn.Conv2d(3, 2, 3, dilation=2)
        self.hs = torch.nn.Hardswish()
        self.pool = torch.nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False)
        self.elu = torch.nn.ELU(0.5)

    def forward(self, x):
        x = F.pad(self.act(self.up(x)), (1, 2, 0, 1))
        return self.elu(self.pool(self.hs(self.conv(x)))).sigmoid()


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(10, 20)
        self.act = torch.nn.GELU()
        self.norm = torch.nn.LayerNorm(20)
        self.act2 = torch.nn.GELU(approximate="tanh")
        self.fc2 = torch.nn.Linear(20, 3)

    def forward(self, x):
        x = self.act2(self.norm(self.act(self.fc1(x))))
        return torch.softmax(self.fc2(x), dim=-1).tanh()


class GatedActs(torch.nn.Module):
    """The activations torch.onnx.export writes as x * f(x) at opset 13."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.silu = torch.nn.SiLU()
        self.hswish = torch.nn.Hardswish()
        self.mish = torch.nn.Mish()
        self.gate = torch.nn.Conv2d(8, 8, 1)

    def forward(self, x):
        y = self.mish(self.hswish(self.silu(self.conv(x))))
        return y * torch.sigmoid(self.gate(y))  # a gate on another value stays Sigmoid, Mul


MODELS = {
    "gru_tagger": (GruTagger, lambda: torch.randint(0, 50, (2, 7))),
    "relu_rnn": (ReluRnn, lambda: torch.randn(5, 3, 8)),
    "bilstm": (BiLstm, lambda: torch.randn(2, 6, 8)),
    "decoder": (Decoder, lambda: torch.randn(1, 4, 6, 6)),
    "mlp": (Mlp, lambda: torch.randn(4, 10)),
    "gated_acts": (GatedActs, lambda: torch.randn(2, 3, 8, 8)),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (cls, make_input) in MODELS.items():
        torch.manual_seed(0)
        model, x = cls().eval(), make_input()
        with torch.no_grad():
            y = model(x)
        x.numpy().tofile(os.path.join(out, name + ".in.bin"))
        y.float().numpy().tofile(os.path.join(out, name + ".out.bin"))
        torch.save(model.state_dict(), os.path.join(out, name + ".sd.pth"))
        torch.onnx.export(model, x, os.path.join(out, name + ".onnx"), opset_version=13,
                          input_names=["input"], output_names=["output"])
        print(name, flush=True)


if __name__ == "__main__":
    main()
