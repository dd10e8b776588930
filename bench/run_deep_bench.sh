#!/usr/bin/env bash
# Deep-graph scaling: `sketchc check`, `sketchc fmt` and `sketchc compile -o x.onnx` (weights
# initialised: 64-wide Linear layers) of generated sketches of 1k, 10k and 100k blocks
# (bench/gen_deep_sketch.py). Median wall time of 3 runs and peak RSS (GNU time), with the
# cost per block, so that linear growth shows as a constant column. Prints a markdown table.
# Usage: bench/run_deep_bench.sh [build/bin/sketchc]   (needs GNU time; ~1 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
sketchc=${1:-build/bin/sketchc}
mkdir -p build/bench-tmp
work=$(cd "$(mktemp -d build/bench-tmp/deep.XXXXXX)" && pwd)
trap 'rm -rf "$work"' EXIT

echo "| blocks | command | wall (median) | per block | peak RSS | per block |"
echo "|---|---|---|---|---|---|"
for n in 1000 10000 100000; do
  python3 bench/gen_deep_sketch.py $n > "$work/deep_$n.sketch"
  for what in check fmt "compile -o .onnx"; do
    case $what in
      check) cmd=("$sketchc" check "$work/deep_$n.sketch") ;;
      fmt) cmd=("$sketchc" fmt "$work/deep_$n.sketch") ;;
      *) cmd=("$sketchc" -q compile "$work/deep_$n.sketch" -o "$work/deep_$n.onnx") ;;
    esac
    : > "$work/times"
    for _ in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$work/time" "${cmd[@]}" > /dev/null
      cat "$work/time" >> "$work/times"
      rm -f "$work/deep_$n.onnx"
    done
    sort -n "$work/times" | awk -v n=$n -v what="$what" '{t[NR] = $1; if ($2 > kb) kb = $2}
      END { printf "| %d | %s | %.2f s | %.1f us | %d MB | %.2f KB |\n", n, what, t[2],
            t[2] * 1e6 / n, kb / 1024, kb / n }'
  done
done
