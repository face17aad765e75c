"""The benchmark's workload asked of Covenant: the deal in force on the generated
fact sets' date, and the five answers `reference.evaluate` gives by hand: three on the
facts alone, one with the proposed transfer, one with the proposed corporate action
(an evaluation carries one proposed action, so the corporate action has its own)."""
from __future__ import annotations

from pathlib import Path

from generate import AS_OF

from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.facts import FactBase
from interpreter.evaluation.values import NONE
from interpreter.static.cache import checked_deal, version_compiler
from interpreter.versions.in_force import version_for

ROOT = Path(__file__).resolve().parents[2]
DEAL = str(ROOT / "agreements" / "bti")
ASKED = (("series_a_redemption", "redemption_price"), ("shareholders_2001", "investor_directors"),
         ("series_b_redemption", "redemption_price"))
LOCKUP = ("shareholders_2001", "investor_lockup")  # asked with the proposed transfer
CAPEX = ("shareholders_2001", "capital_expenditure_over_cap")  # with the proposed corporate action


def compiled_deal() -> CompiledDeal:
    """The BTI deal in force on AS_OF, compiled."""
    deal, written, key = checked_deal([DEAL])
    model, _ = version_for(deal, written, [], AS_OF, compile=version_compiler(key))
    return CompiledDeal(model)


def covenant_values(value):
    """A generated fact set (or transfer) in Covenant's values: Python's None, a fact
    given as none, is Covenant's NONE."""
    if value is None:
        return NONE
    if isinstance(value, dict):
        return {k: covenant_values(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(covenant_values(v) for v in value)
    return value


def make_evaluate(compiled: CompiledDeal):
    """Covenant's `evaluate(facts, transfer, action)` (each as `covenant_values` gives
    it): the same five answers as the reference. Like the reference, it runs in the
    decimal context its caller sets (34 digits, errors trapped) around the whole batch."""
    terms = [*ASKED, LOCKUP]
    readers = [compiled.reader(*term) for term in terms]
    over_cap = compiled.reader(*CAPEX)
    compiled.values(compiled.env(FactBase({}), AS_OF), [*terms, CAPEX])  # compiled once, on first use

    def evaluate(facts: dict, transfer: dict, action: dict) -> tuple:
        base = FactBase(facts)
        env = compiled.env(base, AS_OF, ("transfer", transfer))
        return (*(read(env) for read in readers), over_cap(compiled.env(base, AS_OF, ("corporate_action", action))))
    return evaluate
