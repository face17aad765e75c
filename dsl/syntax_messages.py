"""Turn Lark's parse failures into messages a legal engineer can act on.

Lark reports terminal names (`NAME`, `__ANON_3`, `$END`); a user should read words:
"a citation such as `§ 2(a)`". The most common mistakes get their own message.
"""
from __future__ import annotations

import difflib
import re

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from dsl.errors import Span, SyntaxProblem

CITATION_EXAMPLE = "`§ 2(a)`"

_WORDS = {
    "NAME": "a name",
    "STRING": "a quoted text",
    "CITATION": f"a citation such as {CITATION_EXAMPLE}",
    "NUMBER": "a number",
    "MONEY": "an amount such as `$1_000`",
    "PERCENT": "a percentage such as `10%`",
    "DATE": "a date such as `2006-12-28`",
    "COMPARE": "a comparison (`<`, `<=`, `==`, `!=`, `>=`, `>`)",
    "UNIT": "a unit (`days`, `months`, `years`)",
    "$END": "the end of the file",
}

# Terminals that can only continue an expression: listed together as "an operator".
_OPERATORS = {"PLUS", "MINUS", "STAR", "SLASH", "COMPARE", "AND", "OR", "IN", "IS", "DOT"}


def _keywords(parser: Lark) -> dict[str, str]:
    return {t.name: t.pattern.value for t in parser.terminals
            if isinstance(t.pattern, PatternStr)}


def describe_expected(expected: set[str], parser: Lark) -> str:
    """The expected terminals in plain words, operators folded into one entry."""
    words = _keywords(parser)
    items: list[str] = []
    folded = _OPERATORS if expected & (_OPERATORS - {"MINUS"}) else set()
    if folded:
        items.append("an operator")
    for name in sorted(expected - folded):
        if name in _WORDS:
            items.append(_WORDS[name])
        elif name in words:
            items.append(f"`{words[name]}`")
        else:
            items.append(name.lower().replace("_", " "))
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _span_at(text: str, file: str, pos: int, width: int = 1) -> Span:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Span(file, line, column, line, column + max(width, 1), pos, pos + width)


def _previous_token_end(text: str, pos: int) -> int:
    """Where the last non-blank, non-comment text before `pos` ends."""
    i = pos
    while i > 0:
        line_start = text.rfind("\n", 0, i) + 1
        segment = text[line_start:i]
        hash_at = segment.find("#")
        if hash_at != -1 and '"' not in segment[:hash_at]:
            segment = segment[:hash_at]
        stripped = segment.rstrip()
        if stripped:
            return line_start + len(stripped)
        i = line_start - 1
    return pos


def _previous_word(text: str, end: int) -> tuple[str, int]:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:end], start


def _split_name(error: UnexpectedToken, text: str, keywords: set[str], parser: Lark) -> tuple[int, str, set[str]] | None:
    """Where the parser expects no name, the lexer reads a name that begins with a keyword
    (`interest`, `order`, `issue_date`) as that keyword and the rest, so the parse fails
    later than the real mistake. Find the first such name before the error: where it
    starts, the whole name, and what the parser expected there."""
    try:
        state = parser.parse_interactive(text, start=error.interactive_parser.parser_state.parse_conf.start)
    except AttributeError:
        return None
    try:
        for token in state.iter_parse():
            if token.start_pos > error.token.start_pos:
                break
            value, end = str(token), token.end_pos
            if value in keywords and value[0].isalpha() and end < len(text) and \
                    (text[end].isalnum() or text[end] == "_"):
                while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    end += 1
                return token.start_pos, text[token.start_pos:end], {t for t in state.choices() if t.isupper()}
    except UnexpectedInput:
        pass
    return None


# The units of a duration (`30 days`, `2 business days`), which follow a number only.
_UNITS = frozenset({"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years",
                    "business"})


def describe_syntax_error(error: UnexpectedInput, text: str, file: str, parser: Lark) -> SyntaxProblem:
    """Map a Lark exception to one `SyntaxProblem` with position, words and a hint."""
    keywords = set(_keywords(parser).values())
    alpha_keywords = sorted(k for k in keywords if k.isidentifier())

    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream
        char = text[pos]
        if char == '"':
            end = text.find("\n", pos)
            end = len(text) if end == -1 else end
            return SyntaxProblem("unclosed string: this text has no closing `\"` on its line",
                                 _span_at(text, file, pos, end - pos),
                                 "end the quoted text with `\"` before the line ends")
        if char == "=" and text[pos:pos + 2] != "==":
            return SyntaxProblem("`=` cannot stand here", _span_at(text, file, pos),
                                 "use `==` to compare two values; `=` only introduces a definition")
        if char == "§":
            return SyntaxProblem("a citation needs a section number after `§`", _span_at(text, file, pos),
                                 f"write e.g. {CITATION_EXAMPLE}")
        expected = describe_expected(set(error.allowed or ()), parser) if error.allowed else None
        return SyntaxProblem(f"unexpected character `{char}`", _span_at(text, file, pos),
                             f"expected {expected}" if expected else None)

    if isinstance(error, UnexpectedEOF):
        pos = len(text.rstrip())
        return SyntaxProblem("the text ends in the middle of a declaration or expression",
                             _span_at(text, file, max(pos - 1, 0)),
                             f"expected {describe_expected(set(error.expected), parser)}")

    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = set(error.expected)
    if token.type == "$END":
        pos = _previous_token_end(text, len(text))
        at = _span_at(text, file, max(pos - 1, 0))
        if "CITATION" in expected:
            return SyntaxProblem("missing citation: the last rule ends without the section it rests on",
                                 at, f"end the rule with a citation such as {CITATION_EXAMPLE}")
        return SyntaxProblem("the text ends in the middle of a declaration or expression", at,
                             f"expected {describe_expected(expected, parser)}")

    start, value, kind = token.start_pos, str(token), token.type
    split = _split_name(error, text, keywords, parser)
    if split is not None:
        (start, value, expected), kind = split, "NAME"
    here = _span_at(text, file, start, len(value))

    if value == "=" and "COMPARE" in expected:
        return SyntaxProblem("`=` cannot stand inside an expression", here,
                             "use `==` to compare two values; `=` only introduces a definition")

    if kind == "NAME":
        close = difflib.get_close_matches(value, alpha_keywords, n=1, cutoff=0.75)
        if close and close[0] in {_keywords(parser).get(t) for t in expected}:
            return SyntaxProblem(f"unknown keyword `{value}`", here, f"did you mean `{close[0]}`?")

    end = _previous_token_end(text, start)
    word, word_start = _previous_word(text, end)
    if value in _UNITS and word and not word[0].isdigit() and word not in keywords \
            and not text[start + len(value):].lstrip().startswith("("):  # `year(d)` is a function
        unit, after = value, start + len(value)
        if value == "business" and (following := re.match(r"[ \t]+([a-z]+)", text[after:])):
            unit, after = f"business {following.group(1)}", after + following.end()
        return SyntaxProblem(f"`{text[word_start:after]}` is not a duration: a duration is a number and a unit, "
                             "such as `30 days`", _span_at(text, file, word_start, after - word_start),
                             f"to count a number a term holds, multiply: `{word} * 1 {unit.removesuffix('s')}`")
    if "CITATION" in expected and expected & _OPERATORS:
        return SyntaxProblem("missing citation: this rule ends without the section it rests on",
                             _span_at(text, file, max(end - 1, 0)),
                             f"end the rule with a citation such as {CITATION_EXAMPLE}")

    # A misspelled keyword is read as a name; the parser then stumbles on the next token.
    if word and word not in keywords:
        close = difflib.get_close_matches(word, alpha_keywords, n=1, cutoff=0.75)
        if close and close[0] != word:
            return SyntaxProblem(f"unknown keyword `{word}`", _span_at(text, file, word_start, len(word)),
                                 f"did you mean `{close[0]}`?")

    # A rule that lacks its citation takes the next section heading's number as its
    # own; the heading's title is then where the parser stumbles.
    before = text[:token.start_pos].rstrip()
    heading = re.search(r"§[ \t]*[0-9A-Za-z][0-9A-Za-z.()]*$", before)
    if kind == "STRING" and heading and heading.start() == before.rfind("§"):
        line_start = text.rfind("\n", 0, heading.start()) + 1
        if not text[line_start:heading.start()].strip():
            rule_end = _previous_token_end(text, heading.start())
            return SyntaxProblem("missing citation: the rule before this section heading ends without one",
                                 _span_at(text, file, max(rule_end - 1, 0)),
                                 f"end the rule with its own citation such as {CITATION_EXAMPLE}; "
                                 f"the heading's `{heading.group(0)}` was read as the rule's")

    shown = value if len(value) <= 30 else value[:27] + "..."
    return SyntaxProblem(f"unexpected `{shown}`", here,
                         f"expected {describe_expected(expected, parser)}")
