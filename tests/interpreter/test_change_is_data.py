"""Change is data: a new amendment written next to the real BTI agreements changes
the answers, the diff and the consolidated text, with no change to any Python."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dsl import ast
from interpreter.static.deal import load_deal
from interpreter.static.model import check_deal
from tests.command_line import run_in_process

ROOT = Path(__file__).resolve().parents[2]

AGREEMENT = "series_a_redemption"
AMENDMENT_ID = "series_a_first_amendment_test"
AMENDMENT_DATE = dt.date(2009, 6, 30)
BEFORE, AFTER = AMENDMENT_DATE - dt.timedelta(days=1), AMENDMENT_DATE + dt.timedelta(days=1)
# The preferred threshold: "within 10% of each other" (§ 2(b)); with these appraisals
# (10,000,000 apart, 25% of the lower) it is not met at 10% and is met at 40%.
PREFERRED = "appraisals_within_ten_percent"
PREFERRED_FACTS = {"board_appraisal": "30000000.00", "holders_appraisal": "40000000.00"}


def _literals(node):
    """Every literal inside an expression, in order."""
    if isinstance(node, ast.Literal):
        yield node
    elif dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            for item in (value if isinstance(value, tuple) else (value,)):
                if isinstance(item, ast.Node):
                    yield from _literals(item)


def _threshold(agreement: ast.Agreement):
    """(definition, literal): a plain rule with a percent or money constant to change,
    the preferred one when it is still there."""
    candidates = []
    for d in agreement.definitions:
        if isinstance(d.body, ast.Rule):
            found = [lit for lit in _literals(d.body.value) if lit.kind in ("percent", "money")]
            if len(found) == 1:
                candidates.append((d, found[0]))
    assert candidates, f"{AGREEMENT} has no plain rule with a money or percent constant any more"
    return next((c for c in candidates if c[0].name == PREFERRED), candidates[0])


def _new_literal(literal: ast.Literal) -> tuple[str, str, str]:
    """(source text of the new constant, old shown, new shown): the constant times four."""
    if literal.kind == "percent":
        old, new = literal.value * 100, literal.value * 400
        return f"{new.normalize():f}%", f"{old.normalize():f}%", f"{new.normalize():f}%"
    old, new = literal.value, literal.value * 4
    return (f"${new.normalize():f}", f"${old:,.2f}", f"${new:,.2f}")


def _run(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "-m", "interpreter", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _run_here(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess(args, *run_in_process(args))


SUBPROCESS = ("eval_before", "eval_after", "diff", "show_after")


@pytest.fixture(scope="module")
def bti_amended(tmp_path_factory):
    """A copy of agreements/bti with one new amendment file, and the CLI's answers."""
    folder = tmp_path_factory.mktemp("bti") / "bti"
    shutil.copytree(ROOT / "agreements" / "bti", folder)
    deal = load_deal([str(folder)])
    assert AGREEMENT in deal.agreements, f"{AGREEMENT} is no longer in agreements/bti"
    # Conditional amendments of other agreements would need their own facts on the
    # dates used here; they have nothing to do with this agreement.
    for other in deal.agreements.values():
        if other.effective_when is not None and other.amends != AGREEMENT:
            Path(other.path).unlink()
    deal = load_deal([str(folder)])
    target = deal.agreements[AGREEMENT]
    definition, literal = _threshold(target)
    source = deal.sources[target.path]
    d_span, l_span = definition.span, literal.span
    new_text, old_shown, new_shown = _new_literal(literal)
    replaced = source[d_span.start:l_span.start] + new_text + source[l_span.end:d_span.end]
    party = (target.bodies or target.parties)[0].name
    amendment = f'''# A test amendment, written as a legal engineer would, with no Python change.
agreement {AMENDMENT_ID} "First Amendment to the Redemption Agreement (test)"
  dated {AMENDMENT_DATE}
  amends {AGREEMENT}

replace definition {{
  {replaced}
}}   § 1

insert section § 99 "Early Redemption" {{
  input amendment_test_floor: money = $30_000_000 "a floor price the amendment sets"
  amendment_test_floor_price: money = amendment_test_floor * 2   § 99
  action amendment_test_redemption "a proposed early redemption" {{ amount: money }}
  approval amendment_test_consent: amendment_test_redemption by {party}
    when amendment_test_redemption.amount > $10_000_000   § 99(b)
}}   § 2
'''
    (folder / "series-a-first-amendment-test.cov").write_text(amendment, encoding="utf-8")
    facts = folder / "amendment-test-facts.yaml"
    checked = check_deal(load_deal([str(folder)]))         # the amended deal checks
    inputs = {n for s in checked.scopes.values() for n in s.inputs}
    preferred = definition.name == PREFERRED and set(PREFERRED_FACTS) <= inputs
    facts.write_text("".join(f"{k}: {v}\n" for k, v in PREFERRED_FACTS.items()) if preferred else "{}\n",
                     encoding="utf-8")
    term = f"{AGREEMENT}.{definition.name}"
    new_term = f"{AGREEMENT}.amendment_test_floor_price"
    f = str(folder)
    commands = {
        "eval_before": ["eval", f, "--facts", str(facts), "--as-of", str(BEFORE), "--json", term],
        "eval_after": ["eval", f, "--facts", str(facts), "--as-of", str(AFTER), "--json", term, new_term],
        "eval_new_before": ["eval", f, "--facts", str(facts), "--as-of", str(BEFORE), new_term],
        "diff": ["diff", f, f"{AGREEMENT}@{BEFORE}", f"{AGREEMENT}@{AMENDMENT_DATE}", "--json"],
        "diff_text": ["diff", f, f"{AGREEMENT}@{BEFORE}", f"{AGREEMENT}@{AMENDMENT_DATE}"],
        "show_after": ["show", f, AGREEMENT, "--as-of", str(AFTER)],
        "show_before": ["show", f, AGREEMENT, "--as-of", str(BEFORE)],
        "ask_after": ["ask", f, "--as-of", str(AFTER), "--json", "amendment_test_redemption", "amount=20000000"],
        "ask_before": ["ask", f, "--as-of", str(BEFORE), "amendment_test_redemption", "amount=20000000"],
    }
    # As a user runs them (a subprocess each, in parallel), and the rest in this process.
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        results = dict(zip(SUBPROCESS, pool.map(_run, [commands[k] for k in SUBPROCESS])))
    results.update({k: _run_here(v) for k, v in commands.items() if k not in SUBPROCESS})
    return {"results": results, "definition": definition, "old_shown": old_shown, "new_shown": new_shown,
            "preferred": preferred, "party": party, "term": term, "new_term": new_term}


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_change_is_data_new_answers_after_the_amendment_old_before(bti_amended):
    results, term, new_term = bti_amended["results"], bti_amended["term"], bti_amended["new_term"]
    before = json.loads(_ok(results["eval_before"]))
    after = json.loads(_ok(results["eval_after"]))
    assert after[new_term]["value"] == "60000000.00"
    assert after[new_term]["citation"] == "§ 99"
    assert after[term]["citation"] == before[term]["citation"]     # the replaced rule keeps its section
    if bti_amended["preferred"]:
        assert before[term]["value"] is False
        assert after[term]["value"] is True
    # before the amendment the new term does not exist
    missing = results["eval_new_before"]
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "amendment_test_floor_price" in missing.stderr


def test_change_is_data_the_diff_reports_exactly_the_amendment(bti_amended):
    data = json.loads(_ok(bti_amended["results"]["diff"]))
    name = bti_amended["definition"].name
    edits = {(e["op"], e["part"], e["key"]): e for e in data["edits"]}
    assert set(edits) == {
        ("update", "definition", name),
        ("insert", "section", "§ 99"),
        ("insert", "input", "amendment_test_floor"),
        ("insert", "action", "amendment_test_redemption"),
        ("insert", "definition", "amendment_test_floor_price"),
        ("insert", "norm", "amendment_test_consent"),
    }
    update = edits[("update", "definition", name)]
    assert update["details"] == [f"{bti_amended['old_shown']} -> {bti_amended['new_shown']}"]
    assert update["provenance"] == f"{AMENDMENT_ID} § 1"
    assert all(e["provenance"] == f"{AMENDMENT_ID} § 2" for k, e in edits.items() if k[0] == "insert")
    impact = {i["term"]: i["path"] for i in data["impact"]}
    assert impact[f"{AGREEMENT}.{name}"] == [f"{AGREEMENT}.{name}"]
    assert all(path[-1].split(".", 1)[1] in {name, "amendment_test_floor_price", "amendment_test_consent"}
               for path in impact.values())


def test_change_is_data_the_diff_text_reads_as_the_amendment(bti_amended):
    text = _ok(bti_amended["results"]["diff_text"])
    assert text.startswith(f"diff {AGREEMENT}@{BEFORE} -> {AGREEMENT}@{AMENDMENT_DATE}\nstructure: 6 changes")
    assert f"      {bti_amended['old_shown']} -> {bti_amended['new_shown']}" in text
    assert f'  + section § 99 "Early Redemption"  [by {AMENDMENT_ID} § 2]' in text


def test_change_is_data_show_gives_the_consolidated_text_with_marks(bti_amended):
    after = _ok(bti_amended["results"]["show_after"])
    before = _ok(bti_amended["results"]["show_before"])
    name = bti_amended["definition"].name
    assert after.startswith(f"# {AGREEMENT} as in force on {AFTER}; amended by {AMENDMENT_ID}")
    lines = after.splitlines()
    mark = lines.index(f"  # changed by {AMENDMENT_ID} § 1")
    assert lines[mark + 1].lstrip().startswith(f"{name}:")
    assert f"# changed by {AMENDMENT_ID} § 2" in after
    assert '§ 99 "Early Redemption"' in after
    assert "amendment_test_floor_price: money = amendment_test_floor * 2   § 99" in after
    assert "approval amendment_test_consent: amendment_test_redemption" in after
    assert "changed by" not in before and "§ 99" not in before
    assert before.startswith(f"# {AGREEMENT} as in force on {BEFORE}\n")


def test_change_is_data_the_new_approval_norm_answers_asks(bti_amended):
    results = bti_amended["results"]
    verdict = json.loads(_ok(results["ask_after"]))
    assert verdict["status"] == "needs_approval"
    assert verdict["approvals"] == [bti_amended["party"]]
    assert [n["name"] for n in verdict["norms"]] == [f"{AGREEMENT}.amendment_test_consent"]
    before = results["ask_before"]
    assert before.returncode == 2 and "Traceback" not in before.stderr
    assert "amendment_test_redemption" in before.stderr
