"""`covenant timeline` from the command line: text, JSON, the iCalendar file (parsed
back with the icalendar library), and a clear message for each kind of bad input."""
import json
import subprocess
import sys
from pathlib import Path

import icalendar

ROOT = Path(__file__).resolve().parents[2]
DEAL = "tests/fixtures/timeline"
FACTS = "tests/fixtures/timeline/notes.yaml"


def covenant(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interpreter", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_text_groups_by_month_and_marks_the_as_of_date():
    done = covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-12-01")
    assert done.returncode == 0, done.stderr
    assert "MISSED" in done.stdout and "February 2020" in done.stdout
    assert "---- as of 2021-12-01 ----" in done.stdout
    assert "issuer must repay the Notes  [notes § 2]" in done.stdout


def test_json_lists_every_item_with_its_status_and_citation():
    done = covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-12-01", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    by_key = {i["key"]: i for i in result["items"]}
    report = by_key["notes.deliver_report"]
    assert (report["date"], report["status"], report["done"], report["who"], report["citation"], report["missed"]) == \
        ("2020-05-01", "missed", "2020-05-15", "issuer", "§ 1(a)", True)
    assert result["missed"] == ["notes.deliver_report"]
    renewal = by_key["notes.certificate_renewal"]
    assert (renewal["status"], renewal["removed_by"]) == ("no_longer_in_force", "removed by notes_amendment § 1(a)")


def test_from_and_to_keep_the_items_between_them():
    done = covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-12-01", "--json",
                    "--from", "2023-01-01", "--to", "2023-12-31")
    assert [i["key"] for i in json.loads(done.stdout)["items"] if i["date"]] == ["notes.repay",
                                                                                 "notes.pay_coupon#6"]


def _events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_ics_has_one_all_day_event_per_dated_item_with_citation_status_and_alarm(tmp_path):
    target = tmp_path / "deal.ics"
    done = covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-12-01", "--ics", str(target), "--json")
    assert done.returncode == 0, done.stderr
    dated = [i for i in json.loads(done.stdout)["items"] if i["date"]]
    events = _events(target)
    assert len(events) == len(dated)
    repay = events["issuer must repay the Notes"]
    assert repay.decoded("dtstart").isoformat() == "2023-01-15"
    assert repay.decoded("dtend").isoformat() == "2023-01-16"          # all day: DATE values, one day
    assert "notes § 2" in repay["description"] and "pending" in repay["description"]
    alarms = repay.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("trigger").days == -7
    missed = events["MISSED: issuer must deliver the first annual report to the Holders"]
    assert "missed" in missed["description"] and not missed.walk("VALARM")
    passed = events["A Sample Note Agreement (notes) is dated"]
    assert "passed" in passed["description"] and not passed.walk("VALARM")


def test_ics_uids_are_stable_across_runs_and_facts(tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-12-01", "--ics", str(first))
    covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2023-06-01", "--ics", str(second))
    uids = lambda path: {str(e["summary"]).removeprefix("MISSED: "): str(e["uid"])  # noqa: E731
                         for e in _events(path).values()}
    assert uids(first) == uids(second)
    assert len(set(uids(first).values())) == len(uids(first))


def test_ics_replaces_the_file_whole(tmp_path):
    target = tmp_path / "deal.ics"
    target.write_text("old calendar")
    done = covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-12-01", "--ics", str(target))
    assert done.returncode == 0
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["deal.ics"]  # no temporary left behind


def test_bad_input_is_one_message_and_exit_2(tmp_path):
    backwards = covenant("timeline", DEAL, "--facts", FACTS, "--from", "2023-01-01", "--to", "2022-01-01")
    assert backwards.returncode == 2 and "--from 2023-01-01 is after --to 2022-01-01" in backwards.stderr
    bad_date = covenant("timeline", DEAL, "--facts", FACTS, "--as-of", "2021-13-01")
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
    missing = covenant("timeline", DEAL, "--facts", "nowhere.yaml")
    assert missing.returncode == 2 and "cannot read fact file nowhere.yaml" in missing.stderr
    unwritable = covenant("timeline", DEAL, "--facts", FACTS, "--ics", str(tmp_path / "no" / "such" / "x.ics"))
    assert unwritable.returncode == 2 and "cannot save" in unwritable.stderr
    for done in (backwards, bad_date, missing, unwritable):
        assert "Traceback" not in done.stderr


def test_the_readme_example_is_what_the_command_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("$ covenant timeline agreements/bti"):]
    section = section[:section.index("```")]
    shown = [line for line in section.splitlines() if line.startswith("    20")]
    assert len(shown) >= 4
    done = covenant("timeline", "agreements/bti", "--facts",
                    "agreements/bti/examples/series-a-2007-redemption-demand.yaml",
                    "--as-of", "2007-05-01", "--from", "2006-12-01", "--to", "2007-06-30")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert all(line in printed for line in shown), [line for line in shown if line not in printed]
    assert "  ---- as of 2007-05-01 ----" in printed


def test_a_later_fact_file_overrides_an_earlier_one(tmp_path):
    late = tmp_path / "on-time.yaml"
    late.write_text("report_delivered: 2020-04-30\n")
    done = covenant("timeline", DEAL, "--facts", FACTS, "--facts", str(late), "--as-of", "2021-12-01", "--json")
    assert done.returncode == 0, done.stderr
    report = {i["key"]: i for i in json.loads(done.stdout)["items"]}["notes.deliver_report"]
    assert (report["status"], report["done"]) == ("met", "2020-04-30")


def test_an_item_the_agreement_does_not_settle_is_listed_and_reported_the_others_still_answer(tmp_path):
    (tmp_path / "deal.cov").write_text('''agreement deal "A Deal"
  dated 2020-01-01

input late: bool = true "the closing was late"

§ 1 "Closing"
  closing_day: date = 2020-02-01                                     § 1
  exception to closing_day "late" priority 1 when late -> 2020-03-01  § 1(a)
  exception to closing_day "very late" priority 1 when late -> 2020-04-01  § 1(b)
  first_anniversary: date = anniversary(date_hereof, 1)              § 2
''', encoding="utf-8")
    done = covenant("timeline", str(tmp_path), "--as-of", "2020-06-01", "--json")
    assert done.returncode == 1
    assert "exceptions to `closing_day` of equal priority 1 both apply and disagree" in done.stderr
    assert done.stderr.count("disagree") == 1 and "Traceback" not in done.stderr
    items = {i["key"]: i for i in json.loads(done.stdout)["items"]}
    assert items["deal.closing_day"]["status"] == "error" and "disagree" in items["deal.closing_day"]["note"]
    assert items["deal.first_anniversary"]["date"] == "2021-01-01"
