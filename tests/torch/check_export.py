#!/usr/bin/python3
"""Holds `sketchc compile EXAMPLE -o x.pth` to the PyTorch model the example describes.

Usage: check_export.py --sketchc BIN --workdir DIR EXAMPLE

Gives the reference model (check_examples.REFERENCES: torchvision's, or one of
reference_models.py) seeded weights with non-trivial batch-norm statistics, writes them as
a safetensors file, compiles EXAMPLE with them to a TorchScript archive and to a plain
state_dict (--state-dict), and checks with real PyTorch that:
  - torch.jit.load runs the archive and, in eval mode, its output equals the reference
    model's within 1e-5 (absolute);
  - the archive's state_dict has exactly the reference's keys, and strict loading works
    both ways; train()/eval() reach every submodule;
  - in train mode (models without dropout) outputs and updated running stats match;
  - torch.load reads the --state-dict file and the reference binds it strictly.
Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3).
"""
import argparse
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "examples"))
import check_examples  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from safetensors_file import write_torch_safetensors as write_safetensors  # noqa: E402
from work_folder import work_folder  # noqa: E402

TOLERANCE = 1e-5


def randomise_norms(model):
    """Batch-norm statistics away from their defaults, so eval mode is really tested."""
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                n = module.num_features
                module.weight.copy_(1 + 0.1 * torch.randn(n, generator=generator))
                module.bias.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                module.num_batches_tracked.fill_(7)


def sketchc(args):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise AssertionError(f"`{' '.join(args)}` exited with {proc.returncode}:\n{proc.stderr}")


def check_text(archive, failures):
    """--emit-text: the forward code (x.py) and the print(model) tree (x.txt) beside x.pth."""
    base = os.path.splitext(archive)[0]
    for suffix, want in ((".py", "def forward(self"), (".txt", "(")):
        if not os.path.isfile(base + suffix):
            failures.append(f"--emit-text wrote no {base + suffix}")
        elif want not in open(base + suffix).read():
            failures.append(f"{base + suffix} lacks {want!r}")


def check_training(reference, model, example_input, failures):
    """In train mode batch norm uses batch statistics and updates its running stats and
    num_batches_tracked; dropout is random, so models with dropout are left out."""
    if any(isinstance(m, torch.nn.modules.dropout._DropoutNd) and m.p > 0
           for m in reference.modules()):
        return
    reference.train()
    model.train()
    with torch.no_grad():
        want, got = reference(example_input), model(example_input)
    error = (got - want).abs().max().item()
    if not error <= TOLERANCE:
        failures.append(f"train-mode output differs from the reference by {error:.3g}")
    got_state, want_state = model.state_dict(), reference.state_dict()
    for key, value in want_state.items():
        if not torch.allclose(got_state[key].double(), value.double(), atol=TOLERANCE):
            failures.append(f"after a train-mode step, {key} differs from the reference")
            break


def check(args, failures):
    name = os.path.splitext(os.path.basename(args.example))[0]
    make_model, make_input, _ = check_examples.REFERENCES[name]
    torch.manual_seed(0)
    reference = make_model()
    randomise_norms(reference)
    reference.eval()
    weights = os.path.join(args.workdir, name + ".safetensors")
    given = {key: value.clone() for key, value in reference.state_dict().items()}
    write_safetensors(weights, given)
    archive = os.path.join(args.workdir, name + ".pth")
    state_dict = os.path.join(args.workdir, name + ".sd.pth")
    sketchc([args.sketchc, "compile", args.example, "-o", archive, "--weights", weights,
             "--emit-text"])
    check_text(archive, failures)
    sketchc([args.sketchc, "compile", args.example, "-o", state_dict, "--weights", weights,
             "--state-dict"])

    model = torch.jit.load(archive)
    model.eval()
    if any(m.training for m in model.modules()):
        failures.append("eval() did not reach every submodule")
    model.train()
    if not all(m.training for m in model.modules()):
        failures.append("train() did not reach every submodule")
    model.eval()

    got_keys, want_keys = set(model.state_dict()), set(reference.state_dict())
    if got_keys != want_keys:
        failures.append(f"state_dict keys: missing {sorted(want_keys - got_keys)[:10]}, "
                        f"extra {sorted(got_keys - want_keys)[:10]}")
    else:
        fresh = make_model()
        fresh.load_state_dict(model.state_dict(), strict=True)
        model.load_state_dict(reference.state_dict(), strict=True)

    torch.manual_seed(2)
    example_input = make_input()
    with torch.no_grad():
        want, got = reference(example_input), model(example_input)
    if got.shape != want.shape:
        failures.append(f"output shape {list(got.shape)}, reference {list(want.shape)}")
    else:
        error = (got - want).abs().max().item()
        print(f"{name}: max abs difference to the reference {error:.3g}")
        if not error <= TOLERANCE:
            failures.append(f"output differs from the reference by {error:.3g} > {TOLERANCE}")

    check_training(reference, model, example_input, failures)

    loaded = torch.load(state_dict)
    if set(loaded) != want_keys:
        failures.append(f"--state-dict keys differ: {sorted(set(loaded) ^ want_keys)[:10]}")
    else:
        fresh = make_model()
        fresh.load_state_dict(loaded, strict=True)
        for key, value in given.items():
            if not torch.equal(loaded[key], value):
                failures.append(f"--state-dict tensor {key} differs from the weights given")
                break


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--workdir", required=True,
                        help="folder for the files written, removed when the check passes")
    parser.add_argument("example")
    args = parser.parse_args()
    torch.set_num_threads(1)
    failures = []
    with work_folder(args.workdir):
        try:
            check(args, failures)
        except AssertionError as e:
            failures.append(str(e))
        for failure in failures:
            print(f"{args.example}: FAIL: {failure}")
        if failures:
            sys.exit(1)
    print(f"{args.example}: ok")


if __name__ == "__main__":
    main()
