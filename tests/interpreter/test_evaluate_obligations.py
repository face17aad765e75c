"""Obligations: their status on both sides of each deadline (relative, fixed, in
business days), when they were done, undecided conditions and performances, and
their fields and statuses read by rules."""
from __future__ import annotations

import datetime as dt

import pytest

from interpreter.evaluation.values import Unknown
from tests.interpreter.test_evaluate import Run

OBLIGATIONS = '''
input ordered: bool optional "Whether goods were ordered"
input ordered_on: date optional "When"
input delivered_on: date optional "When delivered"
obligation deliver: seller must "deliver the goods"
  when ordered
  within 30 days after ordered_on
  done delivered_on
  § 3(a)
obligation report: seller must "report" by 2005-06-30 done delivered_on § 3(b)
obligation notify: seller must "notify" within 2 business days after ordered_on § 3(c)
'''


def status(facts: str, as_of: dt.date, name: str = "deliver"):
    return Run(OBLIGATIONS, facts, as_of)[name]


@pytest.mark.parametrize("facts, as_of, expected", [
    ("ordered: false", dt.date(2005, 1, 1), "not_triggered"),
    ("ordered: true\nordered_on: 2005-01-01", dt.date(2004, 12, 31), "not_triggered"),   # not yet happened
    ("ordered: true\nordered_on: null", dt.date(2005, 1, 20), "not_triggered"),          # never happened
    ("ordered: true\nordered_on: 2005-01-01\ndelivered_on: null", dt.date(2005, 1, 15), "pending"),
    ("ordered: true\nordered_on: 2005-01-01\ndelivered_on: null", dt.date(2005, 1, 31), "pending"),  # last day
    ("ordered: true\nordered_on: 2005-01-01\ndelivered_on: null", dt.date(2005, 2, 1), "missed"),    # day after
    ("ordered: true\nordered_on: 2005-01-01\ndelivered_on: 2005-01-31", dt.date(2005, 3, 1), "met"),  # on the day
    ("ordered: true\nordered_on: 2005-01-01\ndelivered_on: 2005-02-01", dt.date(2005, 3, 1), "missed"),  # late
    # delivered after the as-of date: as of then, not yet done
    ("ordered: true\nordered_on: 2005-01-01\ndelivered_on: 2005-01-25", dt.date(2005, 1, 20), "pending"),
])
def test_obligation_status_on_both_sides_of_the_deadline(facts, as_of, expected):
    value = status(facts, as_of)
    assert value["status"] == expected
    assert value["triggered"] is (expected != "not_triggered")
    if expected != "not_triggered":
        assert value["deadline"] == dt.date(2005, 1, 31)


def test_obligation_records_when_it_was_done():
    value = status("ordered: true\nordered_on: 2005-01-01\ndelivered_on: 2005-01-31", dt.date(2005, 3, 1))
    assert value["done"] == dt.date(2005, 1, 31)


@pytest.mark.parametrize("facts, as_of, expected", [
    ("delivered_on: null", dt.date(2005, 6, 30), "pending"),
    ("delivered_on: null", dt.date(2005, 7, 1), "missed"),
    ("delivered_on: 2005-06-30", dt.date(2005, 7, 1), "met"),
    ("delivered_on: 2005-07-01", dt.date(2005, 7, 2), "missed"),
])
def test_obligation_with_a_fixed_deadline(facts, as_of, expected):
    assert status(facts, as_of, "report")["status"] == expected


def test_obligation_deadline_in_business_days():
    # 2005-07-01 is a Friday: two business days later is Tuesday 2005-07-05.
    assert status("ordered_on: 2005-07-01", dt.date(2005, 7, 5), "notify")["status"] == "pending"
    late = status("ordered_on: 2005-07-01", dt.date(2005, 7, 6), "notify")
    assert (late["status"], late["deadline"]) == ("missed", dt.date(2005, 7, 5))


def test_obligation_with_an_undecided_condition_is_unknown():
    d = Run(OBLIGATIONS, "ordered_on: 2005-01-01").derive("deliver")
    assert isinstance(d.value, Unknown) and d.needs == ["ordered"]


def test_obligation_whose_performance_is_unknown():
    d = Run(OBLIGATIONS, "ordered: true\nordered_on: 2005-01-01", dt.date(2005, 3, 1)).derive("deliver")
    assert isinstance(d.value, Unknown) and d.needs == ["delivered_on"]
    assert d.notes == ("seller must deliver the goods",)


def test_obligation_fields_can_be_used_in_rules():
    body = OBLIGATIONS + "started: bool = deliver.triggered § 4\ndue: date = deliver.deadline § 4\n"
    run = Run(body, "ordered: true\nordered_on: 2005-01-01\ndelivered_on: null", dt.date(2005, 2, 1))
    assert run["started"] is True
    assert run["due"] == dt.date(2005, 1, 31)


def test_obligation_status_can_be_compared_in_rules():
    body = OBLIGATIONS + ("late: bool = deliver.status == missed § 4\n"
                          "open: bool = deliver.status in {pending, not_triggered} § 4\n")
    facts = "ordered: true\nordered_on: 2005-01-01\ndelivered_on: null"
    late = Run(body, facts, dt.date(2005, 2, 1))
    assert (late["late"], late["open"]) == (True, False)
    early = Run(body, facts, dt.date(2005, 1, 2))
    assert (early["late"], early["open"]) == (False, True)
