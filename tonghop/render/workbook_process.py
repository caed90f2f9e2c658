"""A second process that encodes the workbook while this one writes the other outputs.

Why: a run's outputs are Python work under one interpreter lock (2.8 s of a national re-run after 10 new
files, two threads gaining little over one), while the machine's second core waits. Encoding
`du-lieu.xlsx` (`write_xlsx`: some 400,000 cells into XML, deflated) is 0.65 s of it, and what it encodes,
three tables of plain values, pickles in 0.06 s and unpickles in 0.07 s. The other outputs are made from
the models, which cost as much to send as to render (the review page's context took 0.53 s to pickle and
0.56 s to unpickle; the round as pydantic JSON, 0.2 s out and 0.6 s back in): they stay here.

Why not Prefect's `ProcessPoolTaskRunner`: its process starts when the first task is submitted and imports
Prefect and runs the task engine before it does anything, seconds on the run's critical path. This one
starts as the files are read and has imported the encoder (0.4 s) before the outputs are due; the workbook
is still the Prefect task run it was, which waits for it.

Spawned, not forked: the parent runs Prefect's threads, and a fork copies the locks they hold.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

from tonghop.render.xlsx_stream import Sheet, write_xlsx


def _ready() -> int:
    """Run first, so the process starts (and imports this module and the encoder) before it is needed."""
    return os.getpid()


class WorkbookProcess:
    """One process for the run; `write_xlsx` raises `BrokenProcessPool` when it could not start or died."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.started: Future[int] = self._pool.submit(_ready)

    def write_xlsx(self, path: Path, sheets: Sequence[Sheet], *, creator: str, title: str) -> None:
        self._pool.submit(write_xlsx, path, sheets, creator=creator, title=title).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> WorkbookProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
