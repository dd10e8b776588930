"""The folder a check writes its files into.

The checks convert real models, so one check's files can reach gigabytes; a full run that
kept them all would fill the disk of a small CI machine. The folder is emptied when the
check starts, removed when the check passes, and kept when it fails, for inspection.
"""
import contextlib
import os
import shutil
import sys


@contextlib.contextmanager
def work_folder(path):
    """Yields `path`, a fresh empty folder. A check fails by raising, sys.exit included."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    passed = False
    try:
        yield path
        passed = True
    except SystemExit as e:
        passed = e.code in (None, 0)
        raise
    finally:
        if passed:
            shutil.rmtree(path)
        else:
            print(f"kept {path} for inspection", file=sys.stderr)
