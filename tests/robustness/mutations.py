"""Mutations of real input files and command lines, drawn by Hypothesis.

Each operator takes the bytes of a real file (a `.cov` agreement, a YAML fact or
action file, a REPL entry) and returns damaged bytes: deletions, duplications, swaps,
truncations, random bytes and random Unicode, numbers of every size, deep nesting,
YAML alias bombs and `!!python/...` tags, dates out of the calendar."""
from __future__ import annotations

import re

from hypothesis import strategies as st

# Pieces a careless edit or a hostile file puts into the text.
PIECES = [
    b'"', "§".encode(), b"(", b")", b"=", b"==", b"->", b"$", b"%", b"{", b"}", b",", b":", b"- ", b"  ", b"\t",
    b"first", b"when", b"none", b"null", b"~", b" x ", b".", b"0", b"#", b"\n", b"\r\n", b"\x00", b"\xff\xfe",
    b"\xed\xb3\xbf", "\ufeff".encode(), "é".encode(), b"2001-02-30", b"0001-01-01", b"9999-12-31", b"2001-13-01",
    b" + 9000 years", b" + 99999999 days", b" - 99999 business days", b" * 10000000000000000000000",
    b"anniversary(date_hereof, 99999999999)", b"1e999999999", b"1e-999999999", b"1,0,0", b"1,5", b"30", b"-5",
    b"!!python/object/apply:os.system ['true']", b"!!binary aGVsbG8=", b"!custom", b"&a [1]", b"*a", b"<<: *a",
    b"[", b"]", b"? ", b"|", b">", b"'", b"%YAML 1.1\n", b"---\n", b"...\n",
]


def _index(data: st.DataObject, text: bytes) -> int:
    return data.draw(st.integers(0, max(len(text) - 1, 0)))


def delete(data, text: bytes) -> bytes:
    i = _index(data, text)
    return text[:i] + text[i + data.draw(st.integers(1, 200)):]


def duplicate(data, text: bytes) -> bytes:
    lines = text.splitlines(keepends=True) or [b""]
    i = data.draw(st.integers(0, len(lines) - 1))
    times = data.draw(st.sampled_from([1, 2, 50]))
    return b"".join(lines[:i + 1] + [lines[i]] * times + lines[i + 1:])


def swap(data, text: bytes) -> bytes:
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return text[::-1]
    i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def truncate(data, text: bytes) -> bytes:
    return text[:_index(data, text)]


def random_bytes(data, text: bytes) -> bytes:
    i = _index(data, text)
    return text[:i] + data.draw(st.binary(min_size=1, max_size=16)) + text[i:]


def random_unicode(data, text: bytes) -> bytes:
    i = _index(data, text)
    piece = data.draw(st.text(min_size=1, max_size=12))
    return text[:i] + piece.encode("utf-8", errors="surrogatepass") + text[i:]


def piece(data, text: bytes) -> bytes:
    i = _index(data, text)
    return text[:i] + data.draw(st.sampled_from(PIECES)) * data.draw(st.sampled_from([1, 1, 2, 3])) + text[i:]


def huge_number(data, text: bytes) -> bytes:
    numbers = list(re.finditer(rb"\d+", text))
    if not numbers:
        return text + b"9" * 5000
    found = data.draw(st.sampled_from(numbers))
    size = data.draw(st.sampled_from([29, 30, 35, 400, 5000]))
    replacement = data.draw(st.sampled_from([b"9" * size, b"1e" + b"9" * min(size, 12), b"0." + b"0" * size + b"1",
                                             b"-" + b"9" * size]))
    return text[:found.start()] + replacement + text[found.end():]


def deep_nesting(data, text: bytes) -> bytes:
    i = _index(data, text)
    depth = data.draw(st.sampled_from([60, 120, 1000, 5000]))
    opener = data.draw(st.sampled_from([b"(", b"[", b"-", b"not ", b"- ", b"{a: ", b"1 + "]))
    return text[:i] + opener * depth + text[i:]


def alias_bomb(data, text: bytes) -> bytes:
    levels = data.draw(st.integers(3, 12))
    bomb = [b"bomb0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [b"bomb%d: &a%d [%s]" % (n, n, b", ".join([b"*a%d" % (n - 1)] * 10)) for n in range(1, levels)]
    return text + b"\n" + b"\n".join(bomb) + b"\n"


def python_tag(data, text: bytes) -> bytes:
    colons = [m.end() for m in re.finditer(rb": ", text)] or [len(text)]
    i = data.draw(st.sampled_from(colons))
    tag = data.draw(st.sampled_from([b"!!python/object/apply:os.system ['true'] ", b"!!python/name:os.system ",
                                     b"!!set ", b"!!omap ", b"!local "]))
    return text[:i] + tag + text[i:]


OPERATORS = [delete, duplicate, swap, truncate, random_bytes, random_unicode, piece, huge_number, deep_nesting,
             alias_bomb, python_tag]


def mutated(data: st.DataObject, text: bytes) -> bytes:
    """`text` damaged by one to three operators."""
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(st.sampled_from(OPERATORS))(data, text)
    return text
