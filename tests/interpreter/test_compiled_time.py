"""The compiled back end carries time exactly: on an agreement that uses every form of
time (schedules and their functions, business days on a calendar with closures given
as facts, dated series read at a date and over a period, recurring obligations with
their instances and performances, `any`/`all`), both back ends give the same value,
bounds, citation, deciding rule and problem (message and place) for every term, over
facts that make each form known, unknown, `none`, or a date beyond the calendar; and
no term is left to the explaining evaluator."""
from __future__ import annotations

import datetime as dt

import pytest

from dsl.parser import parse
from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.static.deal import Deal
from interpreter.static.model import compile_deal
from tests.interpreter.test_compiled import assert_agree

D = dt.date

AGREEMENT = '''agreement x "Test"
  dated 2001-01-01
  calendar new_york_banking closures closed
  party borrower "The Borrower"

type Payment = record { period: date, date: date }
input closed: list of date "extra closures"
input payments: list of Payment "payments made"
input cash: series of money optional "cash on hand"
input start: date = 2001-11-21 "a day"
input event: date optional "an event that may not happen"
input maybe: date "a date not always given"
input months: count = 3 "the step"

coupons: schedule = every 6 months from 1998-03-15 until 2007-09-15 since 1997-09-22 adjusted following § 1
quarters: schedule = every 1 month * months from start month_end shifted 5 business days adjusted modified_following § 1
from_event: schedule = every 1 year from event for 3 periods § 1
from_maybe: schedule = every 1 month from maybe until 2003-01-01 § 1
next_coupon: date = next_date(coupons, as_of) § 1
previous_coupon: date = previous_date(coupons, as_of) § 1
quarter_now: period = period_of(quarters, as_of) § 1
coming: list of period = periods_between(quarters, as_of, as_of + 1 year) § 1
scheduled: bool = is_scheduled(coupons, adjust(start, preceding)) § 1
all_coupons: count = count_periods(coupons) § 1
endless: count = count_periods(quarters) § 1
event_dates: list of date = dates(from_event) § 1
maybe_next: date = next_date(from_maybe, as_of) § 1
settles: date = start + 3 business days § 1
settles_back: date = start - 10 business days § 1
settles_late: date = later_of(maybe, 2002-01-10) + 2 business days § 1
open_today: bool = is_business_day(as_of) § 1
rolled: date = adjust(as_of, modified_following) § 1
cash_now: money = cash at as_of § 1
cash_at_event: money = cash at event § 1
low: money = lowest(cash, start, as_of) § 1
high: money = highest(cash, start, as_of) § 1
mean: money = average(cash, start, as_of) § 1
paid_in: money = total(cash, start, as_of) § 1
changes: list of date = change_dates(cash, start, as_of) § 1
on_day: money = recorded_on(cash, as_of) § 1
since: date = first_date(cash) § 1
reaches: bool = known(cash, start, as_of) § 1
short_some_day: bool = any([cash at d < $5_000_000 for d in change_dates(cash, start, as_of)]) § 1
flush_every_day: bool = all([cash at d >= $1_000_000 for d in change_dates(cash, start, as_of)]) § 1
every_day: count = count(days(start, as_of)) § 1
fraction: decimal = year_fraction(start, as_of, actual_360) § 1
obligation notify: borrower must "notify" within 5 business days after event done maybe § 2
obligation cure: borrower must "cure" within 2 business days after later_of(maybe, start) § 2
obligation pay: borrower must "pay interest"
  every period of quarters
  done payments
  § 3
obligation report: borrower must "report"
  every period of every 3 months from start month_end
  when quarter(period.end) != 3
  within 10 business days after period.end
  done payments
  § 4
obligation report_once: borrower must "report once"
  every period of from_event
  by period.date + 1 month
  § 5
pay_missed: bool = pay.status == missed § 6
report_count: count = report.met § 6
'''

CASH = "cash:\n  2001-11-15: 7000000.00\n  2002-01-02: 4000000.00\n  2002-01-20: 900000.00\n"
PAID = ("payments:\n  - {period: 2002-01-08, date: 2002-01-07}\n  - {period: 2002-04-05, date: 2002-04-30}\n"
        "  - {period: 2001-12-31, date: 2002-01-10}\n  - {period: 2002-02-14, date: 2002-02-14}\n")

CASES = {
    "everything known, closures given": (CASH + PAID + "closed: [2001-11-26, 2002-01-07]\nevent: 2001-12-03\n"
                                         "maybe: 2001-12-20\n", D(2002, 2, 1)),
    "closures not given: the calendar is unknown": (CASH + PAID + "event: 2001-12-03\n", D(2002, 2, 1)),
    "no event, nothing performed, no series": ("closed: []\npayments: []\nevent: none\n", D(2002, 5, 1)),
    "a date known only by its bounds": ("closed: []\npayments: []\nevent: 2002-01-04\n", D(2002, 1, 9)),
    "a step of no length": ("closed: []\npayments: []\nmonths: 0\n", D(2002, 2, 1)),
    "before the series begins, on a holiday": (CASH + "closed: []\nstart: 2001-07-04\nevent: none\n", D(2001, 11, 22)),
    "a day past a deadline, a period past the end": (CASH + PAID + "closed: [2002-01-07]\nevent: 2007-09-10\n"
                                                     "maybe: 2007-09-12\n", D(2008, 1, 2)),
    "dates beyond the calendar": ("closed: []\npayments: []\nstart: 9999-12-27\nevent: 9999-06-30\n"
                                  "maybe: 9999-12-30\n", D(9999, 12, 31)),
    "dates before the calendar": ("closed: []\npayments: []\nstart: 0001-01-03\n", D(1, 1, 5)),
}


@pytest.fixture(scope="module")
def model():
    agreement = parse(AGREEMENT, "t.cov")
    return compile_deal(Deal({agreement.id: agreement}, {"t.cov": AGREEMENT}))


@pytest.mark.parametrize("case", CASES)
def test_both_back_ends_agree_on_every_form_of_time(model, case):
    text, as_of = CASES[case]
    facts = read_facts(parse_yaml(text, "f.yaml"), "f.yaml", model)
    assert assert_agree(model, facts, as_of)


def test_no_form_of_time_is_left_to_the_explaining_evaluator(model):
    compiled = CompiledDeal(model)
    scope = model.scopes["x"]
    for text, as_of in CASES.values():
        env = compiled.env(read_facts(parse_yaml(text, "f.yaml"), "f.yaml", model), as_of)
        for name in (*scope.definitions, *scope.obligations):
            try:
                compiled.result(env, "x", name)
            except Exception:  # a problem the facts make (compared in the test above)
                pass
    assert compiled.fallback_terms == set()
