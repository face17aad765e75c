"""Date arithmetic: months clamp to the month's end, anniversaries of February 29,
and business days that skip weekends in both directions."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from dsl.ast import Duration
from interpreter.evaluation.calendar import (add_business_days, add_duration, add_months, anniversary, end_of_month,
                                  last_day_of_month)

D = dt.date


@pytest.mark.parametrize("start, months, expected", [
    (D(2001, 8, 31), 6, D(2002, 2, 28)),      # clamped to February's end
    (D(2003, 8, 31), 6, D(2004, 2, 29)),      # ... which is the 29th in a leap year
    (D(2001, 1, 31), 1, D(2001, 2, 28)),
    (D(2000, 1, 31), 1, D(2000, 2, 29)),      # 2000 is a leap year (divisible by 400)
    (D(1900, 1, 31), 1, D(1900, 2, 28)),      # 1900 is not (divisible by 100)
    (D(2001, 1, 31), 3, D(2001, 4, 30)),
    (D(2001, 3, 31), -1, D(2001, 2, 28)),     # backwards, clamped too
    (D(2004, 3, 31), -1, D(2004, 2, 29)),
    (D(2001, 5, 31), -2, D(2001, 3, 31)),
    (D(2001, 1, 15), 0, D(2001, 1, 15)),
    (D(2001, 11, 30), 2, D(2002, 1, 30)),     # across a year end
    (D(2002, 1, 30), -2, D(2001, 11, 30)),
    (D(2001, 12, 31), 12, D(2002, 12, 31)),
    (D(2001, 2, 28), 1, D(2001, 3, 28)),      # the 28th stays the 28th: no end-of-month rule
    (D(2001, 6, 15), -18, D(1999, 12, 15)),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_month_end_clamping_is_not_reversible():
    there = add_months(D(2001, 8, 31), 6)
    assert add_months(there, -6) == D(2001, 8, 28)


@pytest.mark.parametrize("start, years, expected", [
    (D(2000, 2, 29), 1, D(2001, 2, 28)),
    (D(2000, 2, 29), 3, D(2003, 2, 28)),
    (D(2000, 2, 29), 4, D(2004, 2, 29)),
    (D(2000, 2, 29), 100, D(2100, 2, 28)),    # 2100 is not a leap year
    (D(2000, 2, 29), -1, D(1999, 2, 28)),
    (D(2001, 8, 31), 5, D(2006, 8, 31)),
    (D(2001, 3, 1), 1, D(2002, 3, 1)),
])
def test_anniversaries(start, years, expected):
    assert anniversary(start, years) == expected


def test_years_as_durations_match_anniversaries():
    assert add_duration(D(2000, 2, 29), Duration(1, "year")) == D(2001, 2, 28)
    assert add_duration(D(2004, 2, 29), Duration(1, "year"), -1) == D(2003, 2, 28)


# 2005-07-01 is a Friday; 2005-07-02/03 the weekend; 2005-07-04 a Monday.
FRI, SAT, SUN, MON = D(2005, 7, 1), D(2005, 7, 2), D(2005, 7, 3), D(2005, 7, 4)


@pytest.mark.parametrize("start, count, expected", [
    (FRI, 1, MON),                  # over the weekend
    (FRI, 2, D(2005, 7, 5)),
    (FRI, 5, D(2005, 7, 8)),        # a week of business days is a calendar week
    (SAT, 1, MON),                  # from a weekend day
    (SUN, 1, MON),
    (D(2005, 6, 29), 3, MON),       # Wednesday + 3
    (MON, -1, FRI),                 # backwards over the weekend
    (SUN, -1, FRI),
    (SAT, -1, FRI),
    (MON, -5, D(2005, 6, 27)),
    (D(2005, 7, 6), -3, FRI),       # Wednesday - 3
    (SAT, 0, SAT),                  # no days: no move, even from a weekend
])
def test_business_days(start, count, expected):
    result = add_business_days(start, count)
    assert result == expected
    if count:
        assert result.weekday() < 5


def test_business_days_through_durations():
    assert add_duration(FRI, Duration(2, "business_day")) == D(2005, 7, 5)
    assert add_duration(D(2005, 7, 5), Duration(2, "business_day"), -1) == FRI


def test_calendar_days_and_months_through_durations():
    assert add_duration(D(2001, 1, 31), Duration(30, "day")) == D(2001, 3, 2)
    assert add_duration(D(2001, 3, 2), Duration(30, "day"), -1) == D(2001, 1, 31)
    assert add_duration(D(2001, 8, 31), Duration(6, "month")) == D(2002, 2, 28)
    assert add_duration(D(2002, 3, 31), Duration(1, "month"), -1) == D(2002, 2, 28)


def test_end_of_month():
    assert end_of_month(D(2004, 2, 3)) == D(2004, 2, 29)
    assert end_of_month(D(2001, 2, 28)) == D(2001, 2, 28)
    assert end_of_month(D(2001, 12, 1)) == D(2001, 12, 31)
    assert last_day_of_month(2001, 4) == 30


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)), st.integers(-120, 120))
def test_add_months_lands_in_the_right_month(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == min(start.day, last_day_of_month(result.year, result.month))


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)), st.integers(1, 60))
def test_business_days_forward_then_back(start, count):
    there = add_business_days(start, count)
    assert there > start and there.weekday() < 5
    weekdays = sum(1 for i in range(1, (there - start).days + 1) if (start + dt.timedelta(i)).weekday() < 5)
    assert weekdays == count
    if start.weekday() < 5:
        assert add_business_days(there, -count) == start
