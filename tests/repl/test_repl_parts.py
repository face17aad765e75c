"""The REPL's parts on their own: what an entry is, highlighting, values typed and
saved, finding a section in a source text, and the session's answers in-process."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dsl.ast import Duration
from dsl.errors import FactProblem
from interpreter.static import types as T
from interpreter.static.deal import load_deal
from interpreter.evaluation.facts import load_facts
from interpreter.static.model import compile_deal
from interpreter.repl.entry import complete_entry, incomplete
from interpreter.repl.facts_io import fact_entries, facts_yaml, read_value
from interpreter.reports.files import write_atomically
from interpreter.repl.highlight import keywords, pieces
from interpreter.repl.sections import find_in_source, normalize
from interpreter.repl.session import COMMANDS, Session
from interpreter.evaluation.values import NONE

ROOT = Path(__file__).resolve().parents[2]
LOAN = str(ROOT / "tests" / "fixtures" / "good" / "loan.cov")
LOAN_FACTS = str(ROOT / "tests" / "fixtures" / "good" / "loan-facts.yaml")


@pytest.mark.parametrize("text, goes_on", [
    ("a + b", False),
    ("later_of(a,", True),
    ("later_of(a,\n b)", False),
    ("[d for d in xs", True),
    ("a + \\", True),
    ("a + \\  ", True),
    ('"(" + x', False),            # a bracket inside a text does not count
    ("x  # (a comment", False),    # nor one inside a comment
    ("a)", False),
])
def test_an_entry_goes_on_while_it_ends_with_a_backslash_or_a_bracket_is_open(text, goes_on):
    assert incomplete(text) is goes_on


def test_the_backslashes_that_continue_lines_are_removed():
    assert complete_entry("a + \\\n  b") == "a + \n  b"
    assert complete_entry("a + b") == "a + b"


def test_highlighting_classes_each_piece():
    kinds = {"price": "term", "rate": "input", "max": "function"}
    got = [(cls, text) for cls, text in pieces('max(price, rate) + 30 days > $5 and 10% # note\n"txt" § 2(b) 2001-01-01 @',
                                               kinds.get, lambda c: None) if cls]
    assert got == [("function", "max"), ("operator", "("), ("term", "price"), ("operator", ","),
                   ("input", "rate"), ("operator", ")"), ("operator", "+"), ("number", "30"),
                   ("keyword", "days"), ("operator", ">"), ("money", "$5"), ("keyword", "and"),
                   ("number", "10%"), ("comment", "# note"), ("string", '"txt"'), ("citation", "§ 2(b)"),
                   ("date", "2001-01-01"), ("error", "@")]


def test_highlighting_commands_and_unfinished_text():
    argument = {name: c.argument for name, c in COMMANDS.items()}.get
    assert pieces(":load a/b.cov", lambda w: None, argument) == [("command", ":load"), ("path", " a/b.cov")]
    assert pieces(":show 2(b)", lambda w: None, argument) == [("command", ":show"), ("citation", " 2(b)")]
    assert pieces(":nope x", lambda w: None, argument)[0] == ("error", ":nope")
    assert pieces('"unclosed', lambda w: None, argument) == [("string", '"unclosed')]
    assert {"if", "then", "else", "and", "or", "not", "none", "true", "days"} <= keywords()


MONEY, DATE, PERCENT = T.prim("money"), T.prim("date"), T.prim("percent")


def test_a_typed_value_is_read_as_a_fact_file_reads_it():
    entry = ":set x = $12,500,000.00"
    assert read_value(entry, 9, MONEY, False, "x") == Decimal("12500000.00")
    assert read_value(":set x = 10%", 9, PERCENT, False, "x") == Decimal("0.1")
    assert read_value(":set x = none", 9, DATE, True, "x") is NONE
    with pytest.raises(FactProblem) as error:
        read_value(":set x = 2001-02-30", 9, DATE, False, "x")
    assert (error.value.span.line, error.value.span.column) == (1, 10)   # where it was typed
    with pytest.raises(FactProblem, match="no value given"):
        read_value(":set x = ", 9, DATE, False, "x")


SAVED = """agreement s "Saved values"
  party lender "The Lender"
type quote = record { day: date, price: money optional }
input a: decimal "a"
input b: date "b"
input c: date optional "c"
input d: text "d"
input e: count "e"
input f: bool "f"
input g: duration "g"
input h: list of quote "h"
input i: party "i"
"""


def test_saved_values_read_back_the_same(tmp_path):
    cov = tmp_path / "saved.cov"
    cov.write_text(SAVED, encoding="utf-8")
    model = compile_deal(load_deal([str(cov)]))
    values = {"s.a": Decimal("0.10"), "s.b": dt.date(2001, 8, 31), "s.c": NONE, "s.d": "none", "s.e": 7,
              "s.f": True, "s.g": Duration(2, "business_day"),
              "s.h": ({"day": dt.date(2001, 1, 2), "price": NONE},), "s.i": "lender"}
    text = facts_yaml(fact_entries(model, values), "saved")
    assert text.startswith("# saved\n") and "a: '0.10'" in text and 'd: "none"' in text
    target = tmp_path / "facts.yaml"
    write_atomically(str(target), text)
    assert target.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.yaml", "saved.cov"]   # no temporary file
    back = load_facts(str(target), model).values
    assert back == values
    assert str(back["s.a"]) == "0.10"


SOURCE = """\
         1. Definitions. Words mean
what they say.

         2. Payment.

                  (a) The Company shall pay (i) the price and
(ii) the interest.

                  (b) Payment by wire.

         3. Notices. In writing.

         IN WITNESS WHEREOF, the parties sign.
"""


@pytest.mark.parametrize("number, starts, ends", [
    ("1", "1. Definitions.", "what they say."),
    ("§ 2(a)", "(a) The Company", "(ii) the interest."),
    ("2(a)(i)", "(i) the price and", "(i) the price and"),
    ("2(b)", "(b) Payment by wire.", "(b) Payment by wire."),
    ("3", "3. Notices.", "In writing."),
])
def test_a_section_is_found_in_the_source_text(number, starts, ends):
    passage = find_in_source(SOURCE, number)
    assert passage.startswith(starts) and passage.endswith(ends)


def test_a_section_is_found_in_a_text_that_lost_its_line_breaks():
    flat = " ".join(SOURCE.split())
    assert find_in_source(flat, "2(b)") == "(b) Payment by wire."
    assert find_in_source(flat, "9") is None
    assert normalize(" §  2(b) ") == "2(b)"


@pytest.fixture
def loan() -> Session:
    session = Session(dt.date(2006, 9, 15))
    assert session.start([LOAN], LOAN_FACTS).ok
    return session


def test_a_session_answers_and_keeps_its_state_after_a_mistake(loan):
    assert loan.handle("interest").text == "$1,250,000.00  [§ 2(a)]"
    failed = loan.handle(":set principal = lots")
    assert not failed.ok and "`principal` must be an amount" in failed.text
    assert loan.handle("interest").text == "$1,250,000.00  [§ 2(a)]"
    assert loan.handle(":set rate = 20%").ok
    assert loan.handle("interest").text == "$2,500,000.00  [§ 2(a)]"
    assert loan.handle(":asof 2006-13-01").ok is False
    assert loan.as_of == dt.date(2006, 9, 15)
    assert loan.handle(":quit").quit


def test_a_session_offers_its_vocabulary(loan):
    assert "interest" in loan.names() and "loan.interest" in loan.names()
    assert "principal" in loan.input_names() and "interest" not in loan.input_names()
    assert {"max", "as_of", "lender"} <= set(loan.expression_words())
    assert loan.section_numbers() == ["1", "2", "3", "8", "10"]
    assert (loan.kind_of("interest"), loan.kind_of("principal"), loan.kind_of("max"),
            loan.kind_of("nothing")) == ("term", "input", "function", None)


def test_show_says_when_an_agreement_has_no_source_text_to_show(loan):
    reply = loan.handle(":show 2")
    assert reply.ok and "interest: money = principal * rate" in reply.text
    assert "(cannot read the source text" in reply.text      # its header names a file that is not there
    assert "no section 7 in this deal" in loan.handle(":show 7").text


@pytest.fixture
def small(small_deal) -> Session:
    folder, facts = small_deal
    session = Session(dt.date(2001, 1, 1))
    assert session.start([folder], facts).ok
    return session


def test_the_version_in_force_is_kept_until_the_deal_the_facts_or_the_date_change(small):
    assert small.handle(":set consents_received = false").ok
    version = small._version()[0]
    assert small._version()[0] is version and "base_2005" not in version.scopes
    assert small.handle(":reading lenient").ok and small.handle(":use side").ok
    assert small._version()[0] is version                    # neither changes the version
    assert small.handle(":asof 2005-01-01").ok
    restated = small._version()[0]
    assert restated is not version and "base" not in restated.scopes
    assert small.handle(":set revenue = 1").ok
    assert small._version()[0] is not restated
    assert small.handle(":reload").ok
    assert "base_2005" in small._version()[0].scopes


def test_completion_and_highlighting_of_agreements_and_readings(small):
    from prompt_toolkit.document import Document

    from interpreter.repl.terminal import CovenantCompleter

    def complete(text: str) -> list[str]:
        return [c.text for c in CovenantCompleter(small).get_completions(Document(text), None)]

    assert complete(":use s") == ["side"]
    assert complete(":diff base ba") == ["base", "base_2005"]
    assert complete(":reading ") == ["off", "none", "lenient", "base.lenient"]
    assert complete(":reading off l") == ["lenient"]
    argument = {name: c.argument for name, c in COMMANDS.items()}.get
    assert pieces(":use side", small.kind_of, argument) == [("command", ":use"), ("agreement", " side")]
