"""The benchmark's hand-written reference (tests/benchmarks/reference.py) gives the
answers Covenant gives — compiled and explaining — on generated fact sets that sweep
every boundary the three rules have, so that the benchmark compares like with like."""
from __future__ import annotations

import decimal
import sys
from pathlib import Path

from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import FactBase

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate
import reference
import workload


def test_the_hand_written_rules_agree_with_covenant_on_generated_fact_sets():
    compiled = workload.compiled_deal()
    covenant = workload.make_evaluate(compiled)
    seen = set()
    with decimal.localcontext(decimal.Context(prec=34)):
        for facts, transfer in generate.fact_sets(600, seed=7):
            by_hand = reference.evaluate(facts, transfer, generate.AS_OF)
            assert covenant(*map(workload.covenant_values, (facts, transfer))) == by_hand, (facts, transfer)
            seen.add((by_hand[1], by_hand[2]))
    # The sweep reaches every board tier and both lock-up answers.
    assert {d for d, _ in seen} == {0, 1, 2, 3} and {p for _, p in seen} == {True, False}


def test_the_explaining_evaluator_agrees_too_on_a_few():
    compiled = workload.compiled_deal()
    for facts, transfer in generate.fact_sets(20, seed=11):
        explaining = Evaluator(compiled.model, FactBase(workload.covenant_values(facts)), generate.AS_OF,
                               ("transfer", workload.covenant_values(transfer)))
        answers = tuple(explaining.derive(*term).value for term in (*workload.ASKED, workload.LOCKUP))
        with decimal.localcontext(decimal.Context(prec=34)):  # Covenant's precision, for the reference too
            assert answers == reference.evaluate(facts, transfer, generate.AS_OF)
