#!/usr/bin/python3
"""Holds `sketchc compile EXAMPLE -o x.onnx` to PyTorch, through ONNX Runtime.

Usage: check_export.py --sketchc BIN EXAMPLE

The reference is the PyTorch model the example describes (torchvision's, or one in
tests/examples/reference_models.py, as tests/examples/check_examples.py picks it), in eval
mode, with random weights and non-trivial BatchNorm statistics written to a safetensors
file that the compile reads (the state_dict loads back with strict=True). Every written
file passes onnx.checker with full_check, keeps the batch dim symbolic (runs with batch 2
and 3), and compiles to the same bytes twice. Small examples are also checked at opset 13
and with --external-data.
"""
import argparse
import os
import re
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples"))
import check_examples  # noqa: E402
import onnx_testing as ot  # noqa: E402

SMALL = 16 << 20  # bytes of weights below which the extra variants run
TYPE = re.compile(r"(\w+)\[(.*)\]")


def make_input(type_text, batch, vocabulary, generator):
    dtype, dims = TYPE.fullmatch(type_text).groups()
    shape = [batch if d.strip() == "N" else int(d) for d in dims.split(",")]
    if dtype.startswith("int"):
        return torch.randint(0, vocabulary, shape, generator=generator, dtype=torch.int64)
    return torch.randn(shape, generator=generator)


def vocabulary_of(summary):
    sizes = [b["parameters"][0]["shape"][0] for b in summary["blocks"] if b["op"] == "Embedding"]
    return min(sizes) if sizes else 10


def compile_model(binary, example, out, weights, *extra):
    code, _, err = ot.sketchc(binary, "compile", example, "-o", out, "--weights", weights, *extra)
    if code != 0:
        raise AssertionError(f"sketchc compile {' '.join(extra)} failed (exit {code}):\n{err}")


def check_variant(binary, example, tmp, weights, summary, model, label, extra):
    out = os.path.join(tmp, f"{label}.onnx")
    compile_model(binary, example, out, weights, *extra)
    ot.check_onnx_file(out, {"N"})
    if "--external-data" in extra and not os.path.exists(out + ".data"):
        raise AssertionError("--external-data wrote no .data file")
    if summary["totals"]["param_bytes"] < SMALL and "--external-data" not in extra:
        again = os.path.join(tmp, f"{label}-again.onnx")
        compile_model(binary, example, again, weights, *extra)
        with open(out, "rb") as a, open(again, "rb") as b:
            if a.read() != b.read():
                raise AssertionError(f"{label}: two compiles give different bytes")
    generator = torch.Generator().manual_seed(7)
    (source,) = summary["inputs"]
    (result,) = summary["outputs"]
    for batch in (2, 3):
        x = make_input(source["type"], batch, vocabulary_of(summary), generator)
        with torch.no_grad():
            ref = model(x)
        got = ot.run_ort(out, {source["name"]: x})[result["name"]]
        diff = ot.compare(f"{label} batch {batch}", got, ref)
        print(f"{label}: batch {batch}: max abs diff {diff:.3g} (max |ref| {ref.abs().max():.3g})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("example")
    args = parser.parse_args()
    name = os.path.splitext(os.path.basename(args.example))[0]
    factory = check_examples.REFERENCES[name][0]
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    model = factory()
    ot.randomize_stats(model, generator)
    model.eval()
    summary = ot.summary(args.sketchc, args.example)
    state = ot.state_for(summary, model)
    model.load_state_dict(state, strict=True)
    variants = [("opset17", [])]
    if summary["totals"]["param_bytes"] < SMALL:
        variants += [("opset13", ["--opset", "13"]), ("external", ["--external-data"])]
    with tempfile.TemporaryDirectory() as tmp:
        weights = os.path.join(tmp, "weights.safetensors")
        ot.write_safetensors(weights, state)
        failures = []
        for label, extra in variants:
            try:
                check_variant(args.sketchc, args.example, tmp, weights, summary, model, label, extra)
            except AssertionError as e:
                failures.append(str(e))
    for f in failures:
        print(f"FAIL {name}: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
