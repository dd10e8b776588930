#!/usr/bin/env bash
# Big models (issue 9): generated float32 models of the given sizes -- a deep MLP and a
# TransformerEncoderLayer stack (bench/gen_big_model.py) -- compiled by sketchc to .onnx,
# .pth (TorchScript and --state-dict) and .t7, each imported back by sketch-import, next to
# `cp` of the weights (the floor; also cp + fsync, as sketchc fsyncs its outputs) and the
# Python way (onnx.load + onnx.save, torch.jit.load + torch.jit.save, torch.load + torch.save). Median wall time and the largest peak RSS of a
# few runs (GNU time), warm page cache for everything. Prints a markdown table.
# Usage: bench/run_big_bench.sh [BIN_DIR] [MEGABYTES...]   (default: build/bin 100 1000;
# needs GNU time and /usr/bin/python3 with torch, numpy and onnx; about 4x the largest size
# of free disk in build/bench-tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:-build/bin}" && pwd)
shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(100 1000); fi
mkdir -p build/bench-tmp
work=$(cd "$(mktemp -d build/bench-tmp/big.XXXXXX)" && pwd)
trap 'rm -rf "$work"' EXIT
rows="$work/rows.md"

# measure LABEL RUNS CLEANUP COMMAND...: median wall time and peak RSS over RUNS runs;
# CLEANUP (a shell command) runs after each run. Appends a table row.
measure() {
  local label=$1 runs=$2 cleanup=$3
  shift 3
  : > "$work/times"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" ||
      { cat "$work/stderr" >&2; echo "failed: $*" >&2; exit 1; }
    cat "$work/time" >> "$work/times"
    echo "  $label: $(cat "$work/time")" >&2
    eval "$cleanup"
  done
  local seconds kilobytes
  seconds=$(cut -d' ' -f1 "$work/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  kilobytes=$(cut -d' ' -f2 "$work/times" | sort -n | tail -1)
  [ "$label" = cp ] && floor=$seconds
  [ "$label" = "cp + fsync" ] && synced=$seconds
  awk -v label="$label" -v s="$seconds" -v kb="$kilobytes" -v floor="$floor" \
      -v synced="$synced" -v model="$model" -v bytes="$weights" '
    function ratio(a, b) { return b > 0 ? sprintf("%.1fx", a / (b < 0.01 ? 0.01 : b)) : "" }
    BEGIN { printf "| %s | %s | %.2f s | %s | %s | %d MB | %.2fx |\n", model, label, s,
      ratio(s, floor), ratio(s, synced), kb / 1024, kb * 1024 / bytes }' >> "$rows"
}

# compile_measured LABEL OUTPUT [FLAGS...]: measures compiling the model to OUTPUT, each run
# into a fresh file as cp's are (replacing a file of 1 GB costs the filesystem 0.3-0.5 s of
# freeing the old one), then compiles it once more, untimed, for the rows that read it.
compile_measured() {
  local label=$1 output=$2
  shift 2
  measure "$label" "$runs" 'rm -f "$output" "$output.data"' \
    "$bin/sketchc" -q compile "$m.sketch" "$@" -o "$output"
  "$bin/sketchc" -q compile "$m.sketch" "$@" -o "$output"
}

for mb in "${sizes[@]}"; do
  runs=$((mb <= 200 ? 3 : 2))
  for kind in mlp transformer; do
    m="$work/$kind$mb"
    /usr/bin/python3 bench/gen_big_model.py "$bin/sketchc" "$kind" "$mb" "$m"
    weights=$(stat -c %s "$m.safetensors")
    model="$kind, $((weights / 1000000)) MB"
    floor=0 synced=0
    echo "$model" >&2
    measure cp "$runs" 'rm -f "$work/copy"' cp "$m.safetensors" "$work/copy"
    # Every sketchc output is fsynced before it is renamed into place; cp's is not.
    measure "cp + fsync" "$runs" 'rm -f "$work/copy"' \
      sh -c 'cp "$1" "$2" && sync "$2"' sh "$m.safetensors" "$work/copy"
    exts="onnx pth t7"
    [ "$kind" = transformer ] && exts="onnx pth"  # Torch7 has no TransformerEncoderLayer
    for ext in $exts; do
      compile_measured "sketchc compile -o .$ext" "$m.$ext"
      measure "sketch-import .$ext" "$runs" 'rm -f "$work/back".*' \
        "$bin/sketch-import" -q "$m.$ext" -o "$work/back.sketch"
      case $ext in
        onnx) measure "Python: onnx.load + onnx.save" "$runs" 'rm -f "$work/py"*' \
                /usr/bin/python3 bench/onnx_roundtrip.py "$m.onnx" "$work/py.onnx" ;;
        pth) measure "Python: torch.jit.load + torch.jit.save" "$runs" 'rm -f "$work/py"*' \
               /usr/bin/python3 bench/torch_roundtrip.py jit "$m.pth" "$work/py.pth" ;;
      esac
      rm -f "$m.$ext" "$m.$ext.data"
    done
    compile_measured "sketchc compile --state-dict -o .pth" "$m.sd.pth" --state-dict
    measure "Python: torch.load + torch.save (state_dict)" "$runs" 'rm -f "$work/py"*' \
      /usr/bin/python3 bench/torch_roundtrip.py state_dict "$m.sd.pth" "$work/py.pth"
    rm -f "$m".*
  done
done

echo "Machine: $(nproc) cores (shared), $(date -u +%Y-%m-%d); warm page cache; median of" \
  "3 runs up to 200 MB, 2 above; peak RSS is the largest of the runs."
echo
echo "| model, weights | what | wall (median) | x cp | x cp + fsync | peak RSS | RSS / weights |"
echo "|---|---|---|---|---|---|---|"
cat "$rows"
