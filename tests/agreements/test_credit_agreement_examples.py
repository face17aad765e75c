"""The second deal (agreements/coned: a 2020 credit agreement and its Commitment
Increase Supplement) from the command line, as a new user would use it: each example
moment's compliance, pricing level, fee and defaults; the example proposed actions;
the timeline; the diff of the agreement against its amendment; the REPL."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEAL = "agreements/coned"
EXAMPLES = ROOT / DEAL / "examples"

MOMENTS = {
    "q2-2020-compliant.yaml": "2020-08-14",
    "q3-2020-reporting-cure-period.yaml": "2020-12-01",
    "q2-2020-rating-downgrade.yaml": "2020-05-20",
}


def covenant(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interpreter", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def evaluate(moment: str, *names: str) -> dict:
    done = covenant("eval", DEAL, "--facts", str(EXAMPLES / moment), "--as-of", MOMENTS[moment], "--json", *names)
    assert done.returncode == 0, done.stderr
    return {key.split(".", 1)[1]: value for key, value in json.loads(done.stdout).items()}


def test_every_example_fact_base_is_listed_here():
    assert {p.name for p in EXAMPLES.glob("*.yaml")} == set(MOMENTS)


def test_a_compliant_quarter():
    got = evaluate("q2-2020-compliant.yaml", "debt_to_capital_complies", "pricing_level", "facility_fee_for_period",
                   "pay_facility_fee", "deliver_quarterly_statements", "event_of_default", "default_exists",
                   "total_commitments")
    assert got["debt_to_capital_complies"]["value"] is True and got["debt_to_capital_complies"]["citation"] == "§ 5.10"
    assert got["pricing_level"]["value"] == "level_iii"
    assert got["facility_fee_for_period"]["value"] == "253125.00"
    assert got["pay_facility_fee"]["value"]["status"] == "met"
    reports = got["deliver_quarterly_statements"]["value"]
    assert reports["met"] == 1 and reports["pending"][0]["deadline"] == "2020-11-19"
    assert got["event_of_default"]["value"] is False and got["default_exists"]["value"] is False
    assert got["total_commitments"]["value"] == "820000000.00"


def test_a_quarter_in_its_cure_period():
    got = evaluate("q3-2020-reporting-cure-period.yaml", "deliver_quarterly_statements", "cure_period_ends",
                   "eod_other_covenant", "default_exists", "event_of_default")
    missed = got["deliver_quarterly_statements"]["value"]["missed"]
    assert [(m["end"], m["deadline"], m["done"]) for m in missed] == [("2020-09-30", "2020-11-19", None)]
    assert got["cure_period_ends"]["value"] == "2020-12-20" and got["cure_period_ends"]["citation"] == "§ 6.01(c)"
    assert got["eod_other_covenant"]["value"] is False
    assert got["default_exists"]["value"] is True and got["event_of_default"]["value"] is False


def test_a_rating_downgrade_that_moves_the_pricing_grid():
    got = evaluate("q2-2020-rating-downgrade.yaml", "applicable_rating", "pricing_level", "facility_fee_rate",
                   "euro_dollar_margin", "facility_fee_for_period")
    assert got["applicable_rating"]["value"] == "bbb_plus"
    assert got["pricing_level"]["value"] == "level_iv"
    assert got["facility_fee_rate"]["value"] == "0.002" and got["euro_dollar_margin"]["value"] == "0.013"
    assert got["facility_fee_for_period"]["value"] == "162500.00"


@pytest.mark.parametrize("action, moment, as_of, verdict, code, deciding", [
    ("lien-general-basket-2020.yaml", "q2-2020-compliant.yaml", "2020-08-14", "prohibited", 1,
     {"credit_agreement_2020.negative_pledge"}),
    ("commitment-increase-2020.yaml", "q2-2020-compliant.yaml", "2020-06-29", "prohibited", 1,
     {"credit_agreement_2020.increase_cap"}),
    ("amendment-extend-maturity-2020.yaml", "q2-2020-compliant.yaml", "2020-08-14", "needs_approval", 0,
     {"credit_agreement_2020.amendment_required_lenders", "credit_agreement_2020.amendment_affected_lenders"}),
    ("merger-2020.yaml", "q3-2020-reporting-cure-period.yaml", "2020-11-20", "prohibited", 1,
     {"credit_agreement_2020.merger_restriction"}),
])
def test_example_actions(action, moment, as_of, verdict, code, deciding):
    done = covenant("ask", DEAL, "--facts", str(EXAMPLES / moment), "--action", str(EXAMPLES / "actions" / action),
                    "--as-of", as_of, "--json")
    assert done.returncode == code, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == verdict
    barring = {n["name"] for n in answer["norms"] if n["applies"] and n["kind"] in ("prohibit", "require", "approval")}
    assert barring == deciding


def test_every_example_action_is_asked_above():
    assert {p.name for p in (EXAMPLES / "actions").glob("*.yaml")} == {
        "lien-general-basket-2020.yaml", "commitment-increase-2020.yaml",
        "amendment-extend-maturity-2020.yaml", "merger-2020.yaml"}


def test_the_timeline_shows_the_periodic_deadlines():
    done = covenant("timeline", DEAL, "--facts", str(EXAMPLES / "q3-2020-reporting-cure-period.yaml"),
                    "--as-of", "2020-12-01")
    assert done.returncode in (0, 1), done.stderr
    lines = done.stdout.splitlines()
    for day, words in [("2020-07-02", "pay the facility fee"), ("2020-08-19", "deliver the consolidated financial"),
                       ("2020-11-19", "deliver the consolidated financial"), ("2020-08-19", "Section 5.10 calculations"),
                       ("2020-11-19", "Section 5.10 calculations"), ("2020-12-20", "Cure period ends")]:
        assert any(day in line and words.lower() in line.lower() for line in lines), (day, words)


def test_the_amendment_against_the_agreement():
    done = covenant("diff", DEAL, "credit_agreement_2020@2020-06-25", "credit_agreement_2020@2020-06-27",
                    "--facts", str(EXAMPLES / "q2-2020-compliant.yaml"), "--json")
    assert done.returncode == 0, done.stderr
    text = json.dumps(json.loads(done.stdout))
    assert "commitment_increase_2020" in text and "total_commitments" in text
    assert "820,000,000" in text and "750,000,000" in text


def test_the_repl_answers_questions_on_the_deal():
    done = covenant("repl", DEAL, "--facts", str(EXAMPLES / "q2-2020-rating-downgrade.yaml"), "--as-of", "2020-05-20",
                    stdin="pricing_level\nbelow(applicable_rating, 1)\n:explain total_commitments\n")
    assert done.returncode == 0, done.stderr
    assert "level_iv" in done.stdout and "bbb" in done.stdout and "$750,000,000.00" in done.stdout


def test_batch_prices_a_list_of_rating_pairs(tmp_path):
    rows = tmp_path / "ratings.csv"
    rows.write_text("sp_rating,moodys_rating\naa,a2\na_minus,baa2\na,baa2\nbbb_minus,baa3\n", encoding="utf-8")
    out = tmp_path / "priced.csv"
    done = covenant("batch", DEAL, "--scenarios", str(rows), "--facts", str(EXAMPLES / "q2-2020-rating-downgrade.yaml"),
                    "--names", "pricing_level", "facility_fee_rate", "--out", str(out), "--as-of", "2020-05-20")
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()[1:]
    assert [line.split(",")[1:] for line in lines] == [
        ["level_i", "0.001"], ["level_iv", "0.002"], ["level_iii", "0.0015"], ["level_vi", "0.003"]]
