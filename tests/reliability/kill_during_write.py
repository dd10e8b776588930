#!/usr/bin/env python3
"""Nothing lost: a run killed with SIGKILL in the middle of a large write leaves the old
output byte-identical and no file under the output's name; the temporary file it leaves
(a killed process cannot clean up) is hidden and recognisable (`.NAME.tmp<pid>-<n>`), and
the next run over the same output removes it.

    kill_during_write.py --sketchc S --sketch-import I --workdir W

Covers sketchc compile to .onnx and .t7, and sketch-import writing its .safetensors."""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time

# ~300 MB of float32 weights: five 4096x4096 Linear layers.
BIG_SKETCH = """sketch big
input x: float32[N, 4096]
l1 = Linear(4096, 4096)
l2 = Linear(4096, 4096)
l3 = Linear(4096, 4096)
l4 = Linear(4096, 4096)
l5 = Linear(4096, 4096)
x -> l1 -> l2 -> l3 -> l4 -> l5
output y = l5
"""
OLD = b"the previous output, which must survive\n"


def temporaries(folder, name):
    pattern = re.compile(r"^\." + re.escape(name) + r"\.tmp\d+-\d+$")
    return [n for n in os.listdir(folder) if pattern.match(n)]


def kill_mid_write(argv, folder, name):
    """Starts argv, waits until its temporary for `name` holds over 8 MB, kills it.
    Returns the temporaries left, or None when the run ended before it could be killed."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        for temp in temporaries(folder, name):
            try:
                if os.path.getsize(os.path.join(folder, temp)) > 8 << 20:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    return temporaries(folder, name)
            except FileNotFoundError:
                pass
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    return None


def check_case(label, argv, output, rerun_argv):
    folder, name = os.path.dirname(output), os.path.basename(output)
    with open(output, "wb") as f:
        f.write(OLD)
    left = kill_mid_write(argv, folder, name)
    problems = []
    if left is None:
        problems.append("the run finished or never wrote before it could be killed")
    with open(output, "rb") as f:
        if f.read() != OLD:
            problems.append("the old output was changed")
    if left is not None and len(left) != 1:
        problems.append(f"expected one stale temporary, found {left}")
    # The next run (here one that fails early, after opening its output) sweeps it away.
    subprocess.run(rerun_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    remaining = temporaries(folder, name)
    if remaining:
        problems.append(f"the next run left the stale temporaries {remaining}")
    print(f"{label}: {'ok' if not problems else '; '.join(problems)}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--sketch-import", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    big = os.path.join(work, "big.sketch")
    with open(big, "w") as f:
        f.write(BIG_SKETCH)
    small = os.path.join(work, "small.sketch")
    with open(small, "w") as f:
        f.write("sketch small\ninput x: float32[N, 4]\nfc = Linear(4, 2)\nx -> fc\noutput y = fc\n")

    problems = []
    for ext in ("onnx", "t7"):
        out = os.path.join(work, "out." + ext)
        problems += check_case(f"compile .{ext}", [args.sketchc, "compile", big, "-o", out], out,
                               [args.sketchc, "compile", small, "-o", out])
    # sketch-import of the big model: its weights file is the large write.
    model = os.path.join(work, "big.onnx")
    subprocess.run([args.sketchc, "compile", big, "-o", model], check=True)
    weights = os.path.join(work, "imported.safetensors")
    sketch_out = os.path.join(work, "imported.sketch")
    small_model = os.path.join(work, "small.onnx")
    subprocess.run([args.sketchc, "compile", small, "-o", small_model], check=True)
    problems += check_case("sketch-import .safetensors",
                           [args.sketch_import, model, "-o", sketch_out, "--weights", weights],
                           weights,
                           [args.sketch_import, small_model, "-o", sketch_out, "--weights", weights])
    if not problems:
        shutil.rmtree(work)  # a 335 MB model
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
