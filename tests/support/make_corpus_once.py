#!/usr/bin/python3
"""Runs make_corpus.py for MODELS into OUTDIR, unless OUTDIR already holds them.

Usage: make_corpus_once.py MAKE_CORPUS.py OUTDIR MODEL...

The corpus is generated into OUTDIR.partial and renamed into place when complete, so a run
that stops half-way (a full disk, an interrupt) never leaves a corpus that looks done.
"""
import os
import shutil
import subprocess
import sys

FILES = (".onnx", ".ts.pt", ".sd.pth", ".in.bin", ".out.bin")


def complete(folder, models):
    return os.path.isfile(os.path.join(folder, "corpus.tsv")) and all(
        os.path.isfile(os.path.join(folder, model + ext)) for model in models for ext in FILES)


def main():
    script, out, models = sys.argv[1], sys.argv[2], sys.argv[3:]
    if complete(out, models):
        print(f"{out}: the corpus is there")
        return 0
    partial = out + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    status = subprocess.call([sys.executable, script, partial] + models)
    if status != 0 or not complete(partial, models):
        shutil.rmtree(partial, ignore_errors=True)
        sys.exit(f"make_corpus.py exited {status} without writing every model into {partial}")
    shutil.rmtree(out, ignore_errors=True)
    os.rename(partial, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
