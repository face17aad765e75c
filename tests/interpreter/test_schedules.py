"""Schedules: generation, month ends, shifts, adjustment, and the questions asked of them."""
from __future__ import annotations

import datetime as dt

import pytest

from dsl.ast import Duration
from interpreter.evaluation.business_days import BusinessCalendar
from interpreter.evaluation.schedules import Schedule, ScheduleError

D = dt.date
NY = BusinessCalendar("new_york_banking")
SEMIANNUAL = Schedule(D(1998, 3, 15), Duration(6, "month"), until=D(2007, 9, 15), since=D(1997, 9, 22),
                      convention="following", calendar=NY)
QUARTER_ENDS = Schedule(D(2001, 3, 31), Duration(3, "month"))


def test_twenty_semiannual_dates_the_first_period_from_the_since_date():
    periods = SEMIANNUAL.periods()
    assert len(periods) == 20
    assert periods[0].previous == D(1997, 9, 22) and periods[0].nominal == D(1998, 3, 15)
    assert periods[0].date == D(1998, 3, 16)          # a Sunday, moved to Monday
    assert periods[-1].nominal == D(2007, 9, 15) and periods[-1].date == D(2007, 9, 17)
    assert periods[8].start == D(2001, 9, 16) and periods[8].end == D(2002, 3, 15)


def test_the_31st_is_kept_and_clamped_in_shorter_months():
    assert [p.end for p in QUARTER_ENDS.periods_between(D(2001, 1, 1), D(2001, 12, 31))] == [
        D(2001, 3, 31), D(2001, 6, 30), D(2001, 9, 30), D(2001, 12, 31)]


def test_month_end_rolls_every_date_to_the_last_day_of_its_month():
    june = Schedule(D(2001, 6, 30), Duration(3, "month"), month_end=True, count=3)
    assert [p.end for p in june.periods()] == [D(2001, 6, 30), D(2001, 9, 30), D(2001, 12, 31)]
    without = Schedule(D(2001, 6, 30), Duration(3, "month"), count=3)
    assert without.periods()[2].end == D(2001, 12, 30)


def test_shifted_dates_keep_the_period_and_adjust_the_payment_date():
    fees = Schedule(D(2002, 3, 31), Duration(3, "month"), shift=Duration(20, "day"), count=2,
                    convention="following", calendar=NY)
    first, second = fees.periods()
    assert first.end == D(2002, 3, 31) and first.nominal == D(2002, 4, 20) and first.date == D(2002, 4, 22)
    assert second.start == D(2002, 4, 1) and second.nominal == D(2002, 7, 20)


def test_next_previous_and_containing():
    assert SEMIANNUAL.next_on_or_after(D(2001, 10, 26)).date == D(2002, 3, 15)
    assert SEMIANNUAL.next_on_or_after(D(2002, 3, 15)).date == D(2002, 3, 15)
    assert SEMIANNUAL.previous_on_or_before(D(2001, 10, 26)).date == D(2001, 9, 17)
    assert SEMIANNUAL.previous_on_or_before(D(1998, 3, 15)) is None
    assert SEMIANNUAL.next_on_or_after(D(2007, 9, 18)) is None
    assert SEMIANNUAL.previous_on_or_before(D(2010, 1, 1)).number == 20
    assert QUARTER_ENDS.containing(D(2002, 2, 1)).end == D(2002, 3, 31)
    assert QUARTER_ENDS.containing(D(2000, 12, 31)) is None
    assert SEMIANNUAL.containing(D(1997, 9, 22)) is None and SEMIANNUAL.containing(D(1997, 9, 23)).number == 1


def test_scheduled_dates_are_the_adjusted_ones():
    assert D(1998, 3, 16) in SEMIANNUAL and D(1998, 3, 15) not in SEMIANNUAL
    assert SEMIANNUAL.is_scheduled(D(2002, 3, 15))


def test_an_endless_schedule_is_asked_between_two_dates():
    with pytest.raises(ScheduleError, match="does not end"):
        QUARTER_ENDS.periods()
    assert len(list(QUARTER_ENDS.periods_between(D(2001, 1, 1), D(2010, 12, 31)))) == 40


@pytest.mark.parametrize("step", [Duration(0, "month"), Duration(2, "business_day")])
def test_a_step_must_be_a_real_period(step):
    with pytest.raises(ScheduleError):
        Schedule(D(2001, 1, 1), step)


def test_weekly_steps_and_counts():
    weekly = Schedule(D(2001, 1, 5), Duration(7, "day"), count=3)
    assert [p.date for p in weekly.periods()] == [D(2001, 1, 5), D(2001, 1, 12), D(2001, 1, 19)]
