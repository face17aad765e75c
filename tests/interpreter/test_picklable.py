"""Evaluation is a pure function of (deal, facts, date): the checked model and the
facts can be sent to another process and give the same answers there."""
import datetime as dt
import pickle
from pathlib import Path

from interpreter.evaluation.evaluator import Evaluator
from interpreter.versions.in_force import load_version

ROOT = Path(__file__).resolve().parents[2]


def test_model_and_facts_survive_pickling():
    date = dt.date(2007, 5, 1)
    model, facts = load_version([str(ROOT / "agreements" / "bti")],
                                [str(ROOT / "agreements/bti/examples/series-a-2007-redemption-demand.yaml")], date)
    here = Evaluator(model, facts, date).derive("series_a_redemption", "redemption_price")
    there = Evaluator(pickle.loads(pickle.dumps(model)), pickle.loads(pickle.dumps(facts)), date) \
        .derive("series_a_redemption", "redemption_price")
    assert there.value == here.value
    assert there.citation == here.citation
