#!/usr/bin/python3
"""Per-op ONNX export tests: one small sketch per case, compiled at one opset, run in ONNX
Runtime and compared with the op itself built in PyTorch from the same arguments.

Usage: check_ops.py --sketchc BIN --opset N [-k SUBSTRING]

A case is (name, call, inputs, outputs, reference). `call` is the sketch's block; for
torch.nn modules the same text builds the reference (`nn.` + call), for tensor functions
`reference` is a lambda over the inputs. The node is named `op`, so its state_dict keys
are `op.weight` etc. in both. Every float tensor of the state_dict gets random values
(running_var positive) so that biases and statistics matter.
"""
import argparse
import os
import sys
import tempfile

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_testing as ot  # noqa: E402

X4 = [("x", "float32[N, 4, 5, 6]")]
SEQ = [("x", "float32[5, N, 6]")]
SEQ_BF = [("x", "float32[N, 5, 6]")]
EMB = [("x", "float32[N, 5, 8]")]
TWO = [("a", "float32[N, 4, 5]"), ("b", "float32[N, 4, 5]")]
LOGITS = [("p", "float32[N, 5]"), ("t", "int64[N]:5")]


def case(name, call, inputs=X4, outputs=("",), reference=None, body=None):
    """`body` replaces the generated block and link lines (graphs of more than one node)."""
    return (name, call, inputs, tuple(outputs), reference, body)


CASES = [
    # activations
    *[case(a, a + "()") for a in ["ReLU", "ReLU6", "SELU", "SiLU", "Mish", "Sigmoid", "Tanh",
                                  "Hardswish", "Hardsigmoid", "Softsign", "Identity"]],
    case("LeakyReLU", "LeakyReLU(0.2)"),
    case("ELU", "ELU(alpha=0.5)"),
    case("CELU", "CELU(alpha=1.5)"),
    case("GELU", "GELU()"),
    case("GELU_tanh", "GELU(approximate='tanh')"),
    case("Softplus", "Softplus(beta=2.0)"),
    case("PReLU", "PReLU(num_parameters=4)"),
    case("PReLU_single", "PReLU()"),
    case("Softmax", "Softmax(dim=1)"),
    case("LogSoftmax", "LogSoftmax(dim=-1)"),
    case("Hardtanh", "Hardtanh(-0.5, 0.7)"),
    case("Hardshrink", "Hardshrink(0.3)"),
    case("Softshrink", "Softshrink(lambd=0.4)"),
    case("Dropout", "Dropout(0.5)"),
    case("Dropout2d", "Dropout2d(0.3)"),
    # convolutions
    case("Conv1d", "Conv1d(4, 6, 3, stride=2)", [("x", "float32[N, 4, 9]")]),
    case("Conv2d_groups", "Conv2d(4, 6, 3, padding=1, groups=2, bias=False)"),
    case("Conv2d_same", "Conv2d(4, 6, 3, padding='same', dilation=2)"),
    case("Conv2d_valid", "Conv2d(4, 6, (2, 3), stride=(1, 2), padding='valid')"),
    case("Conv2d_reflect", "Conv2d(4, 4, 3, padding=1, padding_mode='reflect')"),
    case("Conv2d_circular", "Conv2d(4, 4, 3, padding=(2, 1), padding_mode='circular')"),
    case("Conv1d_circular_same", "Conv1d(4, 4, 4, padding='same', padding_mode='circular')",
         [("x", "float32[N, 4, 9]")]),
    case("Conv2d_replicate", "Conv2d(4, 4, 3, padding=(1, 2), padding_mode='replicate')"),
    case("Conv2d_unbatched", "Conv2d(4, 6, 3, stride=2)", [("x", "float32[4, 7, 9]")]),
    case("Conv3d", "Conv3d(2, 3, 2, padding=1)", [("x", "float32[N, 2, 4, 5, 3]")]),
    case("ConvTranspose1d", "ConvTranspose1d(4, 2, 4, stride=2)", [("x", "float32[N, 4, 7]")]),
    case("ConvTranspose2d", "ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1)"),
    case("ConvTranspose2d_groups", "ConvTranspose2d(4, 6, 2, stride=2, groups=2, dilation=2)"),
    # pools
    case("MaxPool1d", "MaxPool1d(3)", [("x", "float32[N, 4, 10]")]),
    case("MaxPool2d", "MaxPool2d(3, stride=2, padding=1)"),
    case("MaxPool2d_indices", "MaxPool2d(3, stride=2, padding=1, return_indices=True)",
         outputs=[".output", ".indices"]),
    case("MaxPool1d_indices", "MaxPool1d(2, return_indices=True)", [("x", "float32[N, 4, 9]")],
         outputs=[".output", ".indices"]),
    case("MaxPool2d_ceil", "MaxPool2d(2, ceil_mode=True)"),
    case("MaxPool2d_dilation", "MaxPool2d(2, stride=1, dilation=2)"),
    case("MaxPool1d_unbatched", "MaxPool1d(2)", [("x", "float32[4, 9]")]),
    case("MaxPool3d", "MaxPool3d(2)", [("x", "float32[N, 2, 4, 5, 6]")]),
    case("AvgPool1d", "AvgPool1d(2)", [("x", "float32[N, 4, 9]")]),
    case("AvgPool2d", "AvgPool2d(3, stride=2, padding=1)"),
    case("AvgPool2d_exclude_pad", "AvgPool2d(3, stride=2, padding=1, count_include_pad=False)"),
    case("AvgPool2d_divisor", "AvgPool2d(2, stride=1, divisor_override=3)"),
    case("AvgPool3d", "AvgPool3d(2, stride=1)", [("x", "float32[N, 2, 4, 5, 6]")]),
    case("AdaptiveAvgPool2d", "AdaptiveAvgPool2d((1, 3))"),
    case("AdaptiveAvgPool2d_global", "AdaptiveAvgPool2d(1)"),
    case("AdaptiveMaxPool2d", "AdaptiveMaxPool2d((5, 2))"),
    case("AdaptiveAvgPool2d_uneven", "AdaptiveAvgPool2d((3, 4))"),
    case("AdaptiveMaxPool2d_uneven", "AdaptiveMaxPool2d((2, 4))"),
    case("AdaptiveAvgPool1d", "AdaptiveAvgPool1d(3)", [("x", "float32[N, 4, 9]")]),
    case("AdaptiveMaxPool1d", "AdaptiveMaxPool1d(1)", [("x", "float32[N, 4, 9]")]),
    # normalisation
    case("BatchNorm2d", "BatchNorm2d(4)"),
    case("BatchNorm2d_plain", "BatchNorm2d(4, affine=False)"),
    case("BatchNorm2d_batch_stats", "BatchNorm2d(4, track_running_stats=False)"),
    case("BatchNorm1d_batch_stats", "BatchNorm1d(4, affine=False, track_running_stats=False)",
         [("x", "float32[N, 4]")]),
    case("BatchNorm1d_2d", "BatchNorm1d(4)", [("x", "float32[N, 4]")]),
    case("BatchNorm1d_3d", "BatchNorm1d(4, eps=0.001)", [("x", "float32[N, 4, 7]")]),
    case("BatchNorm3d", "BatchNorm3d(2)", [("x", "float32[N, 2, 3, 4, 5]")]),
    case("InstanceNorm2d", "InstanceNorm2d(4)"),
    case("InstanceNorm2d_affine", "InstanceNorm2d(4, affine=True)"),
    case("InstanceNorm1d_stats", "InstanceNorm1d(4, track_running_stats=True)",
         [("x", "float32[N, 4, 9]")]),
    case("LayerNorm", "LayerNorm(6)"),
    case("LayerNorm_2d", "LayerNorm((5, 6), eps=0.001)"),
    case("LayerNorm_plain", "LayerNorm(6, elementwise_affine=False)"),
    case("GroupNorm", "GroupNorm(2, 4)"),
    case("GroupNorm_plain", "GroupNorm(4, 4, affine=False)", [("x", "float32[N, 4, 7]")]),
    case("LocalResponseNorm", "LocalResponseNorm(3, alpha=0.01, beta=0.5, k=2.0)"),
    # linear maps
    case("Linear", "Linear(6, 3)", [("x", "float32[N, 6]")]),
    case("Linear_3d", "Linear(6, 3)", [("x", "float32[N, 5, 6]")]),
    case("Linear_nobias", "Linear(6, 3, bias=False)", [("x", "float32[N, 6]")]),
    case("Bilinear", "Bilinear(6, 5, 3)", [("a", "float32[N, 6]"), ("b", "float32[N, 5]")]),
    case("Embedding", "Embedding(10, 4)", [("x", "int64[N, 5]:10")]),
    case("Embedding_max_norm", "Embedding(10, 4, max_norm=0.5)", [("x", "int64[N, 5]:10")]),
    case("Embedding_max_norm_p1", "Embedding(10, 4, max_norm=0.8, norm_type=1.0)",
         [("x", "int64[N, 5]:10")]),
    # recurrent
    case("LSTM", "LSTM(6, 8)", SEQ, [".output", ".h_n", ".c_n"]),
    case("LSTM_stack", "LSTM(6, 8, num_layers=2, batch_first=True, bidirectional=True)",
         SEQ_BF, [".output", ".h_n", ".c_n"]),
    case("LSTM_state", "LSTM(6, 8, num_layers=2)",
         SEQ + [("h", "float32[2, N, 8]"), ("c", "float32[2, N, 8]")],
         [".output", ".h_n", ".c_n"], lambda op, x, h, c: op(x, (h, c))),
    case("LSTM_unbatched", "LSTM(6, 8, bidirectional=True)", [("x", "float32[5, 6]")],
         [".output", ".h_n", ".c_n"]),
    case("LSTM_nobias", "LSTM(6, 8, bias=False)", SEQ, [".output"]),
    case("GRU", "GRU(6, 8, num_layers=2)", SEQ, [".output", ".h_n"]),
    case("GRU_bidirectional", "GRU(6, 8, batch_first=True, bidirectional=True)", SEQ_BF,
         [".output", ".h_n"]),
    case("RNN", "RNN(6, 8)", SEQ, [".output", ".h_n"]),
    case("RNN_relu", "RNN(6, 8, nonlinearity='relu', num_layers=2, bidirectional=True)", SEQ,
         [".output", ".h_n"]),
    # attention
    case("MultiheadAttention", "MultiheadAttention(8, 2)", [("x", "float32[5, N, 8]")],
         [".attn_output", ".attn_output_weights"], lambda op, x: op(x, x, x)),
    case("MultiheadAttention_qkv", "MultiheadAttention(8, 2, batch_first=True)",
         [("q", "float32[N, 5, 8]"), ("k", "float32[N, 3, 8]"), ("v", "float32[N, 3, 8]")],
         [".attn_output", ".attn_output_weights"]),
    case("MultiheadAttention_kvdim", "MultiheadAttention(8, 4, kdim=6, vdim=5, bias=False)",
         [("q", "float32[5, N, 8]"), ("k", "float32[3, N, 6]"), ("v", "float32[3, N, 5]")],
         [".attn_output", ".attn_output_weights"]),
    case("MultiheadAttention_bias_kv",
         "MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True, kdim=6, vdim=6)",
         [("q", "float32[5, N, 8]"), ("k", "float32[3, N, 6]"), ("v", "float32[3, N, 6]")],
         [".attn_output", ".attn_output_weights"]),
    case("MultiheadAttention_zero_attn", "MultiheadAttention(8, 2, add_zero_attn=True)",
         [("x", "float32[5, N, 8]")], [".attn_output", ".attn_output_weights"],
         lambda op, x: op(x, x, x)),
    case("MultiheadAttention_unbatched", "MultiheadAttention(8, 2)", [("x", "float32[5, 8]")],
         [".attn_output", ".attn_output_weights"], lambda op, x: op(x, x, x)),
    case("TransformerEncoderLayer",
         "TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)", [("x", "float32[5, N, 8]")]),
    case("TransformerEncoderLayer_pre",
         "TransformerEncoderLayer(8, 2, 16, 0.0, activation='gelu', norm_first=True, batch_first=True)",
         EMB),
    case("TransformerDecoderLayer",
         "TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)",
         EMB + [("memory", "float32[N, 3, 8]")]),
    # elementwise
    case("Add", "Add()", TWO, reference=lambda op, a, b: a + b),
    case("Add_alpha", "Add(alpha=2)", TWO, reference=lambda op, a, b: torch.add(a, b, alpha=2)),
    case("Sub_broadcast", "Sub(alpha=0.5)", [("a", "float32[N, 4, 5]"), ("b", "float32[5]")],
         reference=lambda op, a, b: torch.sub(a, b, alpha=0.5)),
    case("Mul", "Mul()", TWO, reference=lambda op, a, b: a * b),
    case("Div", "Div()", TWO, reference=lambda op, a, b: a / b),
    case("Div_floor", "Div(rounding_mode='floor')", TWO,
         reference=lambda op, a, b: torch.div(a, b, rounding_mode="floor")),
    case("Div_trunc", "Div(rounding_mode='trunc')", TWO,
         reference=lambda op, a, b: torch.div(a, b, rounding_mode="trunc")),
    case("MatMul", "MatMul()", [("a", "float32[N, 3, 4]"), ("b", "float32[4, 5]")],
         reference=lambda op, a, b: a @ b),
    case("MatMul_broadcast", "MatMul()", [("a", "float32[N, 1, 3, 4]"), ("b", "float32[2, 4, 5]")],
         reference=lambda op, a, b: a @ b),
    case("MatMul_vector", "MatMul()", [("a", "float32[N, 3, 4]"), ("b", "float32[4]")],
         reference=lambda op, a, b: a @ b),
    case("Pow", "Pow(exponent=3)", reference=lambda op, x: x ** 3),
    case("Pow_float", "Pow(exponent=0.5)", [("x", "float32[N, 4]:positive")],
         reference=lambda op, x: x ** 0.5),
    case("Clamp", "Clamp(min=-0.5, max=0.5)", reference=lambda op, x: x.clamp(-0.5, 0.5)),
    case("Clamp_min", "Clamp(min=0.1)", reference=lambda op, x: x.clamp(min=0.1)),
    case("Where", "Where()", [("c", "bool[N, 4]"), ("a", "float32[N, 4]"), ("b", "float32[4]")],
         reference=lambda op, c, a, b: torch.where(c, a, b)),
    case("Sqrt", "Sqrt()", [("x", "float32[N, 4]:positive")], reference=lambda op, x: x.sqrt()),
    case("Exp", "Exp()", reference=lambda op, x: x.exp()),
    case("Log", "Log()", [("x", "float32[N, 4]:positive")], reference=lambda op, x: x.log()),
    case("Erf", "Erf()", reference=lambda op, x: torch.erf(x)),
    # tensor functions
    case("Concat", "Concat(dim=-1)", TWO, reference=lambda op, a, b: torch.cat([a, b], -1)),
    case("Split", "Split(2, dim=1)", outputs=[".0", ".1"],
         reference=lambda op, x: torch.split(x, 2, 1)),
    case("Split_sections", "Split([1, 3], dim=1)", outputs=[".0", ".1"],
         reference=lambda op, x: torch.split(x, [1, 3], 1)),
    case("Chunk", "Chunk(3, dim=-1)", outputs=[".0", ".1", ".2"],
         reference=lambda op, x: torch.chunk(x, 3, -1)),
    case("Slice", "Slice(dim=2, start=1, end=-1, step=2)", reference=lambda op, x: x[:, :, 1:-1:2]),
    case("Slice_open", "Slice(dim=-1, start=2)", reference=lambda op, x: x[..., 2:]),
    case("Select", "Select(dim=1, index=-1)", reference=lambda op, x: x[:, -1]),
    case("Reshape", "Reshape(shape=(-1, 30))", reference=lambda op, x: x.reshape(-1, 30)),
    case("Flatten", "Flatten()", reference=lambda op, x: x.flatten(1)),
    case("Flatten_middle", "Flatten(1, 2)", reference=lambda op, x: x.flatten(1, 2)),
    case("Flatten_all", "Flatten(0)", reference=lambda op, x: x.flatten(0)),
    case("Unflatten", "Unflatten(1, (2, 2))"),
    case("Permute", "Permute(dims=(0, 2, 3, 1))", reference=lambda op, x: x.permute(0, 2, 3, 1)),
    case("Transpose", "Transpose(1, -1)", reference=lambda op, x: x.transpose(1, -1)),
    case("Squeeze", "Squeeze(dim=1)", [("x", "float32[N, 1, 3]")], reference=lambda op, x: x.squeeze(1)),
    case("Squeeze_all", "Squeeze()", [("x", "float32[N, 1, 3, 1]")],
         reference=lambda op, x: x.squeeze(3).squeeze(1)),
    case("Unsqueeze", "Unsqueeze(dim=-1)", reference=lambda op, x: x.unsqueeze(-1)),
    case("Mean", "Mean(dim=(2, 3))", reference=lambda op, x: x.mean((2, 3))),
    case("Mean_keepdim", "Mean(dim=1, keepdim=True)", reference=lambda op, x: x.mean(1, keepdim=True)),
    case("Sum", "Sum(dim=-1)", reference=lambda op, x: x.sum(-1)),
    case("Sum_all", "Sum()", reference=lambda op, x: x.sum()),
    case("Max", "Max(dim=1)", outputs=[".values", ".indices"], reference=lambda op, x: x.max(1)),
    case("Max_all", "Max()", outputs=[".values"], reference=lambda op, x: x.max()),
    # sources: a constant and a learned tensor feeding an Add
    case("Constant", "Add()", [("x", "float32[N, 4]")],
         reference=lambda op, x: x + torch.tensor([1.0, -2.0, 0.5, 3.0]),
         body="c = Constant(value=[1.0, -2.0, 0.5, 3.0])\nop = Add()\n(x, c) -> op"),
    case("Constant_int", "Add()", [("x", "int64[N, 2, 3]:7")],
         reference=lambda op, x: x + torch.tensor([[1], [5]]).unsqueeze(0),
         body="c = Constant(value=[[1], [5]])\nu = Unsqueeze(dim=0)\nop = Add()\n"
              "c -> u\n(x, u) -> op", outputs=("",)),
    case("Parameter", "Mul()", [("x", "float32[N, 4]")],
         reference=(nn.Parameter(torch.zeros(4)), lambda p, x: x * p),
         body="op = Parameter(shape=(4,))\nmul = Mul()\n(x, op) -> mul", outputs=("@mul",)),
    # padding and resizing
    case("ZeroPad2d", "ZeroPad2d((1, 2, 0, 1))"),
    case("ConstantPad1d", "ConstantPad1d(2, 0.5)", [("x", "float32[N, 4, 5]")]),
    case("ConstantPad3d", "ConstantPad3d((1, 0, 0, 1, 2, -1), -1.0)"),
    case("PixelShuffle", "PixelShuffle(2)", [("x", "float32[N, 8, 3, 4]")]),
    case("PixelShuffle_unbatched", "PixelShuffle(2)", [("x", "float32[8, 3, 4]")]),
    case("Upsample_nearest", "Upsample(scale_factor=2.0)"),
    case("Upsample_nearest_size", "Upsample(size=(7, 9))"),
    case("Upsample_bilinear", "Upsample(scale_factor=1.5, mode='bilinear')"),
    case("Upsample_align", "Upsample(size=(7, 9), mode='bilinear', align_corners=True)"),
    case("Upsample_bicubic", "Upsample(size=(6, 8), mode='bicubic')"),
    case("Upsample_linear", "Upsample(scale_factor=2.0, mode='linear')", [("x", "float32[N, 4, 5]")]),
    case("Upsample_area", "Upsample(size=(3, 4), mode='area')"),
    case("Upsample_nearest_exact", "Upsample(size=(7, 8), mode='nearest-exact')"),
    # losses
    case("CrossEntropyLoss", "CrossEntropyLoss()", LOGITS),
    case("CrossEntropyLoss_none", "CrossEntropyLoss(reduction='none', ignore_index=1)", LOGITS),
    case("CrossEntropyLoss_weight", "CrossEntropyLoss(weight=[1.0, 2.0, 0.5, 1.0, 1.5])", LOGITS,
         reference=nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5, 1.0, 1.5]))),
    case("CrossEntropyLoss_spatial", "CrossEntropyLoss(reduction='sum')",
         [("p", "float32[N, 5, 3, 4]"), ("t", "int64[N, 3, 4]:5")]),
    case("CrossEntropyLoss_probs", "CrossEntropyLoss()",
         [("p", "float32[N, 5]"), ("t", "float32[N, 5]:probability")]),
    case("CrossEntropyLoss_smoothing", "CrossEntropyLoss(label_smoothing=0.2, ignore_index=2)",
         LOGITS),
    case("CrossEntropyLoss_smoothing_weight",
         "CrossEntropyLoss(weight=[1.0, 2.0, 0.5, 1.0, 1.5], label_smoothing=0.1, ignore_index=0)",
         LOGITS, reference=nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5, 1.0, 1.5]),
                                               label_smoothing=0.1, ignore_index=0)),
    case("CrossEntropyLoss_smoothing_none",
         "CrossEntropyLoss(label_smoothing=0.3, reduction='none')",
         [("p", "float32[N, 5, 3]"), ("t", "int64[N, 3]:5")]),
    case("CrossEntropyLoss_smoothing_sum", "CrossEntropyLoss(label_smoothing=0.3, reduction='sum')",
         LOGITS),
    case("CrossEntropyLoss_smoothing_probs", "CrossEntropyLoss(label_smoothing=0.25)",
         [("p", "float32[N, 5]"), ("t", "float32[N, 5]:probability")]),
    case("CrossEntropyLoss_unbatched", "CrossEntropyLoss(label_smoothing=0.1)",
         [("p", "float32[5]"), ("t", "int64[]:5")]),
    case("NLLLoss", "NLLLoss(reduction='sum')", LOGITS),
    case("MSELoss", "MSELoss()", TWO),
    case("L1Loss", "L1Loss(reduction='none')", TWO),
    case("SmoothL1Loss", "SmoothL1Loss(beta=0.5)", TWO),
    case("HuberLoss", "HuberLoss(delta=0.8, reduction='sum')", TWO),
    case("KLDivLoss", "KLDivLoss(reduction='batchmean')",
         [("p", "float32[N, 5]"), ("t", "float32[N, 5]:probability")]),
    case("KLDivLoss_log", "KLDivLoss(reduction='sum', log_target=True)", TWO),
    case("BCELoss", "BCELoss()",
         [("p", "float32[N, 5]:probability"), ("t", "float32[N, 5]:probability")]),
    case("BCEWithLogitsLoss", "BCEWithLogitsLoss(pos_weight=[1.0, 2.0, 0.5, 1.0, 3.0])",
         [("p", "float32[N, 5]"), ("t", "float32[N, 5]:probability")],
         reference=nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 2.0, 0.5, 1.0, 3.0]))),
]

DTYPES = {"float32": torch.float32, "int64": torch.int64, "bool": torch.bool}


def parse_input(spec, batch):
    text, _, kind = spec.partition(":")
    dtype, dims = text[:-1].split("[")
    shape = [batch if d.strip() == "N" else int(d) for d in dims.split(",") if d.strip()]
    return DTYPES[dtype], shape, kind


def make_input(spec, batch, generator):
    dtype, shape, kind = parse_input(spec, batch)
    if dtype == torch.int64:
        return torch.randint(0, int(kind), shape, generator=generator)
    if dtype == torch.bool:
        return torch.rand(shape, generator=generator) > 0.5
    x = torch.randn(shape, generator=generator)
    if kind == "positive":
        return x.abs() + 0.1
    if kind == "probability":
        return torch.rand(shape, generator=generator) * 0.98 + 0.01
    return x


def sketch_text(name, call, inputs, outputs, body):
    lines = [f"sketch {name}"]
    lines += [f"input {n}: {spec.partition(':')[0]}" for n, spec in inputs]
    names = [n for n, _ in inputs]
    if body:
        lines.append(body)
    else:
        lines.append(f"op = {call}")
        lines.append(f"{names[0] if len(names) == 1 else '(' + ', '.join(names) + ')'} -> op")
    # "@node" names another node than op as the output.
    lines += [f"output y{i} = {port[1:] if port.startswith('@') else 'op' + port}"
              for i, port in enumerate(outputs)]
    return "\n".join(lines) + "\n"


class Holder(nn.Module):
    """Puts the op under the name `op`, as the sketch's node is named."""

    def __init__(self, op, forward):
        super().__init__()
        self.op = op
        self.run = forward

    def forward(self, *xs):
        return self.run(self.op, *xs) if self.run else self.op(*xs)


def flatten(value):
    if isinstance(value, torch.Tensor):
        return [value]
    return [t for item in value for t in flatten(item)]


def reference_for(call, reference):
    """The op as a torch.nn module when torch.nn has it (`reference` may then say how to
    call it), else `reference` alone."""
    if isinstance(reference, nn.Module):
        return Holder(reference, None)
    if isinstance(reference, tuple):  # (learned tensor, how to apply it)
        return Holder(*reference)
    module = None
    if reference is None or isinstance(getattr(nn, call.split("(")[0], None), type):
        module = eval("nn." + call)
    return Holder(module, reference)


def randomize(module, generator):
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if not t.is_floating_point():
                continue
            if name.endswith("running_var"):
                t.copy_(torch.rand(t.shape, generator=generator) + 0.5)
            elif not name.endswith("pos_weight") and not name.endswith("loss.weight"):
                t.copy_(torch.randn(t.shape, generator=generator) * 0.3)


def run_case(binary, opset, tmp, entry):
    name, call, inputs, outputs, reference, body = entry
    sketch = os.path.join(tmp, f"{name}.sketch")
    with open(sketch, "w") as f:
        f.write(sketch_text(name, call, inputs, outputs, body))
    generator = torch.Generator().manual_seed(1)
    module = reference_for(call, reference)
    randomize(module, generator)
    module.eval()
    summary = ot.summary(binary, sketch)
    weights = os.path.join(tmp, f"{name}.safetensors")
    state = ot.state_for(summary, module)
    ot.write_safetensors(weights, state)
    model = os.path.join(tmp, f"{name}.onnx")
    code, _, err = ot.sketchc(binary, "compile", sketch, "-o", model, "--weights", weights,
                              "--opset", str(opset))
    if code != 0:
        raise AssertionError(f"sketchc compile failed (exit {code}):\n{err}")
    symbols = {"N"} if any("N" in spec for _, spec in inputs) else set()
    ot.check_onnx_file(model, symbols)
    diffs = []
    for batch in (2, 3):
        xs = {n: make_input(spec, batch, generator) for n, spec in inputs}
        with torch.no_grad():
            refs = flatten(module(*xs.values()))[:len(outputs)]
        got = ot.run_ort(model, xs)
        for i, ref in enumerate(refs):
            diffs.append(ot.compare(f"output y{i} (batch {batch})", got[f"y{i}"], ref))
    return max(diffs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("-k", default="", help="run only cases whose name contains this")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in CASES:
            if args.k not in entry[0]:
                continue
            try:
                diff = run_case(args.sketchc, args.opset, tmp, entry)
                print(f"ok   {entry[0]:32} max abs diff {diff:.3g}")
            except Exception as e:  # every case reports, not only the first failure
                failures += 1
                print(f"FAIL {entry[0]:32} {e}")
    print(f"{failures} of {len(CASES)} cases failed at opset {args.opset}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
