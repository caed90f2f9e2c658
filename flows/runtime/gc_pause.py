"""The cyclic garbage collector paused for the length of a run.

A run allocates millions of small objects that live until it ends (the reports, their items, the themes)
and almost no reference cycles: reference counting frees them. CPython's collector still walks the young
objects every 700 allocations and the whole heap each time it grows by a quarter, which costs more than
the work itself when the stored parses of a national round are loaded. The cycles a run does make are
collected when it ends, if there are enough of them to be worth a pass over the whole heap; those of the
output writers are collected earlier: a Word document is a web of parent links (python-docx, docxtpl), so
each writer's garbage is collected as it finishes, over what was allocated since `keep_round` only.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# A run that leaves more objects than this behind has them collected as it ends: a national first run
# leaves hundreds of thousands (the parsed batches that Prefect's futures and states keep in cycles), a
# small re-run a few thousand, which would not pay for a pass over every long-lived object of the process:
# the collector, enabled again, frees them on its own schedule.
LEFT_BEHIND_WORTH_A_PASS = 50_000


def _tracked_objects() -> int:
    """How many objects the collector tracks: freezing them is a list splice, so counting them is cheap."""
    frozen = gc.get_freeze_count()
    gc.freeze()
    count = gc.get_freeze_count() - frozen
    gc.unfreeze()
    return count


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    before = _tracked_objects()
    try:
        yield
    finally:
        gc.unfreeze()
        if _tracked_objects() - before > LEFT_BEHIND_WORTH_A_PASS:
            # Otherwise the parsed batches would wait for the collector's next full pass, in a served
            # process nights later.
            gc.collect()
        if was_enabled:
            gc.enable()


def keep_round() -> None:
    """Everything alive now lives until the run ends: later collections need not walk it again."""
    gc.freeze()


def collect_garbage() -> None:
    gc.collect()
