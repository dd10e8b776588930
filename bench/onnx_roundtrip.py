#!/usr/bin/python3
"""The Python baseline for the ONNX round trip: onnx.load + onnx.save of the same file.
A model whose weights are external data (IN.onnx.data, as sketchc writes beyond protobuf's
2 GB) is saved with external data too. Usage: onnx_roundtrip.py IN.onnx OUT.onnx"""
import os
import sys

import onnx

source, target = sys.argv[1], sys.argv[2]
external = os.path.exists(source + ".data")
onnx.save(onnx.load(source), target, save_as_external_data=external,
          location=os.path.basename(target) + ".data")
