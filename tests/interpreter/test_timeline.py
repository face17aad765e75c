"""The timeline report on a small made-up deal (tests/fixtures/timeline): items from
obligations, date terms and agreements, their statuses on both sides of each date,
versions (a conditional amendment that deletes a section), ranges and order."""
import datetime as dt
from pathlib import Path

import pytest

from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.reports.timeline import build_timeline
from interpreter.reports.timeline_items import STATUSES
from interpreter.reports.timeline_render import as_json, text
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal
from interpreter.versions.in_force import known_inputs

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "timeline"
BASE = {"closing_date": "2020-02-01", "report_delivered": "2020-05-15", "default_notice": "none",
        "holders_consented": "true"}


def timeline(as_of, start=None, end=None, **changes):
    facts = {**BASE, **changes}
    path = FIXTURE / "facts.yaml"  # named in messages only; the facts are written here
    written_facts = "".join(f"{k}: {v}\n" for k, v in facts.items() if v is not None)
    deal = load_deal([str(FIXTURE / "notes.cov"), str(FIXTURE / "notes-amendment.cov")])
    written = check_deal(deal)
    node = parse_yaml(written_facts, str(path))
    known = known_inputs(deal, written)
    return build_timeline(written, lambda model: read_facts(node, str(path), model, tolerated=known),
                          dt.date.fromisoformat(as_of),
                          start and dt.date.fromisoformat(start), end and dt.date.fromisoformat(end))


def item(tl, key):
    found = [i for i in tl.items if i.key == key]
    assert found, f"{key} not in {[i.key for i in tl.items]}"
    return found[0]


def test_an_obligation_runs_from_its_event_and_a_date_term_on_its_day_is_folded_into_it():
    report = item(timeline("2020-03-01"), "notes.deliver_report")
    assert (report.date, report.status, report.who, report.citation) == (dt.date(2020, 5, 1), "pending", "issuer", "§ 1(a)")
    assert report.also == ("report_deadline",)
    assert "notes.report_deadline" not in {i.key for i in timeline("2020-03-01").items}


@pytest.mark.parametrize("delivered, as_of, status, done", [
    ("2020-05-01", "2020-06-01", "met", dt.date(2020, 5, 1)),       # on the last day: met
    ("2020-05-02", "2020-06-01", "missed", dt.date(2020, 5, 2)),    # a day late: missed
    ("none", "2020-05-01", "pending", None),                        # not done, last day today
    ("none", "2020-05-02", "missed", None),                         # not done, the day after
])
def test_deadline_status_on_both_sides_of_the_day(delivered, as_of, status, done):
    report = item(timeline(as_of, report_delivered=delivered), "notes.deliver_report")
    assert (report.status, report.done) == (status, done)
    assert report.missed is (status == "missed")


def test_a_missed_item_is_listed_first_and_marked():
    tl = timeline("2020-06-01", report_delivered="none")
    assert [i.key for i in tl.missed] == ["notes.deliver_report"]
    lines = text(tl).splitlines()
    assert lines[2] == "MISSED" and lines[3].startswith("  ! 2020-05-01  missed")
    assert sum(line.startswith("  ! 2020-05-01") for line in lines) == 2  # first, and in its month
    assert as_json(tl)["missed"] == ["notes.deliver_report"]


def test_an_event_not_yet_happened_still_shows_the_day_coming():
    report = item(timeline("2020-01-20", closing_date="2020-02-01"), "notes.deliver_report")
    assert (report.date, report.status) == (dt.date(2020, 5, 1), "not_triggered")


def test_a_date_unknown_says_which_facts_would_decide_it():
    report = item(timeline("2020-03-01", closing_date=None), "notes.deliver_report")
    assert (report.date, report.status, report.needs) == (None, "unknown", ("closing_date",))
    assert "Date not known yet" in text(timeline("2020-03-01", closing_date=None))


def test_a_date_term_passes_on_its_day_and_one_that_does_not_happen_has_no_date():
    assert item(timeline("2023-01-14"), "notes.repay").status == "pending"
    assert item(timeline("2023-01-15"), "notes.repay").status == "pending"   # due today
    assert item(timeline("2023-01-16"), "notes.repay").status == "missed"
    cure = item(timeline("2021-01-01"), "notes.cure_period_end")
    assert (cure.date, cure.status) == (None, "not_triggered")
    cure = item(timeline("2021-01-01", default_notice="2020-12-01"), "notes.cure_period_end")
    assert (cure.date, cure.status) == (dt.date(2020, 12, 31), "passed")
    assert item(timeline("2020-12-30", default_notice="2020-12-01"), "notes.cure_period_end").status == "upcoming"


def test_a_section_deleted_by_an_amendment_is_no_longer_in_force_after_it():
    tl = timeline("2021-12-01")
    renewal = item(tl, "notes.certificate_renewal")
    assert (renewal.date, renewal.status) == (dt.date(2022, 1, 15), "no_longer_in_force")
    assert renewal.removed_by == "removed by notes_amendment § 1(a)" and renewal.removed_on == dt.date(2021, 6, 30)
    # Dated before the amendment: in force on its day.
    assert item(tl, "notes.deliver_certificate").status == "unknown"


def test_an_amendment_whose_condition_fails_removes_nothing_and_says_so():
    tl = timeline("2021-12-01", holders_consented="false")
    assert item(tl, "notes.certificate_renewal").status == "upcoming"
    assert item(tl, "notes_amendment#begins").status == "not_triggered"
    undecided = item(timeline("2021-12-01", holders_consented=None), "notes_amendment#begins")
    assert (undecided.status, undecided.needs) == ("unknown", ("holders_consented",))


def test_items_are_in_date_order_and_a_range_keeps_the_days_inside_it():
    tl = timeline("2021-12-01")
    assert {i.status for i in tl.items} <= set(STATUSES)
    days = [i.date for i in tl.dated]
    assert days == sorted(days)
    ranged = timeline("2021-12-01", "2020-05-01", "2021-06-30")
    assert {i.key for i in ranged.dated if i.name != "pay_coupon"} == {
        "notes.deliver_report", "notes_amendment#begins", "notes.prepayment_premium@1"}
    assert all(i.status == "unknown" for i in ranged.undated)


def test_the_as_of_date_is_marked_between_the_past_and_the_future():
    lines = text(timeline("2021-12-01")).splitlines()
    mark = lines.index("  ---- as of 2021-12-01 ----")
    before = [line for line in lines[:mark] if line.startswith("    20")]
    after = [line for line in lines[mark:] if line.startswith("    20")]
    assert before and all(line[4:14] <= "2021-12-01" for line in before)
    assert after and all(line[4:14] > "2021-12-01" for line in after)


def test_an_unknown_date_with_bounds_shows_them_and_a_range_outside_them_drops_it():
    review = item(timeline("2020-03-01", default_notice=None), "notes.default_review")
    assert (review.date, review.status, review.earliest, review.latest) == (None, "unknown", dt.date(2021, 1, 15), None)
    assert review.needs == ("default_notice",)
    assert "(on or after 2021-01-15; needs default_notice)" in text(timeline("2020-03-01", default_notice=None))
    assert "notes.default_review" not in {i.key for i in timeline("2020-03-01", "2020-01-01", "2021-01-14",
                                                                   default_notice=None).items}
    assert "notes.default_review" in {i.key for i in timeline("2020-03-01", "2021-01-15", "2021-02-01",
                                                               default_notice=None).items}
    by_key = {i["key"]: i for i in as_json(timeline("2020-03-01", default_notice=None))["items"]}
    assert (by_key["notes.default_review"]["earliest"], by_key["notes.default_review"]["latest"]) == ("2021-01-15", None)
    known = item(timeline("2020-03-01", default_notice="2021-01-10"), "notes.default_review")
    assert (known.date, known.earliest) == (dt.date(2021, 1, 20), None)


def test_a_rule_that_compares_a_moving_date_with_a_fixed_one_puts_that_day_on_the_timeline():
    step = item(timeline("2020-03-01"), "notes.prepayment_premium@1")
    assert (step.kind, step.date, step.status, step.citation) == ("threshold", dt.date(2021, 1, 15), "upcoming", "§ 6(a)")
    assert step.what == "Prepayment premium (Prepayment): prepayment_date before 2021-01-15"
    assert item(timeline("2021-01-15"), "notes.prepayment_premium@1").status == "passed"
    # On the same day as an item of its section, it is named in that item's `also`.
    assert item(timeline("2020-03-01"), "notes.repay").also == ("maturity", "matured")
