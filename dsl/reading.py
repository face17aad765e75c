"""Reading a text file the user names (a .cov file, a fact file, a source text), with
the limits of `dsl.limits`: only a regular file (never a device or a pipe, which could
be endless), no larger than its limit, UTF-8 text without NUL characters. A file that
is not gets one message, with the line and column of the first bad byte."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from dsl.errors import CovenantError, Span


def path_kind(raw: str) -> str | None:
    """"file", "folder", "other" (a device, a pipe) or None when nothing can be found
    under that name (it does not exist, or the name itself is impossible: too long, a
    NUL character)."""
    try:
        mode = os.stat(raw).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


def _position(data: bytes, index: int, file: str) -> Span:
    """The span of the byte at `index`, its column counted in characters."""
    line_start = data.rfind(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", errors="replace")) + 1
    line = data.count(b"\n", 0, index) + 1
    return Span(file, line, column, line, column + 1, index, index + 1)


def read_text(path: str | Path, what: str, limit: int, problem: type[CovenantError]) -> str:
    """The text of `path` (`what` says what it is, e.g. "fact file"); raises `problem`
    with a clear message when it cannot be read as text within `limit` bytes. A UTF-8
    byte order mark is dropped."""
    name = str(path)
    kind = path_kind(name)
    if kind is None:
        reason = "no such file" if "\0" not in name and len(name) < 4096 else "not a possible file name"
        raise problem(f"cannot read {what} {name}: {reason}")
    if kind != "file":
        raise problem(f"cannot read {what} {name}: it is a {'folder' if kind == 'folder' else 'device or a pipe'}, "
                      "not a file", hint=f"name a {what} (a plain text file)")
    try:
        with open(name, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise problem(f"cannot read {what} {name}: {error.strerror or error}") from None
    if len(data) > limit:
        raise problem(f"{what} {name} is larger than {limit:,} bytes, the most Covenant reads",
                      hint="split it, or check that this is the file you meant")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise problem(f"{what} {name} is not UTF-8 text: byte 0x{data[error.start]:02x} cannot be read",
                      _position(data, error.start, name),
                      hint="save the file as UTF-8 (plain text)") from None
    nul = text.find("\0")
    if nul != -1:
        raise problem(f"{what} {name} holds a NUL character, which text never does",
                      _position(data, len(text[:nul].encode("utf-8")), name),
                      hint="the file may be binary or saved as UTF-16: save it as UTF-8 text")
    return text[1:] if text.startswith("\ufeff") else text
