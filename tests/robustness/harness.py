"""Running one fuzzed input through the command line, in this process.

`run` calls `interpreter.cli.main.main` as `covenant` would run (standard output and
error strict UTF-8 streams, standard input given), under a time limit: an input
whose command runs longer is a hang. It returns the exit code and what was written;
any exception that escapes `main` is a traceback, and is re-raised for the test to
report with the input that caused it. Outcomes are counted per family for the
summary that `conftest.py` prints."""
from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from collections import Counter, defaultdict
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from interpreter.cli.main import main

# Seconds one input may take before it counts as a hang: far above the slowest real
# command (about a second alone), so that a loaded machine does not make one.
TIME_LIMIT = 60.0

OUTCOMES: dict[str, Counter] = defaultdict(Counter)
SLOWEST: dict[str, float] = defaultdict(float)


class Hang(BaseException):
    """The input ran past TIME_LIMIT (a BaseException, so that no `except` in the
    program under test can swallow it)."""


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    seconds: float


def _alarm(signum, frame):
    raise Hang()


def _stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    return stream.buffer.getvalue().decode("utf-8", errors="replace")


def run(family: str | None, argv: list[str], stdin: str = "") -> Outcome:
    """Run `covenant ARGV` with `stdin`; count its outcome under `family` (if any)."""
    out, err = _stream(), _stream()
    saved_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8", errors="surrogateescape")), encoding="utf-8")
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    started = time.perf_counter()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as done:  # `--help` prints and exits, as argparse does
                code = done.code
    except Hang:
        if family:
            OUTCOMES[family]["hang"] += 1
        raise AssertionError(f"no answer within {TIME_LIMIT} s: covenant {' '.join(map(repr, argv))}") from None
    except BaseException:
        if family:
            OUTCOMES[family]["traceback"] += 1
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin = saved_stdin
    seconds = time.perf_counter() - started
    if family:
        SLOWEST[family] = max(SLOWEST[family], seconds)
        OUTCOMES[family][f"exit {code}"] += 1
        _report()
    return Outcome(code, _text(out), _text(err), seconds)


def _report() -> None:
    """With COVENANT_FUZZ_REPORT=FILE, the counts so far are kept in FILE (JSON) after
    every input, so that a long run stopped early still tells what it tried."""
    path = os.environ.get("COVENANT_FUZZ_REPORT")
    if path:
        Path(path).write_text(json.dumps({"outcomes": OUTCOMES, "slowest": SLOWEST}, indent=1), encoding="utf-8")
