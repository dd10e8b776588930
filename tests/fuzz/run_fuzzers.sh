#!/usr/bin/env bash
# Runs the fuzz targets one after another (never two at once: the machines are shared),
# each for SECONDS, on its corpus, with its dictionary.
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]     (default: every target)
#
# BUILD_DIR is a fuzz build (cmake --preset fuzz; cmake --build --preset fuzz). The corpus
# grows in BUILD_DIR/fuzz/corpus/<target> (seeded by make_corpus.py when a target has no
# seeds, with the sketchc in $SKETCHC, default build/bin/sketchc); crash inputs go to
# BUILD_DIR/fuzz/artifacts/<target>/; every run appends "<target> <seconds> <exit>" to
# BUILD_DIR/fuzz/runs.tsv, the record behind the fuzzing-time table in README.md. Exits 1
# when any target found a crash.
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(safetensors t7_reader state_dict_unpickler onnx_import sketch_parser yaml_frontend)
  # Built only where LibTorch was found.
  [ -x "$build/fuzz/fuzz_torchscript_import" ] && targets+=(torchscript_import)
fi
declare -A dictionary=([sketch_parser]=sketch [yaml_frontend]=yaml [safetensors]=safetensors
                       [onnx_import]=onnx [t7_reader]=t7 [state_dict_unpickler]=pickle
                       [torchscript_import]=torchscript)

fuzz="$build/fuzz"
for target in "${targets[@]}"; do
  if [ ! -d "$fuzz/seeds/fuzz_$target" ]; then
    python3 "$here/make_corpus.py" --sketchc "${SKETCHC:-build/bin/sketchc}" --out "$fuzz/seeds" ||
      exit 2
    break
  fi
done

# LibTorch's TorchScript loader crashes on many damaged archives: that target runs in fork
# mode past its crashes, and triage_crashes.py then fails the run only for crashes in our code.
declare -A triaged=([torchscript_import]=1)

status=0
for target in "${targets[@]}"; do
  name=fuzz_$target
  mkdir -p "$fuzz/corpus/$name" "$fuzz/artifacts/$name" "$fuzz/log"
  start=$(date +%s)
  stamp=$(mktemp)
  fork=()
  limits=(-rss_limit_mb=2048)
  # The malloc limit catches LibTorch's allocations of lengths read from the file where
  # they are made. No RSS limit: libFuzzer's report of it (a heap profile that stops the
  # process's threads) hung jobs of this target twice.
  [ -n "${triaged[$target]:-}" ] && fork=(-fork=1 -ignore_crashes=1 -ignore_ooms=1
    -ignore_timeouts=1) && limits=(-rss_limit_mb=0 -malloc_limit_mb=1024)
  # The outer timeout keeps a stuck run from stalling CI.
  timeout -k 10 $((seconds + 300)) nice -n 19 "$fuzz/$name" "${fork[@]}" "${limits[@]}" \
    -max_total_time="$seconds" -timeout=20 \
    -dict="$here/dict/${dictionary[$target]}.dict" -artifact_prefix="$fuzz/artifacts/$name/" \
    -print_final_stats=1 "$fuzz/corpus/$name" "$fuzz/seeds/$name" >"$fuzz/log/$name.log" 2>&1
  code=$?
  if [ -n "${triaged[$target]:-}" ]; then
    mapfile -t crashes < <(find "$fuzz/artifacts/$name" -type f -newer "$stamp")
    python3 "$here/triage_crashes.py" "$fuzz/$name" "${crashes[@]}" >"$fuzz/log/$name.triage" 2>&1
    code=$?
    echo "$name: $(tail -1 "$fuzz/log/$name.triage") (see $fuzz/log/$name.triage)"
  fi
  rm -f "$stamp"
  echo -e "$name\t$(( $(date +%s) - start ))\t$code" >>"$fuzz/runs.tsv"
  if [ $code -ne 0 ]; then
    status=1
    echo "$name: FOUND A PROBLEM (exit $code); see $fuzz/log/$name.log and $fuzz/artifacts/$name/"
    grep -m3 -E "ERROR|SUMMARY|runtime error| ours: " "$fuzz/log/$name.log" "$fuzz/log/$name.triage" 2>/dev/null
  else
    echo "$name: ${seconds}s clean, $(grep -oE 'cov: [0-9]+' "$fuzz/log/$name.log" | tail -1)"
  fi
done
exit $status
