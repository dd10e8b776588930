"""Hostile model files for the bad-input suite (run_bad_models.py), made at test time from
real small files (so the suite follows format changes) or written byte by byte here.

Each maker takes the folder of real files and returns the bytes of one bad file."""
import io
import json
import struct
import zipfile

# ---- byte-level damage, applied to every format ---------------------------------------


def truncations(data):
    """Cuts that land inside a header, a length, a payload and the last value."""
    return {"trunc_1": data[:1], "trunc_8": data[:8], "trunc_40": data[:40],
            "trunc_half": data[:len(data) // 2], "trunc_last_byte": data[:-1]}


def damaged(data):
    cases = {"empty": b"", "text": b"this is not a model\n",
             "garbage_1k": bytes((i * 131 + 7) % 251 for i in range(1024)),
             "wrong_magic": bytes(b ^ 0xFF for b in data[:16]) + data[16:],
             "zeros_4k": bytes(4096)}
    cases.update(truncations(data))
    return cases


# ---- safetensors ------------------------------------------------------------------------


def safetensors(header, data=b"", header_length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    length = len(text) if header_length is None else header_length
    return struct.pack("<Q", length) + text + data


def safetensors_cases():
    f32 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
    terabyte = 1 << 40
    return {
        "header_length_huge": safetensors({"w": f32}, bytes(8), header_length=1 << 62),
        "header_length_past_end": safetensors({"w": f32}, bytes(8), header_length=4096),
        "claims_1tb_tensor": safetensors(
            {"w": {"dtype": "F32", "shape": [terabyte // 4], "data_offsets": [0, terabyte]}},
            bytes(1024)),
        "shape_overflow": safetensors(
            {"w": {"dtype": "F32", "shape": [1 << 40, 1 << 40, 1 << 40], "data_offsets": [0, 8]}},
            bytes(8)),
        "negative_dim": safetensors({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}},
                                    bytes(8)),
        "unknown_dtype": safetensors({"w": {"dtype": "Q7", "shape": [2], "data_offsets": [0, 8]}},
                                     bytes(8)),
        "shape_not_list": safetensors({"w": {"dtype": "F32", "shape": "2", "data_offsets": [0, 8]}},
                                      bytes(8)),
        "offsets_overlap": safetensors({"a": f32, "b": f32}, bytes(8)),
        "offsets_gap": safetensors({"w": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}},
                                   bytes(12)),
        "trailing_bytes": safetensors({"w": f32}, bytes(16)),
        "size_mismatch": safetensors({"w": {"dtype": "F64", "shape": [2], "data_offsets": [0, 8]}},
                                     bytes(8)),
        "header_not_json": safetensors(b"{\"w\": [1, 2", bytes(8)),
        "header_not_object": safetensors(b"[1, 2, 3]"),
        "header_deep_nesting": safetensors(b"[" * 100000 + b"]" * 100000),
        "name_invalid_utf8": safetensors(b'{"\xff\xfe":' + json.dumps(f32).encode() + b"}", bytes(8)),
        "metadata_not_strings": safetensors({"__metadata__": {"a": [1]}, "w": f32}, bytes(8)),
        "nan_offset": safetensors(b'{"w":{"dtype":"F32","shape":[2],"data_offsets":[NaN,8]}}',
                                  bytes(8)),
    }


# ---- .t7 (torch.save's object stream, binary) ---------------------------------------------


def t7_int(v):
    return struct.pack("<i", v)


def t7_string(s):
    raw = s.encode() if isinstance(s, str) else s
    return t7_int(2) + t7_int(len(raw)) + raw


def t7_number(v):
    return t7_int(1) + struct.pack("<d", v)


def t7_torch(index, class_name):
    return t7_int(4) + t7_int(index) + t7_int(len(b"V 1")) + b"V 1" + \
        t7_int(len(class_name)) + class_name.encode()


def t7_table(index, entries):
    """entries: list of (key bytes, value bytes), already encoded."""
    return t7_int(3) + t7_int(index) + t7_int(len(entries)) + b"".join(k + v for k, v in entries)


def t7_linear(weight_sizes, index=1, weight=None, extra=()):
    """nn.Linear with the given weight sizes over a storage of two floats."""
    rank = len(weight_sizes)
    tensor = t7_torch(index + 2, "torch.FloatTensor") + t7_int(rank) + \
        b"".join(struct.pack("<q", s) for s in weight_sizes) + \
        b"".join(struct.pack("<q", 1) for _ in weight_sizes) + struct.pack("<q", 1) + \
        t7_torch(index + 3, "torch.FloatStorage") + struct.pack("<q", 2) + bytes(8)
    fields = [(t7_string("weight"), weight if weight is not None else tensor)] + list(extra)
    return t7_torch(index, "nn.Linear") + t7_table(index + 1, fields)


def t7_cases():
    nested = b""
    for i in range(400):
        nested += t7_int(3) + t7_int(i + 1) + t7_int(1) + t7_number(1)
    nested += t7_int(0)  # nil at the bottom
    # A Sequential whose modules table holds the Sequential itself.
    cycle = t7_torch(1, "nn.Sequential") + t7_table(2, [(
        t7_string("modules"), t7_table(3, [(t7_number(1), t7_int(4) + t7_int(1))])),
        (t7_string("train"), t7_int(5) + t7_int(1))])
    storage_1tb = t7_torch(1, "torch.FloatStorage") + struct.pack("<q", 1 << 38) + bytes(1000)
    return {
        "storage_claims_1tb": storage_1tb,
        "table_size_huge": t7_int(3) + t7_int(1) + t7_int(0x7FFFFFFF) + bytes(64),
        "string_length_huge": t7_int(2) + t7_int(0x7FFFFFFF) + b"abc",
        "negative_string_length": t7_int(2) + t7_int(-5) + b"abc",
        "tensor_rank_huge": t7_torch(1, "torch.FloatTensor") + t7_int(1 << 30) + bytes(64),
        "tensor_rank_negative": t7_torch(1, "torch.FloatTensor") + t7_int(-1) + bytes(64),
        "nesting_400_deep": nested,
        "module_contains_itself": cycle,
        "lua_function": t7_int(6) + t7_int(1) + t7_int(4) + b"\x1bLua",
        "unknown_type_tag": t7_int(42) + bytes(16),
        "unknown_class": t7_torch(1, "nn.gModule") + t7_table(2, []),
        "linear_dims_overflow": t7_linear([1 << 40, 1 << 40]),
        "linear_weight_not_tensor": t7_linear([2, 1], weight=t7_number(3)),
        "linear_rank_3_weight": t7_linear([1, 1, 2]),
        "conv_nan_kernel": t7_torch(1, "nn.SpatialConvolution") + t7_table(2, [
            (t7_string("kW"), t7_number(float("nan"))), (t7_string("kH"), t7_number(3)),
            (t7_string("nInputPlane"), t7_number(3)), (t7_string("nOutputPlane"), t7_number(1e30))]),
        "ascii_garbage_number": b"3\n1\n1\nnot-a-number\n",
    }


# ---- ONNX (needs the onnx Python package) ----------------------------------------------------


def onnx_cases(onnx_path):
    import onnx
    from onnx import TensorProto, helper

    def variant(edit):
        model = onnx.load(onnx_path)
        edit(model)
        return model.SerializeToString()

    def huge_initializer(m):
        t = m.graph.initializer[0]
        del t.dims[:]
        t.dims.extend([1 << 20, 1 << 20])
        t.ClearField("raw_data")
        del t.float_data[:]

    def external(location, offset="0"):
        def edit(m):
            t = m.graph.initializer[0]
            t.ClearField("raw_data")
            t.data_location = TensorProto.EXTERNAL
            del t.external_data[:]
            for k, v in (("location", location), ("offset", offset)):
                e = t.external_data.add()
                e.key, e.value = k, v
        return edit

    def opset(version):
        def edit(m):
            m.opset_import[0].version = version
        return edit

    def cycle(m):
        # The first node reads the last node's output: a loop in the graph.
        m.graph.node[0].input[0] = m.graph.node[-1].output[0]

    def nan_attribute(m):
        for node in m.graph.node:
            for a in node.attribute:
                if a.type == onnx.AttributeProto.INTS and a.ints:
                    a.ints[0] = -(1 << 62)
                    return

    def unknown_op(m):
        m.graph.node[0].op_type = "Frobnicate\u00e9"

    def dangling_input(m):
        m.graph.node[0].input[0] = "nowhere"

    def dims_overflow(m):
        dims = m.graph.input[0].type.tensor_type.shape.dim
        for d in dims[1:]:
            d.ClearField("dim_param")
            d.dim_value = 1 << 40

    def bad_float_attribute(m):
        node = helper.make_node("LeakyRelu", [m.graph.output[0].name], ["y2"], alpha=float("nan"))
        m.graph.node.append(node)
        m.graph.output[0].name = "y2"

    def wrong_dtype(m):
        m.graph.initializer[0].data_type = 1000

    return {
        "initializer_claims_4tb": variant(huge_initializer),
        "external_data_escapes_folder": variant(external("../../../../etc/passwd")),
        "external_data_absolute": variant(external("/etc/passwd")),
        "external_data_missing": variant(external("no_such_file.bin")),
        "external_data_bad_offset": variant(external("lenet5.onnx", "12x")),
        "opset_99": variant(opset(99)),
        "opset_1": variant(opset(1)),
        "graph_cycle": variant(cycle),
        "attribute_out_of_range": variant(nan_attribute),
        "unknown_unicode_op": variant(unknown_op),
        "dangling_input": variant(dangling_input),
        "input_dims_overflow": variant(dims_overflow),
        "nan_float_attribute": variant(bad_float_attribute),
        "unknown_element_type": variant(wrong_dtype),
    }


# ---- .pth (zip archives as torch.save writes them) ------------------------------------------


def script_cases(archive_path):
    """Damaged TorchScript archives (from sketchc compile -o x.pth)."""
    with open(archive_path, "rb") as f:
        data = f.read()
    code = [n.split("/", 1)[1] for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
            if n.endswith(".py")]
    return {
        "script_code_does_not_compile": rewrite_zip(data, {n: b"class Broken(\n" for n in code}),
        "script_code_missing": rewrite_zip(data, drop=tuple(code)),
    }


def rewrite_zip(data, replace=None, drop=()):
    """A copy of a torch.save archive with records replaced or dropped, stored uncompressed
    like torch.save does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            name = info.filename.split("/", 1)[1]
            if name in drop:
                continue
            body = (replace or {}).get(name, src.read(info))
            dst.writestr(info.filename, body)
    return out.getvalue()


def pickle_calling(module, name, argument):
    arg = argument.encode()
    return (b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\nX" +
            struct.pack("<I", len(arg)) + arg + b"\x85R.")


def pickle_huge_tensor():
    """A state_dict whose tensor claims 2^40 floats over a storage of two."""
    def uni(s):
        return b"X" + struct.pack("<I", len(s)) + s.encode()
    return (b"\x80\x02ccollections\nOrderedDict\n)R(" + uni("w") +
            b"ctorch._utils\n_rebuild_tensor_v2\n((" + uni("storage") + b"ctorch\nFloatStorage\n" +
            uni("0") + uni("cpu") + b"K\x02tQK\x00(\x8a\x06\x00\x00\x00\x00\x00\x01t(K\x01t\x89"
            b"ccollections\nOrderedDict\n)RtRu.")


def pth_cases(state_dict_path):
    with open(state_dict_path, "rb") as f:
        data = f.read()
    return {
        "pickle_calls_os_system": rewrite_zip(data, {"data.pkl": pickle_calling(
            "posix", "system", "touch /tmp/sketch_pwned")}),
        "pickle_calls_eval": rewrite_zip(data, {"data.pkl": pickle_calling(
            "builtins", "eval", "1")}),
        "tensor_claims_4tb": rewrite_zip(data, {"data.pkl": pickle_huge_tensor()}),
        "no_data_pkl": rewrite_zip(data, drop=("data.pkl",)),
        "storage_record_missing": rewrite_zip(data, drop=tuple(
            n.split("/", 1)[1] for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
            if "/data/" in n)),
        "legacy_pickle": b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.",
    }
