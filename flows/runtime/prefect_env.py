"""Prefect's own settings, applied before Prefect is imported.

By default Prefect runs in local ephemeral mode with its state under the project's `.prefect/`, so a fresh
clone or a CI machine needs no server, no account and no network. An officer who runs a Prefect server sets
`PREFECT_API_URL` and these defaults step aside.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from tonghop.errors import TonghopError


def configure_prefect(prefect_home: Path) -> None:
    # Prefect creates its home without parents and then fails to open its database, after a long timeout.
    prefect_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(prefect_home.resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The ephemeral server logs cancelled background flushes as errors when the process exits; they are
    # harmless and would only alarm the officer reading the console.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
    # The first start creates and migrates the SQLite database, which takes longer than Prefect's default
    # allows on a slow 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@contextlib.contextmanager
def no_heartbeats_without_server() -> Iterator[None]:
    """Flow-run heartbeats off when the run talks to the temporary local API, unless the officer set them.

    Heartbeats let a Prefect server mark a run whose process died as crashed. The temporary API lives
    and dies with the run, so nothing ever reads them; and at every end the flow waited for the heartbeat
    thread's sleep, a noticeable share of a small re-run.
    Against a real server (`PREFECT_API_URL`, `tonghop serve`) Prefect's default stands.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings, temporary_settings

    chosen = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"} & set(os.environ)
    if get_current_settings().api.url or chosen:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@contextlib.contextmanager
def api_shared_with_workers(task_runner: str) -> Iterator[None]:
    """Points worker processes (process pool, local Dask cluster) at this process's local API.

    In ephemeral mode nothing tells a spawned worker where the parent's temporary API is, so each worker
    starts one of its own, at the cost of a slow start and a core per worker, and their events then fail to
    arrive.
    Starting the (singleton) temporary API here and exporting its URL lets every worker use the same one.
    """
    if task_runner == "thread" or os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")))
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)


class _FixableWithoutTraceback(logging.Filter):
    """Prefect logs a failed flow's exception with its traceback; for what the officer can fix (a full
    disk, a permission, our own Vietnamese errors) the CLI prints one clear line instead, so the
    traceback is left out of the terminal. A bug keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TonghopError | OSError | sqlite3.Error):
            record.exc_info = None
            record.exc_text = None
            record.msg = "Lượt tổng hợp dừng; xem thông báo lỗi bên dưới."
            record.args = ()
        return True


def quiet_fixable_errors() -> None:
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _FixableWithoutTraceback) for f in logger.filters):
            logger.addFilter(_FixableWithoutTraceback())
