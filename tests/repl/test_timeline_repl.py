"""`:timeline [FROM TO]` in the REPL: the session's deal, facts and date, ranges, and
a clear message for a mistake."""
import datetime as dt
from pathlib import Path

from interpreter.repl.session import Session

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "timeline"


def session(as_of: str) -> Session:
    s = Session(dt.date.fromisoformat(as_of))
    assert s.start([str(FIXTURE)], str(FIXTURE / "notes.yaml")).ok
    return s


def test_timeline_reads_the_session_facts_and_date():
    s = session("2020-03-01")
    reply = s.handle(":timeline")
    assert reply.ok and "2020-05-01  pending" in reply.text and "---- as of 2020-03-01 ----" in reply.text
    assert s.handle(":set report_delivered = none").ok
    assert s.handle(":asof 2020-06-01").ok
    reply = s.handle(":timeline")
    assert reply.text.splitlines()[2] == "MISSED"


def test_timeline_from_to_keeps_the_days_between():
    reply = session("2021-12-01").handle(":timeline 2023-01-01 2023-12-31")
    dated = [line for line in reply.text.splitlines() if line.startswith("    20")]
    assert len(dated) == 2 and "issuer must repay the Notes" in dated[0] and "(period 6," in dated[1]


def test_timeline_mistakes_are_one_message():
    s = session("2021-12-01")
    for entry, words in ((":timeline 2023-01-01", "takes no dates, or two"),
                         (":timeline 2023-01-01 2023-13-01", "takes no dates, or two"),
                         (":timeline 2024-01-01 2023-01-01", "is after TO")):
        reply = s.handle(entry)
        assert not reply.ok and words in reply.text
