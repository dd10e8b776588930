#!/usr/bin/python3
"""An independent safetensors implementation (numpy + the format's spec) for interop tests.

  check_safetensors.py write DIR   writes DIR/canonical.safetensors, laid out exactly as the
                                   reference implementation's serialize() does, and
                                   DIR/shuffled.safetensors: the same tensors in another
                                   valid layout (unsorted header, unpadded, name-ordered data)
  check_safetensors.py check FILE  reads FILE and checks that it holds exactly those tensors,
                                   in the reference layout

The tensors cover every dtype sketchc supports, a scalar, an empty tensor and a non-ASCII name.
"""
import json
import struct
import sys

import numpy as np

# The reference's Dtype enum is declared in increasing alignment; its writer sorts by
# descending rank, then by name.
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "F16": 7, "BF16": 8, "I32": 9, "F32": 11,
        "F64": 12, "I64": 13}
NUMPY = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "F16": np.float16,
         "BF16": np.uint16, "I32": np.int32, "F32": np.float32, "F64": np.float64,
         "I64": np.int64}
METADATA = {"format": "pt", "source": "numpy"}


def bfloat16_bits(values):
    """bfloat16 as the upper halves of float32 values that bfloat16 represents exactly."""
    return (np.asarray(values, dtype="<f4").view("<u4") >> 16).astype("<u2")


def expected_tensors():
    return {
        "embed.weight": ("F32", np.arange(12, dtype="<f4").reshape(3, 4) * 0.5 - 1),
        "layer.0.bias": ("F64", np.linspace(-1, 1, 5, dtype="<f8")),
        "h\u00e9ad.\u00fcnicode": ("F16", np.array([[1, -2, 0.5], [65504, 0, -0.25]], "<f2")),
        "norm.bf16": ("BF16", bfloat16_bits([1.0, -3.0, 0.15625])),
        "bn.num_batches_tracked": ("I64", np.array(42, dtype="<i8")),
        "ids": ("I32", np.array([-7, 0, 2**31 - 1, 5], dtype="<i4")),
        "small": ("I16", np.array([-300, 300], dtype="<i2")),
        "tiny": ("I8", np.array([-128, 127, 3], dtype="i1")),
        "bytes": ("U8", np.array([0, 255], dtype="u1")),
        "mask": ("BOOL", np.array([True, False, True])),
        "empty": ("F32", np.zeros((0, 3), dtype="<f4")),
    }


def header_bytes(entries, pad):
    text = json.dumps(entries, separators=(",", ":"), ensure_ascii=False).encode()
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def layout(tensors, order):
    entries, blobs, offset = {}, [], 0
    for name in order:
        dtype, array = tensors[name]
        blob = np.ascontiguousarray(array).tobytes()
        entries[name] = {"dtype": dtype, "shape": list(array.shape),
                         "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    return entries, b"".join(blobs)


def canonical_bytes(tensors):
    order = sorted(tensors, key=lambda n: (-RANK[tensors[n][0]], n.encode()))
    entries, data = layout(tensors, order)
    return header_bytes({"__metadata__": METADATA, **entries}, True) + data


def shuffled_bytes(tensors):
    entries, data = layout(tensors, sorted(tensors))
    keys = list(reversed(list(entries)))
    header = {k: entries[k] for k in keys[:3]}
    header["__metadata__"] = dict(reversed(list(METADATA.items())))
    header.update({k: entries[k] for k in keys[3:]})
    return header_bytes(header, False) + data


def read(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack_from("<Q", blob)
    header = json.loads(blob[8:8 + n].decode())
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = np.dtype(NUMPY[info["dtype"]]).newbyteorder("<")
        array = np.frombuffer(data[begin:end], dtype=dtype).reshape(info["shape"])
        tensors[name] = (info["dtype"], array)
    return blob, metadata, tensors


def check(path):
    expected = expected_tensors()
    blob, metadata, tensors = read(path)
    problems = []
    if metadata != METADATA:
        problems.append(f"metadata {metadata} != {METADATA}")
    if set(tensors) != set(expected):
        problems.append(f"tensors {sorted(tensors)} != {sorted(expected)}")
    for name in sorted(set(tensors) & set(expected)):
        (dtype, array), (want_dtype, want) = tensors[name], expected[name]
        if dtype != want_dtype or array.shape != want.shape or not np.array_equal(array, want):
            problems.append(f"{name!r}: {dtype}{list(array.shape)} differs from "
                            f"{want_dtype}{list(want.shape)}")
    if blob != canonical_bytes(expected):
        problems.append("bytes differ from the reference layout")
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "write":
        tensors = expected_tensors()
        open(f"{argv[2]}/canonical.safetensors", "wb").write(canonical_bytes(tensors))
        open(f"{argv[2]}/shuffled.safetensors", "wb").write(shuffled_bytes(tensors))
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
