#!/usr/bin/env python3
"""Deterministic outputs: compiling the same sketch twice gives byte-identical files.

    deterministic_outputs.py --sketchc S --sketch-import I --workdir W EXAMPLE...

For each example: .onnx and .t7 twice (and .pth, TorchScript and --state-dict, when the
torch kernel module loads), then sketch-import of the .onnx twice, whose .safetensors and
sketch text must match too. The two runs write to different folders (the same file names:
a TorchScript archive records its own name), so nothing may depend on the folder."""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys


def run(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    return r.returncode == 0, r.stderr.strip()


def build(args, example, folder):
    """Every output of one run, by kind."""
    os.makedirs(folder)
    stem = os.path.join(folder, os.path.basename(example).split('.')[0])
    outputs, notes = {}, []
    jobs = [("onnx", [stem + ".onnx"]), ("t7", [stem + ".t7"]),
            ("pth", [stem + ".pth"]), ("pth-state-dict", [stem + "_sd.pth", "--state-dict"])]
    for kind, extra in jobs:
        ok, err = run([args.sketchc, "compile", example, "-o", *extra])
        if ok:
            outputs[kind] = extra[0]
        elif (kind.startswith("pth") and "kernel-module" in err) or "[unsupported-op]" in err:
            notes.append(f"{kind} skipped: {err.splitlines()[0]}")
        else:
            sys.exit(f"{example}: {kind} failed: {err}")
    ok, err = run([args.sketch_import, outputs["onnx"], "-o", stem + "_imported.sketch",
                   "--weights", stem + "_imported.safetensors"])
    if not ok:
        sys.exit(f"{example}: sketch-import failed: {err}")
    outputs["safetensors"] = stem + "_imported.safetensors"
    outputs["imported sketch"] = stem + "_imported.sketch"
    return outputs, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--sketch-import", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("examples", nargs="+")
    args = parser.parse_args()
    failures = 0
    for example in args.examples:
        work = os.path.join(os.path.abspath(args.workdir), os.path.basename(example))
        shutil.rmtree(work, ignore_errors=True)
        first, notes = build(args, example, os.path.join(work, "first"))
        second, _ = build(args, example, os.path.join(work, "second", "deeper"))
        for note in notes:
            print(f"{example}: note: {note}")
        for kind in first:
            same = filecmp.cmp(first[kind], second[kind], shallow=False)
            failures += not same
            print(f"{os.path.basename(example)} {kind}: {'identical' if same else 'DIFFERENT'}")
        shutil.rmtree(work)  # the large examples weigh hundreds of MB
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
