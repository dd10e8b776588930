#!/usr/bin/env python3
"""Packaging: `cmake --install` into a temporary prefix gives working tools (the installed
sketchc checks and compiles an example and finds kernel modules in PREFIX/lib/sketch, next
to itself), man pages that render without warnings, the grammar, the Lua kernels and shell
completions that load; `cpack -G DEB` builds a package with all of it and its library
dependencies.  Usage: install_test.py CMAKE BUILD_DIR SOURCE_DIR TEST"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CMAKE = BUILD = SOURCE = None
TORCH_MODULE = "sketch_torch_kernel.so"


def expected_files():
    files = ["bin/sketchc", "bin/sketch-import", "share/man/man1/sketchc.1",
             "share/man/man1/sketch-import.1", "share/man/man5/sketch.5",
             "share/sketch/grammar/sketch.ebnf", "share/sketch/grammar/sketch.schema.json",
             "share/bash-completion/completions/sketchc",
             "share/bash-completion/completions/sketch-import",
             "share/zsh/vendor-completions/_sketchc"]
    lua = SOURCE / "kernels" / "lua"
    files += [f"share/sketch/kernels/{p.relative_to(lua).as_posix()}" for p in lua.rglob("*.lua")]
    if torch_module_configured():
        files.append(f"lib/sketch/{TORCH_MODULE}")
    return files


def torch_module_configured():
    """Whether this build installs the torch module (LibTorch found), whatever an earlier
    configuration left in the build folder."""
    script = BUILD / "kernels" / "torch" / "cmake_install.cmake"
    return script.exists() and "sketch_torch_kernel" in script.read_text()


def clean_env(prefix):
    env = {k: v for k, v in os.environ.items() if k != "SKETCH_KERNEL_PATH"}
    env["PATH"] = f"{prefix / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    return r


def test_install():
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "prefix"
        r = run([CMAKE, "--install", str(BUILD), "--prefix", str(prefix)])
        assert r.returncode == 0, r.stderr
        for f in expected_files():
            assert (prefix / f).is_file(), f"not installed: {f}"
        work = Path(tmp) / "work"
        work.mkdir()
        env = clean_env(prefix)
        sketchc = str(prefix / "bin" / "sketchc")
        example = str(SOURCE / "examples" / "resnet18.sketch")
        r = run([sketchc, "--version"], env=env)
        assert r.returncode == 0 and r.stdout.startswith("sketchc "), r
        r = run([sketchc, "check", example], env=env, cwd=work)
        assert r.returncode == 0 and "ok" in r.stdout, r
        r = run([sketchc, "compile", example, "-o", "resnet18.onnx"], env=env, cwd=work)
        assert r.returncode == 0 and (work / "resnet18.onnx").stat().st_size > 40_000_000, r
        r = run([str(prefix / "bin" / "sketch-import"), "resnet18.onnx", "-o", "back.sketch"], env=env, cwd=work)
        assert r.returncode == 0 and (work / "back.safetensors").exists(), r
        check_torch_module(prefix, env, work)
        check_completion(prefix, env)
        for page in ("man1/sketchc.1", "man1/sketch-import.1", "man5/sketch.5"):
            r = run(["groff", "-man", "-Tutf8", "-ww", "-z", str(prefix / "share" / "man" / page)])
            assert r.returncode == 0 and r.stderr == "", f"{page}: {r.stderr}"


def check_torch_module(prefix, env, work):
    """The installed sketchc looks for the torch module in PREFIX/lib/sketch, not in the build."""
    sketchc = str(prefix / "bin" / "sketchc")
    lenet = str(SOURCE / "examples" / "lenet5.sketch")
    r = run([sketchc, "-v", "compile", lenet, "-o", "lenet5.pt"], env=env, cwd=work)
    installed = prefix / "lib" / "sketch"
    if (installed / TORCH_MODULE).exists():
        assert r.returncode == 0 and (work / "lenet5.pt").exists(), r.stderr
        assert f"loading kernel module '{installed / TORCH_MODULE}'" in r.stderr, r.stderr
    else:
        assert r.returncode == 2 and f"searched {installed}" in r.stderr, r.stderr


def check_completion(prefix, env):
    script = (f"source {prefix}/share/bash-completion/completions/sketchc\n"
              "COMP_WORDS=(sketchc ch); COMP_CWORD=1; _sketchc; echo \"${COMPREPLY[@]}\"\n")
    r = run(["bash", "-c", script], env=env)
    assert r.returncode == 0 and r.stdout == "check\n", r


def test_deb():
    """A Debian package of the same install, with its library dependencies."""
    if not shutil.which("dpkg-deb"):
        print("dpkg-deb is not installed")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        r = run(["cpack", "-G", "DEB", "--config", str(BUILD / "CPackConfig.cmake"), "-B", tmp])
        assert r.returncode == 0, r.stdout + r.stderr
        debs = list(Path(tmp).glob("*.deb"))
        assert len(debs) == 1, debs
        r = run(["dpkg-deb", "-c", str(debs[0])])
        listed = {line.split()[-1] for line in r.stdout.splitlines()}
        for f in expected_files():
            assert f"./usr/{f}" in listed, f"not packaged: {f}"
        r = run(["dpkg-deb", "-f", str(debs[0]), "Package", "Version", "Depends"])
        fields = dict(line.split(": ", 1) for line in r.stdout.splitlines())
        assert fields["Package"] == "sketchc", fields
        assert run([str(BUILD / "bin" / "sketchc"), "--version"]).stdout.split()[1] == fields["Version"]
        if shutil.which("dpkg-shlibdeps"):
            for lib in ("libyaml-cpp", "libspdlog", "libprotobuf", "libonnx"):
                assert lib in fields["Depends"], fields["Depends"]


if __name__ == "__main__":
    CMAKE, BUILD, SOURCE = sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve()
    globals()["test_" + sys.argv[4]]()
