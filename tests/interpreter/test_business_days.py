"""Business-day calendars from the `holidays` library, and the conventions that move a
date that is not a business day."""
from __future__ import annotations

import datetime as dt

import pytest

from interpreter.evaluation.business_days import BusinessCalendar

D = dt.date
NY = BusinessCalendar("new_york_banking")
NYSE = BusinessCalendar("nyse")
PLAIN = BusinessCalendar("weekends")


def test_new_york_banking_skips_thanksgiving_but_not_the_day_after():
    assert NY.add_business_days(D(2001, 11, 21), 1) == D(2001, 11, 23)
    assert PLAIN.add_business_days(D(2001, 11, 21), 1) == D(2001, 11, 22)


def test_banks_close_on_columbus_and_veterans_day_the_exchange_does_not():
    assert not NY.is_business_day(D(2001, 10, 8)) and NYSE.is_business_day(D(2001, 10, 8))
    assert NY.holiday_name(D(2001, 10, 8)) == "Columbus Day"
    assert not NY.is_business_day(D(2001, 11, 12))  # Veterans Day (Sunday the 11th) observed


def test_the_exchange_closes_on_good_friday_and_after_september_11_the_banks_do_not():
    assert not NYSE.is_business_day(D(2001, 4, 13)) and NY.is_business_day(D(2001, 4, 13))
    assert NYSE.add_business_days(D(2001, 9, 10), 1) == D(2001, 9, 17)
    assert NY.add_business_days(D(2001, 9, 10), 1) == D(2001, 9, 11)


def test_years_before_the_library_calendar_begins_use_the_same_rules():
    assert not NY.is_business_day(D(1998, 11, 26))  # Thanksgiving 1998
    assert NY.is_business_day(D(1998, 7, 3))  # July 4 on a Saturday: the banks open on Friday


def test_closures_from_the_facts_are_not_business_days():
    closed = BusinessCalendar("new_york_banking", frozenset({D(2003, 8, 15)}))
    assert closed.add_business_days(D(2003, 8, 14), 1) == D(2003, 8, 18)
    assert closed.holiday_name(D(2003, 8, 15)) == "a closure given in the facts"


def test_moving_back_by_business_days():
    assert NY.add_business_days(D(2001, 11, 23), -1) == D(2001, 11, 21)


@pytest.mark.parametrize("day, convention, expected", [
    (D(2007, 9, 15), "following", D(2007, 9, 17)),            # Saturday
    (D(2007, 9, 15), "preceding", D(2007, 9, 14)),
    (D(2007, 9, 15), "unadjusted", D(2007, 9, 15)),
    (D(2002, 3, 30), "following", D(2002, 4, 1)),             # Saturday at a month's end
    (D(2002, 3, 30), "modified_following", D(2002, 3, 29)),   # stays in March
    (D(2002, 6, 1), "preceding", D(2002, 5, 31)),
    (D(2002, 6, 1), "modified_preceding", D(2002, 6, 3)),     # stays in June
    (D(2002, 3, 29), "following", D(2002, 3, 29)),            # a business day does not move
    (D(2001, 11, 22), "following", D(2001, 11, 23)),          # Thanksgiving
])
def test_conventions(day, convention, expected):
    assert NY.adjust(day, convention) == expected
