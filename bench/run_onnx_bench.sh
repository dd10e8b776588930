#!/usr/bin/env bash
# Import + re-export of a torch-exported resnet50 ONNX file (sketch-import, then sketchc
# compile), next to Python's onnx.load + onnx.save of the same file, in the same run:
# wall time with hyperfine and peak RSS with /usr/bin/time.
# Usage: bench/run_onnx_bench.sh [build/bin]   (needs hyperfine and /usr/bin/python3 with
# torch, torchvision and onnx)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

/usr/bin/python3 bench/export_resnet50_onnx.py "$out/resnet50.onnx"
size=$(stat -c %s "$out/resnet50.onnx")
echo "resnet50.onnx: $((size / 1000000)) MB"

sketchc_round="$bin/sketch-import $out/resnet50.onnx -o $out/r50.sketch && $bin/sketchc compile $out/r50.sketch -o $out/r50.onnx"
python_round="/usr/bin/python3 bench/onnx_roundtrip.py $out/resnet50.onnx $out/py.onnx"
hyperfine --warmup 1 --min-runs 10 --export-markdown "$out/onnx.md" \
  -n "sketch-import + sketchc compile" "$sketchc_round" \
  -n "python onnx.load + onnx.save" "$python_round"
cat "$out/onnx.md"

peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
import_kb=$(peak "$bin/sketch-import" "$out/resnet50.onnx" -o "$out/r50.sketch")
compile_kb=$(peak "$bin/sketchc" compile "$out/r50.sketch" -o "$out/r50.onnx")
python_kb=$(peak /usr/bin/python3 bench/onnx_roundtrip.py "$out/resnet50.onnx" "$out/py.onnx")
echo "peak RSS: sketch-import ${import_kb} KB, sketchc compile ${compile_kb} KB, python ${python_kb} KB, file $((size / 1024)) KB"
