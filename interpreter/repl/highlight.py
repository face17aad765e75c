"""Syntax highlighting of REPL entries: text split into classed pieces (keyword,
name, number, money, date, string, citation, comment, command, ...).

The pieces come from the grammar's own terminals, so the colours follow the
language as it changes. Text that is not (yet) valid is still split: an unclosed
string runs to the end of its line, a stray character is marked as an error.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from dsl.parser import grammar_parser

# Classes of the grammar's terminals; an alphabetic keyword is "keyword", any other
# punctuation "operator".
_CLASSES = {"COMMENT": "comment", "STRING": "string", "CITATION": "citation", "DATE": "date",
            "MONEY": "money", "PERCENT": "number", "NUMBER": "number", "WS": ""}
# What follows each kind of command: highlighted as a path, a section, a command
# name, or as the language.
_ARGUMENTS = {"path": "path", "section": "citation", "command": "command", "agreement": "agreement"}


@lru_cache(maxsize=1)
def _terminals() -> tuple[tuple[str, re.Pattern, int, bool], ...]:
    """(name, pattern, priority, is_keyword) of every terminal of the grammar."""
    out = []
    for terminal in grammar_parser().terminals:
        pattern = re.compile(terminal.pattern.to_regexp())
        out.append((terminal.name, pattern, terminal.priority, terminal.name != "NAME"))
    return tuple(out)


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """The words the language reserves (`if`, `and`, `none`, `days`, ...)."""
    return frozenset(word for word in _candidate_words()
                     if any(pattern.fullmatch(word) for name, pattern, _, _ in _terminals() if name != "NAME"))


def _candidate_words() -> set[str]:
    words = set()
    for name, pattern, _, _ in _terminals():
        words.update(w for w in re.findall(r"[a-z_]+", pattern.pattern) if len(w) > 1)
    return words


def _match(text: str, position: int) -> tuple[str, int]:
    """The terminal that matches at `position` (longest, then highest priority, then
    not a plain name), and where it ends; ("", position) when none does."""
    best = ("", position, -1, False)
    for name, pattern, priority, not_name in _terminals():
        found = pattern.match(text, position)
        if found and (found.end(), priority, not_name) > (best[1], best[2], best[3]):
            best = (name, found.end(), priority, not_name)
    return best[0], best[1]


def language_pieces(text: str, kind_of: Callable[[str], str | None]) -> list[tuple[str, str]]:
    """(class, text) pieces of an expression; `kind_of(name)` classes a name the deal
    declares (e.g. "term", "input", "function"), or returns None."""
    pieces: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        name, end = _match(text, position)
        if end == position:
            if text[position] == '"':
                end = text.find("\n", position)
                end = len(text) if end < 0 else end
                pieces.append(("string", text[position:end]))
            else:
                end = position + 1
                pieces.append(("error", text[position]))
            position = end
            continue
        word = text[position:end]
        if name == "NAME":
            cls = "keyword" if word in keywords() else (kind_of(word) or "name")
        elif name in _CLASSES:
            cls = _CLASSES[name]
        else:
            cls = "keyword" if word.isalpha() or word in keywords() else "operator"
        pieces.append((cls, word))
        position = end
    return pieces


def pieces(text: str, kind_of: Callable[[str], str | None],
           argument_of: Callable[[str], str | None]) -> list[tuple[str, str]]:
    """(class, text) pieces of a whole entry: an expression, or a `:command` followed by
    what `argument_of(command)` says it takes ("path", "section", "command", "agreement",
    "expression", ..., or None for an unknown command)."""
    command = re.match(r"(\s*)(:\S*)(.*)", text, re.S)
    if not command:
        return language_pieces(text, kind_of)
    lead, word, rest = command.groups()
    argument = argument_of(word[1:])
    out = [("", lead), ("command" if argument else "error", word)]
    if argument in _ARGUMENTS:
        out.append((_ARGUMENTS[argument], rest))
    else:
        out.extend(language_pieces(rest, kind_of))
    return [(cls, piece) for cls, piece in out if piece]
