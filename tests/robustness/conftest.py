"""The fuzz profiles and their summary.

`COVENANT_FUZZ=long python -m pytest tests/robustness/test_fuzz.py` runs the long
profile (tens of thousands of inputs); without it, the quick profile runs with the
rest of the suite. Either way the summary lists, per family, the inputs tried and
their outcomes (exit codes; a traceback or a hang fails the test)."""
from __future__ import annotations

import os

from tests.robustness.harness import OUTCOMES, SLOWEST

LONG = os.environ.get("COVENANT_FUZZ", "").lower() == "long"


def pytest_terminal_summary(terminalreporter):
    if not OUTCOMES:
        return
    report = terminalreporter
    report.section(f"covenant fuzz ({'long' if LONG else 'quick'} profile)")
    total = 0
    for family, counts in sorted(OUTCOMES.items()):
        inputs = counts["entries"] or sum(counts.values())  # a REPL session's inputs are its entries
        total += inputs
        outcomes = ", ".join(f"{outcome}: {n}" for outcome, n in sorted(counts.items()))
        report.write_line(f"{family:<8} {inputs:>6} inputs  ({outcomes}); slowest {SLOWEST[family]:.2f} s")
    report.write_line(f"{'all':<8} {total:>6} inputs")
