"""`covenant repl`: ask questions of a deal interactively, or from a script.

`session` holds the state and answers entries; `terminal` is the prompt_toolkit
front end (completion, highlighting, history); `piped` reads standard input when it
is not a terminal."""
from __future__ import annotations

import datetime as dt
import sys

from interpreter.repl.piped import run_piped
from interpreter.repl.session import Session


def run_repl(paths: list[str], fact_file: str | None, as_of: dt.date) -> int:
    """Start a session on the deal and facts given; return the exit status."""
    session = Session(as_of)
    greeting = session.start(paths, fact_file)
    if sys.stdin.isatty() and sys.stdout.isatty():
        from interpreter.repl.terminal import (
            run_terminal,  # prompt_toolkit only for a terminal
        )
        return run_terminal(session, greeting)
    return run_piped(session, greeting, sys.stdin, sys.stdout, sys.stderr)
