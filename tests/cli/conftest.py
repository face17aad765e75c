"""Fixtures shared by the command-line tests."""
from __future__ import annotations

import pytest

from tests.cli.small_deals import write_folders


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, str]:
    """The small deals of `small_deals`, written once per test module."""
    return write_folders(tmp_path_factory.mktemp("cli"))
