#!/usr/bin/python3
"""Holds one example sketch to the PyTorch model it describes.

Usage: check_examples.py --sketchc BIN [--shared DIR] EXAMPLE

Runs `sketchc check` (must exit 0) and `sketchc summary --format json` on EXAMPLE and
compares the summary with the reference model (torchvision's, or one of
reference_models.py): the parameter count (also against a hard-coded published value),
the state_dict keys with shapes, dtypes and buffer flags, the input and output types
for a batch of 2, and the output shapes of every block whose path is also a torch module.
Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3).
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_models  # noqa: E402

BATCH = 2
SYMBOLS = {"N": BATCH}
SHOW = 10  # how many differing items to print per difference


def image(channels=3, size=224):
    return lambda: torch.randn(BATCH, channels, size, size)


def torchvision_model(name):
    return lambda: getattr(torchvision.models, name)(weights=None)


# Example name -> (model factory, input factory, parameter count). The torchvision counts
# are the published ones (torchvision's model documentation); the others are worked out
# by hand from the layer sizes.
REFERENCES = {
    "resnet18": (torchvision_model("resnet18"), image(), 11689512),
    "resnet50": (torchvision_model("resnet50"), image(), 25557032),
    "vgg11_bn": (torchvision_model("vgg11_bn"), image(), 132868840),
    "mobilenet_v2": (torchvision_model("mobilenet_v2"), image(), 3504872),
    "alexnet": (torchvision_model("alexnet"), image(), 61100840),
    "squeezenet1_1": (torchvision_model("squeezenet1_1"), image(), 1235496),
    "lenet5": (reference_models.LeNet5, image(1, 32), 61706),
    "unet_small": (reference_models.UNetSmall, image(1, 64), 482466),
    "lstm_classifier": (reference_models.LSTMClassifier,
                        lambda: torch.randint(0, 1000, (BATCH, 12)), 296069),
    "transformer_classifier": (reference_models.TinyTransformer,
                               lambda: torch.randn(BATCH, 10, 64), 67139),
    "tiny_resnet": (reference_models.TinyResNet, image(3, 32), 9962),
}

# Reference classes copied from shared/corpus/make_corpus.py, by example.
CORPUS_COPIES = {"lstm_classifier": "LSTMClassifier", "transformer_classifier": "TinyTransformer"}


class Checker:
    """Collects every failure of one example, so that one run shows them all."""

    def __init__(self, example):
        self.example = example
        self.failures = []

    def fail(self, message):
        self.failures.append(message)

    def expect_equal(self, what, got, want):
        if got != want:
            self.fail(f"{what}: sketchc gives {got}, the reference has {want}")

    def expect_same_set(self, what, got, want):
        missing, extra = sorted(want - got), sorted(got - want)
        if missing:
            self.fail(f"{what}: {len(missing)} missing in the sketch (first {SHOW}): "
                      + ", ".join(missing[:SHOW]))
        if extra:
            self.fail(f"{what}: {len(extra)} not in the reference (first {SHOW}): "
                      + ", ".join(extra[:SHOW]))


def run_sketchc(checker, sketchc, args):
    proc = subprocess.run([sketchc] + args, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        checker.fail(f"`sketchc {' '.join(args)}` exited with {proc.returncode}\n"
                     f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return None
    return proc.stdout


def parse_shape(text):
    """'float32[N, 64, 56, 56]' or '[N, 64, 56, 56]' -> (dtype or None, dims with N = 2)."""
    match = re.fullmatch(r"\s*(\w*)\s*\[(.*)\]\s*", text)
    if not match:
        return None, text
    dims = [d.strip() for d in match.group(2).split(",") if d.strip()]
    return match.group(1) or None, [int(d) if d.lstrip("-").isdigit() else SYMBOLS.get(d, d)
                                    for d in dims]


def dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def check_parameters(checker, summary, model, published):
    torch_count = sum(p.numel() for p in model.parameters())
    checker.expect_equal("reference model parameter count", torch_count, published)
    checker.expect_equal("totals.params", summary.get("totals", {}).get("params"), published)

    buffers = {name for name, _ in model.named_buffers()}
    want = {name: (list(t.shape), dtype_name(t.dtype), name in buffers)
            for name, t in model.state_dict().items()}
    got = {}
    for block in summary.get("blocks", []):
        for p in block.get("parameters", []):
            if p["name"] in got:
                checker.fail(f"parameter {p['name']} is listed twice (again by {block['path']})")
            got[p["name"]] = (p.get("shape"), p.get("dtype"), p.get("buffer"))
    checker.expect_same_set("state_dict keys", set(got), set(want))
    wrong = [f"{name}: sketchc {got[name]}, reference {want[name]}"
             for name in sorted(set(got) & set(want)) if got[name] != want[name]]
    if wrong:
        checker.fail(f"{len(wrong)} tensors differ in (shape, dtype, buffer) (first {SHOW}):\n  "
                     + "\n  ".join(wrong[:SHOW]))


def record_module_outputs(model):
    """Runs forward hooks that keep the shapes each named module returns."""
    shapes = {}

    def hook(name):
        def keep(module, inputs, output):
            tensors = output if isinstance(output, tuple) else (output,)
            flat = []
            for t in tensors:  # LSTM returns (output, (h_n, c_n))
                flat.extend(t if isinstance(t, tuple) else (t,))
            shapes[name] = [list(t.shape) for t in flat if isinstance(t, torch.Tensor)]
        return keep

    for name, module in model.named_modules():
        if name:
            module.register_forward_hook(hook(name))
    return shapes


def check_type(checker, what, text, tensor):
    checker.expect_equal(what, parse_shape(text), (dtype_name(tensor.dtype), list(tensor.shape)))


def check_shapes(checker, summary, model, make_input):
    shapes = record_module_outputs(model)
    example_input = make_input()
    with torch.no_grad():
        output = model(example_input)
    inputs, outputs = summary.get("inputs", []), summary.get("outputs", [])
    checker.expect_equal("number of inputs", len(inputs), 1)
    if inputs:
        check_type(checker, f"type of input {inputs[0]['name']}", inputs[0]["type"], example_input)
    checker.expect_equal("output names", [o["name"] for o in outputs], ["logits"])
    if outputs:
        check_type(checker, "type of output logits", outputs[0]["type"], output)

    compared, wrong = 0, []
    for block in summary.get("blocks", []):
        want = shapes.get(block["path"])
        if want is None:
            continue
        compared += 1
        got = [parse_shape(s)[1] for s in block.get("outputs", [])]
        if got != want:
            wrong.append(f"{block['path']} ({block['op']}): sketchc {got}, torch {want}")
    if wrong:
        checker.fail(f"{len(wrong)} of {compared} blocks differ from the torch module of the "
                     f"same path in output shapes (first {SHOW}):\n  " + "\n  ".join(wrong[:SHOW]))
    print(f"{checker.example}: compared output shapes of {compared} blocks with torch modules")


def check_corpus_copy(checker, shared):
    """The copies in reference_models.py must still equal the corpus script's classes."""
    script = os.path.join(shared, "corpus", "make_corpus.py")
    if not os.path.isfile(script):
        print(f"{checker.example}: {script} not found; using reference_models.py alone")
        return
    spec = importlib.util.spec_from_file_location("make_corpus", script)
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    name = CORPUS_COPIES[checker.example]
    original, copy = getattr(corpus, name)(), getattr(reference_models, name)()
    checker.expect_equal(f"reference_models.{name} (module tree) against {script}",
                         repr(copy), repr(original))
    checker.expect_equal(f"reference_models.{name} (state_dict shapes) against {script}",
                         {k: list(v.shape) for k, v in copy.state_dict().items()},
                         {k: list(v.shape) for k, v in original.state_dict().items()})


def check_example(checker, sketchc, path, shared):
    make_model, make_input, published = REFERENCES[checker.example]
    if checker.example in CORPUS_COPIES and shared:
        check_corpus_copy(checker, shared)
    run_sketchc(checker, sketchc, ["check", path])
    text = run_sketchc(checker, sketchc, ["summary", path, "--format", "json"])
    if text is None:
        return
    try:
        summary = json.loads(text)
    except json.JSONDecodeError as e:
        checker.fail(f"`sketchc summary --format json` printed invalid JSON ({e}):\n{text[:500]}")
        return
    torch.manual_seed(0)
    model = make_model().eval()
    check_parameters(checker, summary, model, published)
    check_shapes(checker, summary, model, make_input)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True, help="path of the sketchc binary")
    parser.add_argument("--shared", help="the shared/ directory holding corpus/make_corpus.py")
    parser.add_argument("example", help="an examples/*.sketch or *.yaml file")
    args = parser.parse_args()

    torch.set_num_threads(1)
    name = os.path.splitext(os.path.basename(args.example))[0]
    if name not in REFERENCES:
        print(f"{args.example}: no reference model; add one to REFERENCES in {__file__}")
        return 1
    checker = Checker(name)
    check_example(checker, args.sketchc, args.example, args.shared)
    for failure in checker.failures:
        print(f"{args.example}: FAIL: {failure}")
    if not checker.failures:
        print(f"{args.example}: ok")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
