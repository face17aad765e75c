"""The forms of time from the command line: one clear message for each misuse, and
what `eval` and `explain` say of a recurring obligation and a dated series."""
from __future__ import annotations

import json
from pathlib import Path

from tests.command_line import run_in_process

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = "tests/fixtures/time"
LOAN = f"{FIXTURES}/quarterly-reports.cov"
FACTS = f"{FIXTURES}/quarterly-reports.yaml"


def run(*args: str) -> tuple[int, str, str]:
    return run_in_process(args, ROOT)


def test_a_schedule_where_a_date_is_expected():
    code, _, err = run("check", f"{FIXTURES}/schedule-as-date.cov")
    assert code == 1 and "Traceback" not in err
    assert f"{FIXTURES}/schedule-as-date.cov:8:24: error: `next_payment` must be date, but this is schedule" in err
    assert "next_date(SCHEDULE, DATE)" in err


def test_a_series_read_without_a_date():
    code, _, err = run("check", f"{FIXTURES}/series-without-date.cov")
    assert code == 1
    assert f"{FIXTURES}/series-without-date.cov:8:20: error: cannot compare series of money with money" in err
    assert "read it at one, e.g. `NAME at as_of`" in err


def test_a_series_fact_with_a_bad_date():
    code, _, err = run("eval", LOAN, "--facts", f"{FIXTURES}/bad-series.yaml", "--as-of", "2001-12-31")
    assert code == 2 and "Traceback" not in err
    assert f"{FIXTURES}/bad-series.yaml:4:3: error: `cash` is a dated series: `2001-02-30` is not a date" in err


def test_eval_shows_the_instance_in_progress_and_every_missed_one():
    code, out, _ = run("eval", LOAN, "--facts", FACTS, "--as-of", "2002-02-01", "--json",
                       "deliver_quarterly_statements", "lowest_cash_2001")
    assert code == 0
    result = json.loads(out)
    value = result["loan.deliver_quarterly_statements"]["value"]
    assert value["status"] == "missed" and value["met"] == 1
    assert [(i["end"], i["deadline"], i["done"]) for i in value["missed"]] == [
        ("2001-06-30", "2001-08-14", "2001-08-20"), ("2001-09-30", "2001-11-14", None)]
    assert [i["end"] for i in value["pending"]] == ["2002-03-31"]
    assert result["loan.lowest_cash_2001"]["value"] == "4000000.00"


def test_explain_shows_how_each_performance_was_matched():
    code, out, _ = run("explain", LOAN, "--facts", FACTS, "--as-of", "2002-02-01", "deliver_quarterly_statements")
    assert code == 0
    assert "period 1 (2001-01-01 to 2001-03-31, date 2001-03-31), due 2001-05-15: met - performed on 2001-05-10" in out
    assert "period 2 (2001-04-01 to 2001-06-30, date 2001-06-30), due 2001-08-14: missed - performed late, on 2001-08-20" in out
    assert ("period 4 (2001-10-01 to 2001-12-31, date 2001-12-31): not_triggered - "
            "its condition does not hold for this period") in out
