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


def _tokens() -> dict:
    classes = kw.classified()
    word = {"suffix": r"\b", "prefix": r"\b"}
    return {"root": [
        (r"[ \t\r\n]+", Whitespace),
        (kw.COMMENT, Comment.Single),
        (kw.STRING, String.Double),
        (r'"[^"\n]*$', String.Double),  # an unclosed string, as it is being typed
        (kw.CITATION, Name.Label),
        (kw.DATE, Number.Other),
        (kw.RATIO, Number.Float),
        (kw.MONEY, Number.Float),
        (kw.PERCENT, Number.Float),
        (kw.NUMBER, Number),
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
