#!/usr/bin/env python3
"""The man pages and --help stay in step. Every subcommand that `sketchc --help` lists has an
entry in man/sketchc.1 (".TP" then ".B NAME" under COMMANDS) that names every option of its
own --help, and the man page names no option that --help does not have; the same for
sketch-import.1 against `sketch-import --help`. Every subcommand's --help ends with examples
that use only its options. Commands added later are covered without changing this test.
The KERNEL OPTIONS section is made from the kernels' own declarations (`sketchc kernels
--format json`) and must equal what they declare; SKETCH_BLESS=1 rewrites it.
Usage: man_sync_test.py BIN_DIR SOURCE_DIR TEST"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

BIN = SOURCE = None
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


def help_text(tool, *args):
    r = subprocess.run([str(BIN / tool), *args, "--help"], capture_output=True, text=True)
    assert r.returncode == 0, r
    return r.stdout


def sections(text):
    """CLI11 help: {"Options:": [lines], "Subcommands:": [...], "example:": [...]}."""
    result, current = {}, None
    for line in text.splitlines():
        if re.match(r"^[A-Za-z][^ ]*:$", line) or re.match(r"^(Options|Subcommands|Positionals):", line):
            current = line.split()[0]
            result[current] = []
        elif current and line.strip():
            result[current].append(line)
    return result


def help_options(tool, *args):
    """Each option of a --help as the tuple of its names: ("-o", "--output")."""
    lines = sections(help_text(tool, *args)).get("Options:", [])
    return [tuple(line.split()[0].split(",")) for line in lines if line.startswith("  -")]


def subcommands():
    lines = sections(help_text("sketchc")).get("Subcommands:", [])
    return [line.split()[0] for line in lines if line.startswith("  ") and not line.startswith("   ")]


def plain(groff):
    """Man source without the escapes that would hide option names."""
    text = groff.replace("\\-", "-").replace("\\(em", "--")
    return re.sub(r"\\f[BIRP]", "", text)


def man_sections(page):
    """{".SH name": [lines]} of a man page in plain text."""
    result, current = {}, None
    for line in plain((SOURCE / "man" / page).read_text()).splitlines():
        if line.startswith(".SH "):
            current = line[4:].strip().strip('"')
            result[current] = []
        elif current:
            result[current].append(line)
    return result


def mentioned(lines):
    """Option names in text; a repeated short flag (-vv) counts as the flag."""
    return {re.sub(r"^-([A-Za-z])\1+$", r"-\1", name) for name in OPTION.findall("\n".join(lines))}


def command_entries(lines, known):
    """Splits COMMANDS into {command: lines}; an entry is ".TP" + ".B name" outside .RS/.RE."""
    entries, current, depth = {}, None, 0
    for i, line in enumerate(lines):
        if line.startswith(".RS"):
            depth += 1
        elif line.startswith(".RE"):
            depth -= 1
        elif depth == 0 and i > 0 and lines[i - 1].startswith(".TP") and re.match(r"^\.BR? \S", line):
            current = line.split()[1]
            assert current in known, f"man/sketchc.1 documents command '{current}' that --help does not list"
            entries[current] = []
        if current:
            entries[current].append(line)
    return entries


def synopsis_lines(lines):
    """{command: lines} of the SYNOPSIS, whose entries start with ".B sketchc NAME"."""
    result, current = {}, None
    for line in lines:
        m = re.match(r"^\.B sketchc (\S+)", line)
        if m:
            current = m.group(1)
            result.setdefault(current, [])
        elif current:
            result[current].append(line)
    return result


def built_in_kernels():
    r = subprocess.run([str(BIN / "sketchc"), "kernels", "--format", "json"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r
    return [k for k in json.loads(r.stdout)["kernels"] if k["origin"] == "built-in"]


def groff(text):
    return text.replace("\\", "\\\\").replace("-", "\\-")


def kernel_options_section():
    """The KERNEL OPTIONS entries, one .SS per kernel with options."""
    lines = []
    for kernel in built_in_kernels():
        if not kernel["options"]:
            continue
        lines += [f".SS {kernel['name']}"]
        for o in kernel["options"]:
            flag = groff("--" + o["name"])
            if o["kind"] == "flag":
                lines += [".TP", f".B {flag}"]
                detail = ""
            elif o["kind"] == "int":
                lines += [".TP", f'.BI {flag} " INT"']
                detail = f" ({o['range'][0]} to {o['range'][1]}, default {o['default']})"
            else:
                lines += [".TP", f'.BR {flag} " {"|".join(o["choices"])}"']
                detail = f" (default {o['default']})"
            help_text = o["help"][0].upper() + o["help"][1:]
            lines += [groff(help_text) + detail + "."]
    return lines


def test_kernel_options():
    page = SOURCE / "man" / "sketchc.1"
    text = page.read_text().splitlines()
    begin = next(i for i, line in enumerate(text) if line.startswith('.\\" BEGIN KERNEL OPTIONS'))
    end = next(i for i, line in enumerate(text) if line.startswith('.\\" END KERNEL OPTIONS'))
    begin += 2  # the two comment lines that say where the section comes from
    expected = kernel_options_section()
    if os.environ.get("SKETCH_BLESS") == "1":
        page.write_text("\n".join(text[:begin] + expected + text[end:]) + "\n")
        return
    assert text[begin:end] == expected, \
        "man/sketchc.1 KERNEL OPTIONS differ from the kernels' declarations; run " \
        "SKETCH_BLESS=1 ctest -R man_sync.kernel_options and review the diff"


def check_both_ways(what, documented, options, allowed_extra=()):
    names = {name for option in options for name in option}
    missing = sorted(name for name in names if name not in documented)
    assert not missing, f"{what}: --help has {missing}, the man page does not mention them"
    unknown = sorted(documented - names - set(allowed_extra))
    assert not unknown, f"{what}: the man page mentions {unknown}, which --help does not have"


def test_sketchc():
    man = man_sections("sketchc.1")
    commands = subcommands()
    assert {"check", "compile", "summary", "fmt", "graph"} <= set(commands), commands
    global_options = help_options("sketchc")
    global_names = {name for option in global_options for name in option}
    check_both_ways("sketchc OPTIONS", mentioned(man["OPTIONS"]), global_options)
    entries = command_entries(man["COMMANDS"], commands)
    synopsis = synopsis_lines(man["SYNOPSIS"])
    # Kernel options are documented once, in their own section (test_kernel_options).
    kernel_options = {"--" + o["name"] for k in built_in_kernels() for o in k["options"]}
    assert kernel_options <= mentioned(man["KERNEL OPTIONS"]), "KERNEL OPTIONS is incomplete"
    for command in commands:
        assert command in entries, f"man/sketchc.1 has no COMMANDS entry for '{command}'"
        assert command in synopsis, f"man/sketchc.1 has no SYNOPSIS line for '{command}'"
        own = [o for o in help_options("sketchc", command)
               if not set(o) <= global_names and not set(o) <= kernel_options]
        check_both_ways(f"sketchc {command}", mentioned(entries[command]), own, global_names)
        extra = mentioned(synopsis[command]) - {n for o in own for n in o} - global_names
        assert not extra, f"SYNOPSIS of '{command}' mentions {sorted(extra)}, which --help does not have"
    for line in man["EXAMPLES"]:
        words = line.split()
        if len(words) > 1 and words[0] == "sketchc":
            assert words[1] in commands, f"EXAMPLES: unknown command in '{line}'"
            names = {n for o in help_options("sketchc", words[1]) for n in o} | global_names
            assert mentioned([line]) <= names, f"EXAMPLES: unknown option in '{line}'"


def test_sketch_import():
    man = man_sections("sketch-import.1")
    options = help_options("sketch-import")
    check_both_ways("sketch-import OPTIONS", mentioned(man["OPTIONS"]), options)
    documented = mentioned(man["SYNOPSIS"] + man["DESCRIPTION"])
    names = {n for o in options for n in o}
    assert documented <= names, f"sketch-import.1 mentions {sorted(documented - names)}"


def test_help_examples():
    """Every subcommand's --help ends with examples of itself that use only its options."""
    global_names = {n for o in help_options("sketchc") for n in o}
    for command in subcommands():
        examples = sections(help_text("sketchc", command)).get("example:") or \
            sections(help_text("sketchc", command)).get("examples:")
        assert examples, f"'sketchc {command} --help' has no examples"
        names = {n for o in help_options("sketchc", command) for n in o} | global_names
        for line in examples:
            words = line.split()
            assert words[:2] == ["sketchc", command], f"'{command}' example: {line}"
            assert mentioned([line]) <= names, f"'{command}' example uses unknown options: {line}"
    examples = sections(help_text("sketch-import")).get("example:")
    assert examples and all(line.split()[0] == "sketch-import" for line in examples), examples


def test_version():
    expected = re.search(r"project\(sketchc VERSION ([\d.]+)", (SOURCE / "CMakeLists.txt").read_text()).group(1)
    for tool in ("sketchc", "sketch-import"):
        r = subprocess.run([str(BIN / tool), "--version"], capture_output=True, text=True)
        assert r.returncode == 0 and r.stdout == f"{tool} {expected}\n", r
    for page in ("sketchc.1", "sketch-import.1", "sketch.5"):
        header = (SOURCE / "man" / page).read_text().splitlines()[0]
        assert f'"sketchc {expected}"' in header, f"{page}: {header}"


if __name__ == "__main__":
    BIN, SOURCE = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    globals()["test_" + sys.argv[3]]()
