#!/usr/bin/python3
"""Golden shapes of the sequence, attention, tensor, elementwise, constant and loss ops,
recorded from real PyTorch.

Run with the interpreter that has torch:  /usr/bin/python3 tests/ops/golden/make_golden_seq.py
It rewrites tests/ops/golden/seq.json beside this script; the output is deterministic (only
shapes are recorded, cases are written in a fixed order). tests/ops/golden_test.cpp reads it.

The schema is the one every tests/ops/golden/*.json shares (see make_golden_nn.py): a JSON
array of cases, one per line,
  {"op", "args", "kwargs", "inputs": [{"shape", "dtype"}], "outputs": [[dims], ...],
   "params": {name: {"shape", "dtype"}}, "error": false}
with "outputs" and "params" left out when PyTorch raises ("error": true).

What the cases mean for these ops:
- Inputs are the linked ports in port order; trailing optional ports are left out
  (MultiheadAttention with only a query is self-attention, an RNN without h_0 starts at 0).
- Modules run in eval mode and report their state_dict, buffers included (loss weights).
- Tensor functions run the torch function named in the op's doc (torch.cat for Concat) with
  args and kwargs as given; they have no params. Slice is Python slicing along one dim.
- torch.max without dim returns one tensor, so those cases have a single output.
- Constant is torch.tensor(value, dtype); Parameter is nn.Parameter(torch.zeros(shape)),
  whose one state_dict entry is named "" (the node's own path).
- Float inputs are uniform in [0, 1) (valid for BCELoss and log), integer inputs are ones
  (a valid class index and divisor), bool inputs are false.
"""
import argparse
import inspect
import json
import os
import sys
import warnings

import torch
import torch.nn as nn

F32 = "float32"
I64 = "int64"


def make_tensor(spec):
    dtype = getattr(torch, spec["dtype"])
    if dtype.is_floating_point:
        # In [0, 1): valid for BCELoss, sqrt and log alike.
        return torch.rand(spec["shape"], dtype=dtype)
    if dtype == torch.bool:
        return torch.zeros(spec["shape"], dtype=dtype)
    # One is a valid class index (all cases have at least two classes) and a valid divisor.
    return torch.ones(spec["shape"], dtype=dtype)


def module_call(module, op, tensors):
    """Calls a module with the case's inputs and flattens nested tuple results."""
    if op == "LSTM" and len(tensors) == 3:
        tensors = [tensors[0], (tensors[1], tensors[2])]
    if op == "MultiheadAttention" and len(tensors) == 1:
        tensors = tensors * 3
    outputs = []
    for result in as_tuple(module(*tensors)):
        outputs.extend(as_tuple(result))
    return outputs


def as_tuple(result):
    return result if isinstance(result, tuple) else (result,)


def slice_call(x, dim=None, start=None, end=None, step=1):
    rank = x.dim()
    if not -rank <= dim < rank:
        raise IndexError("dim out of range")
    dim = dim % rank
    return x[(slice(None),) * dim + (slice(start, end, step),)]


def constant_call(value, dtype=None):
    return torch.tensor(value, dtype=getattr(torch, dtype) if dtype else None)


def parameter_call(shape, init="zeros", scale=1.0):
    return nn.Parameter(torch.zeros(shape))


FUNCTIONS = {
    "Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div,
    "Pow": torch.pow, "Sqrt": torch.sqrt, "Exp": torch.exp, "Log": torch.log,
    "Erf": torch.erf, "Clamp": torch.clamp, "Where": torch.where, "MatMul": torch.matmul,
    "Concat": torch.cat, "Split": torch.split, "Chunk": torch.chunk, "Reshape": torch.reshape,
    "Permute": torch.permute, "Transpose": torch.transpose, "Squeeze": torch.squeeze,
    "Unsqueeze": torch.unsqueeze, "Slice": slice_call, "Select": torch.select,
    "Mean": torch.mean, "Sum": torch.sum, "Max": torch.max,
    "Constant": constant_call, "Parameter": parameter_call,
}

# Loss weights are tensors in torch and tuples in a sketch.
TENSOR_ARGUMENTS = {"weight", "pos_weight"}


def with_tensor_arguments(module_class, args, kwargs):
    """The arguments with loss weights, positional or keyword, turned into tensors."""
    signature = inspect.signature(module_class)
    if not TENSOR_ARGUMENTS & signature.parameters.keys():
        return args, kwargs
    bound = signature.bind(*args, **kwargs)
    for name in TENSOR_ARGUMENTS & bound.arguments.keys():
        if bound.arguments[name] is not None:
            bound.arguments[name] = torch.tensor(bound.arguments[name])
    return bound.args, bound.kwargs


def run(op, args, kwargs, tensors):
    """The output tensors and state_dict of one case; raises what PyTorch raises."""
    if op == "Concat":
        tensors = [tensors]  # torch.cat takes its inputs as one sequence
    if op in FUNCTIONS:
        result = FUNCTIONS[op](*tensors, *args, **kwargs)
        return list(as_tuple(result)), ({"": result} if op == "Parameter" else {})
    module_class = getattr(nn, op)
    args, kwargs = with_tensor_arguments(module_class, args, kwargs)
    module = module_class(*args, **kwargs).eval()
    return module_call(module, op, tensors), module.state_dict()


def case(op, args=(), kwargs=None, inputs=()):
    kwargs = kwargs or {}
    inputs = [{"shape": list(s), "dtype": d} for s, d in inputs]
    entry = {"op": op, "args": list(args), "kwargs": kwargs, "inputs": inputs}
    torch.manual_seed(0)
    try:
        outputs, state = run(op, list(args), dict(kwargs), [make_tensor(i) for i in inputs])
    except (RuntimeError, ValueError, TypeError, IndexError, AssertionError):
        entry["error"] = True
        return entry
    entry["outputs"] = [list(o.shape) for o in outputs]
    entry["params"] = {name: {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")}
                       for name, t in state.items()}
    entry["error"] = False
    return entry


def f(*shape):
    return (shape, F32)


def i64(*shape):
    return (shape, I64)


def recurrent_cases():
    cases = []
    for op in ("RNN", "LSTM", "GRU"):
        cases += [
            case(op, [10, 20], {}, [f(5, 3, 10)]),
            case(op, [10, 20], {"num_layers": 2}, [f(5, 3, 10)]),
            case(op, [10, 20, 2], {"bidirectional": True}, [f(5, 3, 10)]),
            case(op, [10, 20], {"batch_first": True}, [f(3, 5, 10)]),
            case(op, [10, 20], {"bias": False}, [f(5, 3, 10)]),
            case(op, [10, 20], {}, [f(5, 10)]),
            case(op, [10, 20], {"num_layers": 3, "bidirectional": True, "dropout": 0.5}, [f(7, 10)]),
            case(op, [10, 20], {}, [f(5, 3, 12)]),
            case(op, [10, 20], {}, [f(2, 5, 3, 10)]),
            case(op, [10, 20], {}, [f(10)]),
            case(op, [10, 0], {}, [f(5, 3, 10)]),
            case(op, [10, 20], {"num_layers": 0}, [f(5, 3, 10)]),
            case(op, [10, 20], {"dropout": 1.5}, [f(5, 3, 10)]),
        ]
        states = [f(2, 3, 20)] * (2 if op == "LSTM" else 1)
        cases += [
            case(op, [10, 20], {"num_layers": 2}, [f(5, 3, 10)] + states),
            case(op, [10, 20], {"num_layers": 1}, [f(5, 3, 10)] + states),
            case(op, [10, 20], {"num_layers": 2}, [f(5, 10)] + [f(2, 20)] * len(states)),
            case(op, [10, 20], {"num_layers": 2}, [f(5, 10)] + states),
            case(op, [10, 20], {"bidirectional": True}, [f(5, 3, 10)] + states),
        ]
    cases += [
        case("RNN", [10, 20], {"nonlinearity": "relu"}, [f(5, 3, 10)]),
        case("RNN", [10, 20], {"nonlinearity": "gelu"}, [f(5, 3, 10)]),
        case("LSTM", [10, 20], {"proj_size": 5}, [f(5, 3, 10)]),
        case("LSTM", [10, 20], {"proj_size": 5, "num_layers": 2, "bidirectional": True}, [f(5, 3, 10)]),
        case("LSTM", [10, 20], {"proj_size": 5}, [f(5, 3, 10), f(1, 3, 5), f(1, 3, 20)]),
        case("LSTM", [10, 20], {"proj_size": 5}, [f(5, 3, 10), f(1, 3, 20), f(1, 3, 20)]),
        case("LSTM", [10, 20], {"proj_size": 20}, [f(5, 3, 10)]),
        case("LSTM", [10, 20], {"proj_size": -1}, [f(5, 3, 10)]),
        case("LSTM", [10, 20], {}, [f(5, 3, 10), f(1, 3, 20), f(1, 3, 21)]),
    ]
    return cases


def attention_cases():
    mha = "MultiheadAttention"
    return [
        case(mha, [8, 2], {}, [f(4, 3, 8)]),
        case(mha, [8, 2], {}, [f(4, 3, 8), f(6, 3, 8), f(6, 3, 8)]),
        case(mha, [8, 2], {"batch_first": True}, [f(3, 4, 8), f(3, 6, 8), f(3, 6, 8)]),
        case(mha, [8, 4], {}, [f(4, 8)]),
        case(mha, [8, 4], {}, [f(4, 8), f(6, 8), f(6, 8)]),
        case(mha, [8, 2], {"kdim": 6, "vdim": 5}, [f(4, 3, 8), f(6, 3, 6), f(6, 3, 5)]),
        case(mha, [8, 2], {"kdim": 6}, [f(4, 3, 8), f(6, 3, 6), f(6, 3, 8)]),
        case(mha, [8, 2], {"bias": False}, [f(4, 3, 8)]),
        case(mha, [8, 2], {"add_bias_kv": True}, [f(4, 3, 8)]),
        case(mha, [8, 2], {"add_zero_attn": True}, [f(4, 3, 8), f(6, 3, 8), f(6, 3, 8)]),
        case(mha, [8, 2], {"add_bias_kv": True, "add_zero_attn": True}, [f(4, 8)]),
        case(mha, [8, 2], {"dropout": 0.0}, [f(1, 1, 8)]),
        case(mha, [8, 3], {}, [f(4, 3, 8)]),
        case(mha, [8, 2], {}, [f(4, 3, 10)]),
        case(mha, [8, 2], {}, [f(4, 3, 8), f(6, 3, 6), f(6, 3, 6)]),
        case(mha, [8, 2], {}, [f(4, 3, 8), f(6, 2, 8), f(6, 2, 8)]),
        case(mha, [8, 2], {}, [f(4, 3, 8), f(6, 3, 8), f(7, 3, 8)]),
        case(mha, [8, 2], {}, [f(4, 3, 8), f(6, 8), f(6, 8)]),
        case(mha, [8, 2], {}, [f(2, 4, 3, 8)]),
        case(mha, [8, 2], {"kdim": 6, "vdim": 5}, [f(4, 3, 8), f(6, 3, 5), f(6, 3, 5)]),
        case(mha, [8, 2], {"batch_first": True}, [f(4, 8), f(6, 8), f(6, 8)]),
        case(mha, [8, 2, 0.1, True, True, True, 6, 6, True], {}, [f(3, 4, 8), f(3, 5, 6), f(3, 5, 6)]),
        case("TransformerEncoderLayer", [16, 4], {}, [f(10, 2, 16)]),
        case("TransformerEncoderLayer", [16, 4], {"dim_feedforward": 64, "batch_first": True}, [f(2, 10, 16)]),
        case("TransformerEncoderLayer", [16, 4, 32], {"activation": "gelu", "norm_first": True}, [f(10, 16)]),
        case("TransformerEncoderLayer", [16, 4], {"dropout": 0.0, "layer_norm_eps": 1e-6}, [f(1, 1, 16)]),
        case("TransformerEncoderLayer", [16, 3], {}, [f(10, 2, 16)]),
        case("TransformerEncoderLayer", [16, 4], {}, [f(10, 2, 12)]),
        case("TransformerEncoderLayer", [16, 4], {}, [f(16)]),
        case("TransformerEncoderLayer", [16, 4], {"activation": "tanh"}, [f(10, 2, 16)]),
        case("TransformerDecoderLayer", [16, 4], {}, [f(10, 2, 16), f(7, 2, 16)]),
        case("TransformerDecoderLayer", [16, 4, 64], {"batch_first": True}, [f(2, 10, 16), f(2, 7, 16)]),
        case("TransformerDecoderLayer", [16, 2], {"dim_feedforward": 32}, [f(10, 16), f(7, 16)]),
        case("TransformerDecoderLayer", [16, 4], {}, [f(10, 2, 16), f(7, 3, 16)]),
        case("TransformerDecoderLayer", [16, 4], {}, [f(10, 2, 16), f(7, 2, 8)]),
        case("TransformerDecoderLayer", [16, 5], {}, [f(10, 2, 16), f(7, 2, 16)]),
    ]


def elementwise_cases():
    cases = []
    for op in ("Add", "Sub", "Mul", "Div"):
        cases += [
            case(op, [], {}, [f(2, 3, 4), f(2, 3, 4)]),
            case(op, [], {}, [f(2, 3, 4), f(4)]),
            case(op, [], {}, [f(2, 1, 4), f(3, 1)]),
            case(op, [], {}, [f(), f(5, 6)]),
            case(op, [], {}, [f(2, 3, 4), f(3, 3, 4)]),
            case(op, [], {}, [f(2, 3), f(4)]),
            case(op, [], {}, [i64(2, 3), f(3)]),
        ]
    cases += [
        case("Add", [], {"alpha": 2}, [f(2, 3), f(2, 3)]),
        case("Sub", [], {"alpha": 0.5}, [f(2, 3), f(1, 3)]),
        case("Div", [], {"rounding_mode": "floor"}, [f(4, 1), f(1, 5)]),
        case("Div", [], {"rounding_mode": "trunc"}, [i64(4, 1), i64(1, 5)]),
        case("Pow", [2.0], {}, [f(2, 3)]),
        case("Pow", [3], {}, [i64(2, 3)]),
        case("Pow", [-1], {}, [i64(2, 3)]),
        case("Clamp", [], {"min": 0.0}, [f(2, 3)]),
        case("Clamp", [], {"max": 6.0}, [f(2, 3)]),
        case("Clamp", [], {"min": -1.0, "max": 1.0}, [f(4)]),
        case("Clamp", [], {}, [f(2, 3)]),
        case("Clamp", [-1.0, 1.0], {}, [f(2, 3)]),
        case("Div", [], {"rounding_mode": "round"}, [f(2, 3), f(2, 3)]),
        case("Pow", [0.5], {}, [f(4, 1, 2)]),
        case("Where", [], {}, [((2, 3), "bool"), f(2, 3), f(2, 3)]),
        case("Where", [], {}, [((2, 1), "bool"), f(1, 3), f(3)]),
        case("Where", [], {}, [((4, 2, 1), "bool"), f(1, 5), f(2, 1)]),
        case("Where", [], {}, [((2, 3), "bool"), f(2, 4), f(2, 3)]),
        case("Where", [], {}, [((2, 3), "bool"), f(2, 3), f(4, 3)]),
        case("Where", [], {}, [f(2, 3), f(2, 3), f(2, 3)]),
        case("MatMul", [], {}, [f(3), f(3)]),
        case("MatMul", [], {}, [f(2, 3), f(3, 4)]),
        case("MatMul", [], {}, [f(3), f(3, 4)]),
        case("MatMul", [], {}, [f(2, 3), f(3)]),
        case("MatMul", [], {}, [f(5, 2, 3), f(3, 4)]),
        case("MatMul", [], {}, [f(5, 2, 3), f(3)]),
        case("MatMul", [], {}, [f(3), f(5, 3, 4)]),
        case("MatMul", [], {}, [f(7, 1, 2, 3), f(5, 3, 4)]),
        case("MatMul", [], {}, [f(2, 3), f(6, 3, 4)]),
        case("MatMul", [], {}, [f(3), f(4)]),
        case("MatMul", [], {}, [f(2, 3), f(4, 5)]),
        case("MatMul", [], {}, [f(2, 2, 3), f(3, 3, 4)]),
        case("MatMul", [], {}, [f(), f(3)]),
        case("MatMul", [], {}, [f(2, 3), ((3, 4), "float64")]),
    ]
    for op in ("Sqrt", "Exp", "Log", "Erf"):
        cases += [case(op, [], {}, [f(2, 3)]), case(op, [], {}, [f()]),
                  case(op, [], {}, [i64(4, 5)])]
    return cases


def tensor_cases():
    return [
        case("Concat", [], {}, [f(2, 3), f(4, 3)]),
        case("Concat", [1], {}, [f(2, 3), f(2, 5), f(2, 1)]),
        case("Concat", [], {"dim": -1}, [f(2, 3, 4), f(2, 3, 6)]),
        case("Concat", [], {}, [f(2, 3)]),
        case("Concat", [], {"dim": 1}, [f(2, 3), f(3, 3)]),
        case("Concat", [], {}, [f(2, 3), f(2)]),
        case("Concat", [], {"dim": 2}, [f(2, 3), f(2, 3)]),
        case("Concat", [], {"dim": -2}, [f(4, 2, 8), f(4, 6, 8)]),
        case("Concat", [], {}, [f(), f()]),
        case("Concat", [0], {}, [i64(2, 3), f(1, 3)]),
        case("Split", [2], {}, [f(5, 3)]),
        case("Split", [2, 1], {}, [f(5, 3)]),
        case("Split", [[1, 2]], {"dim": 1}, [f(5, 3)]),
        case("Split", [[1, 1]], {"dim": 1}, [f(5, 3)]),
        case("Split", [5], {}, [f(5, 3)]),
        case("Split", [7], {}, [f(5, 3)]),
        case("Split", [0], {"dim": 1}, [f(5, 3)]),
        case("Split", [-1], {}, [f(5, 3)]),
        case("Split", [[2, -1, 4]], {}, [f(5, 3)]),
        case("Split", [2], {"dim": -1}, [f(4, 6)]),
        case("Split", [1], {"dim": 2}, [f(4, 6)]),
        case("Chunk", [2], {}, [f(6, 3)]),
        case("Chunk", [4], {}, [f(5, 3)]),
        case("Chunk", [3], {"dim": 1}, [f(2, 7)]),
        case("Chunk", [6], {}, [f(6)]),
        case("Chunk", [8], {}, [f(6)]),
        case("Chunk", [3], {}, [f(0, 2)]),
        case("Chunk", [0], {}, [f(6)]),
        case("Chunk", [2], {"dim": -1}, [f(3, 4, 10)]),
        case("Reshape", [[-1, 512]], {}, [f(2, 512, 1, 1)]),
        case("Reshape", [[6, 4]], {}, [f(2, 3, 4)]),
        case("Reshape", [[-1]], {}, [f(2, 3, 4)]),
        case("Reshape", [[2, -1, 2]], {}, [f(2, 3, 4)]),
        case("Reshape", [[5, 5]], {}, [f(2, 3, 4)]),
        case("Reshape", [[-1, 5]], {}, [f(2, 3, 4)]),
        case("Reshape", [[-1, -1]], {}, [f(2, 3, 4)]),
        case("Reshape", [[-2, 12]], {}, [f(2, 3, 4)]),
        case("Reshape", [[-1, 0]], {}, [f(0, 3)]),
        case("Reshape", [[]], {}, [f(1, 1)]),
        case("Permute", [[2, 0, 1]], {}, [f(2, 3, 4)]),
        case("Permute", [[-1, 0, 1]], {}, [f(2, 3, 4)]),
        case("Permute", [[0, 1]], {}, [f(2, 3, 4)]),
        case("Permute", [[0, 0, 1]], {}, [f(2, 3, 4)]),
        case("Permute", [[0, 3, 1]], {}, [f(2, 3, 4)]),
        case("Transpose", [0, 1], {}, [f(2, 3, 4)]),
        case("Transpose", [-1, -2], {}, [f(2, 3, 4)]),
        case("Transpose", [1, 1], {}, [f(2, 3)]),
        case("Transpose", [0, 3], {}, [f(2, 3, 4)]),
        case("Squeeze", [], {}, [f(1, 3, 1, 4)]),
        case("Squeeze", [0], {}, [f(1, 3, 1, 4)]),
        case("Squeeze", [1], {}, [f(1, 3, 1, 4)]),
        case("Squeeze", [], {"dim": -2}, [f(1, 3, 1, 4)]),
        case("Squeeze", [4], {}, [f(1, 3, 1, 4)]),
        case("Squeeze", [], {}, [f(1, 1)]),
        case("Unsqueeze", [0], {}, [f(3, 4)]),
        case("Unsqueeze", [2], {}, [f(3, 4)]),
        case("Unsqueeze", [-1], {}, [f(3, 4)]),
        case("Unsqueeze", [-3], {}, [f(3, 4)]),
        case("Unsqueeze", [3], {}, [f(3, 4)]),
        case("Unsqueeze", [0], {}, [f()]),
        case("Slice", [], {"dim": 1, "start": 0, "end": 3}, [f(2, 10)]),
        case("Slice", [], {"dim": 1, "start": 2}, [f(2, 10)]),
        case("Slice", [], {"dim": 1, "end": -2}, [f(2, 10)]),
        case("Slice", [], {"dim": -1, "start": -3}, [f(2, 10)]),
        case("Slice", [], {"dim": 1, "start": 1, "end": 9, "step": 3}, [f(2, 10)]),
        case("Slice", [], {"dim": 1, "start": 12}, [f(2, 10)]),
        case("Slice", [], {"dim": 1, "start": 5, "end": 2}, [f(2, 10)]),
        case("Slice", [], {"dim": 0, "start": -20, "end": 20}, [f(2, 10)]),
        case("Slice", [], {"dim": 0, "step": 2}, [f(5, 10)]),
        case("Slice", [], {"dim": 1, "step": 0}, [f(2, 10)]),
        case("Slice", [], {"dim": 2, "start": 0}, [f(2, 10)]),
        case("Select", [1, 0], {}, [f(2, 3, 4)]),
        case("Select", [0, -1], {}, [f(2, 3, 4)]),
        case("Select", [-1, 3], {}, [f(2, 3, 4)]),
        case("Select", [1, 3], {}, [f(2, 3, 4)]),
        case("Select", [1, -4], {}, [f(2, 3, 4)]),
        case("Select", [3, 0], {}, [f(2, 3, 4)]),
        case("Mean", [], {}, [f(2, 3, 4)]),
        case("Mean", [1], {}, [f(2, 3, 4)]),
        case("Mean", [[1, 2]], {}, [f(2, 3, 4)]),
        case("Mean", [[-1, 0]], {"keepdim": True}, [f(2, 3, 4)]),
        case("Mean", [], {"dim": None, "keepdim": True}, [f(2, 3, 4)]),
        case("Mean", [1], {}, [i64(2, 3)]),
        case("Mean", [[1, 1]], {}, [f(2, 3, 4)]),
        case("Mean", [3], {}, [f(2, 3, 4)]),
        case("Sum", [], {}, [f(2, 3, 4)]),
        case("Sum", [0], {"keepdim": True}, [f(2, 3, 4)]),
        case("Sum", [[0, 2]], {}, [f(2, 3, 4)]),
        case("Sum", [-1], {}, [i64(2, 3)]),
        case("Sum", [[]], {}, [f(2, 3)]),
        case("Sum", [[0, -3]], {}, [f(2, 3, 4)]),
        case("Sum", [], {"dim": 5}, [f(2, 3, 4)]),
        case("Max", [], {}, [f(2, 3, 4)]),
        case("Max", [1], {}, [f(2, 3, 4)]),
        case("Max", [-1, True], {}, [f(2, 3, 4)]),
        case("Max", [], {"dim": 0}, [i64(5)]),
        case("Max", [3], {}, [f(2, 3, 4)]),
        case("Max", [0], {}, [f(0, 3)]),
    ]


def constant_cases():
    return [
        case("Constant", [1.5]),
        case("Constant", [3]),
        case("Constant", [[1, 2, 3]]),
        case("Constant", [[[1.0, 2.0], [3.0, 4.0]]]),
        case("Constant", [[True, False]]),
        case("Constant", [[1, 2.5]]),
        case("Constant", [[]]),
        case("Constant", [[[1, 2], [3]]]),
        case("Constant", [[1, 2]], {"dtype": "float32"}),
        case("Constant", [[[0], [1]]], {"dtype": "int64"}),
        case("Parameter", [[1, 1, 768]]),
        case("Parameter", [[1, 197, 768]]),
        case("Parameter", [[10]]),
        case("Parameter", [[]]),
        case("Parameter", [[2, -1]]),
    ]


def loss_cases():
    cases = []
    for op in ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss"):
        cases += [
            case(op, [], {}, [f(4, 5), f(4, 5)]),
            case(op, [], {"reduction": "sum"}, [f(4, 5), f(4, 5)]),
            case(op, [], {"reduction": "none"}, [f(4, 5), f(4, 5)]),
            case(op, [], {"reduction": "none"}, [f(4, 1), f(5)]),
            case(op, [], {}, [f(4, 5), f(4, 6)]),
            case(op, [], {"reduction": "none"}, [f(2, 3, 8, 8), f(2, 3, 8, 8)]),
        ]
    cases += [
        case("MSELoss", [None, False], {}, [f(4, 5), f(4, 5)]),
        case("L1Loss", [], {"size_average": False}, [f(4, 5), f(4, 5)]),
        case("SmoothL1Loss", [], {"beta": 0.5, "reduction": "none"}, [f(3), f(3)]),
        case("SmoothL1Loss", [], {"beta": -1.0}, [f(3), f(3)]),
        case("HuberLoss", [], {"delta": 2.0}, [f(3), f(3)]),
        case("HuberLoss", [], {"delta": 0.0}, [f(3), f(3)]),
        case("KLDivLoss", [], {"reduction": "batchmean"}, [f(4, 5), f(4, 5)]),
        case("KLDivLoss", [], {"reduction": "none", "log_target": True}, [f(4, 5), f(4, 5)]),
        case("KLDivLoss", [], {"reduction": "none"}, [f(4, 5), f(5)]),
        case("KLDivLoss", [], {}, [f(4, 5), f(4, 6)]),
        case("KLDivLoss", [], {"reduction": "sum"}, [f(4, 5), f(4, 5)]),
    ]
    for op in ("CrossEntropyLoss", "NLLLoss"):
        cases += [
            case(op, [], {}, [f(4, 5), i64(4)]),
            case(op, [], {"reduction": "none"}, [f(4, 5), i64(4)]),
            case(op, [], {"reduction": "sum"}, [f(4, 5), i64(4)]),
            case(op, [], {"reduction": "none"}, [f(2, 5, 7, 7), i64(2, 7, 7)]),
            case(op, [], {"reduction": "none"}, [f(5), i64()]),
            case(op, [], {}, [f(4, 5), i64(3)]),
            case(op, [], {}, [f(4, 5, 3), i64(4, 2)]),
            case(op, [], {}, [f(4, 5), ((4,), "int32")]),
            case(op, [], {}, [f(4, 5), i64(4, 5)]),
            case(op, [], {"weight": [1.0, 2.0, 1.0, 1.0, 0.5]}, [f(4, 5), i64(4)]),
            case(op, [], {"weight": [1.0, 2.0]}, [f(4, 5), i64(4)]),
            case(op, [], {"ignore_index": 0, "reduction": "none"}, [f(4, 5), i64(4)]),
        ]
    cases += [
        case("CrossEntropyLoss", [], {"reduction": "none"}, [f(4, 5), f(4, 5)]),
        case("CrossEntropyLoss", [], {"reduction": "none"}, [f(2, 5, 3), f(2, 5, 3)]),
        case("CrossEntropyLoss", [], {}, [f(4, 5), f(4, 6)]),
        case("CrossEntropyLoss", [], {"label_smoothing": 0.1}, [f(4, 5), i64(4)]),
        case("CrossEntropyLoss", [], {"label_smoothing": 1.5}, [f(4, 5), i64(4)]),
        case("CrossEntropyLoss", [[1.0, 1.0, 2.0]], {"reduction": "none"}, [f(6, 3, 4), i64(6, 4)]),
        case("CrossEntropyLoss", [], {"reduction": "mean_all"}, [f(4, 5), i64(4)]),
        case("NLLLoss", [None, None, 1], {"reduction": "none"}, [f(4, 5), i64(4)]),
        case("NLLLoss", [], {}, [f(4, 5), f(4, 5)]),
    ]
    for op in ("BCELoss", "BCEWithLogitsLoss"):
        cases += [
            case(op, [], {}, [f(4, 5), f(4, 5)]),
            case(op, [], {"reduction": "none"}, [f(4, 5), f(4, 5)]),
            case(op, [], {"reduction": "sum"}, [f(8), f(8)]),
            case(op, [], {}, [f(4, 1), f(4)]),
            case(op, [], {"weight": [1.0, 2.0, 3.0, 4.0, 5.0]}, [f(4, 5), f(4, 5)]),
            case(op, [], {"weight": [1.0, 2.0, 3.0]}, [f(4, 5), f(4, 5)]),
        ]
    cases += [
        case("BCEWithLogitsLoss", [], {"pos_weight": [1.0, 2.0, 3.0, 4.0, 5.0],
                                       "reduction": "none"}, [f(4, 5), f(4, 5)]),
        case("BCEWithLogitsLoss", [], {"pos_weight": [1.0, 2.0]}, [f(4, 5), f(4, 5)]),
    ]
    return cases


def main():
    parser = argparse.ArgumentParser(description="record seq.json from PyTorch")
    parser.add_argument("--check", action="store_true",
                        help="only compare with the committed seq.json; exit 1 when it differs")
    options = parser.parse_args()
    warnings.simplefilter("ignore")
    torch.set_num_threads(1)
    cases = (recurrent_cases() + attention_cases() + elementwise_cases() + tensor_cases() +
             constant_cases() + loss_cases())
    text = "[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seq.json")
    if options.check:
        with open(path) as committed:
            if committed.read() != text:
                sys.exit(f"{path} is out of date: run {sys.argv[0]} without --check")
        return
    with open(path, "w") as out:
        out.write(text)
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
