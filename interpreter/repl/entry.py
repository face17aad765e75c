"""What one REPL entry is: a line, continued while it ends with a backslash or
leaves a bracket open. Both front ends (terminal and piped) read entries this way."""
from __future__ import annotations

_OPEN, _CLOSE = "([{", ")]}"


def _open_brackets(text: str) -> int:
    """How many brackets are left open, ignoring those in strings and comments."""
    depth = 0
    for line in text.split("\n"):
        quoted = False
        for ch in line:
            if ch == '"':
                quoted = not quoted
            elif quoted:
                continue
            elif ch == "#":
                break
            elif ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth -= 1
    return depth


def incomplete(text: str) -> bool:
    """Does the entry go on on the next line (a trailing `\\`, or a bracket left open)?"""
    return text.rstrip(" \t").endswith("\\") or _open_brackets(text) > 0


def complete_entry(text: str) -> str:
    """The entry as evaluated: each line-ending backslash removed (the line break stays)."""
    lines = text.split("\n")
    return "\n".join(line.rstrip(" \t")[:-1] if line.rstrip(" \t").endswith("\\") else line
                     for line in lines)
