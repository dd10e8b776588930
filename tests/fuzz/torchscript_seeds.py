#!/usr/bin/python3
"""Small TorchScript archives as Python writes them, seeds of fuzz_torchscript_import.

    torchscript_seeds.py OUT_FOLDER        (needs torch; make_corpus.py runs it when it can)

Scripted code differs from sketchc's own archives: submodule classes, conditions on
constants (`if self.downsample is not None`), assertions, functional calls; a traced model
keeps only aten calls.
"""
import os
import sys

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, channels, downsample):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(channels)
        self.downsample = nn.Conv2d(channels, channels, 1) if downsample else None

    def forward(self, x):
        identity = x
        out = torch.relu(self.bn(self.conv(x)))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return torch.flatten(out, 1)


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4)
        self.lstm = nn.LSTM(4, 6, batch_first=True)
        self.head = nn.Linear(6, 3)

    def forward(self, tokens):
        out, _ = self.lstm(self.embed(tokens))
        return torch.log_softmax(self.head(out[:, -1]), dim=1)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    models = {
        "block": Block(2, True),
        "block_identity": Block(2, False),
        "recurrent": Recurrent(),
        "encoder": nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True),
        "sequential": nn.Sequential(nn.Linear(4, 5), nn.GELU(), nn.Dropout(0.1), nn.LayerNorm(5)),
    }
    for name, model in models.items():
        torch.jit.script(model.eval()).save(os.path.join(out, name + ".pt"))
    traced = torch.jit.trace(Block(2, True).eval(), torch.zeros(1, 2, 4, 4))
    traced.save(os.path.join(out, "block_traced.pt"))


if __name__ == "__main__":
    main()
