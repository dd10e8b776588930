#!/usr/bin/python3
"""Runs make_corpus.py into OUTDIR unless every model with its reference files is there.

Usage: make_corpus_once.py MAKE_CORPUS.py OUTDIR
"""
import os
import subprocess
import sys

MODELS = ["resnet18", "mobilenet_v2", "vgg11_bn", "alexnet", "squeezenet1_1",
          "lstm_classifier", "tiny_transformer"]


def main():
    script, out = sys.argv[1], sys.argv[2]
    wanted = [os.path.join(out, m + ext) for m in MODELS for ext in (".onnx", ".in.bin", ".out.bin")]
    if all(os.path.exists(p) for p in wanted):
        return 0
    return subprocess.call([sys.executable, script, out])


if __name__ == "__main__":
    sys.exit(main())
