"""A Pygments lexer for `.cov` files, registered as the `covenant` lexer (entry point
`pygments.lexers`), so that `pygmentize -l covenant FILE.cov` and any Pygments-based
tool highlight the language. Its keywords are read from the grammar."""
from __future__ import annotations

from pygments.lexer import RegexLexer, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from interpreter.editor import keywords as kw


# How the grammar's literals are coloured; one not named here is `Number.Other`.
_NUMBERS = {"NUMBER": Number, "MONEY": Number.Float, "PERCENT": Number.Float, "RATIO": Number.Float}


def _tokens() -> dict:
    classes = kw.classified()
    word = {"suffix": r"\b", "prefix": r"\b"}
    return {"root": [
        (r"[ \t\r\n]+", Whitespace),
        (kw.terminal("COMMENT"), Comment.Single),
        (kw.terminal("STRING"), String.Double),
        (r'"[^"\n]*$', String.Double),  # an unclosed string, as it is being typed
        (kw.terminal("CITATION"), Name.Label),
        *((pattern, _NUMBERS.get(name, Number.Other)) for name, pattern in kw.literals()),
        (rf"{kw.NAME}(?=[ \t]*:)", Name.Variable),  # a name being declared, even `day: date`
        (words(classes["constant"], **word), Keyword.Constant),
        (words(classes["operator"], **word), Operator.Word),
        (words(classes["unit"], **word), Keyword.Pseudo),
        (words(classes["keyword"], **word), Keyword),
        (words(kw.builtin_types(), **word), Keyword.Type),
        (rf"({'|'.join(kw.builtin_functions())})(?=\s*\()", Name.Builtin),
        (r"[A-Z][A-Za-z0-9_]*\b", Name.Class),  # declared types are capitalised by convention
        (kw.NAME, Name),
        (kw.OPERATORS, Operator),
        (r"[{}()\[\],.:]", Punctuation),
        (r".", Text),
    ]}


class CovenantLexer(RegexLexer):
    """Covenant agreements (`.cov`)."""

    name = "Covenant"
    aliases = ("covenant", "cov")
    filenames = ("*.cov",)
    mimetypes = ("text/x-covenant",)
    url = "https://github.com/"  # no public home yet; Pygments only displays it
    tokens = _tokens()
