#!/bin/sh
# ResNet-50 with weights to a TorchScript archive: `sketchc compile --weights` (a state_dict
# that torch.save wrote) next to Python building torchvision's resnet50, loading the same
# state_dict, torch.jit.script and save. Wall time and peak RSS of each whole process.
# Usage: bench/run_torch_bench.sh [BUILD_DIR]   (needs /usr/bin/python3 with torch, GNU time)
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -c "
import torch, torchvision
torch.save(torchvision.models.resnet50(weights=None).state_dict(), '$work/r50.sd.pth')"

measure() {  # label, command...
  label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  read -r seconds kilobytes < "$work/time"
  printf '| %s | %s s | %s MB |\n' "$label" "$seconds" "$((kilobytes / 1024))"
}

echo "| what | wall time | peak RSS |"
echo "|---|---|---|"
measure "sketchc compile resnet50.sketch --weights r50.sd.pth -o r50.pth" \
  "$build/bin/sketchc" compile "$root/examples/resnet50.sketch" -o "$work/r50.pth" \
  --weights "$work/r50.sd.pth"
measure "Python: torchvision resnet50 + load_state_dict + jit.script + save" \
  /usr/bin/python3 -c "
import torch, torchvision
m = torchvision.models.resnet50(weights=None)
m.load_state_dict(torch.load('$work/r50.sd.pth'))
torch.jit.script(m).save('$work/py.pth')"
measure "sketchc check resnet50.sketch (no LibTorch)" \
  "$build/bin/sketchc" check "$root/examples/resnet50.sketch"
