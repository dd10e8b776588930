#!/usr/bin/python3
"""Holds the weights the importer recovered against PyTorch's own state_dict.

Usage: compare_state_dict.py MODEL_DIR IMPORTED_DIR MODEL...
For each model, IMPORTED_DIR/<model>.safetensors (written by the corpus graph test)
is compared with MODEL_DIR/<model>.sd.pth: the listed state_dict keys must be present
under the same name with exactly the same values. That checks names recovered from
initializers and scopes and the layout changes (Gemm's transposes, LSTM gate order, the
stacked layers of a batch_first LSTM, the decomposed LayerNorm and attention).
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from safetensors_file import read_safetensors  # noqa: E402

# Keys that must match (all of them for models not listed). BatchNorm folded into Conv by torch.onnx.export leaves the convs
# and their BatchNorms without a state_dict counterpart.
EXPECTED = {
    "resnet18": lambda k: k.startswith("fc."),
    "mobilenet_v2": lambda k: k.startswith("classifier."),
    "vgg11_bn": lambda k: k.startswith("classifier."),
}

def main():
    corpus, imported_dir, models = sys.argv[1], sys.argv[2], sys.argv[3:]
    failures = []
    for model in models:
        wanted = EXPECTED.get(model, lambda k: True)
        state = torch.load("%s/%s.sd.pth" % (corpus, model), map_location="cpu")
        imported = read_safetensors("%s/%s.safetensors" % (imported_dir, model))
        keys = [k for k in state if wanted(k) and not k.endswith("num_batches_tracked")]
        matched = 0
        for key in keys:
            expected = state[key].numpy()
            if key not in imported:
                failures.append("%s: no imported weight '%s'" % (model, key))
            elif imported[key].shape != expected.shape or not np.array_equal(imported[key], expected):
                failures.append("%s: '%s' differs from PyTorch's" % (model, key))
            else:
                matched += 1
        print("%s: %d of %d state_dict tensors imported under their own name" % (model, matched, len(keys)))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
