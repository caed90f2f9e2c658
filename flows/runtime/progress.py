"""Progress of a run (files done / total), reported to whoever is watching: the CLI's bar, or nobody.

A context variable rather than a flow parameter: a flow's parameters must be serialisable for the
Prefect API, and a progress bar is not.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Protocol


class ProgressReporter(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...

    def stage(self, name: str) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def stage(self, name: str) -> None:
        pass


SILENT: ProgressReporter = _Silent()
current_progress: ContextVar[ProgressReporter] = ContextVar("current_progress", default=SILENT)
