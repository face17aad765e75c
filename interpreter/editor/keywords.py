"""The words and token shapes of the language, read from `dsl/covenant.lark`, in the
classes editors colour them by. The Pygments lexer uses them at run time; the TextMate
grammar is generated from them (and a test compares both with the grammar)."""
from __future__ import annotations

import re
from functools import lru_cache

from dsl.parser import GRAMMAR

# Words with a meaning of their own; every other keyword of the grammar is a plain keyword.
CONSTANTS = frozenset({"true", "false", "none"})
OPERATOR_WORDS = frozenset({"and", "or", "not", "in", "is"})
UNIT_WORDS = frozenset({"day", "days", "week", "weeks", "month", "months", "quarter", "quarters",
                        "year", "years", "business"})

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
OPERATORS = r"->|<=|>=|==|!=|[<>=+\-*/|]"
# Terminals that are not literals of a value (or that editors colour otherwise).
_NOT_LITERALS = {"WS", "NAME", "COMMENT", "STRING", "CITATION", "COMPARE"}


@lru_cache(maxsize=1)
def _terminals() -> dict[str, tuple[str, int]]:
    """Each regular-expression terminal of the grammar: (pattern, priority)."""
    from dsl.parser import grammar_parser

    return {t.name: (t.pattern.to_regexp(), t.priority) for t in grammar_parser().terminals
            if t.pattern.type == "re"}


def terminal(name: str) -> str:
    """The grammar's pattern for a terminal: CITATION, STRING, COMMENT, ..."""
    return _terminals()[name][0]


def literals() -> list[tuple[str, str]]:
    """(name, pattern) of every literal terminal of the grammar (DATE, MONEY, PERCENT,
    NUMBER, ...), those lark prefers first, as an editor must try them."""
    found = [(name, pattern, priority) for name, (pattern, priority) in _terminals().items()
             if name not in _NOT_LITERALS and not re.fullmatch(r"\(\?:[a-z_|]+\)|[a-z_]+", pattern)]
    return [(name, pattern) for name, pattern, _ in sorted(found, key=lambda t: (-t[2], t[0] == "NUMBER", t[0]))]


@lru_cache(maxsize=1)
def grammar_keywords() -> frozenset[str]:
    """Every word the grammar spells out in quotes (`"agreement"`, `"days"`, ...)."""
    return frozenset(re.findall(r'"([a-z_]+)"', GRAMMAR.read_text(encoding="utf-8")))


def classified() -> dict[str, tuple[str, ...]]:
    """The grammar's keywords by class: constant, operator, unit, keyword."""
    words = grammar_keywords()
    classes = {"constant": CONSTANTS, "operator": OPERATOR_WORDS, "unit": UNIT_WORDS}
    out = {name: tuple(sorted(words & members)) for name, members in classes.items()}
    out["keyword"] = tuple(sorted(words - CONSTANTS - OPERATOR_WORDS - UNIT_WORDS))
    return out


def builtin_types() -> tuple[str, ...]:
    """The built-in type names (`money`, `date`, ...)."""
    from interpreter.static.types import BUILTIN_TYPES, PRIMITIVES
    return (*PRIMITIVES, *BUILTIN_TYPES)


def builtin_functions() -> tuple[str, ...]:
    """The built-in function names (`later_of`, `clamp`, ...)."""
    from interpreter.evaluation.builtins import BUILTINS
    return tuple(sorted(BUILTINS))
