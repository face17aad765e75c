"""Tokens of the concrete syntax tree as they are printed: each with the space it
wants before it, decided from the tokens either side and the rule it belongs to."""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from lark import Token, Tree

from dsl.parser import _concrete_parser

_NO_SPACE_BEFORE = {")", "]", ",", ".", ":"}
_NO_SPACE_AFTER = {"(", "[", "."}


class Piece(NamedTuple):
    """A token and the spaces between it and the token before it on a line (a bool
    for one or none; a count where columns are aligned)."""

    token: Token
    space: int

    @property
    def text(self) -> str:
        if self.token.type == "CITATION":
            return citation_text(self.token)
        return str(self.token)


def citation_text(token: Token) -> str:
    """A citation written the one way: `§ 2(a), 3` (as the parser reads its parts)."""
    refs = (" ".join(part.split()) for part in str(token).lstrip("§").split(","))
    return "§ " + ", ".join(refs)


@lru_cache(maxsize=1)
def expression_rules() -> frozenset[str]:
    """The names of the trees that are expressions: every rule reachable from `expr`,
    by its alias (`add`, `call`, ...) or its own name (a parenthesised `atom`)."""
    return _reachable("expr")


@lru_cache(maxsize=1)
def type_rules() -> frozenset[str]:
    """The names of the trees that are types (`list of T`, ...)."""
    return _reachable("type")


def _reachable(start: str) -> frozenset[str]:
    rules = _concrete_parser().rules
    reachable, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable.add(name)
        for rule in rules:
            if rule.origin.name == name:
                todo.extend(s.name for s in rule.expansion if not s.is_term)
    return frozenset({rule.alias or rule.origin.name for rule in rules if rule.origin.name in reachable})


def is_expression(node) -> bool:
    return isinstance(node, Tree) and node.data in expression_rules()


def starts_with_keyword(node) -> bool:
    """Whether `node` is a tree whose first token is a word of the grammar (`when …`,
    `until …`), not a name."""
    if not isinstance(node, Tree):
        return False
    tokens = tokens_of(node)
    return bool(tokens) and str(tokens[0][0]).isalpha() and tokens[0][0].type != "NAME"


def tokens_of(node) -> list[tuple[Token, str]]:
    """Every token under `node`, in order, with the name of the rule that holds it."""
    if isinstance(node, Token):
        return [(node, "")]
    out: list[tuple[Token, str]] = []
    for child in node.children:
        if isinstance(child, Tree):
            out.extend(tokens_of(child))
        elif child is not None:
            out.append((child, str(node.data)))
    return out


def flat(node) -> list[Piece]:
    """`node` on one line."""
    out: list[Piece] = []
    previous: tuple[Token, str] | None = None
    for token, rule in tokens_of(node):
        out.append(Piece(token, previous is None or _spaced(previous, (token, rule))))
        previous = (token, rule)
    return out


def _spaced(before: tuple[Token, str], after: tuple[Token, str]) -> bool:
    (left, left_rule), (right, right_rule) = before, after
    if str(right) in _NO_SPACE_BEFORE or str(left) in _NO_SPACE_AFTER:
        return False
    if str(right) == "(" and left.type == "NAME":  # a call
        return False
    if left_rule == "neg" and str(left) == "-":
        return False
    if right_rule == "member" and str(right) == "}" or left_rule == "member" and str(left) == "{":
        return False
    return True


def join(pieces: list[Piece]) -> str:
    """The text of pieces laid on one line."""
    return "".join((" " * int(piece.space) if i else "") + piece.text for i, piece in enumerate(pieces))


def width(pieces: list[Piece]) -> int:
    return len(join(pieces))
