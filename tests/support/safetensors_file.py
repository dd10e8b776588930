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


def write_torch_safetensors(path, tensors):
    """tensors: name -> torch tensor."""
    write_safetensors(path, {
        name: (TORCH_DTYPES[str(t.dtype).replace("torch.", "")], list(t.shape),
               t.detach().contiguous().cpu().numpy().tobytes())
        for name, t in tensors.items()})
