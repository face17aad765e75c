"""The mistakes of `ask`, `diff`, `coverage` and `eval` as a user meets them: a
subprocess, one message and an exit code, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.cli.small_deals import AS_OF, ROOT, clean_error, run_process


@pytest.fixture(scope="module")
def processes(folders):
    runs = {
        "ask_unknown_kind": ["ask", folders["sha"], *AS_OF, "transfr", "transferor=investor"],
        "ask_wrong_type": ["ask", folders["sha"], *AS_OF, "transfer", "transferor=investor",
                           "transferee=stranger", "date=yesterday"],
        "ask_prohibited": ["ask", folders["sha"], "--facts", folders["consent"], *AS_OF,
                           "--action", folders["stranger_transfer.yaml"]],
        "diff_not_a_date": ["diff", folders["versions"], "base@notadate", "base"],
        "diff_not_in_force": ["diff", folders["versions"], "base@1999-01-01", "base"],
        "coverage_empty": ["coverage", folders["sha"]],
    }
    with ThreadPoolExecutor(max_workers=max(2, min(6, os.cpu_count() or 2))) as pool:
        return dict(zip(runs, pool.map(run_process, runs.values())))


@pytest.mark.parametrize("key, code, words", [
    ("ask_unknown_kind", 2, "error: no agreement loaded declares the action `transfr`"),
    ("ask_wrong_type", 2, "error: `transfer.date` must be a date written YYYY-MM-DD, not `yesterday`"),
    ("diff_not_a_date", 2, "error: `base@notadate`: `notadate` is neither a date"),
    ("diff_not_in_force", 2, "error: base is not in force on 1999-01-01"),
])
def test_bad_input_in_a_subprocess_is_one_message_and_exit_2(processes, key, code, words):
    result = processes[key]
    clean_error(result, code)
    assert words in result.err
    assert result.out == ""


def test_prohibited_and_empty_coverage_exit_1_in_a_subprocess(processes):
    assert processes["ask_prohibited"].code == 1
    assert "PROHIBITED" in processes["ask_prohibited"].out
    assert processes["coverage_empty"].code == 1
    assert "Traceback" not in processes["coverage_empty"].err


def test_a_term_of_a_restated_agreement_is_named_not_in_force():
    done = subprocess.run([sys.executable, "-m", "interpreter", "eval", "agreements/bti", "--as-of", "2002-01-01",
                           "shareholders_1999.investor_directors"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "`shareholders_1999.investor_directors` is not in force on 2002-01-01" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_answers_the_other_terms_when_one_cannot_be_evaluated(tmp_path):
    (tmp_path / "d.cov").write_text('agreement d "D"\ninput z: count "zero"\n§ 1 "A"\n'
                                    '  a: decimal = 1 / z § 1\n  b: count = 2 § 1\n')
    (tmp_path / "f.yaml").write_text("z: 0\n")
    done = subprocess.run([sys.executable, "-m", "interpreter", "eval", str(tmp_path / "d.cov"),
                           "--facts", str(tmp_path / "f.yaml")], capture_output=True, text=True)
    assert done.returncode == 1
    assert "b = 2" in done.stdout
    assert "division by zero" in done.stderr and "Traceback" not in done.stderr
