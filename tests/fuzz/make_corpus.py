#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from the examples and the test vectors.

    make_corpus.py --sketchc build/bin/sketchc --out build-fuzz/corpus

Writes one folder per target (fuzz_sketch_parser, fuzz_onnx_import, ...). Model files are
compiled from the small examples with sketchc; state_dict pickles are written here in the
exact byte form torch.save uses (protocol 2), so no torch is needed; TorchScript archives
as Python writes them come from torchscript_seeds.py when --torch-python has torch. Archives
are rewritten with every record stored, so that byte-level mutations reach the code records,
which LibTorch deflates. Files larger than
--max-bytes are left out: libFuzzer mutates small inputs far faster. The regression inputs
kept in tests/fuzz/regressions/<target>/ are added too.
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL_EXAMPLES = ["lenet5", "lstm_classifier", "transformer_classifier", "tiny_resnet"]


def copy_files(sources, folder, max_bytes):
    for path in sources:
        if os.path.isfile(path) and os.path.getsize(path) <= max_bytes:
            shutil.copy(path, os.path.join(folder, os.path.basename(path)))


def listing(folder, *extensions):
    if not os.path.isdir(folder):
        return []
    return [os.path.join(folder, name) for name in sorted(os.listdir(folder))
            if name.endswith(extensions)]


# Small layers of each family the importers convert, so that every converter is in reach.
LAYER_SKETCHES = {
    "conv_bn": "input x: float32[N, 3, 8, 8]\nc = Conv2d(3, 4, 3, padding=1, bias=false)\n"
               "bn = BatchNorm2d()\nr = ReLU()\np = MaxPool2d(2)\nx -> c -> bn -> r -> p\noutput y = p",
    "lstm": "input x: float32[5, N, 4]\nl = LSTM(4, 6)\nx -> l\noutput y = l",
    "gru": "input x: float32[N, 5, 4]\ng = GRU(4, 3, batch_first=true)\nx -> g\noutput y = g",
    "attention": "input x: float32[N, 5, 8]\na = MultiheadAttention(8, 2, batch_first=true)\n"
                 "x -> (a.query, a.key, a.value)\noutput y = a.0",
    "embedding": "input x: int64[N, 5]\ne = Embedding(10, 4)\nx -> e\noutput y = e",
    "residual": "input x: float32[N, 4]\nf = Linear(4, 4)\nt = Tanh()\nadd = Add()\n"
                "x -> f -> t -> add\nx -> add\nsm = LogSoftmax(dim=1)\nadd -> sm\noutput y = sm",
    "pool_pad": "input x: float32[N, 2, 9, 9]\nz = ZeroPad2d(1)\na = AvgPool2d(3, stride=2)\n"
                "u = Upsample(scale_factor=2)\nf = Flatten()\nx -> z -> a -> u -> f\noutput y = f",
}


def compile_layers(sketchc, extension, folder):
    with tempfile.TemporaryDirectory() as scratch:
        for name, body in LAYER_SKETCHES.items():
            source = os.path.join(scratch, name + ".sketch")
            with open(source, "w") as f:
                f.write(f"sketch {name}\n{body}\n")
            out = os.path.join(folder, name + extension)
            subprocess.run([sketchc, "compile", source, "-o", out],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def compile_examples(sketchc, extension, folder, max_bytes):
    """Small examples as model files; weights are initialised, so files stay small."""
    with tempfile.TemporaryDirectory() as scratch:
        for name in SMALL_EXAMPLES:
            for source in listing(os.path.join(ROOT, "examples"), ".sketch", ".yaml"):
                if os.path.basename(source).split(".")[0] != name:
                    continue
                out = os.path.join(scratch, name + extension)
                run = subprocess.run([sketchc, "compile", source, "-o", out],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if run.returncode == 0:
                    copy_files([out], folder, max_bytes)


def store_archives(folder):
    for path in listing(folder, ".pth", ".pt"):
        with zipfile.ZipFile(path) as archive:
            records = [(info.filename, archive.read(info)) for info in archive.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for name, data in records:
                archive.writestr(name, data)


def safetensors_bytes(tensors, metadata=None):
    header, offset, data = {}, 0, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def write_safetensors_seeds(folder):
    seeds = {
        "one_f32": {"fc.weight": ("F32", [2, 3], struct.pack("<6f", *range(6)))},
        "mixed": {"a": ("F16", [2], b"\x00\x3c\x00\x40"), "b": ("I64", [1], struct.pack("<q", 7)),
                  "c": ("BOOL", [3], b"\x01\x00\x01"), "d": ("BF16", [], b"\x80\x3f")},
        "empty_tensor": {"e": ("F32", [0, 4], b"")},
        "unicode": {"\u00e9t\u00e9.w": ("U8", [2], b"\x01\x02")},
    }
    for name, tensors in seeds.items():
        with open(os.path.join(folder, name + ".safetensors"), "wb") as f:
            f.write(safetensors_bytes(tensors, {"format": "pt"} if name == "mixed" else None))
    with open(os.path.join(folder, "no_tensors.safetensors"), "wb") as f:
        f.write(safetensors_bytes({}))


def pickle_state_dict(entries):
    """A protocol-2 pickle of an OrderedDict of tensors, the opcodes torch.save emits.
    entries: (key, storage type, storage key, numel, offset, shape, stride)."""
    def unicode(text):
        raw = text.encode()
        return b"X" + struct.pack("<I", len(raw)) + raw

    def small_int(v):
        return b"K" + bytes([v]) if v < 256 else b"J" + struct.pack("<i", v)

    def int_tuple(values):
        return b"(" + b"".join(small_int(v) for v in values) + b"t"

    out = b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01("
    for key, storage, storage_key, numel, offset, shape, stride in entries:
        out += unicode(key)
        out += b"ctorch._utils\n_rebuild_tensor_v2\n(("
        out += unicode("storage") + b"ctorch\n" + storage.encode() + b"\n"
        out += unicode(storage_key) + unicode("cpu") + small_int(numel) + b"tQ"
        out += small_int(offset) + int_tuple(shape) + int_tuple(stride)
        out += b"\x89ccollections\nOrderedDict\n)RtR"
    return out + b"u."


def write_pickle_seeds(folder):
    seeds = {
        "linear": [("fc.weight", "FloatStorage", "0", 6, 0, [2, 3], [3, 1]),
                   ("fc.bias", "FloatStorage", "1", 2, 0, [2], [1])],
        "batchnorm": [("bn.running_mean", "FloatStorage", "0", 4, 0, [4], [1]),
                      ("bn.num_batches_tracked", "LongStorage", "1", 1, 0, [], [])],
        "shared_storage": [("a", "DoubleStorage", "0", 12, 0, [3, 2], [1, 3]),
                           ("b", "DoubleStorage", "0", 12, 6, [6], [1])],
    }
    for name, entries in seeds.items():
        with open(os.path.join(folder, name + ".pkl"), "wb") as f:
            f.write(pickle_state_dict(entries))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-bytes", type=int, default=256 * 1024)
    parser.add_argument("--torch-python", default="/usr/bin/python3",
                        help="a Python with torch, for TorchScript archives written by Python")
    args = parser.parse_args()

    folders = {}
    for target in ["fuzz_sketch_parser", "fuzz_yaml_frontend", "fuzz_safetensors",
                   "fuzz_onnx_import", "fuzz_t7_reader", "fuzz_state_dict_unpickler",
                   "fuzz_torchscript_import"]:
        folders[target] = os.path.join(args.out, target)
        os.makedirs(folders[target], exist_ok=True)
        copy_files(listing(os.path.join(ROOT, "tests", "fuzz", "regressions", target), ""),
                   folders[target], args.max_bytes)

    examples, bad = os.path.join(ROOT, "examples"), os.path.join(ROOT, "tests", "bad")
    golden = os.path.join(ROOT, "tests", "golden")
    copy_files(listing(examples, ".sketch") + listing(bad, ".sketch") + listing(golden, ".sketch"),
               folders["fuzz_sketch_parser"], args.max_bytes)
    copy_files(listing(examples, ".yaml") + listing(bad, ".yaml") + listing(golden, ".yaml"),
               folders["fuzz_yaml_frontend"], args.max_bytes)
    write_safetensors_seeds(folders["fuzz_safetensors"])
    for extension, target in ((".onnx", "fuzz_onnx_import"), (".t7", "fuzz_t7_reader"),
                              (".pth", "fuzz_torchscript_import")):
        compile_examples(args.sketchc, extension, folders[target], args.max_bytes)
        compile_layers(args.sketchc, extension, folders[target])
    copy_files(listing(os.path.join(ROOT, "tests", "data", "t7"), ".t7"),
               folders["fuzz_t7_reader"], args.max_bytes)
    write_pickle_seeds(folders["fuzz_state_dict_unpickler"])
    scripted = os.path.join(ROOT, "tests", "fuzz", "torchscript_seeds.py")
    try:
        subprocess.run([args.torch_python, scripted, folders["fuzz_torchscript_import"]],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        pass  # no such Python: sketchc's own archives only
    store_archives(folders["fuzz_torchscript_import"])
    for target, folder in folders.items():
        print(f"{target}: {len(os.listdir(folder))} seeds")


if __name__ == "__main__":
    main()
