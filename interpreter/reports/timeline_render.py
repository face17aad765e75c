"""A timeline for people (one line an item, grouped by month, missed items first,
the as-of date marked) and for tools (JSON)."""
from __future__ import annotations

import datetime as dt

from interpreter.reports.timeline import Timeline
from interpreter.reports.timeline_items import Item

_STATUS_WORDS = {"not_triggered": "not triggered", "no_longer_in_force": "not in force"}


def status_text(item: Item) -> str:
    """The status as a person reads it: `met 2007-01-15`, `not triggered`, ..."""
    if item.status == "met" and item.done is not None:
        return f"met {item.done.isoformat()}"
    if item.status == "missed" and item.done is not None:
        return f"missed (done {item.done.isoformat()})"
    return _STATUS_WORDS.get(item.status, item.status)


def summary(item: Item) -> str:
    """What happens or is due, and who must act."""
    return f"{item.who} must {item.what}" if item.who else item.what


def details(item: Item) -> str:
    """What follows the citation: why it is no longer in force, what the date is
    waiting for, the amendment that wrote it."""
    parts = []
    if item.earliest and item.latest:
        parts.append(f"between {item.earliest.isoformat()} and {item.latest.isoformat()}")
    elif item.earliest or item.latest:
        parts.append(f"on or {'after' if item.earliest else 'before'} {(item.earliest or item.latest).isoformat()}")
    if item.removed_by:
        parts.append(f"{item.removed_by}, {item.removed_on.isoformat()}" if item.removed_on else item.removed_by)
    if item.needs:
        parts.append(f"needs {', '.join(item.needs)}")
    if item.note:
        parts.append(item.note)
    return f"  ({'; '.join(parts)})" if parts else ""


def _line(item: Item, when: str) -> str:
    mark = "!" if item.missed else " "
    where = f"{item.agreement} {item.citation}".rstrip()
    return f"  {mark} {when:<10}  {status_text(item):<24}  {summary(item)}  [{where}]{details(item)}"


def text(timeline: Timeline) -> str:
    """The timeline as a table for people."""
    span = ""
    if timeline.start or timeline.end:
        span = f", from {timeline.start or 'the beginning'} to {timeline.end or 'the end'}"
    missed = timeline.missed
    lines = [f"Timeline as of {timeline.as_of}{span}: {len(timeline.items)} items"
             + (f", {len(missed)} missed" if missed else "")]
    if missed:
        lines += ["", "MISSED"]
        lines += [_line(i, i.date.isoformat() if i.date else "no date") for i in missed]
    month = None
    marked = False
    for item in timeline.dated:
        if not marked and item.date > timeline.as_of:
            lines += ["", f"  ---- as of {timeline.as_of} ----"]
            marked, month = True, None
        if (item.date.year, item.date.month) != month:
            month = (item.date.year, item.date.month)
            lines += ["", item.date.strftime("%B %Y")]
        lines.append(_line(item, item.date.isoformat()))
    if not marked:
        lines += ["", f"  ---- as of {timeline.as_of} ----"]
    unknown = timeline.pending_date
    other = [i for i in timeline.undated if i not in unknown]
    if unknown:
        lines += ["", "Date not known yet"] + [_line(i, "not known") for i in unknown]
    if other:
        lines += ["", "No date (no deadline, or the event it runs from does not happen)"]
        lines += [_line(i, "-") for i in other]
    return "\n".join(lines)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def as_json(timeline: Timeline) -> dict:
    """The timeline for tools: every item with its date (null when not known or none),
    status, citation and what decides it; `missed` lists the missed items' keys."""
    return {
        "as_of": timeline.as_of.isoformat(), "from": _iso(timeline.start), "to": _iso(timeline.end),
        "missed": [i.key for i in timeline.missed],
        "items": [{"key": i.key, "agreement": i.agreement, "name": i.name or None, "kind": i.kind,
                   "date": _iso(i.date), "what": i.what, "who": i.who, "citation": i.citation,
                   "status": i.status, "missed": i.missed, "done": _iso(i.done), "needs": list(i.needs),
                   "earliest": _iso(i.earliest), "latest": _iso(i.latest),
                   "also": list(i.also), "removed_by": i.removed_by, "removed_on": _iso(i.removed_on),
                   "note": i.note}
                  for i in timeline.items],
    }
