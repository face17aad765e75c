"""Narrow questions with few facts: pinned terms, layered fact files, one .cov file at
a time, diff by path, the first answer of `eval`, and `needs` ranking — each run as a
user runs it (the command line, in this process)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.command_line import run_in_process

ROOT = Path(__file__).resolve().parents[2]
BTI = ROOT / "agreements" / "bti"
SERIES_A = BTI / "series-a-redemption.cov"
DEMAND = BTI / "examples" / "series-a-2007-redemption-demand.yaml"


class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(*args) -> Result:
    result = Result(*run_in_process(args))
    assert "Traceback" not in result.err
    return result


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- pinned terms ---------------------------------------------------------------------

def test_a_pinned_term_is_used_downstream_and_explained(tmp_path):
    pin = write(tmp_path, "pin.yaml", "series_a_redemption.liquidity_exercise_date: 2008-01-10\n")
    result = run("eval", SERIES_A, "--facts", pin, "--as-of", "2008-03-01", "--json",
                 "liquidity_exercise_date", "redemption_notice_deadline")
    data = json.loads(result.out)
    assert data["series_a_redemption.liquidity_exercise_date"]["value"] == "2008-01-10"
    assert data["series_a_redemption.liquidity_exercise_date"]["given_at"] == f"{pin}:1"
    # "within 30 days after the Liquidity Exercise Date" runs from the given date
    assert data["series_a_redemption.redemption_notice_deadline"]["value"] == "2008-02-09"
    alone = run("explain", SERIES_A, "--facts", pin, "--as-of", "2008-03-01", "liquidity_exercise_date")
    assert f"given in {pin}:1 (not computed: the facts do not settle it)" in alone.out
    explained = run("explain", SERIES_A, "--facts", DEMAND, "--facts", pin, "--as-of", "2008-03-01",
                    "liquidity_exercise_date")
    assert f"given in {pin}:1 (the agreement would compute 2006-12-28 from the facts, § 1)" in explained.out


def test_a_pin_the_facts_contradict_is_a_warning_not_an_error(tmp_path):
    pin = write(tmp_path, "pin.yaml", "series_a_redemption.liquidity_exercise_date: 2008-01-10\n")
    result = run("eval", SERIES_A, "--facts", DEMAND, "--facts", pin, "--as-of", "2008-03-01",
                 "liquidity_exercise_date")
    assert result.code == 0
    assert f"{pin}:1:46: warning: `series_a_redemption.liquidity_exercise_date` is given as 2008-01-10, " \
           "but the agreement computes 2006-12-28" in result.err


def test_a_pin_that_agrees_gives_no_warning(tmp_path):
    pin = write(tmp_path, "pin.yaml", "series_a_redemption.liquidity_exercise_date: 2006-12-28\n")
    result = run("eval", SERIES_A, "--facts", DEMAND, "--facts", pin, "--as-of", "2008-03-01",
                 "liquidity_exercise_date")
    assert result.code == 0 and "warning" not in result.err


def test_a_pinned_term_is_type_checked_like_an_input(tmp_path):
    pin = write(tmp_path, "pin.yaml", "series_a_redemption.liquidity_exercise_date: soon\n")
    result = run("eval", SERIES_A, "--facts", pin, "liquidity_exercise_date")
    assert result.code == 2
    assert "must be a date written YYYY-MM-DD, not `soon`" in result.err and f"{pin}:1:" in result.err


def test_needs_of_a_pinned_term_needs_nothing(tmp_path):
    pin = write(tmp_path, "pin.yaml", "series_a_redemption.liquidity_exercise_date: 2008-01-10\n")
    result = run("needs", SERIES_A, "--facts", pin, "liquidity_exercise_date")
    assert "is given in" in result.out and "it needs no fact" in result.out


# ---- layered fact files -----------------------------------------------------------------

def test_later_fact_files_override_earlier_ones_key_by_key(tmp_path):
    over = write(tmp_path, "over.yaml", "third_appraisal: 36000000.00\n")
    base = run("eval", SERIES_A, "--facts", DEMAND, "--as-of", "2007-05-01", "--json", "clamped_third_appraisal")
    layered = run("eval", SERIES_A, "--facts", DEMAND, "--facts", over, "--as-of", "2007-05-01", "--json",
                  "clamped_third_appraisal", "board_appraisal")
    assert json.loads(base.out)["series_a_redemption.clamped_third_appraisal"]["value"] == "40000000.00"
    data = json.loads(layered.out)
    # between the other two appraisals, so not clamped; the other facts still come from the base file
    assert data["series_a_redemption.clamped_third_appraisal"]["value"] == "36000000.00"
    assert data["series_a_redemption.board_appraisal"]["value"] == "30000000.00"
    explained = run("explain", SERIES_A, "--facts", DEMAND, "--facts", over, "--as-of", "2007-05-01",
                    "--json", "clamped_third_appraisal")
    assert json.loads(explained.out)["facts"]["series_a_redemption.third_appraisal"] == "36000000.00"


def test_a_plain_and_a_qualified_key_for_one_input_in_one_file_is_an_error(tmp_path):
    both = write(tmp_path, "both.yaml", "third_appraisal: 1.00\nseries_a_redemption.third_appraisal: 2.00\n")
    result = run("eval", SERIES_A, "--facts", both, "redemption_price")
    assert result.code == 2
    assert f"{both}:2:1: error: `series_a_redemption.third_appraisal` is given twice in this file, " \
           "as `third_appraisal` and as `series_a_redemption.third_appraisal`" in result.err


def test_the_same_key_in_two_files_is_an_override_not_an_error(tmp_path):
    one = write(tmp_path, "one.yaml", "third_appraisal: 1.00\n")
    two = write(tmp_path, "two.yaml", "series_a_redemption.third_appraisal: 2.00\n")
    assert run("eval", SERIES_A, "--facts", one, "--facts", two, "three_appraisal_value").code == 0


def test_a_fact_of_an_agreement_of_the_folder_not_loaded_is_a_warning(tmp_path):
    facts = write(tmp_path, "deal.yaml", "third_appraisal: 36000000.00\nsplit_factor_since_2001: 5\n")
    result = run("eval", SERIES_A, "--facts", facts, "three_appraisal_value")
    assert result.code == 0
    assert "warning: `split_factor_since_2001` is an input of an agreement in the deal's folder that is " \
           "not loaded; passed over" in result.err
    unknown = write(tmp_path, "bad.yaml", "no_such_fact_anywhere: 5\n")
    assert run("eval", SERIES_A, "--facts", unknown, "three_appraisal_value").code == 2


# ---- one file at a time -------------------------------------------------------------------

def test_a_file_alone_loads_what_it_refers_to_from_its_folder_and_says_so():
    result = run("eval", SERIES_A, "--facts", DEMAND, "--as-of", "2007-05-01", "redemption_price")
    assert result.code == 0, result.err
    assert "note: also loaded indenture_1997 from" in result.err and "(series_a_redemption refers to it)" in result.err
    assert "redemption_price = $40,000,000.00" in result.out


@pytest.mark.parametrize("file, loaded", [
    ("first-supplemental-indenture-2001.cov", "indenture_1997"),   # amends
    ("shareholders-2001.cov", "shareholders_1999"),               # restates
])
def test_an_amendment_or_a_restatement_checks_alone(file, loaded):
    result = run("check", BTI / file)
    assert result.code == 0, result.err
    assert loaded in result.out


def test_an_agreement_not_loaded_is_named_as_such(tmp_path):
    lone = tmp_path / "series-a.cov"
    shutil.copy(SERIES_A, lone)
    result = run("check", lone)
    assert result.code == 1
    assert "`indenture_1997.notes_repaid_date` names agreement `indenture_1997`, which is not loaded" in result.err
    assert "declare it as an `input`" not in result.err


# ---- diff by path -----------------------------------------------------------------------------

def test_diff_of_two_files_declaring_the_same_agreement(tmp_path):
    draft = tmp_path / "bti" / "series-a-draft.cov"
    shutil.copytree(BTI, tmp_path / "bti", ignore=shutil.ignore_patterns("examples", "source"))
    draft.write_text(SERIES_A.read_text(encoding="utf-8").replace("$200_000_000", "$150_000_000"), encoding="utf-8")
    result = run("diff", draft, SERIES_A)
    assert result.code == 0, result.err
    assert f"diff {draft}:series_a_redemption -> {SERIES_A}:series_a_redemption" in result.out
    assert "$150,000,000.00 -> $200,000,000.00" in result.out
    same = run("diff", SERIES_A, SERIES_A)
    assert "no differences" in same.out


def test_diff_notes_a_conditional_amendment_not_in_effect():
    result = run("diff", BTI, "indenture_1997@2001-10-25", "indenture_1997@2001-11-01", "--facts",
                 BTI / "examples" / "series-a-2007-redemption-demand.yaml")
    assert result.code == 0, result.err
    assert "note: first_supplemental_2001 (amends indenture_1997) is not in effect on 2001-11-01" in result.out


# ---- eval's first answer, needs -------------------------------------------------------------

def test_eval_prints_known_terms_then_the_missing_facts_ranked():
    result = run("eval", BTI, "--facts", DEMAND, "--as-of", "2007-05-01")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    summary = lines.index(next(line for line in lines if line.startswith("Not known yet:")))
    counts = [int(line.split(": ", 1)[1].split(" term")[0]) for line in lines[summary + 1:]
              if line.startswith("  ") and " term" in line and not line.startswith("  ...")]
    assert counts == sorted(counts, reverse=True)  # ranked
    assert all("unknown" not in line for line in lines[:summary])  # the known results first
    assert "  redemption_price = $40,000,000.00    § 2(a)(i)" in lines


def test_needs_marks_inputs_that_take_their_default(tmp_path):
    facts = write(tmp_path, "f.yaml", "board_appraisal: 1.00\n")
    result = run("needs", SERIES_A, "--facts", facts, "--json", "redemption_price")
    rows = {r["input"]: r for r in json.loads(result.out)["inputs"]}
    assert rows["series_a_redemption.market"]["state"] == "default"
    assert rows["series_a_redemption.holders_appraisal"]["state"] == "needed now"
    assert rows["series_a_redemption.conversion_shares"]["required"] is True
    assert rows["series_a_redemption.board_appraisal"]["state"] == "given"
    states = [r["state"] for r in json.loads(result.out)["inputs"]]
    assert states == sorted(states, key=["needed now", "default", "not needed now", "given"].index)


BASE = """agreement base "Base"
  dated 2001-01-01

§ 1 "Term"
  maturity: date = date_hereof + 5 years   § 1
§ 2 "Fee"
  fee: money = $100   § 2
"""
AMENDMENT = """agreement amend1 "First Amendment"
  dated 2002-01-01
  amends base

§ 1 "Amendments"
  delete section § 2   § 1(a)
"""


def test_eval_of_a_term_an_amendment_removed_names_the_amendment_and_answers_the_others(tmp_path):
    write(tmp_path, "base.cov", BASE)
    write(tmp_path, "amend.cov", AMENDMENT)
    before = run("eval", tmp_path, "--as-of", "2001-06-01", "fee")
    assert before.code == 0 and "fee = $100.00" in before.out
    result = run("eval", tmp_path, "--as-of", "2002-06-01", "base.fee", "base.maturity")
    assert result.code == 1  # a finding: one name is not answered
    assert "`base.fee` is not in force on 2002-06-01: amend1 § 1(a) removed it" in result.err
    assert "maturity = 2006-01-01" in result.out


def test_a_table_without_otherwise_is_a_check_warning(tmp_path):
    path = write(tmp_path, "t.cov", 'agreement t "T"\ninput k: bool "k"\n§ 1 "One"\n'
                                    '  tier: count = first\n    when k -> 1   § 1(a)\n')
    result = run("check", path)
    assert result.code == 0
    assert f"{path}:5:5: warning: the table of `tier` has no `otherwise` row: when no row applies it is none" \
        in result.err
    with_otherwise = write(tmp_path, "u.cov", 'agreement u "U"\ninput k: bool "k"\n§ 1 "One"\n'
                                              '  tier: count = first\n    when k -> 1   § 1(a)\n'
                                              '    otherwise -> 0   § 1(b)\n')
    assert "otherwise" not in run("check", with_otherwise).err


def test_the_repl_sets_a_term_too():
    import subprocess
    import sys

    entries = (":set series_a_redemption.liquidity_exercise_date = 2008-01-10\nredemption_notice_deadline\n"
               ":explain liquidity_exercise_date\n:unset liquidity_exercise_date\nredemption_notice_deadline\n"
               ":set redemption_notice_deadline = soon\n")
    done = subprocess.run([sys.executable, "-m", "interpreter", "repl", str(SERIES_A), "--facts", str(DEMAND),
                           "--as-of", "2008-03-01"], input=entries, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    lines = done.stdout.splitlines()
    assert lines[0] == "series_a_redemption.liquidity_exercise_date = 2008-01-10"
    assert lines[1] == "2008-02-09  [§ 1]"  # 30 days after the given date
    assert "  given in the prompt (:set) (the agreement would compute 2006-12-28 from the facts, § 1)" in lines
    assert "2007-01-27  [§ 1]" in lines  # unset: computed again from the facts
    assert "`redemption_notice_deadline` must be a date written YYYY-MM-DD, not `soon`" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_table_that_lists_every_member_of_an_enumeration_needs_no_otherwise(tmp_path):
    path = write(tmp_path, "t.cov", 'agreement t "T"\ntype Size = enum { small, large }\ninput s: Size "s"\n'
                                    '§ 1 "One"\n  n: count = first\n    when s == small -> 1   § 1(a)\n'
                                    '    when s == Size.large -> 2   § 1(b)\n')
    assert "otherwise" not in run("check", path).err


def test_explain_names_the_file_and_line_of_each_fact(tmp_path):
    over = write(tmp_path, "over.yaml", "# what if\nthird_appraisal: 36000000.00\n")
    result = run("explain", SERIES_A, "--facts", DEMAND, "--facts", over, "--as-of", "2007-05-01",
                 "clamped_third_appraisal")
    assert f"fact third_appraisal = $36,000,000.00  ({over}:2)" in result.out
    assert f"fact board_appraisal = $30,000,000.00  ({DEMAND}:" in result.out
    data = json.loads(run("explain", SERIES_A, "--facts", DEMAND, "--facts", over, "--as-of", "2007-05-01",
                          "--json", "clamped_third_appraisal").out)
    assert data["fact_origins"]["series_a_redemption.third_appraisal"] == f"{over}:2"


def test_the_repl_passes_over_facts_of_agreements_of_the_folder_not_loaded():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "interpreter", "repl", str(BTI / "shareholders-1999.cov"),
                           "--facts", str(DEMAND), "--as-of", "2000-03-01"], input="split_factor\n",
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1  [fact split_factor]")
    assert "Traceback" not in done.stderr


def test_eval_of_a_file_alone_lists_its_own_terms_not_those_it_brought_along():
    result = run("eval", SERIES_A, "--facts", DEMAND, "--as-of", "2007-05-01")
    assert result.code == 0, result.err
    assert result.out.startswith("Redemption Agreement (Series A Preferred Stock) (series_a_redemption")
    assert "indenture_1997" not in result.out
    assert "note: also loaded indenture_1997" in result.err


def test_a_restatement_alone_in_force_still_says_what_it_loaded():
    result = run("eval", BTI / "shareholders-2001.cov", "--as-of", "2002-03-01", "maximum_board_size")
    assert "note: also loaded shareholders_1999" in result.err
