"""The REPL without a terminal: entries read from standard input, one answer each,
no prompt. The exit status is 1 if any entry failed, so that scripts can tell."""
from __future__ import annotations

from typing import Iterable, TextIO

from interpreter.repl.entry import complete_entry, incomplete
from interpreter.repl.session import Reply, Session


def run_piped(session: Session, greeting: Reply, lines: Iterable[str], out: TextIO, err: TextIO) -> int:
    """Answer every entry in `lines`: answers to `out`, errors to `err`."""
    failed = not greeting.ok
    if failed:
        print(greeting.text, file=err, flush=True)
    elif greeting.warnings:  # what is loaded goes unsaid in a script; a warning does not
        print("\n".join(greeting.warnings), file=err, flush=True)
    pending: list[str] = []
    for line in lines:
        pending.append(line.rstrip("\r\n"))
        text = "\n".join(pending)
        if incomplete(text):
            continue
        pending = []
        reply = session.handle(complete_entry(text))
        if reply.text:
            print(reply.text, file=out if reply.ok else err, flush=True)
        failed = failed or not reply.ok
        if reply.quit:
            break
    if pending:
        print("error: the input ended inside an unfinished entry (a trailing \\ or an open bracket)",
              file=err, flush=True)
        failed = True
    return 1 if failed else 0
