"""Running the command line in the test process: faster than a subprocess, and what
a test of a command's output or exit code needs."""
from __future__ import annotations

import os
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

from interpreter.cli.main import main


def run_in_process(args, cwd=None) -> tuple[int, str, str]:
    """`covenant ARGS` (each argument made a string) in this process, from `cwd` if
    given: its exit code, standard output and standard error."""
    out, err, before = StringIO(), StringIO(), os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        os.chdir(before)
    return code, out.getvalue(), err.getvalue()
