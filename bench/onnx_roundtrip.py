#!/usr/bin/python3
"""The Python baseline for the ONNX round trip: onnx.load + onnx.save of the same file.
Usage: onnx_roundtrip.py IN.onnx OUT.onnx"""
import sys

import onnx

onnx.save(onnx.load(sys.argv[1]), sys.argv[2])
