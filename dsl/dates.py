"""Calendar dates as Covenant writes them, YYYY-MM-DD, and why a text is not one."""
from __future__ import annotations

import calendar
import datetime as dt
import re

_WRITTEN = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


class NotADate(ValueError):
    """A text that is not a calendar date; `reason` says why, when it is written as one
    (`February 2001 has 28 days, so day 30 does not exist`), else it is None."""

    def __init__(self, text: str, reason: str | None):
        self.text, self.reason = text, reason
        super().__init__(f"`{text}` is not a date: {reason}" if reason else
                         f"`{text}` is not a date written YYYY-MM-DD")


def calendar_date(text: str) -> dt.date:
    """The date `text` writes as YYYY-MM-DD; raises NotADate saying why it is not one
    (not written so, no month 13, no 30 February 2001)."""
    written = text.strip()
    match = _WRITTEN.fullmatch(written)
    if not match:
        raise NotADate(written[:60], None)
    year, month, day = (int(g) for g in match.groups())
    if year < 1:
        raise NotADate(written, "the years begin at 0001")
    if not 1 <= month <= 12:
        raise NotADate(written, f"there is no month {month:02d}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise NotADate(written, f"there is no day {day:02d}" if day < 1 else
                       f"{_MONTHS[month - 1]} {year} has {days} days, so day {day:02d} does not exist")
    return dt.date(year, month, day)
