"""Writes safetensors files for the tests, independently of sketchc's own writer: an
unsigned 64-bit little-endian header length, the JSON header, then the raw data."""
import json
import struct

TORCH_DTYPES = {"float32": "F32", "float64": "F64", "int64": "I64", "int32": "I32",
                "float16": "F16", "uint8": "U8"}


def write_safetensors(path, tensors):
    """tensors: name -> (safetensors dtype, shape, raw little-endian bytes), in file order."""
    header, offset = {}, 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, raw in tensors.values():
            f.write(raw)


NUMPY_DTYPES = {"F32": "float32", "F64": "float64", "I64": "int64", "I32": "int32",
                "U8": "uint8", "BOOL": "bool"}


def read_safetensors(path):
    """name -> numpy array, as the file holds them (numpy is imported here: some callers run
    under a Python without it and only write)."""
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    body = data[8 + size:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(body[begin:end], NUMPY_DTYPES[info["dtype"]]).reshape(info["shape"])
    return out


def write_torch_safetensors(path, tensors):
    """tensors: name -> torch tensor."""
    write_safetensors(path, {
        name: (TORCH_DTYPES[str(t.dtype).replace("torch.", "")], list(t.shape),
               t.detach().contiguous().cpu().numpy().tobytes())
        for name, t in tensors.items()})
