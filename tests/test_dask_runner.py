"""The same round on a Dask LocalCluster with two workers gives the same outputs as the default runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tonghop.settings import Settings

pytestmark = pytest.mark.slow


def test_dask_local_cluster_gives_the_same_outputs_as_threads(
    make_settings: Callable[..., Settings], sample_docx_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("prefect_dask", reason="prefect-dask chưa được cài (pip install -e '.[test]')")
    from flows.consolidate import run_flow

    threads = make_settings(task_runner="thread", outbox=tmp_path / "out-thread")
    for path in sorted(sample_docx_dir.glob("*.docx")):
        shutil.copy2(path, threads.inbox / path.name)
    dask = threads.model_copy(update={"task_runner": "dask", "workers": 2, "outbox": tmp_path / "out-dask"})
    # Distinct parse buckets so several tasks really travel to the workers.
    dask = dask.model_copy(update={"parse_buckets": 4})
    threads = threads.model_copy(update={"parse_buckets": 4})

    run_flow(threads)
    result = run_flow(dask)

    assert result.files == 5
    for name in ("reports.json", "intake.csv"):
        assert (dask.round_dir / name).read_bytes() == (threads.round_dir / name).read_bytes(), name
