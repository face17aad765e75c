"""Syntax errors: each common mistake gets a message with its place, plain words, a
caret under the mistake and a hint, and never one of the parser's own token names.

Each case is one malformed file under tests/fixtures/syntax/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dsl.errors import SyntaxProblem, render
from dsl.parser import grammar_parser, parse, parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "syntax"

# The parser's own names for its tokens (NAME, CITATION, LPAR, __ANON_0, $END, ...).
TERMINAL_NAMES = sorted({t.name for t in grammar_parser().terminals} | {"$END"})


def problem(name: str) -> tuple[SyntaxProblem, str, str]:
    """Parse one fixture; return the error, its rendering and the fixture's path."""
    path = str(FIXTURES / name)
    with pytest.raises(SyntaxProblem) as caught:
        parse_file(path)
    return caught.value, render(caught.value), path


def caret_column(rendered: str, line: int) -> int:
    """The 1-based column the caret points at, under the echoed source line."""
    lines = rendered.splitlines()
    echoed = next(i for i, text in enumerate(lines) if text.startswith(f"{line:>5} | "))
    caret = lines[echoed + 1]
    assert "^" in caret, rendered
    return caret.index("^") - caret.index("| ") - 2 + 1


def assert_well_formed(rendered: str, path: str, line: int, column: int) -> None:
    """Place first; the source line echoed with a caret at the column; a hint; no token names."""
    assert rendered.startswith(f"{path}:{line}:{column}: error: "), rendered
    assert caret_column(rendered, line) == column, rendered
    assert "\n  hint: " in rendered, rendered
    assert "__ANON" not in rendered and "$END" not in rendered, rendered
    # Only the message and hint are ours; the echoed source line may say anything.
    words = "\n".join(t for t in rendered.splitlines() if not re.match(r"\s*\d+ \| ", t))
    for name in TERMINAL_NAMES:
        assert not re.search(rf"(?<![\w`$]){re.escape(name)}(?![\w`])", words), (name, rendered)


# ---- missing citation ---------------------------------------------------------

def test_missing_citation_mid_file():
    error, rendered, path = problem("missing-citation-mid.cov")
    assert_well_formed(rendered, path, 5, 23)
    assert "missing citation" in error.message
    assert "§" in error.hint and "citation" in error.hint


@pytest.mark.parametrize("fixture", [
    "missing-citation-before-input.cov",         # the next line starts with `input`
    "missing-citation-before-keyword-name.cov",  # the next term is `interest`, which begins with `in`
])
def test_missing_citation_before_a_word_that_begins_with_a_keyword(fixture):
    error, rendered, path = problem(fixture)
    assert_well_formed(rendered, path, 5, 23)
    assert "missing citation" in error.message


@pytest.mark.parametrize("next_term", ["order", "notice", "android", "iffy", "format", "issue_date"])
def test_missing_citation_is_found_whatever_the_next_name(next_term):
    text = ('agreement demo "D"\ninput price: money "P"\nfee: money = price * 2%\n'
            f"{next_term}: money = price § 3\n")
    with pytest.raises(SyntaxProblem) as caught:
        parse(text, "inline.cov")
    rendered = render(caught.value, {"inline.cov": text})
    assert "missing citation" in caught.value.message
    assert_well_formed(rendered, "inline.cov", 3, 23)


def test_missing_citation_at_end_of_file():
    error, rendered, path = problem("missing-citation-end.cov")
    assert_well_formed(rendered, path, 5, 23)
    assert "missing citation" in error.message
    assert "last rule" in error.message


def test_missing_citation_on_a_table_row():
    error, rendered, path = problem("missing-citation-table-row.cov")
    assert_well_formed(rendered, path, 7, 25)
    assert "missing citation" in error.message


# ---- strings, operators, keywords -----------------------------------------------

def test_unclosed_string():
    error, rendered, path = problem("unclosed-string.cov")
    assert_well_formed(rendered, path, 4, 20)
    assert "unclosed string" in error.message
    assert '"' in error.hint
    # the caret runs from the opening quote to the end of the line
    assert rendered.splitlines()[2].endswith("^" * len('"The price'))


def test_single_equals_for_comparison():
    error, rendered, path = problem("single-equals.cov")
    assert_well_formed(rendered, path, 5, 20)
    assert "`=`" in error.message
    assert "`==`" in error.hint


def test_single_equals_in_a_table_condition():
    error, rendered, path = problem("single-equals-in-table.cov")
    assert_well_formed(rendered, path, 7, 16)
    assert "`==`" in error.hint


@pytest.mark.parametrize("fixture, line, column, wrong, right", [
    ("misspelled-obligation.cov", 4, 1, "obligaton", "obligation"),
    ("misspelled-input.cov", 4, 1, "inptu", "input"),
    ("misspelled-when.cov", 7, 5, "whn", "when"),
    ("misspelled-when-obligation.cov", 6, 3, "whn", "when"),
])
def test_misspelled_keyword(fixture, line, column, wrong, right):
    error, rendered, path = problem(fixture)
    assert_well_formed(rendered, path, line, column)
    assert error.message == f"unknown keyword `{wrong}`"
    assert error.hint == f"did you mean `{right}`?"
    # the caret underlines the whole misspelled word
    assert "^" * len(wrong) + "\n" in rendered + "\n"


# ---- dates --------------------------------------------------------------------

def test_invalid_calendar_date_in_an_expression():
    error, rendered, path = problem("invalid-date.cov")
    assert_well_formed(rendered, path, 4, 17)
    assert "`2001-02-30` is not a calendar date" in error.message
    assert "YYYY-MM-DD" in error.hint
    assert "^^^^^^^^^^" in rendered


def test_invalid_calendar_date_in_the_header():
    error, rendered, path = problem("invalid-date-header.cov")
    assert_well_formed(rendered, path, 2, 9)
    assert "`2001-02-30` is not a calendar date" in error.message


# ---- anything else ------------------------------------------------------------

def test_generic_unexpected_token():
    error, rendered, path = problem("unexpected-token.cov")
    assert_well_formed(rendered, path, 5, 22)
    assert error.message == "unexpected `)`"
    assert error.hint.startswith("expected ")
    assert "a name" in error.hint and "a number" in error.hint


@pytest.mark.parametrize("fixture, written, unit", [
    ("duration-of-a-name.cov", "notice_days days", "day"),
    ("duration-of-a-name-business.cov", "notice_days business days", "business day"),
])
def test_a_duration_of_a_name_says_to_multiply(fixture, written, unit):
    # `notice_days days` reads as a name and a unit; a duration is a number and a unit.
    error, rendered, path = problem(fixture)
    assert_well_formed(rendered, path, 6, 31)
    assert error.message == f"`{written}` is not a duration: a duration is a number and a unit, such as `30 days`"
    assert error.hint == f"to count a number a term holds, multiply: `notice_days * 1 {unit}`"
    assert rendered.splitlines()[2].count("^") == len(written)


def test_unexpected_character():
    error, rendered, path = problem("unexpected-character.cov")
    assert_well_formed(rendered, path, 5, 20)
    assert error.message == "unexpected character `@`"
    assert "an operator" in error.hint
    assert "a citation such as `§ 2(a)`" in error.hint


def test_empty_file_asks_for_the_header():
    error, rendered, path = problem("empty.cov")
    assert rendered.startswith(f"{path}:1:1: error: ")
    assert "`agreement`" in error.hint
    assert "$END" not in rendered and "__ANON" not in rendered


def test_unreadable_file_is_a_syntax_problem_not_a_crash(tmp_path):
    with pytest.raises(SyntaxProblem, match="cannot read"):
        parse_file(tmp_path / "missing.cov")


def test_render_uses_given_sources_for_text_not_on_disk():
    text = 'agreement demo "D"\nfee: money = $1 +\n'
    with pytest.raises(SyntaxProblem) as caught:
        parse(text, "memory.cov")
    rendered = render(caught.value, {"memory.cov": text})
    assert rendered.startswith("memory.cov:2:")
    assert "    2 | fee: money = $1 +" in rendered
    assert "$END" not in rendered


def test_missing_citation_before_a_section_heading_points_at_the_rule():
    from dsl.errors import CovenantError, render
    from dsl.parser import parse
    import pytest
    text = 'agreement d "D"\n§ 1 "A"\n  x: count = 1\n§ 2 "B"\n  y: count = 2 § 2\n'
    with pytest.raises(CovenantError) as caught:
        parse(text, "h.cov")
    shown = render(caught.value, {"h.cov": text})
    assert shown.startswith("h.cov:3:14: error: missing citation: the rule before this section heading")
    assert "`§ 2` was read as the rule's" in shown


def test_a_section_sign_without_a_number():
    import pytest
    from dsl.errors import CovenantError
    from dsl.parser import parse
    with pytest.raises(CovenantError) as caught:
        parse('agreement d "D"\n  x: count = 1 §\n', "s.cov")
    assert caught.value.message == "a citation needs a section number after `§`"
    assert (caught.value.span.line, caught.value.span.column) == (2, 16)
