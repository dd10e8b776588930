#!/usr/bin/env python3
"""The bad-input suite for model files and paths: every case must end with exit 1 or 2 and
a one-line cause that names the file, with no crash, stack trace or sanitizer text, and
must leave no output (or temporary file) behind.

    run_bad_models.py --sketchc build/bin/sketchc --sketch-import build/bin/sketch-import \
                      --source . --workdir build/reliability/bad_models

Real small files are compiled from examples/lenet5.sketch first; the hostile variants are
made from them (bad_files.py). .pth cases run only when the torch kernel module loads, and
ONNX-specific cases only with the onnx Python package (run under /usr/bin/python3)."""
import argparse
import os
import re
import shutil
import subprocess
import sys

import bad_files

CRASH_TEXT = re.compile(r"terminate called|Traceback|AddressSanitizer|LeakSanitizer|"
                        r"runtime error:|Segmentation fault|core dumped|Aborted|what\(\):")


class Suite:
    def __init__(self, args):
        self.sketchc, self.importer = args.sketchc, args.sketch_import
        self.source, self.work = args.source, os.path.abspath(args.workdir)
        self.lenet = os.path.join(self.source, "examples", "lenet5.sketch")
        self.real = os.path.join(self.work, "real")
        self.bad = os.path.join(self.work, "bad")
        self.out = os.path.join(self.work, "out")
        self.failures, self.count, self.notes = [], 0, []

    def run(self, *argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, errors="replace",
                                  timeout=120)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(argv, "hang", "", "killed after 120 s: a hang")

    # ---- setup -----------------------------------------------------------------------

    def make_real_files(self):
        shutil.rmtree(self.work, ignore_errors=True)
        if os.path.exists("/tmp/sketch_pwned"):
            os.unlink("/tmp/sketch_pwned")
        for d in (self.real, self.bad, self.out):
            os.makedirs(d)
        for ext in ("onnx", "t7"):
            self.must(self.sketchc, "compile", self.lenet, "-o", self.real_path(ext))
        self.must(self.importer, self.real_path("onnx"), "-o", os.path.join(self.real, "imported.sketch"),
                  "--weights", self.real_path("safetensors"))
        self.torch = self.run(self.sketchc, "compile", self.lenet, "--state-dict",
                              "-o", self.real_path("pth")).returncode == 0
        if self.torch:
            self.must(self.sketchc, "compile", self.lenet, "-o", self.script_path())
        else:
            self.notes.append(".pth cases skipped: the torch kernel module is not available")

    def must(self, *argv):
        r = self.run(*argv)
        if r.returncode != 0:
            sys.exit(f"setup failed: {' '.join(argv)}\n{r.stderr}")

    def real_path(self, ext):
        return os.path.join(self.real, "lenet5." + ext)

    def script_path(self):
        return os.path.join(self.real, "lenet5_script.pth")

    def read_real(self, ext):
        with open(self.real_path(ext), "rb") as f:
            return f.read()

    def write_bad(self, name, ext, data):
        path = os.path.join(self.bad, f"{name}.{ext}")
        with open(path, "wb") as f:
            f.write(data)
        return path

    # ---- checking ----------------------------------------------------------------------

    def check(self, case, argv, names, outputs=(), exits=(1, 2)):
        """Runs argv; `names` must appear in the message; `outputs` must not exist after."""
        self.count += 1
        before = set(os.listdir(self.out))
        r = self.run(*argv)
        problems = []
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        if r.returncode not in exits:
            problems.append(f"exit {r.returncode}, expected {' or '.join(map(str, exits))}")
        if CRASH_TEXT.search(r.stderr + r.stdout):
            problems.append("crash text in the output")
        causes = [line for line in lines if "error" in line]
        if not causes:
            problems.append("no error line")
        elif not any(all(n in line for n in names) for line in causes):
            problems.append(f"no error line names {names}")
        left = set(os.listdir(self.out)) - before
        for path in outputs:
            if os.path.lexists(path):
                problems.append(f"output '{path}' was left behind")
        if left:
            problems.append(f"files left in the output folder: {sorted(left)}")
        for path in left:
            full = os.path.join(self.out, path)
            shutil.rmtree(full) if os.path.isdir(full) else os.unlink(full)
        if problems:
            self.failures.append(f"{case}: {'; '.join(problems)}\n    $ {' '.join(argv)}\n"
                                 + "".join(f"    | {line}\n" for line in lines[:6]))

    def as_model(self, case, path, exits=(1, 2)):
        """A bad model file read by sketch-import and as compile --weights."""
        base = os.path.basename(path)
        sketch_out = os.path.join(self.out, "x.sketch")
        weights_out = os.path.join(self.out, "x.safetensors")
        if not path.endswith(".safetensors"):
            self.check(case + " [import]", [self.importer, path, "-o", sketch_out], [base],
                       [sketch_out, weights_out], exits)
        onnx_out = os.path.join(self.out, "x.onnx")
        self.check(case + " [--weights]", [self.sketchc, "compile", self.lenet, "--weights", path,
                                           "-o", onnx_out], [base], [onnx_out], exits)

    # ---- the cases -----------------------------------------------------------------------

    def damaged_files(self):
        for ext in ("onnx", "t7", "safetensors") + (("pth",) if self.torch else ()):
            for name, data in bad_files.damaged(self.read_real(ext)).items():
                self.as_model(f"{ext}/{name}", self.write_bad(name, ext, data))

    def crafted_files(self):
        crafted = [("safetensors", bad_files.safetensors_cases()), ("t7", bad_files.t7_cases())]
        try:
            crafted.append(("onnx", bad_files.onnx_cases(self.real_path("onnx"))))
        except ImportError:
            self.notes.append("ONNX-specific cases skipped: no onnx Python package")
        if self.torch:
            crafted.append(("pth", bad_files.pth_cases(self.real_path("pth"))))
            crafted.append(("pth", bad_files.script_cases(self.script_path())))
        for ext, cases in crafted:
            for name, data in cases.items():
                self.as_model(f"{ext}/{name}", self.write_bad(name, ext, data))
        if os.path.exists("/tmp/sketch_pwned"):
            self.failures.append("a pickle ran code: /tmp/sketch_pwned exists")

    def libtorch_crashes(self):
        """Archives that crash LibTorch 1.13's loader (found by fuzz_torchscript_import; kept
        in tests/torch/libtorch_crashes/): the crash must come out as an error on the file."""
        if not self.torch:
            return
        folder = os.path.join(self.source, "tests", "torch", "libtorch_crashes")
        for name in sorted(os.listdir(folder)):
            self.as_model(f"pth/libtorch_crash/{name}", os.path.join(folder, name), exits=(1,))

    def paths(self):
        for ext in ("onnx", "t7", "safetensors") + (("pth",) if self.torch else ()):
            folder = os.path.join(self.bad, f"folder.{ext}")
            os.makedirs(folder, exist_ok=True)
            # A path that cannot be read is an I/O error (exit 2) for every kernel.
            self.as_model(f"{ext}/directory", folder, exits=(2,))
            self.as_model(f"{ext}/missing", os.path.join(self.bad, f"missing.{ext}"), exits=(2,))
            self.as_model(f"{ext}/parent_is_a_file",
                          os.path.join(self.real_path(ext), f"inner.{ext}"), exits=(2,))
            self.unreadable(ext)

    def unreadable(self, ext):
        path = self.write_bad("unreadable", ext, self.read_real(ext))
        os.chmod(path, 0)
        if os.geteuid() == 0 or os.access(path, os.R_OK):
            # root reads a mode-000 file anyway: there is nothing to refuse.
            if ext == "onnx":
                self.notes.append("unreadable-file cases skipped: running as root")
            return
        self.as_model(f"{ext}/unreadable", path, exits=(2,))

    def outputs(self):
        missing = os.path.join(self.out, "no_such_folder")
        for ext in ("onnx", "t7", "safetensors") + (("pth",) if self.torch else ()):
            out = os.path.join(missing, "x." + ext)
            argv = [self.sketchc, "compile", self.lenet, "-o", out] if ext != "safetensors" else \
                [self.importer, self.real_path("onnx"), "-o", os.path.join(missing, "x.sketch")]
            self.check(f"output/{ext}_in_missing_folder", argv, ["no_such_folder"], [missing],
                       exits=(2,))  # an I/O error, whichever kernel writes
        self.check("output/is_a_folder", [self.sketchc, "compile", self.lenet, "-o", self.out],
                   [self.out], exits=(1, 2))
        weights = os.path.join(self.bad, "input_weights.safetensors")
        shutil.copy(self.real_path("safetensors"), weights)
        before = self.read_file(weights)
        self.check("output/overwrites_weights_input",
                   [self.sketchc, "compile", self.lenet, "--weights", weights, "-o", weights],
                   [os.path.basename(weights)])
        model = os.path.join(self.bad, "input_model.onnx")
        shutil.copy(self.real_path("onnx"), model)
        self.check("output/import_weights_over_model",
                   [self.importer, model, "-o", os.path.join(self.out, "y.sketch"),
                    "--weights", model], [os.path.basename(model)])
        self.check("output/import_sketch_over_model",
                   [self.importer, model, "-o", model], [os.path.basename(model)])
        if self.read_file(weights) != before or self.read_file(model) != self.read_real("onnx"):
            self.failures.append("an input file was modified")

    @staticmethod
    def read_file(path):
        with open(path, "rb") as f:
            return f.read()

    def sketches(self):
        """Front-end inputs that are files rather than syntax (syntax lives in tests/bad)."""
        deep = "sketch deep\ninput x: float32[N, 4]\ny = Linear(4, " + "(" * 50000 + "1" + \
            ")" * 50000 + ")\nx -> y\noutput y\n"
        chain = "sketch chain\ninput x: float32[N, 4]\nblock B0() {\n  input i\n  r = ReLU()\n" \
            "  i -> r\n  output r\n}\n" + "".join(
                f"block B{k}() {{\n  input i\n  b = B{k - 1}()\n  i -> b\n  output b\n}}\n"
                for k in range(1, 20000)) + "top = B19999()\nx -> top\noutput y = top\n"
        cases = {
            "empty.sketch": b"",
            "blocks_20000_deep.sketch": chain.encode(),
            "binary.sketch": bytes(range(256)) * 4,
            "nul_bytes.sketch": b"sketch a\x00b\ninput x: float32[N, 4]\n",
            "utf16.sketch": "sketch s\n".encode("utf-16"),
            "deep_parens.sketch": deep.encode(),
            "unicode_names.sketch": "sketch s\ninput \u00e9: float32[N, 4]\n\u7f51 = ReLU()\n"
                                    "\u00e9 -> \u7f51\noutput y = \u7f51\n".encode(),
            "dims_overflow.sketch": b"sketch s\ninput x: float32[N, 4611686018427387904, "
                                    b"4611686018427387904]\nf = Flatten()\nx -> f\noutput y = f\n",
            "params_overflow.sketch": b"sketch s\ninput x: float32[N, 4294967296]\n"
                                      b"fc = Linear(out_features=4294967296)\nx -> fc\noutput y = fc\n",
            "deep_yaml.yaml": b"sketch: s\nblocks: " + b"[" * 50000 + b"]" * 50000 + b"\n",
            "yaml_alias_bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
                b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((c,) * 2 + (c - 1,) * 9)
                for c in range(ord("b"), ord("m"))) + b"sketch: [*l]\n",
        }
        for name, data in cases.items():
            path = os.path.join(self.bad, name)
            with open(path, "wb") as f:
                f.write(data)
            out = os.path.join(self.out, "x.onnx")
            self.check(f"sketch/{name}", [self.sketchc, "compile", path, "-o", out], [name], [out])
        folder = os.path.join(self.bad, "folder.sketch")
        os.makedirs(folder, exist_ok=True)
        self.check("sketch/directory", [self.sketchc, "compile", folder, "-o",
                                        os.path.join(self.out, "x.onnx")], ["folder.sketch"],
                   exits=(2,))
        self.check("sketch/missing", [self.sketchc, "summary", os.path.join(self.bad, "nope.sketch")],
                   ["nope.sketch"], exits=(2,))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sketchc", required=True)
    parser.add_argument("--sketch-import", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--list", action="store_true", help="print every case's outcome")
    suite = Suite(parser.parse_args())
    suite.make_real_files()
    suite.damaged_files()
    suite.crafted_files()
    suite.libtorch_crashes()
    suite.paths()
    suite.outputs()
    suite.sketches()
    for note in suite.notes:
        print("note:", note)
    print(f"{suite.count} cases, {len(suite.failures)} failed")
    for failure in suite.failures:
        print("FAIL", failure)
    return 1 if suite.failures else 0


if __name__ == "__main__":
    sys.exit(main())
