#!/usr/bin/python3
"""PyTorch files that Python wrote, bound with `sketchc compile --weights`.

Usage:
  check_state_dicts.py --sketchc BIN corpus --corpus DIR --name NAME --workdir DIR EXAMPLE
      NAME.sd.pth (torch.save of the state_dict) and NAME.ts.pt (torch.jit.save) from the
      interop corpus (shared/corpus/make_corpus.py) bind to EXAMPLE, and each compiled
      archive reproduces the corpus reference output (<= 1e-5 abs); so does the state_dict
      that `sketchc compile --state-dict` writes from them.
  check_state_dicts.py --sketchc BIN refusals --workdir DIR EXAMPLE
      files that are not plain state_dicts are refused without running anything: a pickle
      that calls os.system, a whole pickled module, the legacy (pre-zip) format.
  check_state_dicts.py --sketchc BIN rezipped --workdir DIR EXAMPLE
      EXAMPLE's own --state-dict, saved again by torch.save and rewritten by Python's zipfile
      (records stored unaligned, or deflated), binds to exactly the tensors written: the
      records read in place from the mapped file and those LibTorch reads are the same.
The files written go to the --workdir folder, which is removed when the check passes.
"""
import argparse
import ast
import os
import subprocess
import sys
import zipfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from rezip import rezip  # noqa: E402
from work_folder import work_folder  # noqa: E402

TOLERANCE = 1e-5


def compile_with(sketchc, example, weights, output):
    return subprocess.run([sketchc, "compile", example, "-o", output, "--weights", weights],
                          capture_output=True, text=True, timeout=600)


def check_corpus(args):
    rows = {}
    with open(os.path.join(args.corpus, "corpus.tsv")) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = fields
    # Then sketchc's own --state-dict output (LibTorch's pickle of a typed Dict) binds back.
    own = os.path.join(args.workdir, args.name + ".sketchc.sd.pth")
    proc = subprocess.run([args.sketchc, "compile", args.example, "--state-dict", "-o", own,
                           "--weights", os.path.join(args.corpus, args.name + ".sd.pth")],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return [f"compile --state-dict: exit {proc.returncode}\n{proc.stderr}"]
    python_files = [os.path.join(args.corpus, args.name + ext) for ext in (".sd.pth", ".ts.pt")]
    return [failure for weights in python_files + [own]
            for failure in check_corpus_file(args, rows[args.name], weights)]


def check_corpus_file(args, row, weights):
    name, in_shape, in_dtype, out_shape = row[:4]
    archive = os.path.join(args.workdir, args.name + ".sketchc.pth")
    proc = compile_with(args.sketchc, args.example, weights, archive)
    label = os.path.basename(weights)
    if proc.returncode != 0 or proc.stderr:  # unused or missing tensors are warnings
        return [f"compile --weights {label}: exit {proc.returncode}\n{proc.stderr}"]
    dtype = np.int64 if "int64" in in_dtype else np.float32
    x = np.fromfile(os.path.join(args.corpus, args.name + ".in.bin"), dtype=dtype)
    want = np.fromfile(os.path.join(args.corpus, args.name + ".out.bin"), dtype=np.float32)
    model = torch.jit.load(archive).eval()
    with torch.no_grad():
        got = model(torch.from_numpy(x.reshape(ast.literal_eval(in_shape)))).numpy()
    if list(got.shape) != list(ast.literal_eval(out_shape)):
        return [f"output shape {list(got.shape)}, corpus {out_shape}"]
    error = float(np.abs(got.ravel() - want).max())
    print(f"{label}: max abs difference to the corpus output {error:.3g}")
    return [] if error <= TOLERANCE else [f"{label}: output differs from the corpus by {error:.3g}"]


class RunsCommand:
    """Unpickling this runs a shell command: the reader must refuse it, not run it."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def check_refusals(args):
    marker = os.path.join(args.workdir, "ran")
    evil = os.path.join(args.workdir, "evil.pth")
    torch.save({"c1.weight": RunsCommand(marker)}, evil)
    module = os.path.join(args.workdir, "module.pth")
    torch.save(torch.nn.Sequential(torch.nn.Linear(2, 2)), module)
    legacy = os.path.join(args.workdir, "legacy.pth")
    torch.save({"c1.weight": torch.zeros(6, 1, 5, 5)}, legacy, _use_new_zipfile_serialization=False)
    cases = [(evil, "refusing to read it: the pickle refers to 'posix.system', "
                    "which a state_dict never does"),
             (module, "refusing to read it: the pickle refers to "
                      "'torch.nn.modules.container.Sequential'"),
             (legacy, "not a PyTorch zip archive")]
    failures = []
    for path, message in cases:
        output = os.path.join(args.workdir, "out.pth")
        proc = compile_with(args.sketchc, args.example, path, output)
        if proc.returncode != 1 or message not in proc.stderr or os.path.exists(output):
            failures.append(f"{os.path.basename(path)}: want exit 1 and {message!r}, no output; "
                            f"got exit {proc.returncode}:\n{proc.stderr}")
    if "torch.jit.save" not in compile_with(args.sketchc, args.example, module, output).stderr:
        failures.append("a pickled module's refusal does not point to torch.jit.save")
    if os.path.exists(marker):
        failures.append("the pickle's command ran")
    return failures


def check_rezipped(args):
    original = os.path.join(args.workdir, "sketchc.pth")
    proc = subprocess.run([args.sketchc, "compile", args.example, "--state-dict", "-o", original],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return [f"compile --state-dict: exit {proc.returncode}\n{proc.stderr}"]
    want = torch.load(original)
    variants = {"torch_save.pth": lambda path: torch.save(want, path),
                "stored.pth": lambda path: rezip(original, path, zipfile.ZIP_STORED),
                "deflated.pth": lambda path: rezip(original, path, zipfile.ZIP_DEFLATED)}
    failures = []
    for name, write in variants.items():
        variant, output = os.path.join(args.workdir, name), os.path.join(args.workdir, "out.pth")
        write(variant)
        proc = subprocess.run([args.sketchc, "compile", args.example, "--state-dict", "-o", output,
                               "--weights", variant], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or proc.stderr:
            failures.append(f"{name}: exit {proc.returncode}\n{proc.stderr}")
            continue
        got = torch.load(output)
        if list(got) != list(want) or not all(torch.equal(got[k], want[k]) for k in want):
            failures.append(f"{name}: the tensors read differ from those written")
        else:
            print(f"{name}: the same {len(want)} tensors")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("mode", choices=["corpus", "refusals", "rezipped"])
    parser.add_argument("--corpus")
    parser.add_argument("--name")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("example")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with work_folder(args.workdir):
        check = {"corpus": check_corpus, "refusals": check_refusals, "rezipped": check_rezipped}
        failures = check[args.mode](args)
        for failure in failures:
            print(f"FAIL: {failure}")
        if failures:
            sys.exit(f"{len(failures)} failures")
    print("ok")


if __name__ == "__main__":
    main()
