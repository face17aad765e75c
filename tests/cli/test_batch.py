"""`covenant batch`: scenarios from CSV or JSON Lines layered over a base fact file,
results streamed in input order, bad rows reported by line, and the same answers as
single evaluations — in one process, in a pool of processes, and on Dask."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from interpreter.batch.job import cell_text
from interpreter.batch.scenarios import CHUNK
from interpreter.evaluation.evaluator import Evaluator
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal
from interpreter.versions.in_force import version_for
from tests.command_line import run_in_process

ROOT = Path(__file__).resolve().parents[2]
DEAL = str(ROOT / "agreements/bti")
BASE = str(ROOT / "agreements/bti/examples/series-a-2007-redemption-demand.yaml")
NAMES = ["series_a_redemption.redemption_price", "series_a_redemption.appraised_value",
         "series_a_redemption.appraisals_within_ten_percent", "series_a_redemption.deliver_redemption_notice",
         "shareholders_2001.investor_directors"]
COLUMNS = ["board_appraisal", "holders_appraisal", "third_appraisal", "notes_repaid_date",
           "series_a_redemption.tendered_shares", "as_of"]
ROWS = [
    ["30000000.00", "40000000.00", "36000000.00", "", "", ""],
    ["30000000.00", "32000000.00", "", "2006-03-31", "", ""],      # within 10%: the mean
    ["30000000.00", "33000001.00", "", "", "150000", ""],          # just over 10% of the lower
    ["", "", "none", "", "", "2006-12-01"],                        # before the exercise date
    ["30000000.00", "40000000.00", "", "none", "", "2001-06-30"],  # the 1999 agreement in force
    ["", "", "", "", "", ""],                                      # the base facts alone
]


def run(*args: str) -> tuple[int, str, str]:
    return run_in_process(args)


def write_csv(path: Path, columns, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


@lru_cache(maxsize=1)
def _written():
    deal = load_deal([DEAL])
    return deal, check_deal(deal)


def single(row: dict[str, str]) -> list[str]:
    """Each name's value for one row, evaluated alone as `covenant eval` would (the
    row's facts layered over the base file's, as a second fact file), as a cell."""
    given = {k: v for k, v in row.items() if v and k != "as_of"}
    base = yaml.compose(Path(BASE).read_text())
    overrides = yaml.compose("\n".join(f"{k}: {v}" for k, v in given.items()) or "{}")
    deal, written = _written()
    date = dt.date.fromisoformat(row.get("as_of") or "2007-05-01")
    model, facts = version_for(deal, written, [(BASE, base), ("<row>", overrides)], date)
    evaluator = Evaluator(model, facts, date)
    return [cell_text(d.value, d.type) for d in (evaluator.derive(*model.locate(n)) for n in NAMES)]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> Path:
    return write_csv(tmp_path_factory.mktemp("batch") / "scenarios.csv", COLUMNS, ROWS)


def batch(scenarios: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run("batch", DEAL, "--facts", BASE, "--as-of", "2007-05-01", "--scenarios", str(scenarios),
               "--out", str(out), "--names", *NAMES, *extra)


def test_results_are_those_of_single_evaluations_in_input_order(scenarios, tmp_path):
    code, _, err = batch(scenarios, tmp_path / "out.csv")
    assert code == 0, err
    lines = read_csv(tmp_path / "out.csv")
    assert lines[0] == ["line", *NAMES]
    assert [row[0] for row in lines[1:]] == ["2", "3", "4", "5", "6", "7"]
    for row, got in zip(ROWS, lines[1:], strict=True):
        assert got[1:] == single(dict(zip(COLUMNS, row, strict=True))), row
    assert "6 rows answered, 5 names each" in err


def test_the_values_sweep_both_sides_of_the_ten_percent_rule(scenarios, tmp_path):
    batch(scenarios, tmp_path / "out.csv")
    within = {row[0]: row[3] for row in read_csv(tmp_path / "out.csv")[1:]}
    assert (within["3"], within["4"]) == ("true", "false")


def test_worker_processes_give_the_same_file(scenarios, tmp_path):
    batch(scenarios, tmp_path / "one.csv")
    code, _, err = batch(scenarios, tmp_path / "two.csv", "--workers", "2")
    assert code == 0, err
    assert (tmp_path / "two.csv").read_text() == (tmp_path / "one.csv").read_text()


def test_json_lines_in_and_out(tmp_path):
    source = tmp_path / "s.jsonl"
    source.write_text('{"third_appraisal": 36000000.00}\n\n{"third_appraisal": null, "notes_repaid_date": null}\n')
    code, _, err = run("batch", DEAL, "--facts", BASE, "--as-of", "2007-05-01", "--scenarios", str(source),
                       "--out", str(tmp_path / "o.jsonl"), "--names", "series_a_redemption.redemption_price",
                       "series_a_redemption.liquidity_exercise_date")
    assert code == 0, err
    first, second = (json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines())
    assert first == {"line": 1, "values": {"series_a_redemption.redemption_price": "38000000.00",
                                           "series_a_redemption.liquidity_exercise_date": "2006-12-28"}}
    assert second["line"] == 3
    assert second["values"]["series_a_redemption.redemption_price"] is None


def test_an_unknown_result_says_what_it_needs(tmp_path):
    source = write_csv(tmp_path / "s.csv", ["board_appraisal"], [["30000000"]])
    code, _, err = run("batch", DEAL, "--as-of", "2007-05-01", "--scenarios", str(source),
                       "--out", str(tmp_path / "o.jsonl"), "--names", "series_a_redemption.appraised_value")
    assert code == 0, err
    record = json.loads((tmp_path / "o.jsonl").read_text())
    assert record["values"] == {"series_a_redemption.appraised_value": None}
    needs = record["unknown"]["series_a_redemption.appraised_value"]
    assert needs and "board_appraisal" not in needs  # what is missing, not what the row gave


def test_a_bad_row_is_reported_by_its_line_and_skipped(tmp_path):
    source = write_csv(tmp_path / "s.csv", ["third_appraisal"], [["36000000"], ["lots"], ["37000000"]])
    code, _, err = batch(source, tmp_path / "o.csv")
    assert code == 1
    assert f"{source}:3:1: error: `third_appraisal` must be an amount such as 12500000.00, not `lots`" in err
    assert "Traceback" not in err
    assert [r[0] for r in read_csv(tmp_path / "o.csv")[1:]] == ["2", "4"]
    assert "2 rows answered" in err and "1 skipped" in err


def test_on_error_stop_writes_nothing(tmp_path):
    source = write_csv(tmp_path / "s.csv", ["third_appraisal"], [["36000000"], ["lots"]])
    code, _, err = batch(source, tmp_path / "o.csv", "--on-error", "stop")
    assert code == 2
    assert ":3:1: error:" in err and "nothing written" in err
    assert not (tmp_path / "o.csv").exists()
    assert list(tmp_path.iterdir()) == [source]  # no partial file left behind


@pytest.mark.parametrize(("content", "message"), [
    ("third_apraisal\n1\n", "unknown column `third_apraisal`"),
    ("third_appraisal,board_appraisal\n1\n", "row has 1 cells where the header names 2"),
    ('{"third_appraisal": 1\n', "malformed JSON"),
    ('["third_appraisal"]\n', "a line must be a JSON object"),
    ('{"as_of": "May 1st"}\n', "`as_of` must be a date written YYYY-MM-DD"),
])
def test_bad_input_is_one_clear_message(tmp_path, content, message):
    source = tmp_path / ("s.jsonl" if content.startswith(("{", "[")) else "s.csv")
    source.write_text(content)
    code, _, err = batch(source, tmp_path / "o.csv")
    assert code in (1, 2)
    assert message in err and "Traceback" not in err
    if "unknown column" in message:
        assert "did you mean `third_appraisal`" in err


def test_bad_usage(tmp_path, scenarios):
    assert batch(scenarios, tmp_path / "o.txt")[0] == 2
    assert batch(tmp_path / "missing.csv", tmp_path / "o.csv")[0] == 2
    assert batch(scenarios, tmp_path / "o.csv", "--workers", "0")[0] == 2
    code, _, err = run("batch", DEAL, "--scenarios", str(scenarios), "--out", str(tmp_path / "o.csv"),
                       "--names", "redemption_price")
    assert code == 2 and "qualify it" in err


def test_on_dask_with_a_local_cluster_of_two_workers(scenarios, tmp_path):
    pytest.importorskip("dask.distributed")
    batch(scenarios, tmp_path / "one.csv")
    code, _, err = batch(scenarios, tmp_path / "dask.csv", "--dask", "local", "--workers", "2")
    assert code == 0, err
    assert (tmp_path / "dask.csv").read_text() == (tmp_path / "one.csv").read_text()


def test_a_progress_bar_on_a_terminal(scenarios, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "interpreter", "batch", DEAL, "--facts", BASE, "--as-of",
                                           "2007-05-01", "--scenarios", str(scenarios), "--out",
                                           str(tmp_path / "o.csv"), "--names", NAMES[0]],
                          cwd=str(ROOT), encoding="utf-8", timeout=60)
    child.expect(r"6/6 \[")  # tqdm: rows done of the rows counted, then the times
    child.expect("6 rows answered")
    child.expect(pexpect.EOF)


def test_rows_on_both_sides_of_an_amendments_condition(tmp_path):
    """First Supplemental Indenture, Art. 3: its amendments "shall become effective only
    upon the acceptance of the Notes for purchase" — each row's facts decide which
    version of the indenture it is evaluated in, as `eval` decides it."""
    base = str(ROOT / "agreements/bti/examples/indenture-2001-tender-offer.yaml")
    columns = ["notes_accepted_in_tender_offer", "covenant_default_notice", "covenant_notice_from_trustee",
               "covenant_default_cured", "covenant_default_is_of_section_4_15",
               "covenant_defeasance_conditions_met", "as_of"]
    rows = [[accepted, "2001-09-01", "true", "none", "true", "true", as_of]
            for accepted in ("true", "false") for as_of in ("2001-10-25", "2001-11-01")]
    source = write_csv(tmp_path / "s.csv", columns, rows)
    name = "indenture_1997.covenant_default_is_event_of_default"
    code, _, err = run("batch", DEAL, "--facts", base, "--scenarios", str(source), "--out",
                       str(tmp_path / "o.csv"), "--names", name)
    assert code == 0, err
    got = [line[1] for line in read_csv(tmp_path / "o.csv")[1:]]
    assert got == ["true", "false", "true", "true"]  # defeasance only once accepted, from 2001-10-26
    for row, value in zip(rows, got, strict=True):
        facts = tmp_path / "row.yaml"
        facts.write_text("\n".join(f"{k}: {v}" for k, v in zip(columns[:-1], row[:-1], strict=True)))
        code, out, _ = run("eval", DEAL, "--facts", base, "--facts", str(facts), "--as-of", row[-1], "--json", name)
        assert json.loads(out)[name]["value"] == (value == "true")


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_workers_keep_the_input_order_across_chunks_and_report_bad_rows_by_line(tmp_path, kind):
    """Rows go to the workers in chunks (scenarios.CHUNK: CSV rows as read, JSON Lines
    as ranges of the file each worker reads itself, here with Windows line ends); the
    answers come back in the input order, and a bad row in any chunk is reported at
    its own line."""
    count = 2 * CHUNK + 50
    bad = {7, CHUNK + 1, 2 * CHUNK + 3}  # data rows: in the first, second and third chunk
    values = ["lots" if n in bad else f"{30_000_000 + 1000 * n}.00" for n in range(1, count + 1)]
    if kind == "csv":
        source = write_csv(tmp_path / "s.csv", ["third_appraisal"], [[v] for v in values])
        line_of = {n: n + 1 for n in range(1, count + 1)}  # line 1 is the header
    else:
        source = tmp_path / "s.jsonl"
        source.write_bytes("".join(json.dumps({"third_appraisal": v}) + "\r\n" for v in values).encode())
        line_of = {n: n for n in range(1, count + 1)}
    one = batch(source, tmp_path / "one.csv")
    two = batch(source, tmp_path / "two.csv", "--workers", "2")
    assert one[0] == two[0] == 1
    assert (tmp_path / "two.csv").read_text() == (tmp_path / "one.csv").read_text()
    lines = [int(r[0]) for r in read_csv(tmp_path / "two.csv")[1:]]
    assert lines == [line_of[n] for n in range(1, count + 1) if n not in bad]
    reported = [int(line.split(":")[1]) for line in two[2].splitlines() if ": error: " in line]
    assert reported == sorted(line_of[n] for n in bad)
    assert f"{count - 3} rows answered" in two[2] and "3 skipped" in two[2]


@pytest.mark.parametrize("problem", ["long", "undecodable"])
def test_a_worker_that_cannot_read_its_range_stops_the_batch_with_one_message(tmp_path, problem):
    """A range a worker reads (not the first, which this process evaluates) holds a line
    over the limit or a byte that is not UTF-8: one message, as with one worker, and
    nothing written."""
    good = b'{"third_appraisal": "36000000.00"}\n' * (CHUNK + 50)
    bad = b'{"third_appraisal": "' + (b"9" * 1_000_001 if problem == "long" else b"\xff") + b'"}\n'
    source = tmp_path / "s.jsonl"
    source.write_bytes(good + bad + good)
    expected = (f"s.jsonl:{CHUNK + 51}:1: error: line {CHUNK + 51} is longer than 1,000,000 characters"
                if problem == "long" else "error: cannot read scenario file")
    for workers in ("1", "2"):
        code, _, err = batch(source, tmp_path / "o.csv", "--workers", workers)
        assert code == 2 and expected in err and "Traceback" not in err, err
        assert not (tmp_path / "o.csv").exists()
