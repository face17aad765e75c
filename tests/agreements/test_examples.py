"""The bundled example fact bases and proposed actions: each one works from the
command line as the README shows, on the moment of the deal it describes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "agreements" / "bti" / "examples"

# Each example fact base and the date it describes.
MOMENTS = {
    "series-a-2007-redemption-demand.yaml": "2007-05-01",
    "series-b-2008-redemption-demand.yaml": "2008-06-02",
    "indenture-2001-tender-offer.yaml": "2001-10-26",
    "shareholders-1999-march-2000.yaml": "2000-03-31",
    "shareholders-2001-after-series-b-closing.yaml": "2001-01-20",
    "shareholders-2002-liquidity-crisis.yaml": "2002-07-15",
}


def covenant(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interpreter", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_every_example_fact_base_is_listed_here():
    assert {p.name for p in EXAMPLES.glob("*.yaml")} == set(MOMENTS)


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_example_evaluates_every_term_of_the_deal(name):
    done = covenant("eval", "agreements/bti", "--facts", str(EXAMPLES / name), "--as-of", MOMENTS[name], "--json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results and all({"value", "type", "citation", "needs"} <= set(r) for r in results.values())
    assert any(r["state"] == "known" for r in results.values())


def test_the_2007_redemption_demand_answers_the_redemption_price_with_its_citation():
    done = covenant("eval", "agreements/bti", "--facts", str(EXAMPLES / "series-a-2007-redemption-demand.yaml"),
                    "--as-of", "2007-05-01", "--json", "series_a_redemption.redemption_price")
    result = json.loads(done.stdout)["series_a_redemption.redemption_price"]
    assert result["value"] == "40000000.00" and result["citation"] == "§ 2(a)(i)"


@pytest.mark.parametrize("action, verdict, code, deciding", [
    ("investor-sells-to-competitor-2000.yaml", "prohibited", 1,
     {"shareholders_1999.investor_lockup", "shareholders_1999.investor_no_competitor"}),
    ("investor-distributes-to-limited-partners-2000.yaml", "permitted", 0, set()),
    ("investor-sells-to-affiliate-that-competes-2000.yaml", "permitted", 0, set()),
    ("investor-sells-in-sale-of-company-2000.yaml", "permitted", 0, set()),
    ("hire-coo-before-qpo-2000.yaml", "needs_approval", 0, {"shareholders_1999.pre_qpo_senior_hire"}),
])
def test_example_actions_in_2000(action, verdict, code, deciding):
    done = covenant("ask", "agreements/bti", "--facts", str(EXAMPLES / "shareholders-1999-march-2000.yaml"),
                    "--action", str(EXAMPLES / "actions" / action), "--as-of", "2000-06-15", "--json")
    assert done.returncode == code, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == verdict
    barring = {n["name"] for n in answer["norms"] if n["applies"] and n["kind"] in ("prohibit", "approval")}
    assert barring == deciding


def test_a_transferee_of_several_descriptions_typed_on_the_command_line():
    """`transferee=[a, b]` on the command line is the list an action file would give:
    a member of the Investor that is also a Competitor is a Section 2 transferee, yet
    Section 4(c) still bars the Series A (4(e) lifts it for affiliates and limited
    partners only)."""
    done = covenant("ask", "agreements/bti", "--facts", str(EXAMPLES / "shareholders-1999-march-2000.yaml"),
                    "--as-of", "2000-06-15", "--json", "transfer", "transferor=investor",
                    "transferee=[partner_or_member, competitor]", "share_class=series_a_preferred",
                    "shares=1000", "date=2000-06-15", "joinder=true", "securities_law_compliant=true")
    assert done.returncode == 1, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == "prohibited"
    assert {n["name"] for n in answer["norms"] if n["applies"] and n["kind"] == "prohibit"} == {
        "shareholders_1999.investor_no_competitor"}


def test_a_single_description_where_a_list_is_declared_gets_a_hint():
    done = covenant("ask", "agreements/bti", "--facts", str(EXAMPLES / "shareholders-1999-march-2000.yaml"),
                    "--as-of", "2000-06-15", "transfer", "transferor=investor", "transferee=affiliate",
                    "date=2000-06-15")
    assert done.returncode == 2
    assert "`transfer.transferee` must be a list" in done.stderr
    assert "write `[a, b]`" in done.stderr and "Traceback" not in done.stderr
