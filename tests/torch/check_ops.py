#!/usr/bin/python3
"""Every op family through the torch kernel: a one-block sketch per case compiles to a
TorchScript archive, and PyTorch's own module (or function) with the archive's weights
gives the same output in eval mode (and the same state_dict keys).

Usage: check_ops.py --sketchc BIN --workdir DIR
"""
import argparse
import os
import subprocess
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from work_folder import work_folder  # noqa: E402

TOLERANCE = 1e-5
IMG = "float32[2, 4, 8, 8]"


class Wrap(nn.Module):
    def __init__(self, module, fn):
        super().__init__()
        if module is not None:
            self.m = module
        self.fn = fn

    def forward(self, *xs):
        return self.fn(self, *xs)


class ClassToken(nn.Module):
    def __init__(self):
        super().__init__()
        self.class_token = nn.Parameter(torch.zeros(1, 8))

    def forward(self, x):
        return torch.cat([self.class_token, x], 0)


class PairReference(nn.Module):
    def __init__(self):
        super().__init__()
        self.p = nn.Module()
        self.p.fx, self.p.fy = nn.Linear(4, 4), nn.Linear(4, 4)

    def forward(self, a, b):
        fy = self.p.fy(b)
        return (self.p.fx(a) + fy) * fy


def layer(module):
    return Wrap(module, lambda self, *xs: self.m(*xs))


def function(fn):
    return Wrap(None, lambda self, *xs: fn(*xs))


# (block call, input types, reference, how to make inputs besides randn)
CASES = [
    ("Conv1d(4, 6, 3, stride=2, padding=1)", ["float32[2, 4, 9]"], layer(nn.Conv1d(4, 6, 3, stride=2, padding=1))),
    ("Conv2d(4, 6, 3, padding=1, padding_mode=\"reflect\")", [IMG], layer(nn.Conv2d(4, 6, 3, padding=1, padding_mode="reflect"))),
    ("Conv2d(4, 6, 3, padding=1, padding_mode=\"circular\")", [IMG], layer(nn.Conv2d(4, 6, 3, padding=1, padding_mode="circular"))),
    ("Conv2d(4, 8, 3, padding=\"same\", groups=2, dilation=2)", [IMG], layer(nn.Conv2d(4, 8, 3, padding="same", groups=2, dilation=2))),
    ("Conv3d(4, 2, 2)", ["float32[1, 4, 4, 4, 4]"], layer(nn.Conv3d(4, 2, 2))),
    ("ConvTranspose2d(4, 3, 3, stride=2, output_padding=1)", [IMG], layer(nn.ConvTranspose2d(4, 3, 3, stride=2, output_padding=1))),
    ("Linear(8, 5)", ["float32[3, 8]"], layer(nn.Linear(8, 5))),
    ("Bilinear(3, 4, 5)", ["float32[2, 3]", "float32[2, 4]"], layer(nn.Bilinear(3, 4, 5))),
    ("BatchNorm1d(4)", ["float32[5, 4]"], layer(nn.BatchNorm1d(4))),
    ("BatchNorm2d(4, momentum=none)", [IMG], layer(nn.BatchNorm2d(4, momentum=None))),
    ("InstanceNorm2d(4, affine=true)", [IMG], layer(nn.InstanceNorm2d(4, affine=True))),
    ("LayerNorm((8, 8))", [IMG], layer(nn.LayerNorm((8, 8)))),
    ("GroupNorm(2, 4)", [IMG], layer(nn.GroupNorm(2, 4))),
    ("LocalResponseNorm(3)", [IMG], layer(nn.LocalResponseNorm(3))),
    ("ReLU()", [IMG], layer(nn.ReLU())),
    ("ReLU6()", [IMG], layer(nn.ReLU6())),
    ("LeakyReLU(0.2)", [IMG], layer(nn.LeakyReLU(0.2))),
    ("ELU(0.5)", [IMG], layer(nn.ELU(0.5))),
    ("SELU()", [IMG], layer(nn.SELU())),
    ("CELU(0.7)", [IMG], layer(nn.CELU(0.7))),
    ("GELU(approximate=\"tanh\")", [IMG], layer(nn.GELU(approximate="tanh"))),
    ("SiLU()", [IMG], layer(nn.SiLU())),
    ("Mish()", [IMG], layer(nn.Mish())),
    ("Sigmoid()", [IMG], layer(nn.Sigmoid())),
    ("Tanh()", [IMG], layer(nn.Tanh())),
    ("Hardswish()", [IMG], layer(nn.Hardswish())),
    ("Hardsigmoid()", [IMG], layer(nn.Hardsigmoid())),
    ("Softplus(2.0, 10.0)", [IMG], layer(nn.Softplus(2.0, 10.0))),
    ("Softsign()", [IMG], layer(nn.Softsign())),
    ("PReLU(4)", [IMG], layer(nn.PReLU(4))),
    ("Softmax(dim=1)", [IMG], layer(nn.Softmax(dim=1))),
    ("LogSoftmax()", ["float32[3, 5]"], layer(nn.LogSoftmax(dim=1))),
    ("Hardtanh(-0.5, 0.5)", [IMG], layer(nn.Hardtanh(-0.5, 0.5))),
    ("Hardshrink(0.3)", [IMG], layer(nn.Hardshrink(0.3))),
    ("Softshrink(lambd=0.4)", [IMG], layer(nn.Softshrink(lambd=0.4))),
    ("MaxPool1d(2)", ["float32[2, 4, 9]"], layer(nn.MaxPool1d(2))),
    ("MaxPool2d(3, stride=2, padding=1, ceil_mode=true)", [IMG], layer(nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True))),
    ("MaxPool3d(2)", ["float32[1, 2, 4, 4, 4]"], layer(nn.MaxPool3d(2))),
    ("AvgPool1d(3)", ["float32[2, 4, 9]"], layer(nn.AvgPool1d(3))),
    ("AvgPool2d(3, stride=1, padding=1, count_include_pad=false)", [IMG], layer(nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False))),
    ("AvgPool3d(2)", ["float32[1, 2, 4, 4, 4]"], layer(nn.AvgPool3d(2))),
    ("AdaptiveAvgPool1d(3)", ["float32[2, 4, 9]"], layer(nn.AdaptiveAvgPool1d(3))),
    ("AdaptiveAvgPool2d((2, 3))", [IMG], layer(nn.AdaptiveAvgPool2d((2, 3)))),
    ("AdaptiveMaxPool2d(2)", [IMG], layer(nn.AdaptiveMaxPool2d(2))),
    ("AdaptiveMaxPool1d(2)", ["float32[2, 4, 9]"], layer(nn.AdaptiveMaxPool1d(2))),
    ("AdaptiveAvgPool3d(1)", ["float32[1, 2, 4, 4, 4]"], layer(nn.AdaptiveAvgPool3d(1))),
    ("AdaptiveMaxPool3d(1)", ["float32[1, 2, 4, 4, 4]"], layer(nn.AdaptiveMaxPool3d(1))),
    ("Dropout(0.3)", [IMG], layer(nn.Dropout(0.3))),
    ("Dropout2d(0.3)", [IMG], layer(nn.Dropout2d(0.3))),
    ("AlphaDropout(0.3)", [IMG], layer(nn.AlphaDropout(0.3))),
    ("FeatureAlphaDropout(0.3)", [IMG], layer(nn.FeatureAlphaDropout(0.3))),
    ("Dropout1d(0.3)", ["float32[2, 4, 9]"], layer(nn.Dropout1d(0.3))),
    ("Dropout3d(0.3)", ["float32[1, 2, 4, 4, 4]"], layer(nn.Dropout3d(0.3))),
    ("Flatten(1, 2)", [IMG], layer(nn.Flatten(1, 2))),
    ("Unflatten(1, (2, 2))", [IMG], layer(nn.Unflatten(1, (2, 2)))),
    ("PixelShuffle(2)", [IMG], layer(nn.PixelShuffle(2))),
    ("ZeroPad2d((1, 2, 0, 1))", [IMG], layer(nn.ZeroPad2d((1, 2, 0, 1)))),
    ("ConstantPad1d((1, 2), 0.5)", ["float32[2, 4, 9]"], layer(nn.ConstantPad1d((1, 2), 0.5))),
    ("ConstantPad2d((1, 1, 2, 2), 1.5)", [IMG], layer(nn.ConstantPad2d((1, 1, 2, 2), 1.5))),
    ("ConstantPad3d((1, 1, 1, 1, 1, 1), 2.0)", ["float32[1, 2, 4, 4, 4]"], layer(nn.ConstantPad3d(1, 2.0))),
    ("Upsample(scale_factor=2)", [IMG], layer(nn.Upsample(scale_factor=2))),
    ("Upsample(size=(5, 7), mode=\"bilinear\", align_corners=true)", [IMG], layer(nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True))),
    ("Upsample(scale_factor=2, mode=\"bicubic\")", [IMG], layer(nn.Upsample(scale_factor=2, mode="bicubic"))),
    ("Embedding(10, 3, padding_idx=0)", ["int64[2, 5]"], layer(nn.Embedding(10, 3, padding_idx=0))),
    ("Identity()", [IMG], layer(nn.Identity())),
    ("Add(alpha=2)", [IMG, IMG], function(lambda a, b: torch.add(a, b, alpha=2))),
    ("Sub()", [IMG, IMG], function(torch.sub)),
    ("Mul()", [IMG, "float32[8]"], function(torch.mul)),
    ("Div(rounding_mode=\"floor\")", [IMG, IMG], function(lambda a, b: torch.div(a, b, rounding_mode="floor"))),
    ("Pow(2)", [IMG], function(lambda a: torch.pow(a, 2))),
    ("Sqrt()", [IMG], function(torch.sqrt)),
    ("Exp()", [IMG], function(torch.exp)),
    ("Log()", [IMG], function(torch.log)),
    ("Erf()", [IMG], function(torch.erf)),
    ("Clamp(min=-0.5, max=0.5)", [IMG], function(lambda a: torch.clamp(a, -0.5, 0.5))),
    ("Where()", ["bool[2, 4, 8, 8]", IMG, IMG], function(torch.where)),
    ("MatMul()", ["float32[2, 3, 4]", "float32[4, 5]"], function(torch.matmul)),
    ("Concat(dim=1)", [IMG, IMG], function(lambda a, b: torch.cat([a, b], 1))),
    ("Reshape((2, -1))", [IMG], function(lambda a: a.reshape(2, -1))),
    ("Permute((0, 2, 3, 1))", [IMG], function(lambda a: a.permute(0, 2, 3, 1))),
    ("Transpose(1, 3)", [IMG], function(lambda a: a.transpose(1, 3))),
    ("Squeeze()", ["float32[2, 1, 3]"], function(torch.squeeze)),
    ("Unsqueeze(1)", [IMG], function(lambda a: a.unsqueeze(1))),
    ("Slice(dim=-1, start=1, end=7, step=2)", [IMG], function(lambda a: a[..., 1:7:2])),
    ("Select(dim=2, index=-1)", [IMG], function(lambda a: a[:, :, -1])),
    ("Mean(dim=(2, 3), keepdim=true)", [IMG], function(lambda a: a.mean((2, 3), keepdim=True))),
    ("Sum(dim=1)", [IMG], function(lambda a: a.sum(1))),
    ("Max()", [IMG], function(torch.max)),
    ("RNN(8, 6, num_layers=2, nonlinearity=\"relu\")", ["float32[5, 3, 8]"], Wrap(nn.RNN(8, 6, num_layers=2, nonlinearity="relu"), lambda self, x: self.m(x)[0])),
    ("GRU(8, 6, batch_first=true, bidirectional=true)", ["float32[3, 5, 8]"], Wrap(nn.GRU(8, 6, batch_first=True, bidirectional=True), lambda self, x: self.m(x)[0])),
    ("LSTM(8, 6, proj_size=4)", ["float32[5, 3, 8]"], Wrap(nn.LSTM(8, 6, proj_size=4), lambda self, x: self.m(x)[0])),
    ("MultiheadAttention(8, 2, batch_first=true)", ["float32[3, 5, 8]"], Wrap(nn.MultiheadAttention(8, 2, batch_first=True), lambda self, x: self.m(x, x, x)[0])),
    ("MultiheadAttention(8, 2, kdim=6, vdim=6, add_bias_kv=true, add_zero_attn=true)", ["float32[5, 3, 8]", "float32[4, 3, 6]", "float32[4, 3, 6]"], Wrap(nn.MultiheadAttention(8, 2, kdim=6, vdim=6, add_bias_kv=True, add_zero_attn=True), lambda self, q, k, v: self.m(q, k, v)[0])),
    ("TransformerEncoderLayer(8, 2, 16, norm_first=true, activation=\"gelu\")", ["float32[5, 3, 8]"], layer(nn.TransformerEncoderLayer(8, 2, 16, norm_first=True, activation="gelu"))),
    ("TransformerDecoderLayer(8, 2, 16, batch_first=true)", ["float32[3, 5, 8]", "float32[3, 4, 8]"], layer(nn.TransformerDecoderLayer(8, 2, 16, batch_first=True))),
    ("MSELoss()", [IMG, IMG], layer(nn.MSELoss())),
    ("L1Loss(reduction=\"sum\")", [IMG, IMG], layer(nn.L1Loss(reduction="sum"))),
    ("SmoothL1Loss(beta=0.5)", [IMG, IMG], layer(nn.SmoothL1Loss(beta=0.5))),
    ("HuberLoss(delta=0.5, reduction=\"none\")", [IMG, IMG], layer(nn.HuberLoss(delta=0.5, reduction="none"))),
    ("KLDivLoss(reduction=\"batchmean\")", [IMG, IMG], layer(nn.KLDivLoss(reduction="batchmean"))),
    ("CrossEntropyLoss(label_smoothing=0.1)", ["float32[3, 5]", "int64[3]"], layer(nn.CrossEntropyLoss(label_smoothing=0.1))),
    ("NLLLoss(reduce=false)", ["float32[3, 5]", "int64[3]"], layer(nn.NLLLoss(reduce=False))),
    ("BCELoss()", ["float32[3, 5]", "float32[3, 5]"], layer(nn.BCELoss())),
    ("BCEWithLogitsLoss()", ["float32[3, 5]", "float32[3, 5]"], layer(nn.BCEWithLogitsLoss())),
]

# Ops with several outputs or without inputs, as whole sketch bodies over inputs x0, x1, ...
BODIES = [
    (["m = Split(3, dim=1)", "x0 -> m", "output y = m.1"], ["float32[2, 8]"],
     function(lambda a: torch.split(a, 3, 1)[1])),
    (["m = Split((2, 6), dim=1)", "x0 -> m", "output y = m.1"], ["float32[2, 8]"],
     function(lambda a: torch.split(a, [2, 6], 1)[1])),
    (["m = Chunk(3, dim=-1)", "x0 -> m", "output y = m.2"], ["float32[2, 8]"],
     function(lambda a: torch.chunk(a, 3, -1)[2])),
    (["m = Max(dim=1)", "x0 -> m", "output y = m.indices"], ["float32[2, 8]"],
     function(lambda a: torch.max(a, 1)[1])),
    (["c = Constant([[1.0, 2.0], [3.0, 4.0]])", "add = Add()", "(x0, c) -> add", "output y = add"],
     ["float32[3, 2, 2]"], function(lambda a: a + torch.tensor([[1.0, 2.0], [3.0, 4.0]]))),
    # A dtype keeps every digit: float64 is not rounded through float32 on the way.
    (["c = Constant([0.1, 1e-9], dtype=\"float64\")", "add = Add()", "(x0, c) -> add",
      "output y = add"], ["float64[3, 2]"],
     function(lambda a: a + torch.tensor([0.1, 1e-9], dtype=torch.float64))),
    (["c = Constant([[1, 2]], dtype=\"int64\")", "m = Mul()", "(x0, c) -> m", "output y = m"],
     ["int64[3, 2]"], function(lambda a: a * torch.tensor([[1, 2]]))),
    (["class_token = Parameter((1, 8), init=\"normal\")", "cat = Concat(dim=0)",
      "(class_token, x0) -> cat", "output y = cat"], ["float32[3, 8]"],
     ClassToken()),
    # A block with two inputs and two outputs: the group's forward takes and returns both.
    (["block Pair(n) {", "input a", "input b", "fx = Linear(n, n)", "fy = Linear(n, n)",
      "s = Add()", "a -> fx -> s", "b -> fy -> s", "output sum = s", "output fy = fy", "}",
      "p = Pair(4)", "m = Mul()", "(x0, x1) -> p", "(p.sum, p.fy) -> m", "output y = m"],
     ["float32[2, 4]", "float32[2, 4]"], PairReference()),
    (["m = MaxPool2d(2, return_indices=true)", "x0 -> m", "output y = m.indices"], [IMG],
     Wrap(nn.MaxPool2d(2, return_indices=True), lambda self, a: self.m(a)[1])),
]


def make_input(spec, call):
    dtype, dims = spec.split("[")
    shape = [int(d) for d in dims.rstrip("]").split(",")]
    if dtype == "int64":
        return torch.randint(0, 5 if "Loss" in call else 10, shape)
    if dtype == "bool":
        return torch.rand(shape) > 0.5
    return torch.rand(shape) if any(op in call for op in ("BCELoss(", "KLDivLoss(", "Sqrt(", "Log(")) else torch.randn(shape)


def one_block(call, types):
    names = [f"x{i}" for i in range(len(types))]
    lines = [f"m = {call}", f"({', '.join(names)}) -> m" if len(names) > 1 else "x0 -> m"]
    output = "m.output" if call.startswith(("RNN", "GRU", "LSTM")) else \
        "m.attn_output" if call.startswith("MultiheadAttention") else "m"
    return lines + [f"output y = {output}"]


def run_case(sketchc, workdir, number, body, types, reference):
    call = body[0]
    lines = ["sketch op_case"] + [f"input x{i}: {t}" for i, t in enumerate(types)] + body
    sketch = os.path.join(workdir, f"case{number}.sketch")
    archive = os.path.join(workdir, f"case{number}.pth")
    with open(sketch, "w") as f:
        f.write("\n".join(lines) + "\n")
    proc = subprocess.run([sketchc, "compile", sketch, "-o", archive], capture_output=True, text=True)
    if proc.returncode != 0:
        return f"compile failed:\n{proc.stderr}"
    model = torch.jit.load(archive).eval()
    reference.eval()
    reference.load_state_dict(model.state_dict(), strict=True)
    torch.manual_seed(number)
    inputs = [make_input(t, call) for t in types]
    with torch.no_grad():
        got, want = model(*inputs), reference(*inputs)
    if got.shape != want.shape or got.dtype != want.dtype:
        return f"{got.dtype}{list(got.shape)}, torch {want.dtype}{list(want.shape)}"
    error = (got.double() - want.double()).abs().max().item() if got.numel() else 0.0
    if not error <= TOLERANCE:
        return f"differs from torch by {error:.3g}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    failures = 0
    cases = [(one_block(call, types), types, reference) for call, types, reference in CASES]
    cases += BODIES
    with work_folder(args.workdir):
        for number, (body, types, reference) in enumerate(cases):
            try:
                problem = run_case(args.sketchc, args.workdir, number, body, types, reference)
            except Exception as e:  # a TorchScript error is a failure of this case only
                problem = f"{type(e).__name__}: {e}"
            if problem:
                failures += 1
                print(f"FAIL {' / '.join(body)}: {problem}")
        print(f"{len(cases) - failures} of {len(cases)} op cases match PyTorch")
        if failures:
            sys.exit(1)


if __name__ == "__main__":
    main()
