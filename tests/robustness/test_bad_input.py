"""Every class of hostile or mistaken input found by fuzzing, each through the command
line: one clear message (file:line:col where there is a place) and exit 1 or 2, never
a traceback, a hang, or a value silently misread. The limits are those of
`dsl/limits.py` (listed in the README, section *Reliability*).

Most cases call `main` in this process (strict UTF-8 output streams, a time limit);
those about the process's own streams and arguments run `python -m interpreter`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.harness import run

ROOT = Path(__file__).resolve().parents[2]
BTI = ROOT / "agreements" / "bti"
SERIES_A = [str(BTI / "series-a-redemption.cov"), str(BTI / "indenture-1997.cov")]
SERIES_A_FACTS = str(BTI / "examples" / "series-a-2007-redemption-demand.yaml")

HEAD = 'agreement t "T"\n  dated 2001-01-01\n\ninput x: count "x"\ninput xs: list of count optional "xs"\n' \
       'input d: date optional "d"\ninput rate: percent optional "r"\ninput held: shares optional "h"\n' \
       'input ratio: decimal optional "q"\n\n§ 1 "One"\n'


def _cov(tmp_path: Path, body: str, name: str = "t.cov") -> str:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return str(path)


def _facts(tmp_path: Path, text: str | bytes, name: str = "f.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def _eval(tmp_path, body: str, facts: str | bytes = "x: 1\n", *names: str, as_of: str = "2001-01-01"):
    return run(None, ["eval", _cov(tmp_path, body), "--facts", _facts(tmp_path, facts), "--as-of", as_of, *names])


def _refused(outcome, code: int, *words: str) -> None:
    assert outcome.code == code, (outcome.code, outcome.out, outcome.err)
    assert "Traceback" not in outcome.err
    for word in words:
        assert word in outcome.err, (word, outcome.err)


# ---- nesting and chains -----------------------------------------------------------

@pytest.mark.parametrize("expression", ["-" * 1000 + "1", "not " * 1000 + "true", " + ".join(["1"] * 1000)])
def test_an_expression_nested_too_deep_is_refused_where_it_is(tmp_path, expression):
    outcome = run(None, ["check", _cov(tmp_path, f"  y: count = {expression}   § 1\n")])
    _refused(outcome, 1, "t.cov:12:", "nested more than 100 levels deep", "split the expression")


def test_the_deepest_expression_allowed_evaluates(tmp_path):
    outcome = _eval(tmp_path, "  y: count = " + " + ".join(["x"] * 90) + "   § 1\n", "x: 1\n", "y")
    assert outcome.code == 0 and "y = 90" in outcome.out, outcome.err


def test_a_chain_of_hundreds_of_definitions_is_refused_by_check(tmp_path):
    body = "  t0: count = x   § 1\n" + "".join(f"  t{i}: count = t{i - 1} + 1   § 1\n" for i in range(1, 300))
    outcome = run(None, ["check", _cov(tmp_path, body)])
    _refused(outcome, 1, "301 terms each use the next, more than the 100 Covenant follows", "t.t299 -> t.t298")


def test_the_longest_chain_allowed_evaluates_even_at_the_deepest_nesting(tmp_path):
    deep = " + ".join(["1"] * 90)
    body = "  t0: count = x   § 1\n" + "".join(f"  t{i}: count = t{i - 1} + {deep}   § 1\n" for i in range(1, 99))
    outcome = run(None, ["explain", _cov(tmp_path, body), "--facts", _facts(tmp_path, "x: 1\n"),
                         "--as-of", "2001-01-01", "--json", "t98"])
    assert outcome.code == 0, outcome.err
    assert '"value": 8821' in outcome.out


def test_input_defaults_in_a_cycle_are_found_by_check(tmp_path):
    body = ""
    text = HEAD.replace('input x: count "x"', 'input x: count = y "x"\ninput y: count = x "y"') + \
        "  z: count = x   § 1\n"
    path = tmp_path / "t.cov"
    path.write_text(text + body, encoding="utf-8")
    _refused(run(None, ["check", str(path)]), 1, "circular definition: t.x -> t.y -> t.x")


def test_yaml_nested_too_deep_is_refused(tmp_path):
    outcome = _eval(tmp_path, "  y: count = x   § 1\n", "x: 1\nxs: " + "[" * 1000 + "]" * 1000 + "\n")
    _refused(outcome, 2, "f.yaml:2:", "nested more than 50 levels deep")


# ---- numbers ------------------------------------------------------------------------

def test_a_literal_of_thousands_of_digits_is_refused(tmp_path):
    outcome = run(None, ["check", _cov(tmp_path, f"  y: count = {'9' * 5000}   § 1\n")])
    _refused(outcome, 1, "t.cov:12:14: error: a number has at most 34 digits; this one has 5,000")


@pytest.mark.parametrize("written, words", [
    ("9" * 5000, "a number has at most 34 digits; this one has 5,000"),
    ("1e999999999", "it is beyond the numbers Covenant reads"),
    ("1" + "0" * 30, "a number must be below 10^30"),
])
def test_a_fact_of_thousands_of_digits_or_a_huge_exponent_is_refused_at_once(tmp_path, written, words):
    outcome = _eval(tmp_path, "  y: decimal = ratio   § 1\n", f"x: 1\nratio: {written}\n")
    _refused(outcome, 2, "f.yaml:2:8:", "`ratio` must be a number", words)


def test_money_of_thirty_digits_prints_exactly(tmp_path):
    body = "  y: money = $99_999_999_999_999_999_999_999_999_999.99   § 1\n"
    outcome = _eval(tmp_path, body, "x: 1\n", "y")
    assert outcome.code == 0 and "$99,999,999,999,999,999,999,999,999,999.99" in outcome.out, outcome.err


def _explain(tmp_path, body: str, facts: str, name: str):
    """`explain`: the explaining evaluator (`eval` uses the compiled one)."""
    return run(None, ["explain", _cov(tmp_path, body), "--facts", _facts(tmp_path, facts), "--as-of", "2001-01-01",
                      name])


@pytest.mark.parametrize("command", [_explain, _eval])  # both evaluators check what they compute
def test_a_number_computed_beyond_the_limit_is_refused_where_it_is_computed(tmp_path, command):
    outcome = command(tmp_path, "  y: decimal = ratio * ratio * ratio   § 1\n", "x: 1\nratio: 1" + "0" * 20 + "\n", "y")
    _refused(outcome, 1, "t.cov:12:", "beyond the limit of 10^30")


def test_rounding_to_an_absurd_number_of_places_is_refused(tmp_path):
    outcome = _eval(tmp_path, "  y: decimal = round(1.5, 99999999999)   § 1\n", "x: 1\n", "y")
    _refused(outcome, 1, "rounded to at most 34 places")


def test_rounding_that_would_need_more_digits_than_exact_arithmetic_keeps_is_refused(tmp_path):
    outcome = _eval(tmp_path, "  y: decimal = round(ratio, 30)   § 1\n", "x: 1\nratio: 1" + "0" * 20 + "\n", "y")
    _refused(outcome, 1, "rounded to 30 places has more than 34 digits")


@pytest.mark.parametrize("rule", ["sum([sum([a * b for b in xs]) for a in xs])",
                                  "sum([sum([sum([a * b * c for c in xs]) for b in xs]) for a in xs])",
                                  "count([count([sum(xs) for b in xs]) for a in xs])"])
def test_a_list_comprehension_nested_over_long_lists_stops_with_a_message(tmp_path, rule):
    """`eval` (compiled: 8 billion products for the second rule) stops as `explain` does,
    with the same message at the same place; a function of a long list counts a step an
    element (the third rule sums 8 billion elements)."""
    facts = "x: 1\nxs:\n" + "".join(f"  - {i}\n" for i in range(2000))
    explained = _explain(tmp_path, f"  y: count = {rule}   § 1\n", facts, "y")
    _refused(explained, 1, "t.cov:12:", "evaluation stopped after 500,000 steps")
    evaluated = _eval(tmp_path, f"  y: count = {rule}   § 1\n", facts, "y")
    _refused(evaluated, 1)
    assert evaluated.err == explained.err


def test_a_list_fact_longer_than_the_limit_is_refused(tmp_path):
    facts = "x: 1\nxs: [" + ", ".join(["1"] * 10_001) + "]\n"
    _refused(_eval(tmp_path, "  y: count = x   § 1\n", facts), 2, "`xs` has 10,001 elements")


# ---- dates --------------------------------------------------------------------------

@pytest.mark.parametrize("expression", ["date_hereof + 9000 years", "date_hereof + 99999999 days",
                                        "date_hereof - 99999999 business days", "anniversary(date_hereof, "
                                        "100000000000000000000)", "as_of + 1 day"])
def test_a_date_computed_outside_the_calendar_is_an_error_at_its_expression(tmp_path, expression):
    outcome = _eval(tmp_path, f"  y: date = {expression}   § 1\n", "x: 1\n", "y", as_of="9999-12-31")
    _refused(outcome, 1, "t.cov:12:", "falls outside the calendar (years 0001 to 9999)")


@pytest.mark.parametrize("clause, first, words", [
    ("", "9999-06-30", "the periods of `pay`: 9999-06-30 moved by 12 months falls outside the calendar"),
    (" within 10 business days after period.end", "9999-12-24", "the deadline of `pay`: 9999-12-31 moved by 1 days"),
])
def test_a_recurring_obligation_whose_periods_leave_the_calendar_is_an_error_at_its_clause(tmp_path, clause,
                                                                                           first, words):
    # Was a traceback from both back ends: the periods and deadlines are computed outside any expression.
    text = HEAD.replace("\n\n", '\n  party p "P"\n\n', 1) + (
        '  obligation pay: p must "pay" every period of every 1 year from d' + clause
        + "   § 1\n  late: bool = pay.status == missed   § 1\n")
    (tmp_path / "t.cov").write_text(text, encoding="utf-8")
    for name in ("pay", "late"):
        outcome = run(None, ["eval", str(tmp_path / "t.cov"), "--facts", _facts(tmp_path, f"x: 1\nd: {first}\n"),
                             "--as-of", "9999-12-31", name])
        _refused(outcome, 1, "t.cov:13:", words)


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_a_timeline_at_the_ends_of_the_calendar_answers(as_of):
    # Found by the fuzz: the horizon of endless schedules ran past 9999-12-31.
    outcome = run(None, ["timeline", "agreements/bti", "--as-of", as_of])
    assert outcome.code in (0, 1) and "Traceback" not in outcome.err, outcome.err
    assert outcome.out.strip()


def test_a_huge_count_of_business_days_is_counted_at_once(tmp_path):
    outcome = _eval(tmp_path, "  y: date = date_hereof + 2000000 business days   § 1\n", "x: 1\n", "y")
    assert outcome.code == 0 and "y = 9667-" in outcome.out and outcome.seconds < 5, outcome


@pytest.mark.parametrize("where, argv_or_fact, words", [
    ("fact", "d: 2001-02-30", "`d` must be a date written YYYY-MM-DD, not `2001-02-30`: February 2001 has 28 days, "
                              "so day 30 does not exist"),
    ("as-of", "2001-02-30", "argument --as-of: `2001-02-30` is not a date: February 2001 has 28 days"),
    ("as-of", "2001-13-01", "`2001-13-01` is not a date: there is no month 13"),
    ("literal", "2001-02-30", "t.cov:12:13: error: `2001-02-30` is not a calendar date: February 2001 has 28 days, "
                              "so day 30 does not exist"),
])
def test_an_impossible_calendar_date_says_the_day_does_not_exist(tmp_path, where, argv_or_fact, words):
    body = f"  y: date = {argv_or_fact if where == 'literal' else 'date_hereof'}   § 1\n"
    facts = f"x: 1\n{argv_or_fact}\n" if where == "fact" else "x: 1\n"
    outcome = _eval(tmp_path, body, facts, as_of=argv_or_fact if where == "as-of" else "2001-01-01")
    _refused(outcome, 1 if where == "literal" else 2, words)


# ---- strict reading of values -----------------------------------------------------------

@pytest.mark.parametrize("fact, words", [
    ("ratio: 1,5", "`ratio` must be a number, not `1,5`: a comma is out of place"),
    ("x: 1,0,0", "`x` must be a whole number, not `1,0,0`: a comma is out of place"),
    ("rate: 30", "`rate` must be a percentage such as 10% or 0.10, not `30`: without `%` it reads as the fraction "
                 "30, that is 3000%"),
    ("held: -5", "`held` must be a number of shares, not `-5`: a number of shares cannot be negative"),
    ("x: -5", "`x` must be a whole number, not `-5`: a count cannot be negative"),
    ("x: 1e6", "`x` must be a whole number, not `1e6`: a count is written without an exponent"),
    ("ratio: !!python/object/apply:os.system ['true']", "the YAML tag `!!python/object/apply:os.system` is not "
                                                       "accepted"),
    ("ratio: !local 5", "the YAML tag `!local` is not accepted"),
    ("<<: {ratio: 5}", "the YAML tag `!!merge` is not accepted"),
])
def test_a_value_that_could_be_misread_is_refused_with_a_hint(tmp_path, fact, words):
    outcome = _eval(tmp_path, "  y: count = x   § 1\n", f"x: 1\n{fact}\n".replace("x: 1\nx:", "x:"))
    _refused(outcome, 2, "f.yaml:", words, "hint:")


@pytest.mark.parametrize("fact, shown", [("rate: 30%", "30%"), ("rate: 0.30", "30%"), ("rate: 1", "100%"),
                                         ("ratio: 1,500.5", "1,500.5"), ("ratio: 1e-2", "0.01"),
                                         ("held: 1_500_000", "1,500,000")])
def test_values_written_plainly_are_read(tmp_path, fact, shown):
    name = fact.split(":")[0]
    typ = {"rate": "percent", "held": "shares"}.get(name, "decimal")
    outcome = _eval(tmp_path, f"  y: {typ} = {name}   § 1\n", f"x: 1\n{fact}\n", "y")
    assert outcome.code == 0 and f"y = {shown}" in outcome.out, outcome.err


def test_a_yaml_alias_bomb_is_refused_before_anything_walks_it(tmp_path):
    bomb = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    bomb += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    outcome = _eval(tmp_path, "  y: count = x   § 1\n", "x: 1\n" + "\n".join(bomb) + "\n")
    _refused(outcome, 2, "holds more than 100,000 values (aliases counted each time they are used)")
    assert outcome.seconds < 5


# ---- files ---------------------------------------------------------------------------------

def test_a_cov_file_that_is_not_utf8_is_refused_at_its_byte(tmp_path):
    path = tmp_path / "bad.cov"
    path.write_bytes((HEAD + "  y: count = x   § 1\n").encode("utf-8").replace(b"One", b"On\xff"))
    _refused(run(None, ["check", str(path)]), 2, "bad.cov:11:8: error: .cov file", "is not UTF-8 text: byte 0xff",
             "save the file as UTF-8")


def test_a_file_holding_nul_bytes_is_refused_at_the_first(tmp_path):
    facts = _facts(tmp_path, b"x: 1\nratio: 1\x002\n")
    outcome = run(None, ["eval", _cov(tmp_path, "  y: count = x   § 1\n"), "--facts", facts])
    _refused(outcome, 2, "f.yaml:2:9: error: fact file", "holds a NUL character")


def test_a_file_too_large_is_refused_without_being_read_whole(tmp_path):
    path = tmp_path / "big.cov"
    path.write_text(HEAD + "#" * 2_100_000 + "\n", encoding="utf-8")
    _refused(run(None, ["check", str(path)]), 2, "is larger than 2,000,000 bytes")


def test_a_device_is_refused_as_a_fact_file(tmp_path):
    outcome = run(None, ["eval", _cov(tmp_path, "  y: count = x   § 1\n"), "--facts", "/dev/zero"])
    _refused(outcome, 2, "cannot read fact file /dev/zero: it is a device or a pipe, not a file")


@pytest.mark.parametrize("source", ["../outside.txt", "/etc/passwd", "~/notes.txt"])
def test_a_source_text_outside_the_agreement_folder_is_refused(tmp_path, source):
    path = tmp_path / "s.cov"
    path.write_text(HEAD.replace("  dated 2001-01-01", f'  dated 2001-01-01\n  source "{source}"')
                    + "  y: count = x   § 1\n", encoding="utf-8")
    _refused(run(None, ["check", str(path)]), 1, "is not a file in the agreement's folder")


def test_a_source_text_that_is_a_device_is_not_read(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    path = tmp_path / "s.cov"
    path.write_text(HEAD.replace("  dated 2001-01-01", '  dated 2001-01-01\n  source "zero.txt"')
                    + "  y: count = x   § 1\n", encoding="utf-8")
    assert run(None, ["coverage", str(path)]).code == 0
    outcome = run(None, ["repl", str(path)], stdin=":show 1\n")
    assert "(cannot read the source text" in outcome.out and "a device or a pipe" in outcome.out


# ---- actions and command lines -------------------------------------------------------------

@pytest.mark.parametrize("action, words", [
    ("", "the action file is empty"),
    ("action:\n  - transfer\n", "a.yaml:2:3: error: `action` must be the name of a kind of action"),
    ("- transfer\n", "an action must be a mapping"),
])
def test_a_malformed_action_file_gets_one_message(tmp_path, action, words):
    path = _facts(tmp_path, action, "a.yaml")
    outcome = run(None, ["ask", str(BTI / "shareholders-1999.cov"), "--action", path, "--as-of", "2000-06-15"])
    _refused(outcome, 2, words)


def test_a_word_longer_than_a_file_name_may_be_is_a_usage_error():
    outcome = run(None, ["eval", *SERIES_A, "--facts", SERIES_A_FACTS, "x" * 5000])
    _refused(outcome, 2, "no term `xxxx")


def test_a_folder_too_large_to_be_a_deal_is_not_walked_to_its_end(tmp_path):
    for i in range(10_001):
        (tmp_path / f"{i}.txt").touch()
    _refused(run(None, ["check", str(tmp_path)]), 2, "holds more than 10,000 files and folders")


def test_a_file_name_holding_a_nul_is_a_usage_error():
    _refused(run(None, ["check", "a\x00b.cov"]), 2, "no such file or folder")


def _subprocess(args: list, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable.encode(), b"-m", b"interpreter", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, timeout=120)


def test_text_that_cannot_be_encoded_is_printed_escaped_not_a_crash():
    done = _subprocess([b"check", b"agreements/\xff\xfe.cov"])
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"no such file or folder: agreements/\\udcff\\udcfe.cov" in done.stderr


def test_the_repl_reads_input_that_is_not_utf8_and_goes_on():
    done = _subprocess([b"repl", *(p.encode() for p in SERIES_A), b"--facts", SERIES_A_FACTS.encode(),
                        b"--as-of", b"2007-05-01"], stdin=b"red\xffemption_price\nredemption_price\n")
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert b"unexpected character" in done.stderr.lower() or b"error" in done.stderr
    assert done.stdout.decode().strip().endswith("$40,000,000.00  [§ 2(a)(i)]")


@pytest.mark.parametrize("message", [b'Content-Length: 5\r\n\r\n{"a":', b"Content-Length: 99999999999\r\n\r\n{}",
                                     b"\xff\xfe garbage\r\n\r\n", b""])
def test_the_language_server_reports_a_malformed_message_in_one_line(message):
    done = _subprocess([b"lsp"], stdin=message)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")


# ---- the REPL survives every such entry -----------------------------------------------------

HOSTILE = {
    ":asof 0001-01-01": None,
    "as_of - 1 day": "falls outside the calendar",
    ":asof 9999-12-31": None,
    ":asof 9999-12-31\n:timeline": None,   # two entries: the timeline at the calendar's end
    "liquidity_exercise_date + 9000 years": "falls outside the calendar",
    ":asof 2007-02-30": "`2007-02-30` is not a date: February 2007 has 28 days",
    "-" * 3000 + "1": "nested more than 100 levels deep",
    "9" * 5000: "a number has at most 34 digits",
    ":set third_appraisal = 1e999999999": "beyond the numbers Covenant reads",
    ":set third_appraisal = 1,5": "a comma is out of place",
    ":set third_appraisal = !!python/object/apply:os.system ['true']": "is not accepted",
    ":show " + "1" * 5000: "no section",
    ":save /nonexistent-folder/facts.yaml": "cannot save to /nonexistent-folder/facts.yaml",
    ":save /nonexistent-folder/a\x00b.yaml": "cannot save to '/nonexistent-folder/a\\x00b.yaml': embedded null byte",
    "x" * 200_000: "an entry has at most 100,000",
}


def test_the_repl_answers_after_every_hostile_entry():
    script = "".join(f"{entry}\n:asof 2007-05-01\n" for entry in HOSTILE) + "redemption_price\n"
    outcome = run(None, ["repl", *SERIES_A, "--facts", SERIES_A_FACTS, "--as-of", "2007-05-01"], stdin=script)
    assert outcome.code == 1 and "Traceback" not in outcome.err
    for words in filter(None, HOSTILE.values()):
        assert words in outcome.err, words
    assert outcome.out.rstrip().endswith("$40,000,000.00  [§ 2(a)(i)]")


# ---- :show never runs past the section ---------------------------------------------------------

FLAT = ('9. Other. Words. 10. Liquidity Provision. (a) first, prior to December 31, 2001. The Company shall. '
        '(b) second, pursuant to this Section 11. "Cash Resources" means cash. 11. Sale of the Company. '
        '(a) The bank. 12. Term. The end. 8.03. Defeasance. Words. Section 401. Execution. More. '
        'IN WITNESS WHEREOF, signed.')


@pytest.mark.parametrize("number, starts, ends", [
    ("10", "10. Liquidity Provision.", '"Cash Resources" means cash.'),         # not cut by `2001. The`
    ("10(b)", "(b) second,", '"Cash Resources" means cash.'),                  # not at `Section 11.`
    ("11", "11. Sale of the Company.", "(a) The bank."),                       # the heading, not the reference
    ("8.03", "8.03. Defeasance.", "Words."),                                   # a higher heading ends it
])
def test_a_section_ends_at_its_next_sibling_or_a_higher_heading(number, starts, ends):
    from interpreter.repl.sections import find_in_source
    passage = find_in_source(FLAT, number)
    assert passage.startswith(starts) and passage.endswith(ends), passage


def test_show_in_the_repl_gives_only_the_section_asked_for():
    deal = [str(BTI / "shareholders-1999.cov"), str(BTI / "shareholders-2001.cov")]
    outcome = run(None, ["repl", *deal, "--as-of", "2002-07-15"], stdin=":show 10(d)\n:show 11\n")
    assert outcome.code == 0, outcome.err
    first, second = outcome.out.split("── rules (shareholders_2001", 2)[1:]
    assert "(d) If the Company has not redeemed" in first and "11. Sale of the Company" not in first
    source = second.split("found by its number) ──", 1)[1]
    assert source.lstrip().startswith("11. Sale of the Company.") and "12. Determination" not in source


# ---- files written whole ------------------------------------------------------------------------

def test_a_file_that_cannot_be_written_whole_is_left_as_it_was(tmp_path):
    from dsl.errors import UsageProblem
    from interpreter.reports.files import write_atomically
    target = tmp_path / "facts.yaml"
    target.write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(UsageProblem, match="cannot be written as UTF-8"):
        write_atomically(str(target), "x: \udcff\n")
    assert target.read_text(encoding="utf-8") == "x: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.yaml"]  # no temporary file left behind


def test_save_from_the_repl_replaces_the_file_whole(tmp_path):
    target = tmp_path / "saved.yaml"
    target.write_text("old: true\n", encoding="utf-8")
    outcome = run(None, ["repl", *SERIES_A, "--facts", SERIES_A_FACTS, "--as-of", "2007-05-01"],
                  stdin=f":set third_appraisal = 36000000.00\n:save {target}\n")
    assert outcome.code == 0, outcome.err
    assert "third_appraisal: '36000000.00'" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["saved.yaml"]
