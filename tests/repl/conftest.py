"""Shared by the REPL tests: a copy of the Series A deal to edit."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from series_a import ROOT, SERIES_A

PROBE = '\n§ 99 "Probe"\n  repl_probe: count = 1   § 99\n'


@pytest.fixture
def deal_copy(tmp_path) -> Path:
    """A copy of the SERIES_A files in tmp_path/deal; the Series A file's copy (returned)
    ends with a probe term, `repl_probe: count = 1`, to edit."""
    folder = tmp_path / "deal"
    folder.mkdir()
    for path in SERIES_A:
        shutil.copy(ROOT / path, folder)
    probed = folder / Path(SERIES_A[0]).name
    probed.write_text(probed.read_text(encoding="utf-8") + PROBE, encoding="utf-8")
    return probed
