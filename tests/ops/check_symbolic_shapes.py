#!/usr/bin/env python3
"""Every symbolic shape sketchc prints is the concrete shape, at every size.

Each sketch is summarised once with symbolic spatial sizes (H, W, L, D) and again at many
concrete sizes; every dim that `sketchc summary --format json` prints for the symbolic
sketch, evaluated as the Python expression it is written as (`//` is floor division), must
equal the dim inferred at that size. The sketches are the examples with an image input and
chains of every layer that changes a size (strides, padding, dilation, ceil_mode,
transposed convolutions, upsampling, flattening, reshaping).

Usage: check_symbolic_shapes.py SKETCHC SOURCE_DIR WORK_DIR"""
import glob
import itertools
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from check_report import finish  # noqa: E402
from work_folder import work_folder  # noqa: E402

BATCH = 3
SIZES = [7, 8, 9, 13, 16, 17, 31, 32, 45, 97, 224, 227]

CHAINS = {
    "strided_2d": ("float32[N, 2, H, W]", """
c1 = Conv2d(2, 4, 3)
p1 = MaxPool2d(2)
c2 = Conv2d(4, 8, 3, stride=2, padding=1)
p2 = MaxPool2d(3, stride=2, ceil_mode=True)
c3 = Conv2d(8, 8, (3, 5), stride=(3, 2), padding=(2, 1), dilation=(1, 2))
p3 = AvgPool2d(2, stride=3, padding=1, ceil_mode=True)
f = Flatten()
x -> c1 -> p1 -> c2 -> p2 -> c3 -> p3 -> f
output y = f"""),
    "up_and_down": ("float32[N, 3, H, W]", """
d = Conv2d(3, 4, 4, stride=3, padding=1)
t = ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1)
u = Upsample(scale_factor=2, mode='nearest')
p = MaxPool2d(3, stride=2, padding=1, dilation=2)
c = Conv2d(4, 2, 3, padding='same')
f = Flatten()
x -> d -> t -> u -> p -> c -> f
output y = f"""),
    "branches": ("float32[N, 3, H, W]", """
a = Conv2d(3, 4, 3, stride=2)
b = Conv2d(3, 4, 3, stride=2)
s = Add()
r = Reshape((-1, 4))
x -> a -> s
x -> b -> s.other
s -> r
output y = r"""),
    "sequence_1d": ("float32[N, 4, L]", """
c = Conv1d(4, 6, 5, stride=2, padding=1)
p = MaxPool1d(3, stride=2, ceil_mode=True)
t = ConvTranspose1d(6, 2, 4, stride=3)
f = Flatten()
x -> c -> p -> t -> f
output y = f"""),
    "volume_3d": ("float32[N, 2, D, H, W]", """
c = Conv3d(2, 4, 3, stride=(1, 2, 2), padding=1)
p = AvgPool3d(2)
f = Flatten(start_dim=2)
x -> c -> p -> f
output y = f"""),
}


# Examples whose symbolic form cannot check, and why.
CONCRETE_ONLY = {
    "unet_small": "its skip concatenations need H and W divisible by 4, which no symbol "
                  "promises (sketchc reports the mismatch)",
}


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def dims_of(shape):
    """'[N, 3, f(H, k=2)]' -> ['N', '3', 'f(H, k=2)']: commas inside calls do not split."""
    dims, depth, current = [], 0, ""
    for c in shape[1:-1]:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            dims.append(current.strip())
            current = ""
        else:
            current += c
    return dims + [current.strip()] if current.strip() else dims


def shapes(sketchc, path):
    """Each block's output dims as text, or None when the sketch does not check."""
    r = run(sketchc, "summary", path, "--format", "json")
    if r.returncode != 0:
        return None
    return {b["path"]: [dims_of(o) for o in b["outputs"]] for b in json.loads(r.stdout)["blocks"]}


def ceil_pool(size, k, s, p, d):
    """PyTorch's pooling output size with ceil_mode=True (pooling_output_shape in ATen): the
    last window must start inside the input or its left padding."""
    out = -(-(size + 2 * p - d * (k - 1) - 1) // s) + 1
    return out - 1 if (out - 1) * s >= size + p else out


# The functions sketchc's opaque dims are written with.
FUNCTIONS = {"ceil_pool": ceil_pool, "floor": math.floor}


def evaluate(expression, values):
    if not re.fullmatch(r"[A-Za-z0-9_+\-*/()=,. ]+", expression):
        raise ValueError(expression)
    return eval(expression, {"__builtins__": {}, **FUNCTIONS}, values)  # noqa: S307 (checked)


def compare(name, symbolic, concrete, values):
    """The first dim whose evaluated expression differs from the concrete one."""
    for block, outputs in symbolic.items():
        for port, (sym, con) in enumerate(zip(outputs, concrete[block])):
            if len(sym) != len(con):
                return f"{name} {values}: '{block}' has rank {len(sym)}, concrete {len(con)}"
            for d, (s, c) in enumerate(zip(sym, con)):
                got = evaluate(s, values)
                if got != int(c):
                    return (f"{name} {values}: '{block}' dim {d} prints '{s}' = {got}, "
                            f"but is {c}")
    return None


def check(sketchc, work, name, input_type, body, symbols, sizes):
    """Symbolic against concrete at every size; returns (sizes checked, failure or None)."""
    header = f"sketch {name}\ninput x: {input_type}\n"
    path = os.path.join(work, name + ".sketch")
    with open(path, "w") as f:
        f.write(header + body + "\n")
    symbolic = shapes(sketchc, path)
    if symbolic is None:
        return 0, f"{name}: the symbolic sketch does not check"
    checked = 0
    for combination in itertools.product(sizes, repeat=len(symbols)):
        values = dict(zip(symbols, combination), N=BATCH)
        concrete_type = input_type.replace("N", str(BATCH))
        for symbol, size in zip(symbols, combination):
            concrete_type = re.sub(rf"\b{symbol}\b", str(size), concrete_type)
        with open(path, "w") as f:
            f.write(f"sketch {name}\ninput x: {concrete_type}\n" + body + "\n")
        concrete = shapes(sketchc, path)
        if concrete is None:
            continue  # too small for this chain: the concrete sketch is refused
        checked += 1
        problem = compare(name, symbolic, concrete, values)
        if problem:
            return checked, problem
    return checked, None


def example_cases(source):
    """Examples whose input is an image of known size, made symbolic in H and W."""
    for path in sorted(glob.glob(os.path.join(source, "examples", "*.sketch"))):
        text = open(path).read()
        m = re.search(r"^input (\w+): float32\[N, (\d+), \d+, \d+\]$", text, re.M)
        if not m or os.path.basename(path)[:-7] in CONCRETE_ONLY:
            continue
        body = text[:m.start()] + text[m.end():]
        body = re.sub(r"^sketch .*$", "", body, flags=re.M)
        body = re.sub(rf"\b{m.group(1)}\b", "x", body)
        yield os.path.basename(path)[:-7], f"float32[N, {m.group(2)}, H, W]", body


def main():
    sketchc, source, work_dir = sys.argv[1:4]
    failures, checked = [], 0
    cases = [(n, t, b) for n, (t, b) in CHAINS.items()] + list(example_cases(source))
    with work_folder(work_dir) as work:
        for name, input_type, body in cases:
            symbols = [s for s in ("D", "H", "W", "L") if re.search(rf"\b{s}\b", input_type)]
            sizes = SIZES if len(symbols) < 3 else SIZES[::3]  # keeps 3-D cases short
            count, problem = check(sketchc, work, name, input_type, body, symbols, sizes)
            checked += count
            if count == 0 and not problem:
                problem = f"{name}: no size checks"
            if problem:
                failures.append(problem)
    finish(f"symbolic shapes: {len(cases)} sketches at {checked} sizes, "
           f"{len(failures)} failed", failures)


if __name__ == "__main__":
    main()
