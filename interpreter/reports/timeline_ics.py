"""A timeline as an RFC 5545 calendar (built with the `icalendar` library): one
all-day event per dated item, with a UID that stays the same from run to run so
that importing the file again updates the events instead of duplicating them."""
from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from interpreter.reports.timeline import Timeline
from interpreter.reports.timeline_items import Item
from interpreter.reports.timeline_render import status_text, summary
from interpreter.reports.files import write_atomically

ALARM_BEFORE = dt.timedelta(days=7)  # a pending deadline reminds a week ahead


def uid(item: Item, agreement_title: str) -> str:
    """The item's identity: its agreement (id and title) and its key, never its date or
    status, which change as the facts do."""
    digest = hashlib.sha256(f"{agreement_title}\n{item.key}".encode()).hexdigest()[:16]
    return f"{item.key}-{digest}@covenant"


def calendar(timeline: Timeline, titles: dict[str, str]) -> icalendar.Calendar:
    """The dated items of a timeline as a calendar; `titles` names each agreement."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Covenant//timeline//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Deal timeline as of {timeline.as_of}")
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for item in timeline.dated:
        event = icalendar.Event()
        event.add("uid", uid(item, titles.get(item.agreement, "")))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        if item.date < dt.date.max:  # the calendar's last day ends where the calendar does
            event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", ("MISSED: " if item.missed else "") + summary(item))
        event.add("description", _description(item, timeline.as_of))
        event.add("categories", [item.status.upper().replace("_", "-")])
        event.add("transp", "TRANSPARENT")
        if item.kind == "deadline" and item.status == "pending":
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -ALARM_BEFORE)
            alarm.add("description", f"Due {item.date.isoformat()}: {summary(item)}")
            event.add_component(alarm)
        cal.add_component(event)
    return cal


def _description(item: Item, as_of: dt.date) -> str:
    lines = [f"{item.agreement} {item.citation}".rstrip(), f"Status as of {as_of}: {status_text(item)}"]
    if item.who:
        lines.append(f"Who must act: {item.who}")
    if item.removed_by:
        lines.append(f"No longer in force: {item.removed_by}"
                     + (f" ({item.removed_on.isoformat()})" if item.removed_on else ""))
    if item.note:
        lines.append(item.note.capitalize())
    return "\n".join(lines)


def write(path: str, timeline: Timeline, titles: dict[str, str]) -> None:
    """Write the calendar whole or not at all (a temporary file renamed over `path`)."""
    write_atomically(path, calendar(timeline, titles).to_ical().decode("utf-8"))
