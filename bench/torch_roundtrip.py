#!/usr/bin/python3
"""Python baselines of the big-model benchmark: torch.jit.load + torch.jit.save of a
TorchScript archive (jit), or torch.load + torch.save of a state_dict (state_dict).
Usage: torch_roundtrip.py jit|state_dict IN OUT"""
import sys

import torch

mode, source, target = sys.argv[1:4]
if mode == "jit":
    torch.jit.save(torch.jit.load(source), target)
else:
    torch.save(torch.load(source), target)
