#!/usr/bin/env python3
"""The fine-tuning edit on a real model: torchvision's resnet18 (seeded weights standing for
pretrained ones), exported with torch.onnx.export and saved with torch.jit.script, imported
with sketch-import; in the text, `fc` gets 10 classes and layer4 a width of 640; sketchc
compile to .pth with the imported weights and --reinit-mismatched.

Checks: without the option the compile fails at the edited lines, naming the option; with it
exactly layer4's and fc's parameters are reported as initialised, every other tensor is
byte-identical to the imported one, the new ones have the new shapes, and the unchanged
trunk (conv1 to layer3) of the written TorchScript computes what PyTorch's resnet18 does.
Usage: check_finetune.py --sketchc BIN --sketch-import BIN --workdir DIR {onnx,torchscript}"""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import torch
import torchvision

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from safetensors_file import read_safetensors  # noqa: E402

INPUT = "float32[N, 3, 64, 64]"


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


def export(model, form, path):
    example = torch.randn(1, 3, 64, 64)
    if form == "onnx":
        torch.onnx.export(model, example, path, opset_version=13, input_names=["image"],
                          output_names=["logits"], dynamic_axes={"image": {0: "N"}})
    else:
        torch.jit.script(model).save(str(path))


def edit(text):
    """fc to 10 classes, layer4 to 640 channels, as a user edits the imported sketch."""
    stage = re.compile(r"^layer4 = Sequential\((\w+)\(256, 512\), (\w+)\(512\)\)$", re.M)
    assert stage.search(text), text
    text = stage.sub(r"layer4 = Sequential(\1(256, 640), \2(640))", text)
    assert re.search(r"^fc = Linear\(512, 1000\)$", text, re.M), text
    return re.sub(r"^fc = Linear\(512, 1000\)$", "fc = Linear(640, 10)", text, flags=re.M)


def trunk(module, x):
    """conv1 to layer3 of a resnet18 written as torchvision or as sketchc's TorchScript
    (which has bn1 only when imported from TorchScript: ONNX folds it into conv1)."""
    x = module.conv1(x)
    if hasattr(module, "bn1"):
        x = module.bn1(x)
    x = module.maxpool(module.relu(x))
    return module.layer3(module.layer2(module.layer1(x)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--sketch-import", dest="sketch_import", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("form", choices=["onnx", "torchscript"])
    args = parser.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    torch.manual_seed(0)
    original = torchvision.models.resnet18().eval()
    model = work / ("resnet18.onnx" if args.form == "onnx" else "resnet18.pt")
    export(original, args.form, model)

    sketch = work / "resnet18.sketch"
    # ONNX records the input's type; TorchScript does not.
    shape = ["--input-shape", INPUT] if args.form == "torchscript" else []
    r = run(args.sketch_import, model, "-o", sketch, *shape)
    assert r.returncode == 0, r
    imported = read_safetensors(work / "resnet18.safetensors")
    sketch.write_text(edit(sketch.read_text()))

    out = work / "finetune.pth"
    r = run(args.sketchc, "compile", sketch, "-o", out)
    assert r.returncode == 1 and not out.exists(), r
    errors = [line for line in r.stderr.splitlines() if ": error: " in line]
    assert errors, r.stderr
    lines = sketch.read_text().splitlines()
    edited = {i + 1 for i, line in enumerate(lines) if line.startswith(("layer4 =", "fc ="))}
    at = {int(e.split(":")[1]) for e in errors}
    assert at <= edited, f"errors at lines {sorted(at)}, the edited lines are {sorted(edited)}"
    assert "--reinit-mismatched" in r.stderr, r.stderr

    r = run(args.sketchc, "compile", sketch, "-o", out, "--reinit-mismatched", "-v")
    assert r.returncode == 0, r
    reported = set(re.findall(r"info: (\S+) is \[[^\]]*\] in ", r.stderr))
    changed = {k for k in imported if k.startswith(("layer4.", "fc."))}
    changed -= {k for k in changed if k.endswith("num_batches_tracked")}
    assert reported == changed, f"reported {sorted(reported ^ changed)} differently"
    summary = re.search(r"(\d+) parameters no longer fit their tensors", r.stderr)
    assert summary and int(summary.group(1)) == len(changed), r.stderr

    written = torch.jit.load(str(out)).eval()
    state = {k: v for k, v in written.state_dict().items()}
    assert set(state) == set(imported), set(state) ^ set(imported)
    for name, tensor in imported.items():
        got = state[name].numpy()
        if name in changed:
            assert got.shape != tensor.shape, name
        else:
            assert got.dtype == tensor.dtype and got.tobytes() == tensor.tobytes(), f"{name} changed"
    assert tuple(state["fc.weight"].shape) == (10, 640)
    if args.form == "torchscript":  # the archive holds the originals themselves (ONNX folds BatchNorm)
        for name, tensor in original.state_dict().items():
            if name not in changed:
                assert state[name].numpy().tobytes() == tensor.numpy().tobytes(), f"{name} is not the original"

    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        want = trunk(original, x)
        got = trunk(written, x)
        assert tuple(written(x).shape) == (2, 10)
    diff = (got - want).abs().max().item()
    assert diff < 1e-4 * max(1.0, want.abs().max().item()), f"trunk differs by {diff}"
    print(f"{args.form}: {len(changed)} parameters initialised, "
          f"{len(imported) - len(changed)} kept byte for byte, trunk max diff {diff:.2e}")


if __name__ == "__main__":
    main()
