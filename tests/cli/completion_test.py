#!/usr/bin/env python3
"""Shell completions: completions/sketchc.bash loads in bash, registers sketchc and
sketch-import, and completes subcommands, options and option values as --help lists them
(COMP_WORDS simulation); completions/_sketchc does the same in an interactive zsh on a
pseudo-terminal (skipped when zsh is missing).
Usage: completion_test.py BIN_DIR SOURCE_DIR TEST"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BIN = SOURCE = None
SKIP = 77  # ctest SKIP_RETURN_CODE


def env():
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def help_subcommands():
    out = subprocess.run([str(BIN / "sketchc"), "--help"], capture_output=True, text=True).stdout
    listed = out.split("Subcommands:\n", 1)[1]
    return [line.split()[0] for line in listed.splitlines() if re.match(r"^  \S", line)]


def kernel_names():
    out = subprocess.run([str(BIN / "sketchc"), "kernels"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if re.match(r"^\S", line)]


def bash_complete(*words):
    """COMPREPLY after completing the last of `words` (the current word, maybe empty)."""
    function = "_sketch_import" if words[0] == "sketch-import" else "_sketchc"
    quoted = " ".join("'" + w + "'" for w in words)
    script = (f"source {SOURCE}/completions/sketchc.bash\n"
              f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=()\n"
              f"{function}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env(), cwd=SOURCE)
    assert r.returncode == 0 and r.stderr == "", r
    return [line for line in r.stdout.splitlines() if line]


def test_bash_loads():
    r = subprocess.run(["bash", "-c", f"source {SOURCE}/completions/sketchc.bash && complete -p sketchc "
                        "&& complete -p sketch-import"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r
    assert r.stdout.splitlines() == ["complete -F _sketchc sketchc", "complete -F _sketch_import sketch-import"]


def test_bash_completes():
    commands = help_subcommands()
    assert bash_complete("sketchc", "") == commands
    assert bash_complete("sketchc", "ch") == ["check"]
    assert bash_complete("sketchc", "check", "--f") == ["--format"]
    assert bash_complete("sketchc", "check", "--format", "") == ["text", "json", "sarif"]
    options = bash_complete("sketchc", "-v", "check", "-")
    assert {"--jobs", "-j", "--format", "--color", "--quiet", "--log-file"} <= set(options), options
    assert len(options) == len(set(options)), options
    assert bash_complete("sketchc", "check", "--jobs", "") == []
    assert bash_complete("sketchc", "--color", "") == ["auto", "always", "never"]
    assert bash_complete("sketchc", "--color", "never", "gr") == ["graph"]
    assert bash_complete("sketchc", "check", "examples/le") == ["examples/lenet5.sketch"]
    assert bash_complete("sketchc", "check", "exa") == ["examples"]
    assert "examples" in bash_complete("sketchc", "compile", "x.sketch", "-o", "exa")
    assert bash_complete("sketchc", "summary", "README") == [], "only sketches and folders"
    for command in commands:
        assert "--help" in bash_complete("sketchc", command, "--")
    assert bash_complete("sketch-import", "--format", "") == ["sketch", "yaml"]
    kernels = kernel_names()
    assert {"onnx", "t7", "torch", "pytorch-py"} <= set(kernels), kernels  # plug-ins too
    assert bash_complete("sketchc", "compile", "x.sketch", "--kernel", "") == kernels
    assert bash_complete("sketchc", "convert", "--kernel", "t") == ["t7", "torch"]
    assert bash_complete("sketch-import", "--kernel", "") == kernels
    assert "--allow-unknown" in bash_complete("sketch-import", "--")


def zsh_complete(line):
    r = subprocess.run(["zsh", "-f", str(SOURCE / "tests" / "cli" / "zsh_capture.zsh"),
                        str(SOURCE / "completions"), line],
                       capture_output=True, text=True, env=env(), cwd=SOURCE, timeout=60)
    assert r.returncode == 0, r
    return [group.split() for group in r.stdout.splitlines()]


def test_zsh_completes():
    if not shutil.which("zsh"):
        print("zsh is not installed")
        sys.exit(SKIP)
    r = subprocess.run(["zsh", "-n", str(SOURCE / "completions" / "_sketchc")], capture_output=True, text=True)
    assert r.returncode == 0, r
    assert zsh_complete("sketchc ") == [help_subcommands()]
    assert zsh_complete("sketchc ch") == [["check"]]
    assert zsh_complete("sketchc check --format ") == [["text", "json", "sarif"]]
    assert zsh_complete("sketchc --color ") == [["auto", "always", "never"]]
    options = [o for group in zsh_complete("sketchc check -") for o in group]
    assert {"--jobs", "-j", "--format", "--color", "--quiet"} <= set(options), options
    files = [o for group in zsh_complete("sketchc check examples/le") for o in group]
    assert "lenet5.sketch" in files, files
    assert zsh_complete("sketch-import --format ") == [["sketch", "yaml"]]
    assert sorted(o for group in zsh_complete("sketchc compile --kernel ") for o in group) == \
        sorted(kernel_names())


if __name__ == "__main__":
    BIN, SOURCE = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    globals()["test_" + sys.argv[3]]()
