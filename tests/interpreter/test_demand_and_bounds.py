"""Demand-driven evaluation and bounded unknowns: a term reads only what its taken
path reads, and an unknown keeps what is known about it, so that an answer already
settled is given. Every bound is tested on both sides."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsl.parser import parse
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.evaluation.values import Unknown
from interpreter.static.deal import Deal
from interpreter.static.model import compile_deal

HEADER = 'agreement x "Test agreement"\n  dated 2001-01-31\n  party seller "The Seller"\n'
INPUTS = '''
input d: date optional "a date"
input m: money optional "an amount"
input k: bool optional "a flag"
input j: bool optional "another flag"
input n: count "a required count"
'''


def run(body: str, facts: str = "", as_of=dt.date(2005, 1, 1)):
    text = HEADER + INPUTS + body
    agreement = parse(text, "test.cov")
    model = compile_deal(Deal({agreement.id: agreement}, {"test.cov": text}))
    evaluator = Evaluator(model, read_facts(parse_yaml(facts, "f.yaml"), "f.yaml", model), as_of)
    return lambda name: evaluator.derive("x", name)


def rule(expr: str, facts: str = "", as_of=dt.date(2005, 1, 1)):
    return run(f'§ 1 "One"\n  t: bool = {expr}   § 1\n', facts, as_of)("t")


# -- and / or / if / first read only what the taken path reads ------------------

@pytest.mark.parametrize("expr, value", [
    ("false and k", False), ("k and false", False), ("true or k", True), ("k or true", True),
    ("n > 0 and false", False), ("n > 0 or true", True),
])
def test_and_or_short_circuit_in_three_valued_logic(expr, value):
    assert rule(expr).value is value


def test_unknown_and_true_stays_unknown():
    d = rule("n > 0 and true")
    assert isinstance(d.value, Unknown) and d.needs == ["n"]


def test_false_and_unknown_does_not_read_the_unknown():
    d = rule("false and k")
    assert d.value is False
    assert d.inputs == ()  # k was never read


def test_a_required_input_is_needed_only_when_reached():
    d = rule("if k then n > 0 else true", "k: false")
    assert d.value is True
    assert [name for name, _, _ in d.inputs] == ["x.k"]
    reached = rule("if k then n > 0 else true", "k: true")
    assert isinstance(reached.value, Unknown) and reached.needs == ["n"]


def test_a_table_stops_at_the_first_row_that_applies():
    get = run('§ 1 "One"\n  t: count = first\n    when k -> 1  § 1(a)\n    when n > 3 -> 2  § 1(b)\n'
              '    otherwise -> 3  § 1(c)\n', "k: true")
    d = get("t")
    assert d.value == 1 and [name for name, _, _ in d.inputs] == ["x.k"]


# -- exceptions are consulted only when they can matter ---------------------------

NORM = '''
action sale "a proposed sale" { price: money, to_affiliate: bool optional }
§ 4 "Sales"
  prohibit big_sale: sale
    when sale.price > $100   § 4(a)
  exception to big_sale "affiliates" when sale.to_affiliate and k -> false   § 4(b)
'''


def test_a_norm_whose_condition_is_false_is_settled_without_its_exceptions():
    text = HEADER + INPUTS + NORM
    agreement = parse(text, "t.cov")
    model = compile_deal(Deal({agreement.id: agreement}, {"t.cov": text}))
    facts = read_facts(None, "f.yaml", model)
    small = Evaluator(model, facts, dt.date(2005, 1, 1), ("sale", {"price": Decimal(50), "to_affiliate": True}))
    d = small.derive("x", "big_sale")
    assert d.value is False
    assert d.inputs == ()  # k, which only the exception reads, is not needed
    assert any("not consulted" in note for note in d.notes)
    big = Evaluator(model, facts, dt.date(2005, 1, 1), ("sale", {"price": Decimal(500), "to_affiliate": True}))
    d = big.derive("x", "big_sale")
    assert isinstance(d.value, Unknown) and d.needs == ["k"]


def test_an_exception_that_applies_still_wins():
    get = run('§ 1 "One"\n  t: money = $5   § 1\n  exception to t "waived" when k -> $0   § 2\n', "k: true")
    d = get("t")
    assert d.value == 0 and d.citation == "§ 2"


# -- bounded unknowns ---------------------------------------------------------------

@pytest.mark.parametrize("expr, facts, value", [
    ("earlier_of(2001-01-01, d) <= 2002-01-01", "", True),
    ("earlier_of(2001-01-01, d) <= 2000-12-31", "", None),      # the other side of the bound
    ("earlier_of(2001-01-01, d) > 2001-01-01", "", False),
    ("max($5, m) >= $5", "", True),
    ("max($5, m) >= $5.01", "", None),
    ("max($5, m) < $5", "", False),
    ("min($5, m) <= $5", "", True),
    ("min($5, m) > $4.99", "", None),
    ("later_of(2008-01-10, d) >= 2008-01-10", "", True),
    ("later_of(2008-01-10, d) > 2008-01-10", "", None),
    ("later_of(2008-01-10, d) + 30 days > 2008-02-08", "", True),
    ("later_of(2008-01-10, d) + 30 days > 2008-02-09", "", None),
    ("later_of(2008-01-10, d) - 10 days == 2007-12-31", "", None),
    ("later_of(2008-01-10, d) - 10 days != 2007-12-30", "", True),
    ("clamp(m, $1, $9) <= $9", "", True),
    ("clamp(m, $1, $9) >= $1", "", True),
    ("clamp(m, $1, $9) > $1", "", None),
    ("max($5, m) + $10 >= $15", "", True),
    ("$20 - max($5, m) <= $15", "", True),
    ("$20 - max($5, m) < $15", "", None),
])
def test_bounds_settle_comparisons_on_both_sides(expr, facts, value):
    d = rule(expr, facts)
    if value is None:
        assert isinstance(d.value, Unknown)
    else:
        assert d.value is value
        assert any("although a value is unknown" in note for note in d.notes)


def test_the_unknown_stays_unknown_with_its_bounds():
    get = run('§ 1 "One"\n  t: date = later_of(2008-01-10, d)   § 1\n')
    d = get("t")
    assert isinstance(d.value, Unknown)
    assert d.value.low == dt.date(2008, 1, 10) and d.value.high is None and d.needs == ["d"]


def test_a_table_row_that_cannot_be_decided_bounds_the_value():
    get = run('§ 1 "One"\n  t: count = first\n    when k -> 3  § 1(a)\n    when j -> 2  § 1(b)\n'
              '    otherwise -> 1  § 1(c)\n  at_least_one: bool = t >= 1  § 1\n  two: bool = t >= 2  § 1\n',
              "j: false")
    t = get("t").value
    assert isinstance(t, Unknown) and (t.low, t.high) == (1, 3) and t.needs == frozenset({"k"})
    assert get("at_least_one").value is True
    assert isinstance(get("two").value, Unknown)


def test_rows_that_all_agree_settle_the_table():
    get = run('§ 1 "One"\n  t: count = first\n    when k -> 3  § 1(a)\n    otherwise -> 3  § 1(c)\n')
    assert get("t").value == 3


@pytest.mark.parametrize("as_of, status", [
    (dt.date(2008, 1, 9), "not_triggered"),    # the date it runs from is at least 2008-01-10
    (dt.date(2008, 1, 10), None),              # it may have happened: unknown
])
def test_an_obligation_running_from_a_bounded_date(as_of, status):
    get = run('§ 1 "One"\n  start: date = later_of(2008-01-10, d)   § 1\n'
              '  obligation notify: seller must "notify" within 30 days after start   § 2\n', "", as_of)
    value = get("notify").value
    if status is None:
        assert isinstance(value, Unknown) and value.needs == frozenset({"d"})
    else:
        assert value["status"] == status


@pytest.mark.parametrize("as_of, status", [(dt.date(2002, 1, 1), "pending"), (dt.date(2002, 1, 2), "missed")])
def test_a_deadline_known_to_be_at_most_a_date_settles_missed(as_of, status):
    get = run('§ 1 "One"\n  obligation pay: seller must "pay" by earlier_of(2002-01-01, d)   § 2\n', "", as_of)
    value = get("pay").value
    if status == "missed":
        assert value["status"] == "missed"
    else:
        assert isinstance(value, Unknown)  # not past 2002-01-01, but d may be earlier: not known
