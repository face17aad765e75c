"""Python's cycle collector, paused while a deal is built.

Parsing, checking and unpickling a deal make a great many small objects and no
garbage worth collecting; a collection in the middle of it walks everything built
so far, again and again, which doubles the time it takes and makes it grow faster
than the deal. Paused, loading takes time in proportion to the deal."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block (as it was, after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
