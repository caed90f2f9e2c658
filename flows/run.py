"""What `tonghop run` does: lock the outbox, set Prefect up, run the consolidation flow, show its progress.

The lock comes first, before Prefect is imported, so that a second run on a busy outbox fails at once instead
of after the Prefect API has booted. Prefect comes after `configure_prefect`, because it reads its settings
once, when it is imported. Hence `flows.consolidate` (which imports Prefect) is imported inside `run_round`.
"""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager

from flows.runtime.prefect_env import configure_prefect, quiet_fixable_errors
from flows.runtime.progress import SILENT, ProgressReporter, current_progress
from flows.runtime.stop import stop_on_sigterm
from schemas.run import RunResult
from tonghop.settings import Settings
from tonghop.store.lock import outbox_lock
from tonghop.store.registry import Registry


def run_round(
    settings: Settings,
    *,
    wait: bool = False,
    progress: AbstractContextManager[ProgressReporter] | None = None,
) -> RunResult:
    """Consolidates the inbox into the round's folder; `wait` waits for another run's lock instead of failing.

    `progress` is entered once the lock is held and Prefect is ready (a bar shown while waiting for the lock
    or Prefect's imports would only stand still), and reports the run's stages and files.
    """
    with outbox_lock(settings.outbox, wait=wait):
        Registry.for_round(settings.round_dir).close()  # a registry that is not ours fails here, at once
        configure_prefect(settings.prefect_home)
        quiet_fixable_errors()
        stop_on_sigterm()
        from flows.consolidate import run_flow

        with progress if progress is not None else contextlib.nullcontext(SILENT) as reporter:
            token = current_progress.set(reporter)
            try:
                return run_flow(settings, wait=wait, already_locked=True)
            finally:
                current_progress.reset(token)
