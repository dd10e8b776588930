"""How a check that runs many cases ends: one summary line, then each failure, and the exit
status ctest reads."""
import sys


def finish(summary, failures):
    print(summary)
    for f in failures:
        print("FAIL " + f)
    sys.exit(1 if failures else 0)
