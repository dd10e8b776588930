#!/usr/bin/env python3
"""Writes a sketch of N blocks (an MLP of Linear/ReLU pairs with a residual Add every 8
blocks) to stdout, for the check-scaling benchmark.  Usage: gen_deep_sketch.py N"""
import sys


def main():
    n = int(sys.argv[1])
    out = ["sketch deep_%d" % n, "input x: float32[N, 64]"]
    prev, links = "x", []
    skip = "x"
    for i in range(n):
        name = "b%d" % i
        kind = i % 8
        if kind == 7:
            out.append("%s = Add()" % name)
            links.append("(%s, %s) -> %s" % (prev, skip, name))
            skip = name
        elif kind % 2 == 0:
            out.append("%s = Linear(64, 64)" % name)
            links.append("%s -> %s" % (prev, name))
        else:
            out.append("%s = ReLU()" % name)
            links.append("%s -> %s" % (prev, name))
        prev = name
    out += links
    out.append("output y = %s" % prev)
    print("\n".join(out))


if __name__ == "__main__":
    main()
