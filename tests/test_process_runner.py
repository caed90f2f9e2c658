"""`task_runner = "process"`: both cores parse, the workers use the run's Prefect API, same outputs."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tonghop.settings import Settings

pytestmark = pytest.mark.slow

SERVER_MARK = b"prefect.server.api.server:create_app"


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        pid = _parent(pid)
    return False


class ApiServerWatch:
    """Every temporary Prefect API server started by this test process or its workers (read from /proc)."""

    def __init__(self) -> None:
        self.servers: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _scan(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                pid = int(entry.name)
                if SERVER_MARK in (entry / "cmdline").read_bytes() and _descends_from(pid, os.getpid()):
                    self.servers.add(pid)
            except OSError:
                continue

    def _run(self) -> None:
        while not self._stop.is_set():
            self._scan()
            time.sleep(0.1)

    def __enter__(self) -> ApiServerWatch:
        self._scan()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_process_workers_use_the_runs_api_and_give_the_same_outputs_as_threads(
    make_settings: Callable[..., Settings], sample_docx_dir: Path, tmp_path: Path
) -> None:
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("cần /proc (Linux) để đếm các tiến trình máy chủ Prefect")
    from flows.consolidate import run_flow

    threads = make_settings(task_runner="thread", outbox=tmp_path / "out-thread", parse_buckets=4)
    for path in sorted(sample_docx_dir.glob("*.docx")):
        shutil.copy2(path, threads.inbox / path.name)
    run_flow(threads)
    # Other buckets, so the workers really parse instead of finding the thread run's cached results.
    processes = threads.model_copy(
        update={
            "task_runner": "process",
            "workers": 2,
            "parse_buckets": 1,
            "outbox": tmp_path / "out-process",
        }
    )

    with ApiServerWatch() as watch:
        result = run_flow(processes)

    assert result.files == 5
    # In ephemeral mode each spawned worker used to start an API server of its own (20 s and a core each).
    assert len(watch.servers) == 1, f"Prefect API servers during the run: {sorted(watch.servers)}"
    for name in ("reports.json", "intake.csv"):
        assert (processes.round_dir / name).read_bytes() == (threads.round_dir / name).read_bytes(), name
