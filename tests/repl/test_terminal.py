"""`covenant repl` in a real pseudo-terminal (pexpect): completion, an error then a
correct entry, Ctrl-C and Ctrl-D, multi-line entries, `:reload` after an edit,
`:save`, and the history file. prompt_toolkit draws with escape sequences, so the
tests match plain substrings of what it prints."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

from interpreter.static.deal import load_deal
from interpreter.evaluation.facts import load_facts
from interpreter.static.model import compile_deal
from series_a import ARGS, FACTS, ROOT, SERIES_A

PROMPT = "covenant>"


def spawn(home: Path, *args: str, data: Path | None = None):
    """A REPL in a pseudo-terminal, its history under `home`, at its first prompt."""
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(data or home / "data"), TERM="xterm",
               PROMPT_TOOLKIT_NO_CPR="1", PYTHONPATH=str(ROOT))
    child = pexpect.spawn(sys.executable, ["-m", "interpreter", "repl", *args], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=10, dimensions=(50, 200))
    child.expect(PROMPT)
    child.greeting = child.before
    return child


def enter(child, text: str, *expected: str) -> None:
    """Type an entry and Enter; wait for each expected text, then the next prompt."""
    child.send(text + "\r")
    for piece in expected:
        child.expect_exact(piece)
    child.expect_exact(PROMPT)


def leave(child) -> int:
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_completion_of_names_commands_and_inputs(tmp_path):
    child = spawn(tmp_path, *ARGS)
    child.send("redemption_pr\t")
    child.expect_exact("redemption_price")
    enter(child, "", "$40,000,000.00  [§ 2(a)(i)]")
    child.send(":expl\t")
    child.expect_exact(":explain")
    enter(child, " redemption_price", "by row 1 (first that applies)")
    child.send(":set legally_av\t")
    child.expect_exact("legally_available_funds")
    enter(child, " = 1000", "legally_available_funds = $1,000.00")
    assert leave(child) == 0
    history = (tmp_path / "data" / "covenant" / "history").read_text(encoding="utf-8")
    assert "+redemption_price" in history and "+:explain redemption_price" in history


def test_an_error_then_a_correct_entry_and_ctrl_c(tmp_path):
    child = spawn(tmp_path, *ARGS)
    enter(child, "redemption_pric", "unknown name `redemption_pric`", "did you mean `redemption_price`?")
    enter(child, "redemption_price", "$40,000,000.00  [§ 2(a)(i)]")
    child.send("this line is abandoned")
    child.sendcontrol("c")
    child.expect_exact(PROMPT)
    enter(child, "later_of(liquidity_exercise_date,")           # an open bracket: the entry goes on
    enter(child, "2008-01-01)", "2008-01-01  [§ 1]")
    assert leave(child) == 0


def test_reload_after_editing_the_file(tmp_path, deal_copy):
    cov = deal_copy
    child = spawn(tmp_path, str(cov.parent), "--facts", FACTS, "--as-of", "2007-05-01")
    enter(child, ":set third_appraisal = 35000000.00", "third_appraisal = $35,000,000.00")
    enter(child, "repl_probe", "1  [§ 99]")
    cov.write_text(cov.read_text(encoding="utf-8").replace("count = 1", "count = 2"), encoding="utf-8")
    enter(child, ":reload", "reloaded (changed:")
    enter(child, "repl_probe", "2  [§ 99]")
    enter(child, "clamped_third_appraisal", "$35,000,000.00  [§ 2(b)]")
    child.send(":quit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_save_then_load_the_saved_facts(tmp_path):
    target = tmp_path / "saved.yaml"
    child = spawn(tmp_path, *ARGS)
    enter(child, ":set third_appraisal = 35000000.00", "third_appraisal = $35,000,000.00")
    enter(child, f":save {target}", "saved ")
    assert leave(child) == 0
    model = compile_deal(load_deal([str(ROOT / p) for p in SERIES_A]))
    expected = load_facts(str(ROOT / FACTS), model).values
    expected["series_a_redemption.third_appraisal"] = load_facts(str(target), model).values[
        "series_a_redemption.third_appraisal"]
    assert load_facts(str(target), model).values == expected
    assert str(expected["series_a_redemption.third_appraisal"]) == "35000000.00"


def test_without_a_writable_history_the_repl_goes_on(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    child = spawn(tmp_path, *ARGS, data=blocker)
    assert "history is not kept" in child.greeting
    enter(child, "redemption_price", "$40,000,000.00")
    assert leave(child) == 0
