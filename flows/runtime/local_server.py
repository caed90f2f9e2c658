"""A Prefect server of our own for `tonghop serve` when the officer has not pointed us at one.

Prefect's ephemeral mode runs no scheduler ("Cannot schedule flows on an ephemeral server"), so a served
deployment there would wait forever. `tonghop serve` therefore starts `prefect server start` on a free
loopback port, with its database in the project's Prefect home, and stops it on exit; with
`PREFECT_API_URL` set, that server is used instead and nothing is started.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tonghop.errors import TonghopError


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def prefect_server(prefect_home: Path, *, startup_timeout: float = 180.0) -> Iterator[str]:
    """Yields the API URL of a running Prefect server, starting one on 127.0.0.1 when none is configured."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    prefect_home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log_path = prefect_home / "server.log"
    env = {**os.environ, "PREFECT_HOME": str(prefect_home.resolve())}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + startup_timeout
        while not _healthy(api_url):
            if process.poll() is not None:
                raise TonghopError(
                    f"Không khởi động được máy chủ Prefect (mã thoát {process.returncode}); xem {log_path}."
                )
            if time.monotonic() > deadline:
                raise TonghopError(
                    f"Máy chủ Prefect chưa sẵn sàng sau {startup_timeout:.0f} giây; xem {log_path}."
                )
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        if os.environ.get("PREFECT_API_URL") == api_url:
            del os.environ["PREFECT_API_URL"]
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
