"""The forms of time in the language: schedules, business days on the agreement's
calendar, date parts and day counts, dated series, recurring obligations - and the
messages for their misuse."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsl.errors import FactProblem, Findings, SyntaxProblem
from dsl.parser import parse
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.evaluation.values import Unknown
from interpreter.static.deal import Deal
from interpreter.static.model import compile_deal

D = dt.date


def header(calendar: str = "calendar new_york_banking closures closed") -> str:
    return f'agreement x "Test"\n  dated 2001-01-01\n  {calendar}\n  party borrower "The Borrower"\n'


PRELUDE = '''
type Payment = record { period: date, date: date }
input closed: list of date = [] "extra closures"
input payments: list of Payment = [] "payments made"
input cash: series of money optional "cash on hand"
input rating: series of count optional "the rating in effect"
input start: date = 2001-11-21 "a day"
'''


def model(body: str, head: str | None = None):
    text = (head if head is not None else header()) + PRELUDE + body
    agreement = parse(text, "t.cov")
    return compile_deal(Deal({agreement.id: agreement}, {"t.cov": text}))


def run(body: str, facts: str = "", as_of: dt.date = D(2002, 2, 1), head: str | None = None):
    m = model(body, head)
    return Evaluator(m, read_facts(parse_yaml(facts, "f.yaml"), "f.yaml", m), as_of)


def value(body: str, facts: str = "", as_of: dt.date = D(2002, 2, 1), head: str | None = None):
    return run(f"v: {body} § 1\n", facts, as_of, head).derive("x", "v").value


def problems(body: str, head: str | None = None) -> list[str]:
    with pytest.raises(Findings) as caught:
        model(body, head)
    return [f"{e.message} | {e.hint}" for e in caught.value.errors]


# ---- business days ----------------------------------------------------------------

def test_business_days_skip_new_york_banking_holidays_when_the_agreement_says_so():
    assert value("date = start + 1 business day") == D(2001, 11, 23)
    assert value("date = start + 1 business day", head=header("calendar weekends")) == D(2001, 11, 22)
    assert value("date = start + 1 business day", head=header("")) == D(2001, 11, 22)


def test_closures_given_as_facts():
    assert value("date = start + 1 business day", "closed: [2001-11-23]") == D(2001, 11, 26)


def test_adjust_and_is_business_day():
    assert value("date = adjust(2007-09-15, following)") == D(2007, 9, 17)
    assert value("date = adjust(2002-03-30, modified_following)") == D(2002, 3, 29)
    assert value("bool = is_business_day(2001-10-08)") is False


def test_an_obligation_deadline_in_business_days_uses_the_calendar():
    ev = run('obligation o: borrower must "notify" within 1 business day after start § 1\n', as_of=D(2001, 11, 22))
    assert ev.derive("x", "o").value["deadline"] == D(2001, 11, 23)


# ---- date parts and day counts ------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    ("count = year(2002-05-17)", 2002), ("count = month(2002-05-17)", 5), ("count = day(2002-05-17)", 17),
    ("count = quarter(2002-05-17)", 2), ("weekday = day_of_week(2002-05-17)", "friday"),
    ("date = start_of_month(2002-05-17)", D(2002, 5, 1)), ("date = end_of_quarter(2002-05-17)", D(2002, 6, 30)),
    ("date = start_of_quarter(2002-05-17)", D(2002, 4, 1)), ("date = start_of_year(2002-05-17)", D(2002, 1, 1)),
    ("date = end_of_year(2002-05-17)", D(2002, 12, 31)),
    ("decimal = round(year_fraction(2001-01-01, 2001-07-01, actual_360), 6)", Decimal("0.502778")),
    ("decimal = round(year_fraction(2001-01-01, 2001-07-01, actual_365_fixed), 6)", Decimal("0.495890")),
    ("decimal = year_fraction(2001-01-01, 2001-01-19, actual_360)", Decimal("0.05")),
    ("decimal = year_fraction(2001-01-31, 2001-07-31, thirty_360)", Decimal("0.5")),
    ("duration = 2 weeks", __import__("dsl.ast").ast.Duration(14, "day")),
    ("date = 2001-01-31 + 1 quarter", D(2001, 4, 30)),
])
def test_date_parts_and_day_counts(expr, expected):
    assert value(expr) == expected


# ---- schedules --------------------------------------------------------------------

SCHEDULES = '''
coupons: schedule = every 6 months from 1998-03-15 until 2007-09-15 since 1997-09-22 adjusted following § 1
quarters: schedule = every 3 months from 2001-03-31 month_end § 1
'''


@pytest.mark.parametrize("expr, expected", [
    ("date = next_date(coupons, 2001-10-26)", D(2002, 3, 15)),
    ("date = previous_date(coupons, 2001-10-26)", D(2001, 9, 17)),
    ("count = count_periods(coupons)", 20),
    ("bool = 1998-03-16 in coupons", True),
    ("bool = is_scheduled(coupons, 1998-03-15)", False),
    ("date = period_of(quarters, 2002-02-01).start", D(2002, 1, 1)),
    ("count = next_period(coupons, 2002-01-01).number", 9),
    ("count = days_360(next_period(coupons, 2002-01-01).previous, next_period(coupons, 2002-01-01).nominal)", 180),
    ("count = count(periods_between(quarters, 2001-01-01, 2002-12-31))", 8),
    ("date = last(dates(coupons))", D(2007, 9, 17)),
])
def test_schedule_functions(expr, expected):
    assert run(SCHEDULES + f"v: {expr} § 1\n").derive("x", "v").value == expected


def test_next_date_after_the_schedule_ends_is_none():
    assert repr(run(SCHEDULES + "v: date = next_date(coupons, 2008-01-01) § 1\n").derive("x", "v").value) == "none"


def test_the_periods_of_an_endless_schedule_are_one_clear_message():
    from dsl.errors import EvaluationProblem
    with pytest.raises(EvaluationProblem, match="does not end"):
        run(SCHEDULES + "v: count = count_periods(quarters) § 1\n").derive("x", "v")


# ---- dated series -----------------------------------------------------------------

CASH = "cash:\n  2002-01-15: 7000000.00\n  2002-03-01: 4000000.00\n  2002-03-20: 6000000.00\n"


@pytest.mark.parametrize("expr, expected", [
    ("money = cash at 2002-03-01", Decimal("4000000.00")),
    ("money = cash at 2002-02-28", Decimal("7000000.00")),
    ("money = lowest(cash, 2002-02-01, 2002-04-30)", Decimal("4000000.00")),
    ("money = highest(cash, 2002-03-10, 2002-04-30)", Decimal("6000000.00")),
    ("money = average(cash, 2002-02-27, 2002-03-02)", Decimal("5500000.00")),
    ("money = total(cash, 2002-02-01, 2002-03-31)", Decimal("10000000.00")),
    ("list of date = change_dates(cash, 2002-02-01, 2002-03-31)", (D(2002, 2, 1), D(2002, 3, 1), D(2002, 3, 20))),
    ("list of date = [d for d in change_dates(cash, 2002-02-01, 2002-12-31) if cash at d < $5_000_000]",
     (D(2002, 3, 1),)),
    ("bool = any([cash at d < $5_000_000 for d in days(2002-03-01, 2002-03-05)])", True),
    ("money = recorded_on(cash, 2002-03-20)", Decimal("6000000.00")),
    ("date = first_date(cash)", D(2002, 1, 15)),
    ("bool = known(cash, 2002-01-15, 2002-12-31)", True),
    ("bool = known(cash, 2002-01-01, 2001-12-31)", True),      # an empty period
])
def test_series_read_at_a_date_and_over_a_period(expr, expected):
    assert value(expr, CASH) == expected


@pytest.mark.parametrize("expr", [
    "money = cash at 2002-01-14",                          # before the first date
    "money = lowest(cash, 2002-01-01, 2002-02-01)",         # a period that begins before it
    "money = recorded_on(cash, 2002-03-19)",                # no entry on that day
    "bool = known(cash, 2002-01-14, 2002-12-31)",           # it does not reach back that far
])
def test_missing_coverage_is_unknown_not_zero(expr):
    result = value(expr, CASH)
    assert isinstance(result, Unknown) and result.needs == {"cash"}


def test_a_series_as_a_list_of_date_and_value():
    facts = "rating:\n  - {date: 2001-06-01, value: 3}\n  - {date: 2001-01-01, value: 2}\n"
    assert value("count = rating at 2001-07-01", facts) == 3
    assert value("count = rating at 2001-02-01", facts) == 2


@pytest.mark.parametrize("facts, words", [
    ("rating: 3", "must be a dated series"),
    ("rating:\n  2001-13-01: 3", "is not a date"),
    ("rating:\n  - {date: 2001-01-01, amount: 3}", "must give `date` and `value`"),
    ("rating:\n  2001-01-01: high", "must be a whole number"),
])
def test_bad_series_facts_are_one_clear_message(facts, words):
    m = model("")
    with pytest.raises(FactProblem, match=words):
        read_facts(parse_yaml(facts, "f.yaml"), "f.yaml", m)


# ---- recurring obligations --------------------------------------------------------

RECURRING = '''
interest_dates: schedule = every 3 months from 2001-03-31 until 2002-12-31 month_end shifted 20 days adjusted following § 1
obligation pay: borrower must "pay interest"
  every period of interest_dates
  done payments
  § 2
obligation report: borrower must "deliver quarterly financial statements"
  every period of every 3 months from 2001-03-31 month_end
  when quarter(period.end) != 4
  within 45 days after period.end
  § 3
'''
PAID = '''payments:
  - {period: 2001-04-20, date: 2001-04-20}
  - {period: 2001-07-20, date: 2001-07-19}
  - {period: 2001-10-20, date: 2001-11-01}
'''


def test_each_period_has_its_own_instance_and_status():
    ev = run(RECURRING, PAID)
    got = {i.number: i.status for i in ev.instances("x", "pay")}
    assert got == {1: "met", 2: "met", 3: "missed", 4: "missed", 5: "pending",
                   6: "not_triggered", 7: "not_triggered", 8: "not_triggered"}
    late = ev.instances("x", "pay")[2]
    assert late.done == D(2001, 11, 1) and late.deadline == D(2001, 10, 22)


def test_the_value_shows_the_instances_in_progress_and_every_missed_one():
    result = run(RECURRING, PAID).derive("x", "pay").value
    assert result["status"] == "missed" and result["met"] == 2
    assert [i["number"] for i in result["missed"]] == [3, 4]
    assert [i["date"] for i in result["pending"]] == [D(2002, 4, 22)]


def test_a_payment_for_one_period_never_satisfies_another():
    facts = "payments:\n  - {period: 2001-04-20, date: 2001-04-20}\n  - {period: 2001-04-20, date: 2001-07-20}\n"
    statuses = [i.status for i in run(RECURRING, facts, as_of=D(2001, 8, 1)).instances("x", "pay")]
    assert statuses == ["met", "missed", "pending"] + ["not_triggered"] * 5


def test_a_period_dependent_condition_and_deadline():
    ev = run(RECURRING, "", as_of=D(2002, 2, 20))
    by_number = {i.number: i for i in ev.instances("x", "report")}
    assert by_number[4].status == "not_triggered"           # the fourth quarter: the annual report instead
    assert by_number[3].deadline == D(2001, 11, 14) and by_number[3].status == "missed"
    assert by_number[5].status == "pending"                  # the quarter in progress
    assert by_number[8].status == "not_triggered"            # an endless schedule: the coming year too
    assert max(by_number) == 8


def test_instances_between_two_dates_for_a_calendar():
    ev = run(RECURRING, PAID, as_of=D(2001, 12, 1))
    listed = ev.instances("x", "pay", D(2001, 6, 1), D(2002, 12, 31))
    assert [(i.number, i.status) for i in listed][:3] == [(2, "met"), (3, "missed"), (4, "pending")]
    assert listed[-1].status == "not_triggered" and listed[0].citation == "§ 2"


def test_explain_shows_how_each_performance_was_matched():
    notes = run(RECURRING, PAID).derive("x", "pay").notes
    assert any("period 2 (2001-04-01 to 2001-06-30, date 2001-07-20), due 2001-07-20: met - performed on 2001-07-19"
               in n for n in notes)
    assert any("performed late, on 2001-11-01" in n for n in notes)


# ---- misuse: one clear message each --------------------------------------------------

@pytest.mark.parametrize("body, words", [
    ("s: schedule = every 3 months from 2001-03-31 § 1\nd: date = s + 1 day § 1\n", "cannot add schedule"),
    ("s: schedule = every 3 months from 2001-03-31 § 1\nd: date = s § 1\n", "must be date, but this is schedule"),
    ("m: money = cash + $1 § 1\n", "read it at one"),
    ("b: bool = cash < $5 § 1\n", "read it at one"),
    ("m: money = start at 2002-01-01 § 1\n", "`at` reads a dated series"),
    ("s: schedule = every 3 business days from 2001-03-31 § 1\n", "not business days"),
    ("s: schedule = every 3 months from 5 § 1\n", "`from` needs a date"),
    ('obligation o: borrower must "pay" every period of start § 1\n', "needs a schedule"),
    ('input wrong: list of date = [] "w"\nobligation o: borrower must "pay" every period of '
     'every 1 month from 2001-01-31 done wrong § 1\n', "`period: date` and `date: date`"),
    ("d: date = adjust(start, sideways) § 1\n", "unknown name `sideways`"),
])
def test_misuse_is_found_by_check(body, words):
    assert any(words in p for p in problems(body)), problems(body)


def test_an_unknown_calendar_is_named_with_a_suggestion():
    found = problems("", head=header("calendar new_york_bankng"))
    assert any("unknown business-day calendar `new_york_bankng`" in p and "new_york_banking" in p for p in found)


def test_closures_must_be_a_list_of_dates():
    found = problems('input shut: date optional "x"\n', head=header("calendar nyse closures shut"))
    assert any("must be a list of date" in p for p in found)


def test_a_misspelt_convention_is_a_syntax_error_with_a_suggestion():
    with pytest.raises(SyntaxProblem, match="unknown business-day convention `folowing`") as caught:
        model("s: schedule = every 3 months from 2001-03-31 adjusted folowing § 1\n")
    assert "following" in caught.value.hint
