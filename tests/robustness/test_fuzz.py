"""Fuzzing the command line with damaged real inputs: every outcome is an answer or one
clear message, with exit code 0, 1 or 2 — never a traceback, never a hang.

Five families, each drawn by Hypothesis from the real files of the BTI deal (copied
to a temporary folder, which is also the working directory, so that nothing the
fuzzer writes can touch the repository):

- cov: a `.cov` agreement damaged (see `mutations.py`), then checked, evaluated,
  explained, drawn, shown, covered, put on a timeline;
- facts: an example fact file damaged, then read by eval, explain, needs, timeline;
- actions: a proposed action file damaged, then asked;
- cli: the README's command lines (both deals; `lsp`, a server for one process, is
  tested apart in `test_bad_input.py`) with words deleted, repeated, swapped, damaged or
  replaced by hostile ones (dates out of the calendar, impossible file names, devices);
- repl: sessions of REPL entries, real questions damaged and hostile ones; the
  session must still answer a last question after all of them.

The quick profile runs with the suite; `COVENANT_FUZZ=long` runs the long one
(`COVENANT_FUZZ_EXAMPLES=N` sets the examples per family instead). The summary
(`conftest.py`) lists the inputs tried per family and their outcomes."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dsl.limits import PYTHON_RECURSION
from interpreter.repl.entry import incomplete
from tests.robustness import mutations
from tests.robustness.conftest import LONG
from tests.robustness.harness import OUTCOMES, run

# `covenant` raises Python's recursion limit when it starts (see dsl/limits.py); raised
# here first, Hypothesis does not warn that it changed during a test.
sys.setrecursionlimit(max(sys.getrecursionlimit(), PYTHON_RECURSION))

ROOT = Path(__file__).resolve().parents[2]
BTI = ROOT / "agreements" / "bti"
CONED = ROOT / "agreements" / "coned"  # the second deal: pricing grids, ratios, periodic deadlines

# (examples per family) quick, long
EXAMPLES = {"cov": (4, 2500), "facts": (3, 1200), "actions": (2, 400), "cli": (6, 4000), "repl": (2, 600)}

# Each agreement with those it needs, and a fact base and date that evaluate them.
PAIRS = {
    "series-a-redemption.cov": (["series-a-redemption.cov", "indenture-1997.cov"],
                                "series-a-2007-redemption-demand.yaml", "2007-05-01"),
    "series-b-redemption.cov": (["series-b-redemption.cov", "indenture-1997.cov"], None, "2008-06-02"),
    "indenture-1997.cov": (["indenture-1997.cov"], None, "2001-10-26"),
    "first-supplemental-indenture-2001.cov": (["indenture-1997.cov", "first-supplemental-indenture-2001.cov"],
                                              None, "2001-11-01"),
    "shareholders-1999.cov": (["shareholders-1999.cov"], None, "2000-03-31"),
    "shareholders-2001.cov": (["shareholders-1999.cov", "shareholders-2001.cov"], None, "2002-07-15"),
    "../coned/credit-agreement-2020.cov": (["../coned"], "../coned/examples/q2-2020-rating-downgrade.yaml",
                                           "2020-05-20"),
    "../coned/commitment-increase-supplement-2020.cov": (["../coned"], "../coned/examples/q2-2020-compliant.yaml",
                                                         "2020-08-14"),
}
FACTS = {"series-a-2007-redemption-demand.yaml": "2007-05-01", "series-b-2008-redemption-demand.yaml": "2008-06-02",
         "shareholders-1999-march-2000.yaml": "2000-03-31", "shareholders-2001-after-series-b-closing.yaml": "2001-01-20",
         "shareholders-2002-liquidity-crisis.yaml": "2002-07-15", "indenture-2001-tender-offer.yaml": "2001-10-26"}
CONED_FACTS = {"q2-2020-compliant.yaml": "2020-08-14", "q2-2020-rating-downgrade.yaml": "2020-05-20",
               "q3-2020-reporting-cure-period.yaml": "2020-12-21"}
ACTIONS = {"hire-coo-before-qpo-2000.yaml": "2000-06-15", "investor-distributes-to-limited-partners-2000.yaml":
           "2000-06-15", "investor-sells-to-competitor-2000.yaml": "2000-06-15"}
CONED_ACTIONS = {"amendment-extend-maturity-2020.yaml": "2020-08-14", "commitment-increase-2020.yaml": "2020-08-14",
                 "lien-general-basket-2020.yaml": "2020-08-14", "merger-2020.yaml": "2020-08-14"}
SCENARIOS = ["scenarios.csv", "scenarios.jsonl"]  # batch scenarios over the Series A example
TERMS = ["series_a_redemption.redemption_price", "series_a_redemption.liquidity_exercise_date",
         "series_a_redemption.fair_market_value", "indenture_1997.interest_rate"]
QUESTIONS = [
    "redemption_price", "liquidity_exercise_date", "redemption_price > series_a_liquidation_amount",
    "later_of(liquidity_exercise_date, 2008-01-01)", ":set legally_available_funds = 38000000.00",
    ":unset third_appraisal", ":set third_appraisal = 36000000.00", ":explain appraised_value", ":show 3(b)",
    ":show 2(b)", ":needs redemption_price", ":asof 2008-01-01", ":reading", ":reading ten_percent_of_mean",
    ":diff series_a_redemption series_a_redemption#ten_percent_of_mean", ":facts", ":graph redemption_price",
    ":use series_a_redemption", ":help", ":timeline", ":reload", "date_hereof + 30 days", "$5 + 1",
]
HOSTILE_ENTRIES = [
    ":asof 0001-01-01", ":asof 9999-12-31", ":asof 2001-02-30", "liquidity_exercise_date + 9000 years",
    "date_hereof + 99999999 days", "date_hereof - 999999 business days", "anniversary(date_hereof, 99999999999)",
    "-" * 3000 + "1", "(" * 3000 + "1" + ")" * 3000, "not " * 2000 + "true", " + ".join(["1"] * 3000),
    "9" * 5000, "$" + "9" * 40, "$" + "9" * 29 + " * 1000000000", "round(1, 99999999999)", '"\udcff"',
    ":set third_appraisal = 1e999999999", ":set third_appraisal = 1,5", ":set x = \udcff", ":show " + "1" * 5000,
    ":load /dev/zero", ":facts /dev/zero", ":save /dev/full", ":save /nonexistent/folder/f.yaml", ":ask",
    ":ask transfer date=2001-02-30", ":set third_appraisal = !!python/object/apply:os.system ['true']",
    ":set third_appraisal = &a [*a]", "x" * 200_000,
]
HOSTILE_WORDS = ["--workers", "100000", "-1", "--scenarios", "--out", "--names", "--on-error",
                 "--as-of", "9999-12-31", "0001-01-01", "2001-02-30", "x" * 5000, "\udcff", "/dev/zero",
                 "/dev/null", "--json", "--facts", "--action", "-", "--reading", "kind=x", "a=b", "transfer",
                 "nothing.cov", ".", "..", "--all", "--help", "-h", "\x00", "--format", "--ics", "out.ics", "@",
                 "series_a_redemption@2001-02-30", "indenture_1997@9999-12-31", "#", "=", "%", "1e999999999"]


@pytest.fixture(scope="module")
def deal(tmp_path_factory) -> Path:
    """A copy of the BTI deal, its examples and its source texts, with batch scenarios
    for the Series A example."""
    copy = tmp_path_factory.mktemp("fuzz") / "bti"
    shutil.copytree(BTI, copy)
    shutil.copytree(CONED, copy.parent / "coned")
    (copy / "examples" / SCENARIOS[0]).write_text(
        "third_appraisal,legally_available_funds,as_of\n36000000.00,38000000.00,2007-05-01\n"
        "45000000.00,,2007-06-01\n,1000000.00,\n", encoding="utf-8")
    (copy / "examples" / SCENARIOS[1]).write_text(
        '{"third_appraisal": "36000000.00", "legally_available_funds": "38000000.00"}\n'
        '{"third_appraisal": 45000000.00, "as_of": "2007-06-01", "trading_days": null}\n', encoding="utf-8")
    return copy


@pytest.fixture(autouse=True)
def _work_in_the_copy(deal, monkeypatch):
    monkeypatch.chdir(deal)


def _examples(family: str):
    count = int(os.environ.get("COVENANT_FUZZ_EXAMPLES") or EXAMPLES[family][1 if LONG else 0])
    return settings(max_examples=count, deadline=None, database=None, derandomize=not LONG,
                    suppress_health_check=list(HealthCheck))


def _check(outcome, argv) -> None:
    assert outcome.code in (0, 1, 2), f"exit {outcome.code}: covenant {argv!r}\n{outcome.err}"
    assert "Traceback" not in outcome.err
    if outcome.code == 2:
        assert outcome.err.strip(), f"exit 2 without a message: covenant {argv!r}"


def _damaged(path: Path, data) -> bytes:
    """Write a damaged copy of `path` over it; return the original bytes to restore."""
    original = path.read_bytes()
    path.write_bytes(mutations.mutated(data, original))
    return original


def _cov_command(data, deal: Path, name: str) -> list[str]:
    files, facts, as_of = PAIRS[name]
    paths = [str((deal / f).resolve()) for f in files]
    commands = [["check", *paths], ["graph", *paths, "--format", "json"], ["coverage", *paths],
                ["show", *paths, "indenture_1997", "--as-of", as_of], ["fmt", "--check", *paths]]
    if facts:
        given = ["--facts", str((deal / "examples" / facts).resolve()), "--as-of", as_of]
        commands += [["eval", *paths, *given], ["eval", *paths, *given, "--json"],
                     ["explain", *paths, *given, TERMS[0] if "coned" not in name else "pricing_level"],
                     ["timeline", *paths, *given]]
    return data.draw(st.sampled_from(commands))


@_examples("cov")
@given(st.data())
def test_damaged_agreements(deal, data):
    name = data.draw(st.sampled_from(sorted(PAIRS)))
    original = _damaged(deal / name, data)
    try:
        argv = _cov_command(data, deal, name)
        _check(run("cov", argv), argv)
    finally:
        (deal / name).write_bytes(original)


@_examples("facts")
@given(st.data())
def test_damaged_fact_files(deal, data):
    name = data.draw(st.sampled_from(sorted(FACTS) + SCENARIOS + sorted(CONED_FACTS)))
    coned = name in CONED_FACTS
    path = (deal.parent / "coned" if coned else deal) / "examples" / name
    original = _damaged(path, data)
    try:
        as_of = FACTS.get(name) or CONED_FACTS.get(name) or "2007-05-01"
        if name.startswith("series-a") or name in SCENARIOS:  # the small deal it belongs to: quick
            paths = [str(deal / "series-a-redemption.cov"), str(deal / "indenture-1997.cov")]
        else:
            paths = [str(deal.parent / "coned" if coned else deal)]
        base = str(deal / "examples" / "series-a-2007-redemption-demand.yaml")
        first, second = ("pricing_level", "facility_fee_rate") if coned else (TERMS[0], TERMS[1])
        batch = [["batch", *paths, "--scenarios", str(path), "--facts", base, "--out", "out" + path.suffix,
                  "--as-of", as_of, "--names", TERMS[0], TERMS[1]],
                 ["batch", *paths, "--scenarios", str(path), "--facts", base, "--out", "out.csv",
                  "--on-error", "stop"]]
        argv = data.draw(st.sampled_from(batch)) if name in SCENARIOS else data.draw(st.sampled_from([
            ["eval", *paths, "--facts", str(path), "--as-of", as_of],
            ["eval", *paths, "--facts", str(path), "--as-of", as_of, "--json"],
            ["needs", *paths, second, "--facts", str(path), "--as-of", as_of],
            ["explain", *paths, "--facts", str(path), "--as-of", as_of, first],
            ["timeline", *paths, "--facts", str(path), "--as-of", as_of],
        ]))
        _check(run("facts", argv), argv)
    finally:
        path.write_bytes(original)


@_examples("actions")
@given(st.data())
def test_damaged_action_files(deal, data):
    name = data.draw(st.sampled_from(sorted(ACTIONS) + sorted(CONED_ACTIONS)))
    where, facts = (deal.parent / "coned", "q2-2020-compliant.yaml") if name in CONED_ACTIONS else \
        (deal, "shareholders-1999-march-2000.yaml")
    path = where / "examples" / "actions" / name
    original = _damaged(path, data)
    try:
        argv = ["ask", str(where), "--facts", str(where / "examples" / facts), "--action", str(path),
                "--as-of", ACTIONS.get(name) or CONED_ACTIONS[name]]
        _check(run("actions", argv), argv)
    finally:
        path.write_bytes(original)


def _readme_command_lines(deal: Path) -> list[list[str]]:
    coned = deal.parent / "coned"
    facts = {name: str(deal / "examples" / name) for name in FACTS}
    action = str(deal / "examples" / "actions" / "investor-sells-to-competitor-2000.yaml")
    pair = [str(deal / "series-a-redemption.cov"), str(deal / "indenture-1997.cov")]
    series_a = ["--facts", facts["series-a-2007-redemption-demand.yaml"], "--as-of", "2007-05-01"]
    return [
        ["check", str(deal)],
        ["eval", *pair, *series_a],
        ["eval", *pair, *series_a, "--json", TERMS[0]],
        ["explain", *pair, *series_a, TERMS[0]],
        ["needs", *pair, TERMS[1]],
        ["graph", *pair, "--format", "mermaid", "--focus", TERMS[2]],
        ["ask", str(deal), "--facts", facts["shareholders-1999-march-2000.yaml"], "--action", action,
         "--as-of", "2000-06-15"],
        ["ask", str(deal / "shareholders-1999.cov"), str(deal / "shareholders-2001.cov"), "--as-of", "2002-07-15",
         "corporate_action", "kind=hire_cfo", "date=2002-07-15"],
        ["diff", str(deal / "shareholders-1999.cov"), str(deal / "shareholders-2001.cov"), "shareholders_1999",
         "shareholders_2001", "--format", "markdown"],
        ["diff", str(deal / "indenture-1997.cov"), str(deal / "first-supplemental-indenture-2001.cov"),
         "indenture_1997@2001-10-25", "indenture_1997@2001-11-01"],
        ["show", str(deal / "indenture-1997.cov"), "indenture_1997", "--as-of", "2001-11-01"],
        ["coverage", *pair],
        ["timeline", *pair, *series_a, "--ics", "out.ics"],
        ["fmt", "--check", *pair],
        ["fmt", "--diff", str(deal / "shareholders-1999.cov")],
        ["batch", *pair, "--scenarios", str(deal / "examples" / SCENARIOS[0]), "--facts",
         facts["series-a-2007-redemption-demand.yaml"], "--out", "out.jsonl", "--workers", "1"],
        ["repl", *pair, *series_a],
        ["eval", str(coned), "--facts", str(coned / "examples" / "q2-2020-rating-downgrade.yaml"), "--as-of",
         "2020-05-20", "pricing_level", "facility_fee_rate", "facility_fee_for_period"],
        ["ask", str(coned), "--facts", str(coned / "examples" / "q2-2020-compliant.yaml"), "--action",
         str(coned / "examples" / "actions" / "lien-general-basket-2020.yaml"), "--as-of", "2020-08-14"],
        ["timeline", str(coned), "--facts", str(coned / "examples" / "q3-2020-reporting-cure-period.yaml"),
         "--as-of", "2020-12-01"],
        ["diff", str(coned), "credit_agreement_2020@2020-06-25", "credit_agreement_2020@2020-06-27", "--facts",
         str(coned / "examples" / "q2-2020-compliant.yaml")],
    ]


def _damaged_words(data, argv: list[str]) -> list[str]:
    argv = list(argv)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, max(len(argv) - 1, 0)))
        edit = data.draw(st.sampled_from(["delete", "repeat", "swap", "damage", "insert"]))
        if edit == "delete" and argv:
            del argv[i]
        elif edit == "repeat" and argv:
            argv.insert(i, argv[i])
        elif edit == "swap" and argv:
            j = data.draw(st.integers(0, len(argv) - 1))
            argv[i], argv[j] = argv[j], argv[i]
        elif edit == "damage" and argv:
            damaged = mutations.mutated(data, argv[i].encode("utf-8", errors="surrogateescape"))
            argv[i] = damaged.decode("utf-8", errors="surrogateescape")
        else:
            argv.insert(i, data.draw(st.sampled_from(HOSTILE_WORDS)))
    return argv


@_examples("cli")
@given(st.data())
def test_damaged_command_lines(deal, data):
    argv = _damaged_words(data, data.draw(st.sampled_from(_readme_command_lines(deal))))
    _check(run("cli", argv), argv)


@_examples("repl")
@given(st.data())
def test_the_repl_survives_every_entry(deal, data):
    entries = []
    for _ in range(data.draw(st.integers(1, 40))):
        entry = data.draw(st.sampled_from(QUESTIONS + HOSTILE_ENTRIES))
        if data.draw(st.booleans()):
            entry = mutations.mutated(data, entry.encode("utf-8", errors="surrogateescape")).decode(
                "utf-8", errors="surrogateescape")
        entries.append(entry.replace("\n", " ").replace("\\", "/"))
    entries = [e for e in entries if not e.lstrip().startswith(":q")]
    # An entry that leaves a bracket open goes on on the next line: then no last question.
    last = [] if any(incomplete(e) for e in entries) else [":asof 2007-05-01", "1 + 1"]
    script = "\n".join([*entries, *last, ""])
    argv = ["repl", str(deal / "series-a-redemption.cov"), str(deal / "indenture-1997.cov"), "--facts",
            str(deal / "examples" / "series-a-2007-redemption-demand.yaml"), "--as-of", "2007-05-01"]
    OUTCOMES["repl"]["entries"] += len(entries) + len(last)
    outcome = run("repl", argv, stdin=script)
    _check(outcome, argv)
    if last:
        assert outcome.out.rstrip().endswith("2  [no citation: uses no term or fact]"), \
            f"the session stopped answering:\n{script[-3000:]}\n{outcome.err[-2000:]}"
