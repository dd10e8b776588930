#!/usr/bin/python3
"""Golden shapes of the torch.nn layer ops, recorded from real PyTorch.

Run with the interpreter that has torch:  /usr/bin/python3 tests/ops/golden/make_golden_nn.py
It rewrites tests/ops/golden/nn.json beside this script. The output is deterministic (no
random values are recorded, cases are written in a fixed order), so a diff of nn.json shows
exactly what changed. tests/ops/golden_test.cpp checks sketchc's catalogue against it.

Schema (shared by every tests/ops/golden/*.json): the file is a JSON array of cases,
one per line:
  {"op": "Conv2d",                      # catalogue name == torch.nn class name
   "args": [3, 16, 3],                  # positional constructor arguments
   "kwargs": {"stride": 2},             # keyword constructor arguments
   "inputs": [{"shape": [1, 3, 32, 32], "dtype": "float32"}],   # forward() inputs, in order
   "outputs": [[1, 16, 15, 15]],        # shape of each output (a tuple result gives several)
   "params": {"weight": {"shape": [16, 3, 3, 3], "dtype": "float32"},
              "bias": {"shape": [16], "dtype": "float32"}},     # state_dict: parameters and buffers
   "error": false}
Tuples are written as JSON lists, None as null, and floats keep a fraction or an exponent
(3.0, 1e-05) so that they read back as floats. When PyTorch raises, in the constructor or in
forward(), the case has "error": true and no "outputs" or "params"; sketchc must then report
at least one issue while binding the arguments or inferring shapes.

Python's truthiness (bias=1) and PyTorch's quirks (AdaptiveAvgPool2d(1) on a 2-D input,
ZeroPad2d with a 2-tuple) are left out: sketchc is deliberately stricter there.

Modules run in eval mode: training-only checks on values (BatchNorm's "more than 1 value per
channel") are not shape rules.
"""

import json
import os
import warnings

import torch
import torch.nn as nn

CASES = []


def case(op, args=(), kwargs=None, inputs=((2, 3, 8, 8),), dtype="float32"):
    """Queues one case; each input is a shape or a (shape, dtype) pair."""
    specs = []
    for item in inputs:
        if len(item) == 2 and isinstance(item[1], str):
            specs.append({"shape": list(item[0]), "dtype": item[1]})
        else:
            specs.append({"shape": list(item), "dtype": dtype})
    CASES.append({"op": op, "args": list(args), "kwargs": dict(kwargs or {}), "inputs": specs})


def jsonable(value):
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    return value


def make_input(spec, module):
    shape = spec["shape"]
    dtype = getattr(torch, spec["dtype"])
    if dtype.is_floating_point:
        return torch.randn(shape, dtype=dtype)
    high = getattr(module, "num_embeddings", 2)
    return torch.randint(0, max(high, 1), shape, dtype=dtype)


def dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def run(c):
    torch.manual_seed(0)
    out = {"op": c["op"], "args": jsonable(c["args"]), "kwargs": jsonable(c["kwargs"]),
           "inputs": c["inputs"]}
    try:
        module = getattr(nn, c["op"])(*c["args"], **c["kwargs"])
        module.eval()
        with torch.no_grad():
            result = module(*[make_input(s, module) for s in c["inputs"]])
    except Exception:  # any failure PyTorch reports is an expected error
        out["error"] = True
        return out
    results = result if isinstance(result, tuple) else (result,)
    out["outputs"] = [list(r.shape) for r in results]
    out["params"] = {name: {"shape": list(t.shape), "dtype": dtype_name(t.dtype)}
                     for name, t in module.state_dict().items()}
    out["error"] = False
    return out


def conv_cases():
    for k in (1, 3, 5):
        for s in (1, 2, 3):
            for p in (0, 1, 2):
                for d in (1, 2):
                    case("Conv2d", (4, 8, k), {"stride": s, "padding": p, "dilation": d},
                         [(2, 4, 9, 9)])
    for g in (1, 2, 4, 3):
        case("Conv2d", (4, 8, 3), {"groups": g}, [(1, 4, 6, 6)])
    case("Conv2d", (3, 16, 3), {"stride": 2}, [(1, 3, 32, 32)])
    case("Conv2d", (3, 16, (3, 1)), {"stride": (2, 1), "padding": (1, 0)}, [(1, 3, 10, 7)])
    case("Conv2d", (3, 6, 3), {"padding": "same"}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 4), {"padding": "same", "dilation": 2}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"padding": "valid"}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"padding": "same", "stride": 2}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"padding": "full"}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"bias": False}, [(1, 3, 7, 9)])
    for mode in ("reflect", "replicate", "circular"):
        case("Conv2d", (3, 6, 3), {"padding": 1, "padding_mode": mode}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {}, [(3, 7, 9)])
    case("Conv2d", (3, 6, 3), {}, [(7, 9)])
    case("Conv2d", (3, 6, 3), {}, [(1, 4, 7, 9)])
    case("Conv2d", (3, 6, 5), {}, [(1, 3, 4, 9)])
    case("Conv2d", (3, 6, 5), {"padding": 1}, [(1, 3, 3, 9)])
    case("Conv2d", (3, 6, 3), {"dilation": 3}, [(1, 3, 6, 9)])
    case("Conv2d", (3, 6, (3, 3, 3)), {}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6), {}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"stride": 0}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"stride": "2"}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"kernal_size": 3}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"padding": -1}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3, 1, 1, 1, 1, True, "zeros"), {}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 6, 3), {"out_channels": 6}, [(1, 3, 7, 9)])
    case("Conv2d", (3, 0, 3), {}, [(1, 3, 5, 5)])
    case("Conv2d", (3, -2, 3), {}, [(1, 3, 5, 5)])
    case("Conv2d", (3, 6, 3), {}, [(1, 3, 0, 5)])
    for pad, mode in ((2, "reflect"), (3, "reflect"), (3, "circular"), (4, "circular"),
                      (4, "replicate")):
        case("Conv2d", (3, 6, 3), {"padding": pad, "padding_mode": mode}, [(1, 3, 3, 3)])
    for k, s, p, d in ((1, 1, 0, 1), (3, 1, 1, 1), (3, 2, 0, 1), (5, 3, 2, 2), (2, 2, 0, 1)):
        case("Conv1d", (4, 6, k), {"stride": s, "padding": p, "dilation": d}, [(2, 4, 17)])
        case("Conv3d", (2, 4, k), {"stride": s, "padding": p, "dilation": d}, [(1, 2, 6, 7, 8)])
    case("Conv1d", (4, 6, 3), {}, [(4, 17)])
    case("Conv1d", (4, 6, 3), {"groups": 2, "padding": "same"}, [(2, 4, 17)])
    case("Conv1d", (4, 6, 9), {}, [(2, 4, 7)])
    case("Conv1d", (4, 6, (3,)), {}, [(2, 4, 7)])
    case("Conv3d", (2, 4, (1, 3, 3)), {"padding": (0, 1, 1)}, [(1, 2, 4, 6, 6)])
    case("Conv3d", (2, 4, 3), {}, [(2, 6, 7, 8)])
    case("Conv3d", (2, 4, 3), {"groups": 3}, [(1, 2, 6, 7, 8)])
    for k, s, p, op, d, g in ((3, 1, 0, 0, 1, 1), (3, 2, 1, 1, 1, 1), (4, 2, 1, 0, 1, 1),
                              (3, 2, 0, 1, 2, 1), (2, 2, 0, 0, 1, 2), (5, 3, 2, 2, 1, 4),
                              (1, 1, 0, 0, 1, 1)):
        kw = {"stride": s, "padding": p, "output_padding": op, "dilation": d, "groups": g}
        case("ConvTranspose2d", (4, 8, k), kw, [(2, 4, 5, 6)])
        case("ConvTranspose1d", (4, 8, k), kw, [(2, 4, 5)])
    case("ConvTranspose2d", (4, 8, 3), {"output_padding": 1}, [(2, 4, 5, 6)])
    case("ConvTranspose2d", (4, 8, 3), {"stride": 2, "output_padding": 2}, [(2, 4, 5, 6)])
    case("ConvTranspose2d", (4, 8, 3), {"padding": 3}, [(2, 4, 2, 2)])
    case("ConvTranspose2d", (4, 8, 3), {"bias": False}, [(4, 5, 6)])
    case("ConvTranspose2d", (4, 6, 3), {"groups": 4}, [(2, 4, 5, 6)])
    case("ConvTranspose2d", (4, 8, 3), {"padding_mode": "reflect"}, [(2, 4, 5, 6)])
    case("ConvTranspose2d", (4, 8, (3, 2)), {"stride": (2, 1)}, [(2, 4, 5, 6)])
    case("ConvTranspose1d", (4, 8, 3, 2, 1, 1, 1, True, 1), {}, [(4, 5)])


def linear_cases():
    for shape in ((4, 10), (10,), (2, 3, 10), (2, 3, 4, 10), (0, 10)):
        case("Linear", (10, 5), {}, [shape])
    case("Linear", (10, 5), {"bias": False}, [(4, 10)])
    case("Linear", (10, 5, False), {}, [(4, 10)])
    case("Linear", (10, 5), {}, [(4, 9)])
    case("Linear", (10, 0), {}, [(4, 10)])
    case("Linear", (10, -1), {}, [(4, 10)])
    case("Linear", (10,), {}, [(4, 10)])
    case("Linear", (), {"in_features": 10, "out_features": 1}, [(4, 10)])
    case("Bilinear", (5, 6, 7), {}, [(4, 5), (4, 6)])
    case("Bilinear", (5, 6, 7), {"bias": False}, [(2, 3, 5), (2, 3, 6)])
    case("Bilinear", (5, 6, 7), {}, [(4, 5), (3, 6)])
    case("Bilinear", (5, 6, 7), {}, [(4, 5), (4, 7)])


def norm_cases():
    for op, shapes in (("BatchNorm1d", [(4, 8), (4, 8, 10), (8, 10), (4, 8, 2, 2)]),
                       ("BatchNorm2d", [(2, 8, 4, 4), (8, 4, 4), (2, 8, 4, 4, 4)]),
                       ("BatchNorm3d", [(2, 8, 3, 4, 4), (8, 3, 4, 4)])):
        for shape in shapes:
            case(op, (8,), {}, [shape])
        case(op, (8,), {"affine": False}, [shapes[0]])
        case(op, (8,), {"track_running_stats": False}, [shapes[0]])
        case(op, (8, 1e-3, None), {}, [shapes[0]])
        case(op, (8,), {"momentum": 0.5, "eps": 1}, [shapes[0]])
        case(op, (6,), {}, [shapes[0]])
        case(op, (6,), {"affine": False, "track_running_stats": False}, [shapes[0]])
    for op, shapes in (("InstanceNorm1d", [(4, 8, 10), (8, 10)]),
                       ("InstanceNorm2d", [(2, 8, 4, 4), (8, 4, 4)]),
                       ("InstanceNorm3d", [(2, 8, 3, 4, 4), (8, 3, 4, 4)])):
        for shape in shapes:
            case(op, (8,), {}, [shape])
            case(op, (8,), {"affine": True}, [shape])
            case(op, (8,), {"track_running_stats": True}, [shape])
        case(op, (6,), {"affine": True}, [shapes[0]])
    case("InstanceNorm2d", (8,), {}, [(2, 8, 4)])
    case("LayerNorm", (10,), {}, [(4, 10)])
    case("LayerNorm", (10,), {}, [(10,)])
    case("LayerNorm", (10,), {}, [(2, 3, 10)])
    case("LayerNorm", ((5, 10),), {}, [(2, 5, 10)])
    case("LayerNorm", ((3, 5, 10),), {"elementwise_affine": False}, [(2, 3, 5, 10)])
    case("LayerNorm", ((10,),), {"eps": 1e-6}, [(2, 10)])
    case("LayerNorm", ((8,),), {}, [(2, 10)])
    case("LayerNorm", ((4, 10),), {}, [(10,)])
    for groups, channels, shape in ((2, 8, (4, 8, 5)), (4, 8, (2, 8, 3, 3)), (8, 8, (2, 8)),
                                    (1, 8, (2, 8, 2, 2, 2)), (3, 8, (2, 8, 5)),
                                    (2, 8, (2, 6, 5)), (2, 8, (8, 5, 5)), (2, 8, (8,))):
        case("GroupNorm", (groups, channels), {}, [shape])
    case("GroupNorm", (2, 8), {"affine": False, "eps": 1e-3}, [(4, 8, 5)])
    case("LocalResponseNorm", (2,), {}, [(2, 8, 5, 5)])
    case("LocalResponseNorm", (3,), {"alpha": 1e-3, "beta": 0.5, "k": 2}, [(2, 8, 5)])
    case("LocalResponseNorm", (3,), {}, [(2, 8, 5, 5, 5)])
    case("LocalResponseNorm", (2,), {}, [(2, 8)])
    case("LocalResponseNorm", (0,), {}, [(2, 3, 4)])


def activation_cases():
    simple = ("ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish",
              "Sigmoid", "Tanh", "Hardtanh", "Hardswish", "Hardsigmoid", "Softplus", "Softsign",
              "Hardshrink", "Softshrink")
    for op in simple:
        for shape in ((2, 3, 4), (5,), ()):
            case(op, (), {}, [shape])
    for op in ("ReLU", "ReLU6", "SELU", "SiLU", "Mish", "Hardswish", "Hardsigmoid"):
        case(op, (True,), {}, [(2, 3)])
        case(op, (), {"inplace": True}, [(2, 3)])
    case("LeakyReLU", (0.2,), {}, [(2, 3)])
    case("LeakyReLU", (), {"negative_slope": 1, "inplace": True}, [(2, 3)])
    case("ELU", (0.5,), {}, [(2, 3)])
    case("CELU", (), {"alpha": 2.0}, [(2, 3)])
    case("GELU", ("tanh",), {}, [(2, 3)])
    case("GELU", (), {"approximate": "none"}, [(2, 3)])
    case("GELU", (), {"approximate": "tanhh"}, [(2, 3)])
    case("Hardshrink", (0.3,), {}, [(2, 3)])
    case("Softshrink", (), {"lambd": 0.0}, [(2, 3)])
    case("Softshrink", (-1.0,), {}, [(2, 3)])
    case("Hardtanh", (-2.0, 2.0), {}, [(2, 3)])
    case("Hardtanh", (0, 6), {}, [(2, 3)])
    case("Hardtanh", (1.0, -1.0), {}, [(2, 3)])
    case("Softplus", (2, 10), {}, [(2, 3)])
    case("Softplus", (), {"beta": 0.5}, [(2, 3)])
    case("Sigmoid", (1,), {}, [(2, 3)])
    case("Tanh", (), {"dim": 1}, [(2, 3)])
    for op in ("Softmax", "LogSoftmax"):
        for shape in ((), (5,), (2, 5), (2, 3, 5), (2, 3, 4, 5)):
            case(op, (), {}, [shape])
        for dim in (0, 1, -1, 2, -3, 3):
            case(op, (dim,), {}, [(2, 3, 5)])
        case(op, (), {"dim": -1}, [()])
        case(op, (), {"dim": 1}, [()])
    case("PReLU", (), {}, [(2, 3, 4)])
    case("PReLU", (3,), {}, [(2, 3, 4)])
    case("PReLU", (3, 0.1), {}, [(2, 3, 4, 4)])
    case("PReLU", (), {"num_parameters": 4, "init": 0.5}, [(2, 4)])
    case("PReLU", (4,), {}, [(2, 3, 4)])
    case("PReLU", (), {}, [(5,)])
    case("PReLU", (), {}, [()])
    case("PReLU", (0,), {}, [(2, 3)])


def pool_cases():
    for k in (2, 3):
        for s in (None, 1, 2):
            for p in (0, 1):
                for d in (1, 2):
                    for ceil in (False, True):
                        case("MaxPool2d", (k, s, p, d), {"ceil_mode": ceil}, [(1, 2, 9, 10)])
    case("MaxPool2d", (3, 2, 1), {"return_indices": True}, [(1, 2, 9, 10)])
    case("MaxPool2d", (3, 2, 1), {"return_indices": True}, [(2, 9, 10)])
    case("MaxPool2d", (2,), {}, [(2, 9, 10)])
    case("MaxPool2d", (3,), {"padding": 2}, [(1, 2, 9, 10)])
    case("MaxPool2d", (5,), {}, [(1, 2, 4, 10)])
    case("MaxPool2d", ((3, 1),), {"stride": (2, 1)}, [(1, 2, 9, 10)])
    case("MaxPool2d", (3,), {"stride": 0}, [(1, 2, 9, 10)])
    case("MaxPool2d", (), {}, [(1, 2, 9, 10)])
    case("MaxPool2d", (2,), {}, [(9, 10)])
    case("MaxPool2d", (2, 2, 0, 1, False, True), {}, [(1, 1, 5, 5)])
    case("MaxPool2d", (3, 3, 1, 1, False, True), {}, [(1, 1, 7, 7)])
    for k, s, p, d, ceil in ((2, None, 0, 1, False), (3, 2, 1, 1, True), (4, 3, 2, 2, True),
                             (3, 3, 0, 1, True), (2, 1, 1, 1, False)):
        kw = {"stride": s, "padding": p, "dilation": d, "ceil_mode": ceil}
        case("MaxPool1d", (k,), kw, [(2, 3, 11)])
        case("MaxPool3d", (k,), kw, [(1, 2, 7, 8, 9)])
    case("MaxPool1d", (3,), {}, [(3, 11)])
    case("MaxPool1d", (3,), {"return_indices": True}, [(2, 3, 11)])
    case("MaxPool3d", (2,), {}, [(2, 7, 8, 9)])
    case("MaxPool3d", (2,), {}, [(7, 8, 9)])
    for k in (2, 3):
        for s in (None, 2):
            for p in (0, 1):
                for ceil in (False, True):
                    for include in (False, True):
                        case("AvgPool2d", (k, s, p, ceil, include), {}, [(1, 2, 9, 10)])
    case("AvgPool2d", (3,), {"divisor_override": 2}, [(1, 2, 9, 10)])
    case("AvgPool2d", (3,), {"padding": 2}, [(1, 2, 9, 10)])
    case("AvgPool2d", (2,), {}, [(2, 9, 10)])
    case("AvgPool2d", (3,), {"dilation": 2}, [(1, 2, 9, 10)])
    case("AvgPool2d", ((2, 4),), {"stride": (1, 2)}, [(1, 2, 9, 10)])
    for k, s, p, ceil in ((2, None, 0, False), (3, 2, 1, True), (3, 3, 0, True), (4, 1, 2, False)):
        case("AvgPool1d", (k, s, p, ceil), {}, [(2, 3, 11)])
        case("AvgPool3d", (k, s, p, ceil), {}, [(1, 2, 7, 8, 9)])
    case("AvgPool1d", (3,), {"divisor_override": 2}, [(2, 3, 11)])
    case("AvgPool1d", (3,), {}, [(3, 11)])
    case("AvgPool3d", (2,), {"divisor_override": 3}, [(2, 7, 8, 9)])
    for size in (1, 3, (2, 3), (None, 3), (4, None), (7, 7), 0, -1):
        case("AdaptiveAvgPool2d", (size,), {}, [(2, 3, 9, 10)])
        case("AdaptiveMaxPool2d", (size,), {}, [(2, 3, 9, 10)])
    case("AdaptiveAvgPool2d", (1,), {}, [(3, 9, 10)])
    case("AdaptiveAvgPool2d", ((1, 2, 3),), {}, [(2, 3, 9, 10)])
    case("AdaptiveAvgPool2d", (2,), {}, [(9, 10)])
    case("AdaptiveMaxPool2d", ((2, 3),), {"return_indices": True}, [(2, 3, 9, 10)])
    case("AdaptiveMaxPool2d", (2, True), {}, [(3, 9, 10)])
    for size in (1, 5, (4,)):
        case("AdaptiveAvgPool1d", (size,), {}, [(2, 3, 11)])
        case("AdaptiveMaxPool1d", (size,), {}, [(2, 3, 11)])
    case("AdaptiveAvgPool1d", (4,), {}, [(3, 11)])
    case("AdaptiveMaxPool1d", (4, True), {}, [(2, 3, 11)])
    for size in (1, (2, 3, 4), (None, 2, None)):
        case("AdaptiveAvgPool3d", (size,), {}, [(1, 2, 6, 7, 8)])
        case("AdaptiveMaxPool3d", (size,), {}, [(1, 2, 6, 7, 8)])
    case("AdaptiveAvgPool3d", (2,), {}, [(2, 6, 7, 8)])


def regularization_cases():
    for op, shapes in (("Dropout", [(2, 3), (5,), (), (2, 3, 4, 5, 6)]),
                       ("Dropout1d", [(2, 3, 4), (3, 4), (2, 3, 4, 5)]),
                       ("Dropout2d", [(2, 3, 4, 5), (3, 4, 5)]),
                       ("Dropout3d", [(2, 3, 4, 5, 6), (3, 4, 5, 6)]),
                       ("AlphaDropout", [(2, 3), (2, 3, 4)]),
                       ("FeatureAlphaDropout", [(2, 3, 4, 5)])):
        for shape in shapes:
            case(op, (), {}, [shape])
        case(op, (0.2,), {}, [shapes[0]])
        case(op, (0.1, True), {}, [shapes[0]])
        case(op, (), {"p": 1}, [shapes[0]])
        case(op, (1.5,), {}, [shapes[0]])
        case(op, (), {"p": -0.1}, [shapes[0]])


def reshape_cases():
    for args, shape in (((), (2, 3, 4, 5)), ((0,), (2, 3, 4, 5)), ((1, 2), (2, 3, 4, 5)),
                        ((2, 1), (2, 3, 4, 5)), ((-3, -2), (2, 3, 4, 5)), ((), (5,)),
                        ((0,), (5,)), ((0,), ()), ((), (2, 3)), ((1, 5), (2, 3, 4)),
                        ((2, 2), (2, 3, 4)), ((), (4, 0, 3))):
        case("Flatten", args, {}, [shape])
    case("Flatten", (), {"start_dim": 0, "end_dim": -2}, [(2, 3, 4)])
    for args, shape in (((1, (2, 5)), (3, 10)), ((1, (2, -1)), (3, 10)), ((-1, (2, 2)), (3, 4)),
                        ((0, (1, 3, 1)), (3, 4)), ((1, (3, 3)), (3, 10)),
                        ((1, (-1, -1)), (3, 10)), ((2, (2, 5)), (3, 10)),
                        ((1, (-1, 3)), (3, 10)), ((1, (5,)), (3, 5)), ((1, 5), (3, 5)),
                        ((1, (0, -1)), (2, 0)), ((1, (2, -1)), (2, 0)), ((1, (2, -2)), (2, 4))):
        case("Unflatten", args, {}, [shape])
    for kw, shape in (({"scale_factor": 2}, (1, 2, 4, 4)), ({"scale_factor": 2.0}, (1, 2, 5)),
                      ({"size": (6, 8)}, (1, 2, 4, 4)), ({"size": 5}, (1, 2, 4, 4)),
                      ({"scale_factor": (2.0, 3.0)}, (1, 2, 4, 4)),
                      ({"scale_factor": 1.5}, (1, 2, 5, 7)),
                      ({"scale_factor": 0.5}, (1, 2, 5, 7)),
                      ({"scale_factor": 0.1}, (1, 2, 5, 7)),
                      ({"scale_factor": 2, "mode": "bilinear"}, (1, 2, 4, 4)),
                      ({"scale_factor": 2, "mode": "bilinear", "align_corners": True},
                       (1, 2, 4, 4)),
                      ({"scale_factor": 2, "mode": "bicubic"}, (1, 2, 4, 4)),
                      ({"scale_factor": 2, "mode": "bilinear"}, (1, 2, 4)),
                      ({"size": 7, "mode": "linear"}, (1, 2, 4)),
                      ({"size": 7, "mode": "linear"}, (1, 2, 4, 4)),
                      ({"scale_factor": 2, "mode": "trilinear"}, (1, 2, 3, 4, 4)),
                      ({"scale_factor": 2, "mode": "nearest-exact"}, (1, 2, 3, 4, 4)),
                      ({"size": (2, 3), "mode": "area"}, (1, 2, 4, 4)),
                      ({"scale_factor": 2, "align_corners": True}, (1, 2, 4, 4)),
                      ({"size": 4, "scale_factor": 2}, (1, 2, 4, 4)), ({}, (1, 2, 4, 4)),
                      ({"size": (4, 4, 4)}, (1, 2, 4, 4)), ({"scale_factor": 2}, (2, 4)),
                      ({"scale_factor": 2, "mode": "bilinaer"}, (1, 2, 4, 4)),
                      ({"size": 3, "recompute_scale_factor": None}, (1, 2, 4, 4, 4))):
        case("Upsample", (), kw, [shape])
    case("Upsample", (None, 3), {}, [(1, 2, 4, 4)])
    for r, shape in ((2, (1, 8, 3, 3)), (2, (8, 3, 3)), (3, (2, 1, 18, 2, 2)), (3, (1, 8, 3, 3)),
                     (1, (1, 8, 3, 3)), (2, (8, 3))):
        case("PixelShuffle", (r,), {}, [shape])
    for pad, shape in ((1, (1, 2, 4, 4)), ((1, 2, 3, 4), (1, 2, 4, 4)),
                       ((-1, 0, 0, -1), (1, 2, 4, 4)), (1, (2, 4, 4)), (2, (4, 4)),
                       ((0, 0, -4, 0), (1, 2, 4, 4)), ((0, 0, -5, 0), (1, 2, 4, 4)),
                       (1, (4,))):
        case("ZeroPad2d", (pad,), {}, [shape])
    for pad, value, shape in ((2, 3.5, (2, 3, 4)), ((1, 2), 0.0, (2, 3, 4)), (1, 1, (4,)),
                              ((-1, -1), 0.0, (2, 3, 4)), ((1, 2, 3), 0.0, (2, 3, 4))):
        case("ConstantPad1d", (pad, value), {}, [shape])
    for pad, value, shape in (((1, 1, 2, 2), 1.0, (1, 2, 4, 4)), (1, -1.0, (2, 4, 4)),
                              (1, 0.0, (4, 4)), ((1, 1, 2, 2), 1.0, (4,))):
        case("ConstantPad2d", (pad, value), {}, [shape])
    case("ConstantPad2d", (1,), {}, [(1, 2, 4, 4)])
    case("ConstantPad3d", ((1, 1, 2, 2, 0, 1), 0.5), {}, [(1, 2, 3, 4, 4)])


def embedding_cases():
    for shape in ((2, 5), (5,), (), (2, 3, 4)):
        case("Embedding", (10, 3), {}, [(shape, "int64")])
    case("Embedding", (10, 3), {}, [((2, 5), "int32")])
    case("Embedding", (10, 3), {}, [((2, 5), "float32")])
    case("Embedding", (10, 3, 0), {}, [((2, 5), "int64")])
    case("Embedding", (10, 3), {"padding_idx": -1}, [((2, 5), "int64")])
    case("Embedding", (10, 3), {"padding_idx": 10}, [((2, 5), "int64")])
    case("Embedding", (10, 3), {"padding_idx": -11}, [((2, 5), "int64")])
    case("Embedding", (10, 3), {"max_norm": 1, "norm_type": 1.0}, [((2, 5), "int64")])
    case("Embedding", (10, 3), {"scale_grad_by_freq": True, "sparse": True}, [((2, 5), "int64")])
    case("Embedding", (10,), {}, [((2, 5), "int64")])
    case("Embedding", (10, 0), {}, [((2, 5), "int64")])
    case("Embedding", (-1, 3), {}, [((2, 5), "int64")])
    case("Embedding", (10, -3), {}, [((2, 5), "int64")])


def main():
    warnings.simplefilter("ignore")
    for make in (conv_cases, linear_cases, norm_cases, activation_cases, pool_cases,
                 regularization_cases, reshape_cases, embedding_cases):
        make()
    results = [run(c) for c in CASES]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn.json")
    with open(path, "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(r) for r in results) + "\n]\n")
    errors = sum(r["error"] for r in results)
    print(f"wrote {len(results)} cases ({errors} where PyTorch raises) to {path}")


if __name__ == "__main__":
    main()
