#!/usr/bin/python3
"""Writes torchvision's resnet50 as ONNX the way users get such files (torch.onnx.export,
opset 13, eval mode).  Usage: export_resnet50_onnx.py OUT.onnx"""
import sys

import torch
import torchvision

model = torchvision.models.resnet50(weights=None).eval()
torch.onnx.export(model, torch.randn(1, 3, 224, 224), sys.argv[1], opset_version=13,
                  input_names=["input"], output_names=["output"])
