"""Every test run uses a cache directory of its own (the on-disk cache of checked
deals, `interpreter/static/cache.py`), so that tests neither read what an earlier
run or another checkout left in the user's cache nor leave anything there. Commands
run in subprocesses inherit it."""
import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory):
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
