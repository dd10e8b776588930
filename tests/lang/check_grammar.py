#!/usr/bin/python3
"""Conformance check of grammar/ against example files.

Usage: check_grammar.py GRAMMAR_DIR FILE...

Each *.sketch FILE must parse with grammar/sketch.ebnf, translated mechanically into a Lark
grammar (W3C EBNF -> Lark: lowercase names are rules, UPPERCASE names terminals, COMMENT
and WHITESPACE are ignored, NEWLINE is dropped inside ( ) and [ ]). Each *.yaml / *.yml FILE
must validate against grammar/sketch.schema.json. Exits 1 if any file fails.
"""
import json
import re
import sys
from pathlib import Path

import jsonschema
import lark
import yaml

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<literal>'[^']*'|"[^"]*")
  | (?P<charclass>\[\^?(?:[^\]]|\](?=[^\s|)]*\]))*\])
  | (?P<hexchar>\#x[0-9A-Fa-f]+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[()|*+?])
""", re.VERBOSE)


def hex_to_regex(match):
    return "\\x{:02x}".format(int(match.group(0)[2:], 16))


def translate_charclass(text):
    body = text[1:-1]
    negate = body.startswith("^")
    if negate:
        body = body[1:]
    out = ""
    i = 0
    while i < len(body):
        m = re.match(r"#x[0-9A-Fa-f]+", body[i:])
        if m:
            out += hex_to_regex(m)
            i += len(m.group(0))
            continue
        c = body[i]
        out += "\\" + c if c in "\\/]^[" else c
        i += 1
    return "/[" + ("^" if negate else "") + out + "]/"


def translate_body(body):
    parts = []
    pos = 0
    while pos < len(body):
        m = TOKEN.match(body, pos)
        if not m:
            raise SystemExit("cannot translate EBNF near: " + body[pos:pos + 30])
        pos = m.end()
        kind, text = m.lastgroup, m.group(0)
        if kind == "space":
            continue
        if kind == "literal":
            parts.append(json.dumps(text[1:-1]))
        elif kind == "charclass":
            parts.append(translate_charclass(text))
        elif kind == "hexchar":
            parts.append("/" + hex_to_regex(re.match(r".*", text)) + "/")
        else:
            parts.append(text)
    return " ".join(parts)


def ebnf_to_lark(ebnf):
    ebnf = re.sub(r"/\*.*?\*/", "", ebnf, flags=re.S)
    productions = re.findall(r"^(\w+)\s*::=(.*?)(?=^\w+\s*::=|\Z)", ebnf, flags=re.S | re.M)
    lines = []
    for name, body in productions:
        lines.append("{}: {}".format(name, translate_body(" ".join(body.split()))))
    lines.append("%ignore WHITESPACE")
    lines.append("%ignore COMMENT")
    return "\n".join(lines) + "\n"


class SketchYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader plus the `!expr` tag of the YAML form (a value in text syntax)."""


SketchYamlLoader.add_constructor("!expr", lambda loader, node: loader.construct_scalar(node))


class DropNewlinesInBrackets:
    """Post-lexer: NEWLINE is insignificant inside ( ) and [ ] (see sketch.ebnf)."""
    always_accept = ("NEWLINE",)

    def process(self, stream):
        depth = 0
        for token in stream:
            if token.value in ("(", "["):
                depth += 1
            elif token.value in (")", "]"):
                depth = max(0, depth - 1)
            elif token.type == "NEWLINE" and depth > 0:
                continue
            yield token


def main(argv):
    grammar_dir = Path(argv[1])
    lark_grammar = ebnf_to_lark((grammar_dir / "sketch.ebnf").read_text())
    parser = lark.Lark(lark_grammar, start="module", parser="lalr",
                       postlex=DropNewlinesInBrackets())
    schema = json.loads((grammar_dir / "sketch.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    failures = 0
    for name in argv[2:]:
        path = Path(name)
        try:
            if path.suffix == ".sketch":
                parser.parse(path.read_text())
            elif path.suffix in (".yaml", ".yml"):
                errors = list(validator.iter_errors(yaml.load(path.read_text(), Loader=SketchYamlLoader)))
                if errors:
                    raise ValueError("; ".join(
                        "/".join(map(str, e.absolute_path)) + ": " + e.message for e in errors))
            else:
                continue
            print("ok   " + name)
        except Exception as error:  # report every file, then fail once
            failures += 1
            print("FAIL {}: {}".format(name, str(error).strip().splitlines()[0] if str(error).strip() else error))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--print-lark":
        sys.stdout.write(ebnf_to_lark(Path(sys.argv[2]).read_text()))
        sys.exit(0)
    sys.exit(main(sys.argv))
