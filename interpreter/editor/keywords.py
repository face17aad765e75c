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
UNIT_WORDS = frozenset({"day", "days", "month", "months", "year", "years", "business"})

# Token shapes, written as the grammar's terminals are (the TextMate grammar and the
# Pygments lexer both use these patterns; a test checks them against the grammar).
_REF = r"(?:Art\.?[ \t]*|Schedule[ \t]+)?[0-9A-Za-z][0-9A-Za-z.]*(?:\([0-9A-Za-z]+\))*"
CITATION = rf"§[ \t]*{_REF}(?:[ \t]*,[ \t]*{_REF})*"
DATE = r"\d{4}-\d{2}-\d{2}"
RATIO = r"\d[\d_]*(?:\.\d+)?:\d[\d_]*(?:\.\d+)?"
MONEY = r"\$\d[\d_]*(?:\.\d+)?"
PERCENT = r"\d[\d_]*(?:\.\d+)?%"
NUMBER = r"\d[\d_]*(?:\.\d+)?"
STRING = r'"[^"\n]*"'
COMMENT = r"#.*$"
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
OPERATORS = r"->|<=|>=|==|!=|[<>=+\-*/|]"


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
    from interpreter.static.types import PRIMITIVES
    return tuple(PRIMITIVES)


def builtin_functions() -> tuple[str, ...]:
    """The built-in function names (`later_of`, `clamp`, ...)."""
    from interpreter.evaluation.builtins import BUILTINS
    return tuple(sorted(BUILTINS))
