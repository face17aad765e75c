"""The day-count and schedule functions: `days_360` (30/360, bond basis) at the 31st
of a month and the end of February, and `next_scheduled` / `previous_scheduled` on
schedules that start on the 15th and on a month's end; their type rules, and how
unknown and `none` arguments pass through them in an agreement."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from dsl.errors import Findings
from dsl.parser import parse
from interpreter.static import types as T
from interpreter.evaluation.builtins import BUILTINS, FunctionFailure
from interpreter.evaluation.calendar import add_months
from interpreter.static.deal import Deal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.static.model import compile_deal
from interpreter.evaluation.values import NONE, Unknown

D = dt.date
days_360 = BUILTINS["days_360"].compute
next_scheduled = BUILTINS["next_scheduled"].compute
previous_scheduled = BUILTINS["previous_scheduled"].compute


# ---- days_360 -------------------------------------------------------------------

@pytest.mark.parametrize("start, end, expected", [
    (D(2001, 9, 15), D(2002, 3, 15), 180),    # a full half-year between the 15ths
    (D(2001, 3, 15), D(2001, 9, 15), 180),    # ... whatever the calendar days (184)
    (D(2001, 1, 1), D(2002, 1, 1), 360),      # a whole year
    (D(2001, 9, 15), D(2001, 10, 26), 41),    # a broken period
    (D(2001, 9, 15), D(2001, 9, 15), 0),
    (D(2001, 9, 15), D(2001, 9, 16), 1),
    # the 31st of a month
    (D(2001, 1, 31), D(2001, 3, 31), 60),     # start 31st -> 30th; end 31st -> 30th too
    (D(2001, 1, 30), D(2001, 3, 31), 60),     # start 30th: the end's 31st counts as the 30th
    (D(2001, 1, 15), D(2001, 3, 31), 76),     # start 15th: the end's 31st stays the 31st
    (D(2001, 3, 31), D(2001, 4, 1), 1),       # 31st -> 30th, then 1 day to the 1st
    (D(2001, 3, 30), D(2001, 3, 31), 0),      # the 30th to the 31st counts nothing
    (D(2001, 3, 31), D(2001, 3, 31), 0),
    (D(2001, 8, 31), D(2001, 9, 15), 15),
    (D(2001, 3, 15), D(2001, 3, 31), 16),
    (D(2001, 12, 31), D(2002, 1, 31), 30),    # across a year end, both 31sts
    # the end of February is not adjusted (bond basis, not "30/360 US")
    (D(2001, 2, 28), D(2001, 3, 1), 3),
    (D(2000, 2, 29), D(2000, 3, 1), 2),       # leap year
    (D(2001, 2, 28), D(2001, 3, 15), 17),
    (D(2001, 2, 28), D(2001, 3, 31), 33),     # the end's 31st stays: the start is the 28th
    (D(2001, 2, 28), D(2001, 8, 31), 183),
    (D(2001, 8, 31), D(2002, 2, 28), 178),    # 31st -> 30th; February's 28th stays
    (D(2000, 8, 31), D(2001, 2, 28), 178),
    (D(2004, 2, 29), D(2004, 8, 31), 182),    # start 29th: the 31st stays
    (D(2001, 1, 31), D(2001, 2, 28), 28),
    (D(2001, 2, 15), D(2001, 3, 15), 30),     # a short calendar month still counts 30
])
def test_days_360_bond_basis(start, end, expected):
    assert days_360(start, end) == expected


def test_days_360_end_before_start_is_negative():
    assert days_360(D(2002, 3, 15), D(2001, 9, 15)) == -180
    assert days_360(D(2001, 3, 31), D(2001, 1, 31)) == -60


@given(st.dates(D(1990, 1, 1), D(2030, 12, 31)), st.dates(D(1990, 1, 1), D(2030, 12, 31)))
def test_days_360_is_antisymmetric(a, b):
    assert days_360(a, b) == -days_360(b, a)


@given(st.dates(D(1990, 1, 1), D(2030, 12, 31)), st.integers(0, 120))
def test_days_360_counts_whole_months_from_the_15th_as_30_days(start, months):
    start = start.replace(day=15)
    assert days_360(start, add_months(start, months)) == 30 * months


# ---- next_scheduled / previous_scheduled -----------------------------------------------

SEMIANNUAL = D(1998, 3, 15)


@pytest.mark.parametrize("day, expected", [
    (D(1997, 9, 22), D(1998, 3, 15)),         # before the schedule begins: its first date
    (D(1998, 3, 14), D(1998, 3, 15)),
    (D(1998, 3, 15), D(1998, 3, 15)),         # on a schedule date: that date
    (D(1998, 3, 16), D(1998, 9, 15)),
    (D(2001, 9, 15), D(2001, 9, 15)),
    (D(2001, 10, 26), D(2002, 3, 15)),
    (D(2001, 12, 31), D(2002, 3, 15)),        # across a year end
    (D(2007, 3, 16), D(2007, 9, 15)),
    (D(2007, 9, 16), D(2008, 3, 15)),         # the schedule does not end by itself
])
def test_next_scheduled_semiannual(day, expected):
    assert next_scheduled(SEMIANNUAL, 6, day) == expected


@pytest.mark.parametrize("day, expected", [
    (D(1997, 9, 22), NONE),                   # before the first date: none
    (D(1998, 3, 14), NONE),
    (D(1998, 3, 15), D(1998, 3, 15)),
    (D(1998, 9, 14), D(1998, 3, 15)),
    (D(2001, 10, 26), D(2001, 9, 15)),
    (D(2002, 3, 14), D(2001, 9, 15)),
    (D(2002, 3, 15), D(2002, 3, 15)),
])
def test_previous_scheduled_semiannual(day, expected):
    assert previous_scheduled(SEMIANNUAL, 6, day) == expected


@pytest.mark.parametrize("day, expected", [
    (D(2001, 9, 1), D(2002, 2, 28)),          # from August 31: February's end ...
    (D(2002, 2, 28), D(2002, 2, 28)),
    (D(2002, 3, 1), D(2002, 8, 31)),          # ... then the 31st again, not the 28th
    (D(2003, 9, 1), D(2004, 2, 29)),          # leap year
])
def test_next_scheduled_from_a_month_end_does_not_drift(day, expected):
    assert next_scheduled(D(2001, 8, 31), 6, day) == expected


def test_previous_scheduled_from_a_month_end():
    assert previous_scheduled(D(2001, 8, 31), 6, D(2002, 8, 30)) == D(2002, 2, 28)
    assert previous_scheduled(D(2001, 8, 31), 6, D(2002, 8, 31)) == D(2002, 8, 31)


def test_other_periods():
    assert next_scheduled(D(2001, 1, 31), 1, D(2001, 2, 1)) == D(2001, 2, 28)
    assert next_scheduled(D(2001, 1, 31), 1, D(2001, 3, 1)) == D(2001, 3, 31)
    assert next_scheduled(D(2001, 1, 15), 12, D(2005, 6, 1)) == D(2006, 1, 15)
    assert previous_scheduled(D(2001, 1, 15), 3, D(2001, 12, 31)) == D(2001, 10, 15)


@given(st.dates(D(1990, 1, 1), D(2030, 12, 31)), st.sampled_from([1, 3, 6, 12]),
       st.dates(D(1980, 1, 1), D(2040, 12, 31)))
def test_next_and_previous_bracket_the_day(first, months, day):
    after = next_scheduled(first, months, day)
    assert after >= day and after >= first
    before = previous_scheduled(first, months, day)
    if day < first:
        assert before is NONE
    else:
        assert first <= before <= day
        # no schedule date strictly between them
        assert next_scheduled(first, months, before + dt.timedelta(days=1)) >= day


def test_a_schedule_needs_a_period():
    with pytest.raises(FunctionFailure):
        next_scheduled(SEMIANNUAL, 0, D(2001, 1, 1))
    with pytest.raises(FunctionFailure):
        previous_scheduled(SEMIANNUAL, -6, D(2001, 1, 1))


# ---- type rules ---------------------------------------------------------------------

def test_type_rules():
    assert BUILTINS["days_360"].typer([T.DATE, T.DATE]) == T.COUNT
    assert BUILTINS["next_scheduled"].typer([T.DATE, T.COUNT, T.DATE]) == T.DATE
    assert BUILTINS["previous_scheduled"].typer([T.DATE, T.COUNT, T.DATE]) == T.DATE
    assert isinstance(BUILTINS["days_360"].typer([T.DATE]), str)
    assert isinstance(BUILTINS["days_360"].typer([T.DATE, T.MONEY]), str)
    assert isinstance(BUILTINS["next_scheduled"].typer([T.DATE, T.DURATION, T.DATE]), str)
    assert isinstance(BUILTINS["next_scheduled"].typer([T.DATE, T.DECIMAL, T.DATE]), str)


# ---- in an agreement ------------------------------------------------------------------

HEADER = 'agreement x "Test agreement"\n  dated 1997-09-22\n  party issuer "The Issuer"\n'
BODY = '''
input start: date optional "period start"
input end: date optional "period end"
input principal: money optional "principal"
days: count = days_360(start, end) § 1
interest: money = round(principal * 10.5% * days_360(start, end) / 360, 2) § 1
next_date: date = next_scheduled(1998-03-15, 6, as_of) § 1
last_date: date = previous_scheduled(1998-03-15, 6, as_of) § 1
'''


def run(facts: str, as_of: dt.date = D(2001, 10, 26)) -> Evaluator:
    text = HEADER + BODY
    agreement = parse(text, "test.cov")
    model = compile_deal(Deal({agreement.id: agreement}, {"test.cov": text}))
    return Evaluator(model, read_facts(parse_yaml(facts, "f.yaml"), "f.yaml", model), as_of)


def test_interest_on_a_30_360_basis_in_an_agreement():
    ev = run("start: 2001-09-15\nend: 2002-03-15\nprincipal: 250000000.00\n")
    assert ev.derive("x", "days").value == 180
    assert ev.derive("x", "interest").value == Decimal("13125000.00")
    ev = run("start: 2001-09-15\nend: 2001-10-26\nprincipal: 1000.00\n")
    assert ev.derive("x", "interest").value == Decimal("11.96")


def test_schedule_as_of_in_an_agreement():
    ev = run("", as_of=D(2001, 10, 26))
    assert ev.derive("x", "next_date").value == D(2002, 3, 15)
    assert ev.derive("x", "last_date").value == D(2001, 9, 15)
    assert run("", as_of=D(1997, 10, 1)).derive("x", "last_date").value is NONE


def test_unknown_and_none_pass_through():
    ev = run("start: 2001-09-15\nend: none\n")
    assert ev.derive("x", "days").value is NONE
    unknown = run("start: 2001-09-15\n").derive("x", "days").value
    assert isinstance(unknown, Unknown) and unknown.needs == frozenset({"end"})


def test_wrong_arguments_are_check_errors():
    text = HEADER + 'bad: count = days_360(1998-03-15, 30 days) § 1\n' \
                    'worse: date = next_scheduled(1998-03-15, 6 months, as_of) § 1\n'
    agreement = parse(text, "bad.cov")
    with pytest.raises(Findings) as caught:
        compile_deal(Deal({agreement.id: agreement}, {"bad.cov": text}))
    messages = [e.message for e in caught.value.errors]
    assert any("days_360" in m and "argument 2 must be date" in m for m in messages), messages
    assert any("next_scheduled" in m and "argument 2 must be count" in m for m in messages), messages
