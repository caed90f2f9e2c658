"""Prefect's own settings, applied before Prefect is imported.

By default Prefect runs in local ephemeral mode with its state under the project's `.prefect/`, so a fresh
clone or a CI machine needs no server, no account and no network. An officer who runs a Prefect server sets
`PREFECT_API_URL` and these defaults step aside.
"""

from __future__ import annotations

import os
from pathlib import Path


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
    # The first start creates and migrates the SQLite database, which takes longer than the default 20 s
    # on a slow 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
