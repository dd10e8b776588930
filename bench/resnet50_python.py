#!/usr/bin/python3
"""The Python baseline for `sketchc check`: build torchvision's resnet50 and run one forward
pass on a zero tensor (what shape validation costs when done by running the model)."""
import torch
import torchvision

model = torchvision.models.resnet50(weights=None).eval()
with torch.no_grad():
    model(torch.zeros(1, 3, 224, 224))
