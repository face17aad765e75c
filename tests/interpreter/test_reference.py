"""The benchmark's hand-written reference (tests/benchmarks/reference.py) gives the
answers Covenant gives — compiled and explaining — on generated fact sets that sweep
every boundary the five rules have, so that the benchmark compares like with like."""
from __future__ import annotations

import datetime as dt
import decimal
import sys
from pathlib import Path

from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate
import reference
import workload

B = "series_b_redemption.series_b_"


def _series_b_float(facts: dict) -> decimal.Decimal:
    """The Series B public float the market test reads: (x) plus (y) at the last closing price."""
    shares = facts[B + "registered_public_shares"] + facts[B + "unregistered_tradable_shares"]
    return shares * facts[B + "trading_days"][-1]["closing_price"]


def _fiscal_quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def test_the_hand_written_rules_agree_with_covenant_on_generated_fact_sets():
    compiled = workload.compiled_deal()
    covenant = workload.make_evaluate(compiled)
    tiers, lockups, float_sides, cap_sides = set(), set(), set(), set()
    with decimal.localcontext(decimal.Context(prec=34)):
        for facts, transfer, action in generate.fact_sets(600, seed=7):
            by_hand = reference.evaluate(facts, transfer, action, generate.AS_OF)
            assert covenant(*map(workload.covenant_values, (facts, transfer, action))) == by_hand, \
                (facts, transfer, action)
            tiers.add(by_hand[1])
            lockups.add(by_hand[3])
            value = _series_b_float(facts)
            float_sides.add("at" if value == 250_000_000 else value > 250_000_000)
            if "capital_expenditure" in action["kind"] and dt.date(2001, 1, 1) <= action["date"] <= dt.date(2002, 12, 31):
                cap_sides.add((_fiscal_quarter(action["date"]), by_hand[4]))
    # The sweep reaches every board tier, both lock-up answers, both sides of the
    # Series B's $250 million test, and both sides of the cap in every fiscal quarter
    # of 2001 and 2002.
    assert tiers == {0, 1, 2, 3} and lockups == {True, False}
    assert {True, False} <= float_sides
    assert cap_sides == {((year, q), over) for year in (2001, 2002) for q in (1, 2, 3, 4) for over in (True, False)}


def test_the_sweep_puts_a_proposed_expenditure_on_both_sides_of_every_quarter_boundary():
    seen = {action["date"] for _, _, action in generate.fact_sets(600, seed=7)}
    for start in generate.QUARTER_STARTS:
        assert start in seen and start - dt.timedelta(days=1) in seen, start


def test_the_explaining_evaluator_agrees_too_on_a_few():
    compiled = workload.compiled_deal()
    for facts, transfer, action in generate.fact_sets(20, seed=11):
        base = FactBase(workload.covenant_values(facts))
        explaining = Evaluator(compiled.model, base, generate.AS_OF, ("transfer", workload.covenant_values(transfer)))
        answers = tuple(explaining.derive(*term).value for term in (*workload.ASKED, workload.LOCKUP))
        proposed = Evaluator(compiled.model, base, generate.AS_OF,
                             ("corporate_action", workload.covenant_values(action)))
        answers += (proposed.derive(*workload.CAPEX).value,)
        with decimal.localcontext(decimal.Context(prec=34)):  # Covenant's precision, for the reference too
            assert answers == reference.evaluate(facts, transfer, action, generate.AS_OF)
