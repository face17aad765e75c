"""`covenant fmt`: one layout, idempotent, meaning and comments kept."""
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dsl.errors import SyntaxProblem
from dsl.parser import parse
from interpreter.cli.main import main
from interpreter.editor.fmt import format_text
from interpreter.editor.fmt.lines import CITATION_COLUMN

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "agreements").rglob("*.cov"))
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*.cov") if "syntax" not in p.parts)


def fmt(*args, capsys):
    """`covenant fmt ARGS`, run in this process: (exit code, stdout, stderr)."""
    code = main(["fmt", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", BUNDLED + FIXTURES, ids=lambda p: p.name)
def test_formatting_is_idempotent_and_keeps_meaning_and_comments(path):
    text = path.read_text(encoding="utf-8")
    once = format_text(text, str(path))
    assert format_text(once, str(path)) == once
    original, formatted = parse(text, str(path)), parse(once, str(path))
    assert formatted == original  # the same AST, spans aside
    assert [c.text for c in formatted.comments] == [c.text.rstrip() for c in original.comments]


def test_the_bundled_agreements_are_formatted():
    result = subprocess.run([sys.executable, "-m", "interpreter", "fmt", "--check", "agreements/"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + "\nrun `covenant fmt agreements/`"


def test_indentation_and_spacing_do_not_matter():
    path = ROOT / "agreements" / "bti" / "series-a-redemption.cov"
    text = path.read_text(encoding="utf-8")
    rng = random.Random(7)
    shuffled = "\n".join(" " * rng.randrange(6) + re.sub(r"(?<=\S) +(?=§)", " " * rng.randrange(1, 9), line.strip())
                         for line in text.split("\n"))
    assert format_text(shuffled) == format_text(text)


LOAN = """\
# a loan
agreement loan "A loan"
  dated 2001-01-01
  governing_law "New York" § 9
input repaid: date optional "the day it was repaid"
input principal: money "the principal"
§ 1 "Repayment"
  # when it is due
  due: date = date_hereof + 1 year § 1   # one year
  late: bool = repaid > due and repaid > due + 30 days and repaid > due + 60 days and repaid > due + 90 days § 1(a)
  fee: money =
    first
      when late -> principal * 2% § 1(b)
      otherwise -> $0 § 1(c)
§ 2 "Notices" boilerplate "in writing"
§ 3 "Counterparts" boilerplate "originals"
# the end
"""


def test_layout_of_a_small_agreement():
    out = format_text(LOAN)
    lines = out.splitlines()
    assert lines[0] == "# a loan"
    assert '  governing_law "New York"   § 9' in lines
    rule = next(line for line in lines if line.lstrip().startswith("due:"))
    assert rule.index("§") == CITATION_COLUMN and rule.endswith("§ 1  # one year")
    assert "  # when it is due" in lines
    # a blank line before each section that follows declarations; boilerplate headings stay a list
    assert lines[lines.index('§ 1 "Repayment"') - 1] == ""
    assert lines[lines.index('§ 2 "Notices" boilerplate "in writing"') - 1] == ""
    assert lines[lines.index('§ 3 "Counterparts" boilerplate "originals"') - 1].startswith("§ 2")
    # the long condition is broken before each `and`, under the rule's name
    late = lines.index("  late: bool =")
    assert lines[late + 1].strip().startswith("repaid > due and") is False
    assert [line.strip()[:4] for line in lines[late + 1:late + 5]] == ["repa", "and ", "and ", "and "]
    assert all(len(line) <= 100 for line in lines)
    assert out.endswith("# the end\n")
    assert format_text(out) == out


def test_comments_anywhere_are_kept():
    text = ('agreement a "A"  # the agreement\n'
            "input x: count # how many\n"
            '  "x"\n'
            '§ 1 "S"\n'
            "  y: count = x +  # plus\n"
            "     # one\n"
            "     1 § 1\n")
    out = format_text(text)
    assert [c.text for c in parse(out).comments] == ["# the agreement", "# how many", "# plus", "# one"]
    assert format_text(out) == out
    assert parse(out) == parse(text)


def test_a_syntax_error_is_reported_and_nothing_is_written(tmp_path, capsys):
    bad = tmp_path / "bad.cov"
    bad.write_text('agreement a "A"\n  x: count = 1\n', encoding="utf-8")
    with pytest.raises(SyntaxProblem):
        format_text(bad.read_text(encoding="utf-8"))
    code, _, err = fmt(str(bad), capsys=capsys)
    assert code == 1
    assert "bad.cov:2:" in err and "could not be formatted" in err
    assert bad.read_text(encoding="utf-8") == 'agreement a "A"\n  x: count = 1\n'


def test_check_diff_and_rewrite(tmp_path, capsys):
    target = tmp_path / "loan.cov"
    target.write_text(LOAN, encoding="utf-8")
    code, _, err = fmt("--check", str(tmp_path), capsys=capsys)
    assert code == 1 and f"not formatted: {target}" in err
    code, out, _ = fmt("--diff", str(target), capsys=capsys)
    assert code == 0 and "+  due: date = date_hereof + 1 year" in out
    assert target.read_text(encoding="utf-8") == LOAN  # --check and --diff change nothing
    code, _, err = fmt(str(target), capsys=capsys)
    assert code == 0 and f"formatted {target}" in err
    assert target.read_text(encoding="utf-8") == format_text(LOAN)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loan.cov"]  # no temporary file left
    assert fmt("--check", str(target), capsys=capsys)[0] == 0


def test_a_missing_path_is_a_usage_error(tmp_path, capsys):
    code, _, err = fmt(str(tmp_path / "nowhere.cov"), capsys=capsys)
    assert code == 2 and "no such file" in err


def test_a_grid_is_laid_out_as_a_table_and_an_ordered_enum_packed():
    text = ('agreement g "G"\ntype Grade = ordered enum { low, mid, high }\ninput grade: Grade "g"\n'
            '§ 1 "Fees"\ngrid "Fees" | by grade | low | mid | high |\n'
            '| fee: percent | 0.1% | 0.25% | 1% |\n| margin_in_percent: percent | 1.5% | 2% | 3% | § 1\n')
    formatted = format_text(text)
    assert formatted == format_text(formatted)
    assert parse(formatted, "g.cov") == parse(text, "g.cov")
    assert "type Grade = ordered enum { low, mid, high }" in formatted
    rows = [line for line in formatted.splitlines() if line.lstrip().startswith("|")]
    assert rows == [
        "    | by grade                   | low  | mid   | high |",
        "    | fee: percent               | 0.1% | 0.25% | 1%   |",
        "    | margin_in_percent: percent | 1.5% | 2%    | 3%   |",
    ]


GRID = """\
agreement g "G"
§ 1 "Pricing"
grid "Pricing" | by level | low | high | | fee: percent | 0.1% | 0.25% | | margin_rate: percent | 1% | 1.5% | § 1
"""


def test_grid_cells_are_aligned_in_columns():
    out = format_text(GRID)
    rows = [line for line in out.splitlines() if line.lstrip().startswith("|")]
    assert len(rows) == 3
    bars = {tuple(i for i, ch in enumerate(row) if ch == "|") for row in rows}
    assert len(bars) == 1  # every bar of every row in the same column
    assert out.splitlines()[-1] == "    § 1"
    assert format_text(out) == out and parse(out) == parse(GRID)


def test_a_form_the_formatter_does_not_name_is_broken_by_its_shape():
    from lark import Token, Tree

    from interpreter.editor.fmt.expressions import layout
    from interpreter.editor.fmt.pieces import join

    def name(text):
        return Tree("name", [Token("NAME", text)])

    future = Tree("future_form", [Token("EVERY", "every"), name("six_months"), Token("FROM", "from"), name("start"),
                                  Tree("part_until", [Token("UNTIL", "until"), name("maturity")]),
                                  Tree("part_adjust", [Token("ADJUSTED", "adjusted"), Token("NAME", "following")])])
    assert [join(pieces) for _, pieces in layout(future, 0, 100)] == [
        "every six_months from start until maturity adjusted following"]
    lines = layout(future, 4, 30)
    assert [(indent, join(pieces)) for indent, pieces in lines] == [
        (4, "every six_months from start"), (6, "until maturity"), (6, "adjusted following")]
