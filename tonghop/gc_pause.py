"""The cyclic garbage collector paused for the length of a run.

A run allocates millions of small objects that live until it ends (the reports, their items, the themes)
and almost no reference cycles: reference counting frees them. CPython's collector still walks the young
objects every 700 allocations and the whole heap each time it grows by a quarter, which cost more than the
work itself when the 3,580 stored parses of a national round are loaded (1.0 s, 0.4 s with the collector
paused). The cycles a run does make are collected when it ends, except those of the output writers: a
Word document is a web of parent links (python-docx, docxtpl), so each writer's garbage is collected as it
finishes, over what was allocated since `keep_round` only.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        # The run's own cycles (Prefect's futures and states hold the parsed batches they returned) would
        # otherwise wait for the collector's next full pass, in a served process many runs later.
        gc.collect()
        if was_enabled:
            gc.enable()


def keep_round() -> None:
    """Everything alive now lives until the run ends: later collections need not walk it again."""
    gc.freeze()


def collect_garbage() -> None:
    gc.collect()
