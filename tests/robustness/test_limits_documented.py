"""Every limit of `dsl/limits.py` is documented with its number in the README's
Reliability section, so that the two cannot drift apart."""
from __future__ import annotations

from pathlib import Path

import pytest

from dsl import limits

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = {name: value for name, value in vars(limits).items()
              if name.isupper() and name != "PYTHON_RECURSION"}


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Reliability", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_each_limit_is_in_the_readme_with_its_number(name):
    value = DOCUMENTED[name]
    numbers = [f"{v:,}" for v in (value if isinstance(value, tuple) else (value,))]
    if name == "MAGNITUDE_DIGITS":
        numbers = [f"10^{value}"]
    if name == "YEAR_RANGE":
        numbers = [f"{value[0]:04d} to {value[1]}"]
    section = _section()
    assert all(number in section for number in numbers), f"{name} = {value} is not in the README's Reliability table"
