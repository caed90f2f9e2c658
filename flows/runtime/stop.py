"""SIGTERM during `tonghop run`: stop now, and leave nothing running behind.

Python's default answer to SIGTERM ends the process without its exit handlers, so the temporary Prefect
server of local ephemeral mode, a child process, was left running under PID 1. Unwinding instead (as for
Ctrl+C) would wait for every LLM call in flight to reach its timeout: a blocking HTTP read in a worker thread
cannot be interrupted, and the thread pool joins its threads on the way out. So the handler stops the
temporary servers this process started, says so, and exits at once; the calls in flight end with the
process (the server sees their connections close). What was parsed and stored stays; the run is marked as
interrupted by the next run, as after any crash, and an unchanged re-run reads the LLM answers already
cached.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

EXIT_STATUS = 128 + signal.SIGTERM


def stop_temporary_servers() -> int:
    """Stops the ephemeral Prefect servers this process started; how many there were."""
    from prefect.server.api.server import SubprocessASGIServer

    servers = list(SubprocessASGIServer._instances.values())
    for server in servers:
        try:
            server.stop()
        except Exception:  # noqa: BLE001 - exiting anyway: a server already gone is fine
            continue
    return len(servers)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    try:
        stop_temporary_servers()
        print(
            "Đã dừng theo yêu cầu (SIGTERM): các lượt gọi mô hình đang chờ bị huỷ; "
            "chạy lại 'tonghop run' để hoàn tất (các kết quả đã có được dùng lại).",
            file=sys.stderr,
            flush=True,
        )
    finally:
        os._exit(EXIT_STATUS)


def stop_on_sigterm() -> None:
    """Installs the handler (main thread only, as Python requires for signal handlers)."""
    signal.signal(signal.SIGTERM, _on_sigterm)
