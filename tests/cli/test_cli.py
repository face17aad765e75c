"""The command line, run as a user runs it: `python -m interpreter ...` in a subprocess.

Every mistake is one rendered message and an exit code (0 ok, 1 findings, 2 bad usage
or input), never a traceback. The subprocesses are started together, in parallel, the
first time a test needs one. A few further cases (IN_PROCESS) call the same `main`
in this process, to keep the file fast: each subprocess costs half a second of start-up.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.command_line import run_in_process

ROOT = Path(__file__).resolve().parents[2]
GOOD = "tests/fixtures/good/loan.cov"
FACTS = "tests/fixtures/good/loan-facts.yaml"
REPAID = "tests/fixtures/cli/loan-repaid.yaml"
AS_OF = ["--as-of", "2006-09-15"]


class Result(NamedTuple):
    code: int
    out: str
    err: str


INVOCATIONS: dict[str, list[str]] = {
    # check
    "check_good": ["check", GOOD],
    "check_syntax": ["check", "tests/fixtures/syntax/missing-citation-mid.cov"],
    "check_header_date": ["check", "tests/fixtures/syntax/invalid-date-header.cov"],
    "check_unknown_name": ["check", "tests/fixtures/check/unknown-name.cov"],
    "check_type": ["check", "tests/fixtures/check/money-plus-date.cov"],
    "check_cycle": ["check", "tests/fixtures/check/cycle.cov"],
    # eval with bad facts
    "facts_wrong_type": ["eval", GOOD, "--facts", "tests/fixtures/cli/loan-wrong-type.yaml", *AS_OF],
    "facts_unknown_name": ["eval", GOOD, "--facts", "tests/fixtures/cli/loan-unknown-name.yaml", *AS_OF],
    "facts_malformed": ["eval", GOOD, "--facts", "tests/fixtures/cli/loan-malformed.yaml", *AS_OF],
    "facts_missing_required": ["eval", GOOD, *AS_OF],
    "eval_division_by_zero": ["eval", "tests/fixtures/cli/zero.cov", "--facts", "tests/fixtures/cli/zero.yaml",
                              *AS_OF],
    # bad usage
    "usage_unknown_command": ["frobnicate", GOOD],
    "usage_no_path_check": ["check"],
    "usage_no_path_eval": ["eval", "interest"],
    "usage_no_such_file": ["check", "tests/fixtures/good/no-such-file.cov"],
    "usage_bad_as_of": ["eval", GOOD, "--facts", FACTS, "--as-of", "2006-13-01"],
    "usage_unknown_term": ["eval", GOOD, "--facts", FACTS, *AS_OF, "intrest"],
    # good runs
    "eval_text": ["eval", GOOD, "--facts", FACTS, *AS_OF],
    "eval_text_all": ["eval", GOOD, "--facts", FACTS, *AS_OF, "--all"],
    "eval_json": ["eval", GOOD, "--facts", FACTS, *AS_OF, "--json"],
    "eval_json_repaid": ["eval", GOOD, "--facts", REPAID, *AS_OF, "--json", "repay", "interest"],
    "explain": ["explain", GOOD, "--facts", FACTS, *AS_OF, "interest"],
    "needs": ["needs", GOOD, "amount_due"],
    "needs_with_facts": ["needs", GOOD, "--facts", FACTS, *AS_OF, "repay"],
    "graph_dot": ["graph", GOOD, "--format", "dot"],
    "graph_mermaid": ["graph", GOOD, "--format", "mermaid"],
    "graph_focus": ["graph", GOOD, "--format", "json", "--focus", "interest"],
}

# Run in this process: the same `main`, the same output, without the start-up cost.
IN_PROCESS = {"check_header_date", "facts_missing_required", "eval_division_by_zero", "usage_no_path_eval",
              "usage_no_such_file", "eval_text", "eval_json_repaid", "needs_with_facts"}

_results: dict[str, Result] = {}


def _run(args: list[str]) -> Result:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-m", "interpreter", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _run_here(args: list[str]) -> Result:
    return Result(*run_in_process(args, ROOT))


def cli(key: str) -> Result:
    if key in IN_PROCESS:
        return _run_here(INVOCATIONS[key])
    if not _results:
        keys = [k for k in INVOCATIONS if k not in IN_PROCESS]
        with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
            _results.update(zip(keys, pool.map(_run, [INVOCATIONS[k] for k in keys])))
    return _results[key]


def assert_clean_error(result: Result, code: int) -> None:
    assert result.code == code, result
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    assert result.err.strip(), "an error must say something on stderr"


# ---- check ----------------------------------------------------------------------

def test_check_good_file_prints_ok():
    result = cli("check_good")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 1 agreement (loan), 6 definitions, 1 obligations, 5 inputs")
    assert "error" not in result.err


@pytest.mark.parametrize("key, place, words", [
    ("check_syntax", "tests/fixtures/syntax/missing-citation-mid.cov:5:23", "missing citation"),
    ("check_header_date", "tests/fixtures/syntax/invalid-date-header.cov:2:9",
     "`2001-02-30` is not a calendar date"),
    ("check_unknown_name", "tests/fixtures/check/unknown-name.cov:7:14", "unknown name `principle`"),
    ("check_type", "tests/fixtures/check/money-plus-date.cov:8:21", "cannot add money and date"),
    ("check_cycle", "tests/fixtures/check/cycle.cov:7:27", "circular definition: demo.fee -> demo.rebate -> demo.fee"),
])
def test_check_bad_input_exits_1_with_a_located_message(key, place, words):
    result = cli(key)
    assert_clean_error(result, 1)
    assert f"{place}: error: {words}" in result.err, result.err
    assert re.search(r"^\s+\| +\^", result.err, re.M), "a caret under the mistake"
    assert result.err.rstrip().endswith("1 error")
    assert result.out == ""


def test_check_unknown_name_suggests_the_right_one():
    assert "hint: did you mean `principal`?" in cli("check_unknown_name").err


def test_check_cycle_shows_each_use():
    err = cli("check_cycle").err
    assert "note: `demo.fee` uses `demo.rebate` at tests/fixtures/check/cycle.cov:7:27" in err
    assert "note: `demo.rebate` uses `demo.fee` at tests/fixtures/check/cycle.cov:9:3" in err


# ---- eval with bad facts -----------------------------------------------------------

@pytest.mark.parametrize("key, place, words", [
    ("facts_wrong_type", "tests/fixtures/cli/loan-wrong-type.yaml:2:12",
     "`principal` must be an amount such as 12500000.00, not `twelve million`"),
    ("facts_unknown_name", "tests/fixtures/cli/loan-unknown-name.yaml:2:1", "unknown fact `defualt_date`"),
    ("facts_malformed", "tests/fixtures/cli/loan-malformed.yaml:3:12", "malformed YAML"),
])
def test_eval_with_a_bad_fact_file_exits_2_with_file_and_line(key, place, words):
    result = cli(key)
    assert_clean_error(result, 2)
    assert result.err.startswith(f"{place}: error: {words}"), result.err
    assert result.out == ""


def test_unknown_fact_suggests_the_declared_input():
    assert "hint: did you mean `default_date`?" in cli("facts_unknown_name").err


def test_eval_without_required_facts_answers_what_it_can_and_names_them():
    # Demand-driven: a required input is reported only where evaluation reaches it.
    result = cli("facts_missing_required")
    assert result.code == 0, result.err
    assert "  maturity = 2006-08-31    § 2(b)" in result.out.splitlines()
    assert "  principal (money, required): " in result.out
    assert "  quotes (list of quote, required): " in result.out


def test_eval_that_divides_by_zero_exits_1_with_the_place():
    result = cli("eval_division_by_zero")
    assert_clean_error(result, 1)
    assert result.err.startswith("tests/fixtures/cli/zero.cov:6:15: error: division by zero")


# ---- bad usage ------------------------------------------------------------------

@pytest.mark.parametrize("key, words", [
    ("usage_unknown_command", "invalid choice: 'frobnicate'"),
    ("usage_no_path_check", "the following arguments are required: PATH"),
    ("usage_no_path_eval", "no agreement given"),
    ("usage_no_such_file", "no such file or folder: tests/fixtures/good/no-such-file.cov"),
    ("usage_bad_as_of", "`2006-13-01` is not a date: there is no month 13"),
    ("usage_unknown_term", "no term `intrest` in this deal"),
])
def test_bad_usage_exits_2_without_a_traceback(key, words):
    result = cli(key)
    assert_clean_error(result, 2)
    assert result.err.startswith("error: "), result.err
    assert words in result.err
    assert "hint: " in result.err or key == "usage_no_such_file"


def test_unknown_term_gets_a_suggestion():
    assert "hint: did you mean `interest`?" in cli("usage_unknown_term").err


# ---- eval -----------------------------------------------------------------------

def test_eval_text_output():
    result = cli("eval_text")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "A Sample Term Loan (loan, dated 2001-08-31), as of 2006-09-15"
    assert "  interest = $1,250,000.00    § 2(a)" in lines
    assert "  maturity = 2006-08-31    § 2(b)" in lines
    assert "  in_default = no    § 2(d)" in lines
    # The unknown term is summarised, with the fact that would decide it...
    assert not any(line.startswith("  repay =") for line in lines)
    assert "Not known yet: 1 term. Missing facts, by how many of them each would help decide:" in lines
    assert "  repaid_on (date): 1 term (repay)" in lines


def test_eval_all_lists_the_unknown_terms_too():
    result = cli("eval_text_all")
    assert result.code == 0, result.err
    assert "  repay = unknown  (needs repaid_on)    § 3(a)" in result.out.splitlines()
    assert "Not known yet" not in result.out


@pytest.fixture(scope="module")
def evaluated() -> dict:
    result = cli("eval_json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_eval_json_lists_every_term(evaluated):
    assert list(evaluated) == ["loan.interest", "loan.maturity", "loan.quote_count", "loan.average_price",
                               "loan.in_default", "loan.amount_due", "loan.repay"]


def test_eval_json_integers_are_numbers(evaluated):
    count = evaluated["loan.quote_count"]
    assert count["value"] == 2 and type(count["value"]) is int
    assert count["type"] == "count"


def test_eval_json_money_is_an_exact_string(evaluated):
    assert evaluated["loan.amount_due"]["value"] == "13750000.00"
    assert evaluated["loan.interest"]["value"] == "1250000.00"
    assert evaluated["loan.average_price"]["value"] == "10.875"
    for name in ("loan.amount_due", "loan.interest", "loan.average_price"):
        assert re.fullmatch(r"-?\d+\.\d{2,}", evaluated[name]["value"])
        assert evaluated[name]["type"] == "money"


def test_eval_json_dates_are_iso(evaluated):
    assert evaluated["loan.maturity"]["value"] == "2006-08-31"


def test_eval_json_booleans(evaluated):
    assert evaluated["loan.in_default"]["value"] is False


def test_eval_json_unknown_is_null_with_its_needs(evaluated):
    repay = evaluated["loan.repay"]
    assert repay["value"] is None
    assert repay["state"] == "unknown"
    assert repay["needs"] == ["repaid_on"]
    assert evaluated["loan.interest"]["needs"] == [] and evaluated["loan.interest"]["state"] == "known"


def test_eval_json_carries_citation_and_decision(evaluated):
    assert evaluated["loan.interest"]["citation"] == "§ 2(a)"
    assert evaluated["loan.interest"]["decided_by"] == "the rule"


def test_eval_json_named_terms_obligation_and_exception():
    result = cli("eval_json_repaid")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["loan.repay", "loan.interest"]
    assert data["loan.repay"]["value"] == {"status": "met", "deadline": "2006-09-30",
                                           "done": "2006-09-10", "triggered": True}
    assert data["loan.interest"]["value"] == "2500000.00"
    assert data["loan.interest"]["citation"] == "§ 2(e)"
    assert "default rate" in data["loan.interest"]["decided_by"]


# ---- explain and needs ---------------------------------------------------------------

def test_explain_prints_the_tree():
    result = cli("explain")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "as of 2006-09-15"
    assert lines[1].startswith("loan.interest = $1,250,000.00") and "[§ 2(a)]" in lines[1]
    text = result.out
    assert "by the rule: principal * rate" in text
    assert 'exception § 2(e) "default rate" (priority 2) does not apply' in text
    # each fact with the file and line it was given in
    assert re.search(r"^  fact (loan\.)?principal = \$12,500,000\.00  \(tests/fixtures/good/loan-facts.yaml:\d+\)$",
                     text, re.M)
    assert re.search(r"^  fact (loan\.)?rate = 10%", text, re.M)
    # the term it depends on is shown one level deeper
    assert re.search(r"^  (loan\.)?in_default = no  \[§ 2\(d\)\]$", text, re.M)
    assert re.search(r"^    fact (loan\.)?default_date = none  \(tests/fixtures/good/loan-facts.yaml:3\)$", text, re.M)


def test_needs_lists_the_facts():
    result = cli("needs")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "loan.amount_due can be decided by 3 facts:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "loan.default_date", "loan.principal", "loan.rate"]
    assert "loan.default_date: date (optional) — The day an event of default occurred, if any" in result.out


def test_needs_with_facts_marks_what_is_needed_now():
    result = cli("needs_with_facts")
    assert result.code == 0, result.err
    assert ("loan.repaid_on: date (optional) — The day the principal was repaid  [needed now: decides 1 step]"
            in result.out)


# ---- graph ---------------------------------------------------------------------

def test_graph_dot():
    result = cli("graph_dot")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("digraph covenant {") and out.rstrip().endswith("}")
    assert '"loan.interest" -> "loan.principal";' in out
    assert '"loan.amount_due" -> "loan.interest";' in out
    assert '"loan.repay" -> "loan.maturity";' in out
    assert re.search(r'"loan.principal" \[label="loan.principal", shape=ellipse\];', out)
    assert '"loan.repay" [label="loan.repay\\n§ 3(a)", shape=hexagon];' in out


def test_graph_mermaid():
    result = cli("graph_mermaid")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "flowchart LR"
    ids = {m.group(2): m.group(1) for m in (re.match(r'\s+(n\d+)[\[(]+"([^"<]+)', l) for l in lines) if m}
    assert f"  {ids['loan.interest']} --> {ids['loan.principal']}" in lines
    assert f"  {ids['loan.amount_due']} --> {ids['loan.interest']}" in lines


def test_graph_json():
    result = cli("graph_focus")     # `--format json`, focused on `interest`
    assert result.code == 0, result.err
    graph = json.loads(result.out)
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["loan.principal"] == {"id": "loan.principal", "kind": "input", "type": "money",
                                       "citation": "", "at": f"{GOOD}:13:1"}
    assert nodes["loan.interest"] == {"id": "loan.interest", "kind": "definition", "type": "money",
                                      "citation": "§ 2(a)", "at": f"{GOOD}:20:1"}
    edges = {(e["from"], e["to"]): e["uses"] for e in graph["edges"]}
    assert edges[("loan.interest", "loan.principal")] == [f"{GOOD}:20:19", f"{GOOD}:27:68"]
    assert edges[("loan.interest", "loan.in_default")] == [f"{GOOD}:27:54"]


def test_graph_focus_keeps_only_what_the_term_uses_and_what_uses_it():
    result = cli("graph_focus")
    assert result.code == 0, result.err
    graph = json.loads(result.out)
    assert sorted(n["id"] for n in graph["nodes"]) == [
        "loan.amount_due", "loan.default_date", "loan.in_default", "loan.interest", "loan.principal",
        "loan.rate"]
    assert all(e["from"] != "loan.repay" for e in graph["edges"])
