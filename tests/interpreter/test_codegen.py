"""The generated code of the fast back end (`codegen.py`, `codegen_terms.py`): what it
writes out itself — reading a term or fact once, computing a sub-expression written
twice once, writing a short rule out where it is read — gives the explaining
evaluator's answers, pins included; and an expression nested too deeply for Python's
compiler is still answered, the same way."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsl.errors import EvaluationProblem
from dsl.parser import parse
from interpreter.evaluation.compiled import CompiledDeal
from interpreter.evaluation.evaluator import Evaluator
from interpreter.evaluation.facts import parse_yaml, read_facts
from interpreter.static.deal import Deal
from interpreter.static.model import compile_deal
from tests.interpreter.test_compiled import assert_agree

AS_OF = dt.date(2002, 1, 1)

AGREEMENT = '''agreement x "Test"
  dated 2001-01-01

type Holding = record { day: date, shares: shares }
input holdings: list of Holding "holdings"
input price: money optional "a price"
input factor: decimal = 1 "a factor"
input flag: bool optional "a flag"
input divisor: decimal optional "a divisor"

threshold: shares = 6_000_000 * factor § 1
digits: decimal = 1.0 * factor * 0 + 1.00 * factor § 1
below: list of date = [h.day for h in holdings if h.shares < threshold] § 2
ended: date = if count([h.day for h in holdings if h.shares < threshold]) == 0 then none
  else min([h.day for h in holdings if h.shares < threshold]) § 2
in_effect: bool = not (ended <= as_of) § 2
scaled: list of money = [h.shares * (price / divisor) for h in holdings if h.shares > threshold / divisor] § 2
value: money = if flag then price * 2 else price § 3
both: bool = flag and price > $10 or flag is none § 3
tier: count =
  first
    when price >= $100 -> 3 § 4(a)
    when price >= $50 -> 2 § 4(b)
    otherwise -> 1 § 4(c)
exception to tier "ended" priority 1
  when not in_effect -> 0 § 5
'''

HOLDINGS = "holdings:\n  - {day: 2001-03-01, shares: 9000000}\n  - {day: 2001-09-01, shares: 5000000}\n"
CASES = {
    "everything given": HOLDINGS + "price: 120.00\nflag: true\n",
    "an unknown price, a flag not given": HOLDINGS,
    "a price of none": HOLDINGS + "price: none\nflag: false\n",
    "no holdings below the threshold": "holdings: []\nprice: 60.00\nfactor: 0.5\n",
    "a pinned rule, read where it is written out": HOLDINGS + "price: 60.00\nthreshold: 1\n",
    "a division by zero inside a comprehension": HOLDINGS + "price: 60.00\ndivisor: 0\n",
    "... that is never reached, the list being empty": "holdings: []\nprice: 60.00\ndivisor: 0\n",
    "a part of each item known once for all": HOLDINGS + "price: 60.00\ndivisor: 2\n",
}


@pytest.fixture(scope="module")
def model():
    agreement = parse(AGREEMENT, "t.cov")
    return compile_deal(Deal({agreement.id: agreement}, {"t.cov": AGREEMENT}))


def _facts(model, text: str):
    return read_facts(parse_yaml(text, "f.yaml"), "f.yaml", model)


@pytest.mark.parametrize("case", CASES)
def test_generated_code_agrees_with_the_explaining_evaluator(model, case):
    assert assert_agree(model, _facts(model, CASES[case]), AS_OF)


def test_a_part_of_each_item_computed_once_fails_only_where_it_is_reached(model):
    compiled = CompiledDeal(model)
    empty = compiled.env(_facts(model, CASES["... that is never reached, the list being empty"]), AS_OF)
    assert compiled.value(empty, "x", "scaled") == ()
    with pytest.raises(EvaluationProblem, match="division by zero"):
        compiled.value(compiled.env(_facts(model, CASES["a division by zero inside a comprehension"]), AS_OF),
                       "x", "scaled")
    kept = compiled.value(compiled.env(_facts(model, CASES["a part of each item known once for all"]), AS_OF),
                          "x", "scaled")
    assert kept == (Decimal(9_000_000) * Decimal(30), Decimal(5_000_000) * Decimal(30))


def test_a_pin_holds_where_a_rule_is_written_out(model):
    # `threshold` is short enough to be written out inside `below`: the pin still counts.
    facts = _facts(model, CASES["a pinned rule, read where it is written out"])
    compiled = CompiledDeal(model)
    env = compiled.env(facts, AS_OF)
    assert compiled.value(env, "x", "below") == ()  # no holding is below 1 share
    assert compiled.value(env, "x", "threshold") == Decimal(1)


def test_equal_expressions_written_differently_are_not_computed_once(model):
    # `1.0 * factor` and `1.00 * factor` are equal, but not the same: 3.0 and 3.00.
    facts = _facts(model, "holdings: []\nfactor: 3\n")
    compiled = CompiledDeal(model)
    digits = compiled.value(compiled.env(facts, AS_OF), "x", "digits")
    assert str(digits) == str(Evaluator(model, facts, AS_OF).derive("x", "digits").value) == "3.00"


def test_an_expression_too_deep_for_python_is_answered_the_same():
    nested = "count(xs)"
    for level in range(25):  # Python compiles at most 20 nested loops in one function
        nested = f"count([{nested} for v{level} in xs])"
    text = f'agreement d "Deep"\n  dated 2001-01-01\n\ninput xs: list of count "xs"\n\nt: count = {nested} § 1\n'
    agreement = parse(text, "d.cov")
    model = compile_deal(Deal({agreement.id: agreement}, {"d.cov": text}))
    facts = read_facts(parse_yaml("xs: [7]\n", "f.yaml"), "f.yaml", model)
    compiled = CompiledDeal(model)
    assert compiled.value(compiled.env(facts, AS_OF), "d", "t") == Evaluator(model, facts, AS_OF).derive("d", "t").value


def _one_term(rule: str):
    text = f'agreement d "D"\n  dated 2001-01-01\n\ninput xs: list of count "xs"\n\nt: count = {rule} § 1\n'
    agreement = parse(text, "d.cov")
    return compile_deal(Deal({agreement.id: agreement}, {"d.cov": text}))


def _outcome(model, compute, n: int):
    facts = read_facts(parse_yaml("xs: [" + ", ".join(["1"] * n) + "]\n", "f.yaml"), "f.yaml", model)
    try:
        return compute(facts)
    except EvaluationProblem as problem:
        return str(problem), problem.span


@pytest.mark.parametrize("n", [353, 354])  # 4n² + 4n + 3 steps: 499,851 and 502,683 (the limit is 500,000)
def test_comprehensions_count_the_steps_the_explaining_evaluator_counts(n):
    """Comprehensions nested over long lists would run the compiled evaluator for hours
    where the explaining one stops: the compiled one counts each comprehension's items,
    weighted by its element's size, and the elements of each list a function is given
    inside one; past the limit it leaves the question to the explaining evaluator, which
    stops with its message at its place. Both sides of the limit give both evaluators'
    answer."""
    model = _one_term("sum([sum([a * b for b in xs]) for a in xs])")
    compiled = CompiledDeal(model)
    envs = []

    def fast(facts):
        envs.append(compiled.env(facts, AS_OF))
        return compiled.value(envs[-1], "d", "t")
    explained = _outcome(model, lambda facts: Evaluator(model, facts, AS_OF).derive("d", "t").value, n)
    assert _outcome(model, fast, n) == explained
    if n == 353:
        assert explained == n * n and envs[0]._fallback is None  # answered by the compiled code itself
    else:
        assert "evaluation stopped after 500,000 steps" in explained[0]


def test_the_closures_count_the_steps_too():
    nested = "count(xs)"
    for level in range(25):  # too deep to generate: the closures compute it
        nested = f"count([{nested} for v{level} in xs])"
    model = _one_term(nested)
    compiled = CompiledDeal(model)
    explained = _outcome(model, lambda facts: Evaluator(model, facts, AS_OF).derive("d", "t").value, 2)
    assert "evaluation stopped after 500,000 steps" in explained[0]
    assert _outcome(model, lambda facts: compiled.value(compiled.env(facts, AS_OF), "d", "t"), 2) == explained
