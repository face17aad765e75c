"""`covenant repl` with standard input piped: no prompt, one answer per entry,
errors on standard error, exit status 1 if any entry failed. Sessions run as a user
runs them (`python -m interpreter repl ...` in a subprocess); the fixed ones are
started together, in parallel, the first time a test needs one."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import NamedTuple

import pytest
from pexpect import EOF
from pexpect.popen_spawn import PopenSpawn

from interpreter.static.deal import load_deal
from interpreter.evaluation.facts import load_facts
from interpreter.static.model import compile_deal
from series_a import ARGS, FACTS, ROOT, SERIES_A

pytestmark = pytest.mark.filterwarnings("ignore:setDaemon:DeprecationWarning")  # inside pexpect


class Result(NamedTuple):
    code: int
    out: str
    err: str


def repl(entries: str, *args: str) -> Result:
    """Run one piped session."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "interpreter", "repl", *args], input=entries, cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    return Result(done.returncode, done.stdout, done.stderr)


SESSIONS: dict[str, tuple[str, list[str]]] = {
    "questions": ("redemption_price\n"
                  "later_of(liquidity_exercise_date, 2008-01-01)\n"
                  "redemption_price > $30_000_000\n"
                  "series_a_redemption.redemption_price\n"
                  "# a comment, and a blank line, answer nothing\n"
                  "\n"
                  "market\n", ARGS),
    "unknown": (":unset notes_repaid_date\nliquidity_exercise_date\n", ARGS),
    "mistakes": ("redemption_pric\n"
                 "redemption_price +\n"
                 ":set third_appraisal = 45,000,000.00.00\n"
                 ":set redemption_price = soon\n"
                 ":frobnicate\n"
                 ":asof 2007-02-30\n"
                 ":asof 20070501\n"
                 "redemption_price\n", ARGS),
    "set": (":set third_appraisal = 35000000.00\nclamped_third_appraisal\n"
            ":set board_appraiser_appointed = none\nsingle_appraiser\n"
            ":unset board_appraiser_appointed\nsingle_appraiser\n", ARGS),
    "commands": (":explain redemption_price\n:needs liquidity_exercise_date\n"
                 ":graph liquidity_exercise_date\n:show 2(b)\n:asof 2008-01-01\n", ARGS),
    "help": (":help\n:help set\n", ARGS),
    "continued": ("later_of(liquidity_exercise_date,\n"
                  "         2008-01-01)\n"
                  "series_a_liquidation_amount + \\\n"
                  "  $1\n", ARGS),
    "unfinished": ("later_of(liquidity_exercise_date,\n", ARGS),
    "quit": (":quit\nredemption_pric\n", ARGS),
    "no_deal": ("1 + 1\nredemption_price\n", []),
    "bad_deal": ("1 + 1\n", ["tests/fixtures/check/cycle.cov"]),
    "ask_list": (":ask transfer transferor=investor \"transferee=[partner_or_member, competitor]\" "
                 "share_class=series_a_preferred shares=100 date=2000-06-15 joinder=true "
                 "securities_law_compliant=true\n"
                 ":ask transfer transferor=investor transferee=[affiliate,competitor] "
                 "share_class=series_a_preferred shares=100 date=2000-06-15 joinder=true "
                 "securities_law_compliant=true\n",
                 ["agreements/bti", "--facts",
                  "agreements/bti/examples/shareholders-1999-march-2000.yaml", "--as-of", "2000-06-15"]),
}


@lru_cache(maxsize=1)
def _all() -> dict[str, Result]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {name: pool.submit(repl, text, *args) for name, (text, args) in SESSIONS.items()}
        return {name: future.result() for name, future in futures.items()}


def run(name: str) -> Result:
    result = _all()[name]
    assert "Traceback" not in result.out + result.err, result.err
    return result


def test_expressions_answer_with_value_and_citation():
    result = run("questions")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "$40,000,000.00  [§ 2(a)(i)]",
        "2008-01-01  [§ 1]",
        "yes  [§ 2(a)(i)]",
        "$40,000,000.00  [§ 2(a)(i)]",
        "no_market  [fact market]",
    ]


def test_ask_takes_a_list_of_descriptions():
    """`:ask` reads `key=[a, b]` as a list (quoted when it holds a space): a member of
    the Investor that is also a Competitor is barred by 4(c); an affiliate that is one
    is not (4(e))."""
    result = run("ask_list")
    assert result.code == 0, result.err
    answers = [line for line in result.out.splitlines() if line.startswith("proposed transfer")]
    assert answers == ["proposed transfer, as of 2000-06-15: PROHIBITED",
                       "proposed transfer, as of 2000-06-15: PERMITTED"]
    assert "§ 4(c) shareholders_1999.investor_no_competitor (prohibit): prohibits it" in result.out


def test_an_unknown_says_what_it_needs():
    result = run("unknown")
    assert result.code == 0
    assert "notes_repaid_date is now unknown" in result.out
    assert "unknown (at least 2006-12-28)  [§ 1]  needs notes_repaid_date (date)" in result.out


def test_each_mistake_is_one_message_and_the_session_goes_on():
    result = run("mistakes")
    assert result.code == 1
    assert result.out.splitlines() == ["$40,000,000.00  [§ 2(a)(i)]"]
    err = result.err
    assert "error: unknown name `redemption_pric`" in err and "did you mean `redemption_price`?" in err
    assert "<input>:1:18: error: the text ends in the middle" in err   # with its place
    assert "`third_appraisal` must be an amount" in err
    assert "    1 | :set third_appraisal = 45,000,000.00.00" in err
    # A defined term may be set (a pin), with a value of its type.
    assert "`redemption_price` must be an amount" in err
    assert "no command `:frobnicate`" in err
    assert "`2007-02-30` is not a date: February 2007 has 28 days" in err
    assert "`20070501` is not a date written YYYY-MM-DD" in err


def test_set_and_unset_are_checked_and_change_the_answers():
    result = run("set")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "third_appraisal = $35,000,000.00",
        "$35,000,000.00  [§ 2(b)]",
        "board_appraiser_appointed = none",
        "yes  [§ 2(b)]",
        "board_appraiser_appointed is now unknown",
        "unknown  [§ 2(b)]  needs board_appraiser_appointed (date)",
    ]


def test_explain_needs_graph_show_asof():
    result = run("commands")
    assert result.code == 0, result.err
    out = result.out
    assert "series_a_redemption.redemption_price = $40,000,000.00  [§ 2(a)(i)]" in out
    assert "by row 1 (first that applies)" in out
    assert "notes_repaid_date: date (optional)" in out and "[given]" in out
    assert "flowchart LR" in out and "liquidity_exercise_date" in out
    assert '§ 2(b) "Appraisal"' in out                      # the rules, from the .cov file
    assert "clamped_third_appraisal: money =" in out
    assert "(b) All appraisals shall be undertaken by two appraisers" in out   # the source text
    assert out.rstrip().endswith("as of 2008-01-01")


def test_help_lists_every_command():
    result = run("help")
    assert result.code == 0
    for command in (":load", ":reload", ":facts", ":set", ":unset", ":asof", ":use", ":reading", ":explain",
                    ":needs", ":graph", ":ask", ":diff", ":show", ":save", ":help", ":quit"):
        assert f"\n  {command}" in result.out
    assert "not yet" not in result.out.lower()
    assert "read as a fact file reads it" in result.out     # :help set


def test_an_entry_goes_on_after_a_backslash_or_an_open_bracket():
    result = run("continued")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["2008-01-01  [§ 1]", "$25,000,001.00  [fact series_a_liquidation_amount]"]


def test_input_that_ends_inside_an_entry_fails():
    result = run("unfinished")
    assert result.code == 1
    assert "the input ended inside an unfinished entry" in result.err


def test_quit_stops_reading():
    result = run("quit")
    assert result.code == 0 and result.err == ""


def test_without_a_deal_every_question_says_how_to_load_one():
    result = run("no_deal")
    assert result.code == 1
    assert "no deal loaded" in result.err and ":load PATH" in result.err


def test_a_deal_that_does_not_check_is_reported_and_the_session_goes_on():
    result = run("bad_deal")
    assert result.code == 1
    assert "circular definition" in result.err
    assert "no deal loaded" in result.err


def test_a_fact_passed_over_is_a_warning_at_start_up(tmp_path):
    """The facts named on the command line are read as `eval` reads them: a fact of an
    agreement of the folder that is not loaded is passed over with a warning, shown
    at start-up (on standard error in a script), not only on `:facts`."""
    facts = tmp_path / "f.yaml"
    facts.write_text("third_appraisal: 36000000.00\nsplit_factor_since_2001: 5\n")
    result = repl("third_appraisal\n", *SERIES_A, "--facts", str(facts), "--as-of", "2007-05-01")
    assert result.code == 0, result.err
    assert "f.yaml:2:1: warning: `split_factor_since_2001` is an input of an agreement in the deal's folder " \
           "that is not loaded; passed over" in result.err
    assert result.out.strip().startswith("$36,000,000.00")
    assert repl("", *ARGS).err == ""  # no warning, nothing said


# -- sessions that change files between entries ----------------------------------------

def test_reload_rereads_the_files_and_keeps_the_facts_set(deal_copy):
    cov = deal_copy
    session = PopenSpawn([sys.executable, "-m", "interpreter", "repl", str(cov.parent), "--facts", FACTS,
                          "--as-of", "2007-05-01"], cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         encoding="utf-8", timeout=10)

    def enter(entry: str, *expected: str) -> None:
        session.sendline(entry)
        for piece in expected:
            session.expect_exact(piece)

    def edit(old: str, new: str) -> None:
        cov.write_text(cov.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    enter(":set third_appraisal = 35000000.00", "third_appraisal = $35,000,000.00")
    enter("repl_probe", "1  [§ 99]")
    edit("count = 1", "count = $2")                          # no longer checks: money is not a count
    enter(":reload", "`repl_probe` must be count", "reload failed: the deal and facts loaded before stay in use")
    enter("repl_probe", "1  [§ 99]")                         # the deal loaded before stays in use
    edit("count = $2", "count = 2")
    enter(":reload", f"reloaded (changed: {cov})")
    enter("repl_probe", "2  [§ 99]")
    enter("clamped_third_appraisal", "$35,000,000.00  [§ 2(b)]")   # the fact set is kept
    enter(":quit")
    session.expect(EOF)
    assert session.wait() == 1                               # the reload that failed
    assert "Traceback" not in session.before


def test_load_replaces_the_deal_and_drops_facts_it_does_not_declare(tmp_path):
    other = tmp_path / "other.cov"
    other.write_text('agreement other "Other"\n  dated 2001-01-01\ninput x: count "x"\n'
                     '§ 1 "One"\n  double: count = x * 2   § 1\n', encoding="utf-8")
    result = repl(f":set third_appraisal = 35000000.00\n:load {other}\n:set x = 21\ndouble\n", *ARGS)
    assert result.code == 0, result.err
    assert "the fact file" in result.out and "put aside" in result.out
    assert "dropped `third_appraisal`, set here, does not fit the deal" in result.out
    assert result.out.splitlines()[-1] == "42  [§ 1]"


def test_the_agreement_an_expression_is_read_in(tmp_path):
    for name, price in (("first", 1), ("second", 2)):
        (tmp_path / f"{name}.cov").write_text(
            f'agreement {name} "{name}"\n  dated 2001-01-01\n'
            f'§ 1 "One"\n  price: money = ${price}   § 1\n  {name}_only: count = {price}   § 1(a)\n',
            encoding="utf-8")
    result = repl("first_only\nsecond_only + 1\nsecond.price\nfirst.price + second.price\nprice\n"
                  "second_only * price\n", str(tmp_path), "--as-of", "2007-05-01")
    assert result.out.splitlines() == ["1  [§ 1(a)]", "3  [§ 1(a)]", "$2.00  [§ 1]", "$3.00  [§ 1]",
                                       "$4.00  [§ 1(a); § 1]"]
    assert "`price` is a term of several agreements: first, second" in result.err
    assert "qualify it, e.g. `first.price`" in result.err
    assert result.code == 1


def test_save_writes_facts_that_load_back_the_same(tmp_path):
    target = tmp_path / "saved.yaml"
    result = repl(f":set third_appraisal = 35000000.50\n:set trading_days = [{{day: 2006-12-01, volume: 10}}]\n"
                  f":unset tendered_shares\n:save {target}\n", *ARGS)
    assert result.code == 0, result.err
    last = result.out.splitlines()[-1]
    assert last.startswith("saved ") and last.endswith(f" facts to {target}")
    model = compile_deal(load_deal([str(ROOT / p) for p in SERIES_A]))
    saved = load_facts(str(target), model).values
    changes = tmp_path / "changes.yaml"
    changes.write_text("third_appraisal: 35000000.50\ntrading_days: [{day: 2006-12-01, volume: 10}]\n",
                       encoding="utf-8")
    expected = {**load_facts(str(ROOT / FACTS), model).values, **load_facts(str(changes), model).values}
    for key in [k for k in expected if k.endswith(".tendered_shares")]:
        del expected[key]
    changes.unlink()
    assert saved == expected
    assert str(saved["series_a_redemption.third_appraisal"]) == "35000000.50"
    text = target.read_text(encoding="utf-8")
    assert "qpo_date: none" in text and "notes_repaid_date: 2006-03-31" in text
    assert "third_appraisal: '35000000.50'" in text
    assert not [p for p in tmp_path.iterdir() if p.name != "saved.yaml"]   # no temporary file left


# -- a small deal of its own: versions, proposed actions, readings, ambiguous names -------

SMALL_SESSIONS: dict[str, tuple[str, str]] = {
    "versions": ("threshold\n"
                 ":asof 2002-01-01\n"
                 "threshold\n"                          # amend1 applies only if the consents were received
                 ":set consents_received = true\n"
                 "threshold\n"
                 "cap\n"
                 ":set cap_base = 5\n"                  # an input that only the amendment declares
                 "cap\n"
                 ":set consents_received = false\n"
                 "threshold\n"
                 ":set consents_received = true\n"
                 ":asof 2005-01-01\n"
                 "threshold\n"                          # base_2005 restates base
                 ":explain threshold\n"
                 "over_threshold\n", "2001-01-01"),
    "ask": (":ask transfer transferee=stranger date=2001-06-01\n"
            ":ask transfer transferee=affiliate date=2001-06-01\n"
            ":ask transfer transferee=stranger date=2002-06-01\n", "2001-01-01"),
    "ask_mistakes": (":ask transfer transferee=strangr date=2001-06-01\n"
                     ":ask transfer transferee\n"
                     ":ask transfr transferee=stranger\n"
                     ":ask\n", "2001-01-01"),
    "diff": (":set consents_received = true\n"
             ":diff base@2001-01-01 base@2002-01-01\n"
             ":diff base base#lenient\n"
             ":diff base\n"
             ":diff base nothing\n", "2001-01-01"),
    "readings": (":set revenue = 60\n"
                 "over_threshold\n"
                 ":reading lenient\n"
                 "over_threshold\n"
                 ":reading\n"
                 ":explain over_threshold\n"
                 ":reading off lenient\n"
                 "over_threshold\n"
                 ":reading lenient\n"
                 ":reading none\n"
                 "over_threshold\n"
                 ":reading lenint\n", "2001-01-01"),
    "use": ("fee\n"
            ":use\n"
            ":use side\n"
            "fee\n"
            ":explain fee\n"
            "side_only + 1\n"
            ":use base\n"
            "fee\n"
            "side.fee\n"
            ":use sid\n"
            ":use none\n"
            "fee\n", "2001-01-01"),
}


@pytest.fixture(scope="module")
def small(small_deal) -> dict[str, Result]:
    """Every SMALL_SESSIONS session, run in parallel on the small deal."""
    folder, facts = small_deal
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {name: pool.submit(repl, text, folder, "--facts", facts, "--as-of", as_of)
                   for name, (text, as_of) in SMALL_SESSIONS.items()}
        results = {name: future.result() for name, future in futures.items()}
    for result in results.values():
        assert "Traceback" not in result.out + result.err, result.err
    return results


def test_the_deal_is_read_as_in_force_on_the_date(small):
    result = small["versions"]
    assert result.code == 1                                  # the amendment that could not be decided
    assert result.out.splitlines() == [
        "100  [§ 1]",
        "as of 2002-01-01",
        "consents_received = yes",
        "150  [§ 1]",
        "unknown  [§ 6]  needs cap_base (money)",
        "cap_base = $5.00",
        "$10.00  [§ 6]",
        "consents_received = no",
        "100  [§ 1]",
        "consents_received = yes",
        "as of 2005-01-01",
        "500  [§ 1]",
        "as of 2005-01-01",
        "base_2005.threshold = 500  [§ 1]",
        "  by the rule: 500",
    ]
    err = result.err
    assert "error: whether amend1 has taken effect by 2002-01-01 depends on consents_received" in err
    assert "`:set` it" in err
    assert "unknown name `over_threshold`" in err            # base_2005 does not define it
    assert "the deal as written has it, but not as in force on 2005-01-01" in err


def test_ask_answers_a_proposed_action_with_its_citations(small):
    result = small["ask"]
    assert result.code == 0, result.err                      # a prohibited action is an answer
    out = result.out
    assert "proposed transfer, as of 2001-01-01: PROHIBITED" in out
    assert "▸ § 4(a) base.lockup (prohibit): prohibits it" in out
    assert "proposed transfer, as of 2001-01-01: PERMITTED" in out
    assert ('exception § 4(b) "transfers to affiliates" (priority 1) applies and overrides the base rule'
            in out)
    assert out.count("PERMITTED") == 2                       # after the lock-up
    assert "· § 4(a) base.lockup (prohibit): does not prohibit it" in out


def test_a_malformed_action_is_a_mistake(small):
    result = small["ask_mistakes"]
    assert result.code == 1 and result.out == ""
    err = result.err
    assert "`transfer.transferee` must be one of stranger, affiliate, not `strangr`" in err
    assert "did you mean `stranger`?" in err
    assert "`transferee` is not a particular of the action" in err
    assert "no agreement loaded declares the action `transfr`" in err
    assert "`:ask` needs an action" in err


def test_diff_compares_versions_with_the_facts_of_the_session(small):
    result = small["diff"]
    assert result.code == 1                                  # the two malformed diffs
    out = result.out
    assert "diff base@2001-01-01 -> base@2002-01-01" in out
    assert "~ definition threshold  [by amend1 § 3]" in out and "100 -> 150" in out
    assert "+ section § 6 \"Cap\"  [by amend1 § 5]" in out
    assert "threshold: 100 (§ 1) -> 150 (§ 1)" in out         # the behaviour, for the facts in effect
    assert "diff base -> base#lenient" in out
    assert "revenue -> revenue * 2" in out
    assert "`:diff` takes two versions: OLD NEW" in result.err
    assert "no agreement `nothing` in this deal" in result.err


def test_readings_in_use_change_the_answers(small):
    result = small["readings"]
    assert result.code == 1                                  # the misspelt reading
    assert result.out.splitlines() == [
        "revenue = 60 in base, base_2005",
        "no  [§ 1]",
        "base.lenient is in use: over_threshold is read as half the threshold suffices",
        "yes  [§ 1(b)]",
        "base.lenient: over_threshold read as half the threshold suffices  [§ 1(b)]  [in use]",
        "as of 2001-01-01",
        "base.over_threshold = yes  [§ 1(b)]",
        '  by reading "lenient" (half the threshold suffices): revenue * 2 > threshold',
        "  fact revenue = 60",
        "  threshold = 100  [§ 1]",
        "    by the rule: 100",
        "base.lenient is no longer in use",
        "no  [§ 1]",
        "base.lenient is in use: over_threshold is read as half the threshold suffices",
        "no reading in use: every term is read by its own rule",
        "no  [§ 1]",
    ]
    assert "no reading `lenint` in this deal" in result.err and "did you mean `lenient`?" in result.err


def test_use_reads_an_ambiguous_name_in_the_agreement_chosen(small):
    result = small["use"]
    assert result.code == 1
    assert result.out.splitlines() == [
        "no agreement in use: qualify a name several agreements declare (agreement.name)",
        "names several agreements declare are read in side",
        "$7.00  [§ 1]",
        "as of 2001-01-01",
        "side.fee = $7.00  [§ 1]",
        "  by the rule: $7",
        "2  [§ 1]",
        "names several agreements declare are read in base",
        "$200.00  [§ 2]",
        "$7.00  [§ 1]",
        "no agreement in use: qualify a name several agreements declare (agreement.name)",
    ]
    err = result.err
    assert err.count("`fee` is a term of several agreements: base, side") == 2
    assert "no agreement `sid` in this deal" in err and "did you mean `side`?" in err
