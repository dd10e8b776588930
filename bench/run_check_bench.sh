#!/usr/bin/env bash
# Benchmarks `sketchc check` (issue: foundation speed targets) with hyperfine:
#  1. examples/resnet50.sketch as a whole process, next to Python building torchvision's
#     resnet50 and running one forward on a zero tensor;
#  2. generated sketches of 1k, 10k and 100k blocks (time should grow linearly).
# Usage: bench/run_check_bench.sh [build/bin/sketchc]   (needs hyperfine and /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
sketchc=${1:-build/bin/sketchc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

hyperfine --warmup 3 --min-runs 20 --export-markdown "$out/resnet50.md" \
  "$sketchc check examples/resnet50.sketch" \
  "/usr/bin/python3 bench/resnet50_python.py"
cat "$out/resnet50.md"

for n in 1000 10000 100000; do
  python3 bench/gen_deep_sketch.py $n > "$out/deep_$n.sketch"
done
hyperfine --warmup 1 --min-runs 5 --export-markdown "$out/deep.md" \
  "$sketchc check $out/deep_1000.sketch" \
  "$sketchc check $out/deep_10000.sketch" \
  "$sketchc check $out/deep_100000.sketch"
sed "s|$out/||g" "$out/deep.md"

for n in 10000 100000; do
  /usr/bin/time -f "deep_$n: peak RSS %M KB" "$sketchc" check "$out/deep_$n.sketch" > /dev/null
done
