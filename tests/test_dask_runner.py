"""The same round on a Dask cluster of two workers gives the same outputs as the default runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from test_process_runner import ApiServerWatch

from tonghop.settings import Settings

pytestmark = pytest.mark.slow


def test_dask_runner_builds_a_local_cluster_of_the_configured_workers(
    make_settings: Callable[..., Settings],
) -> None:
    pytest.importorskip("prefect_dask", reason="prefect-dask chưa được cài (pip install -e '.[test]')")
    from prefect_dask import DaskTaskRunner

    from flows.consolidate import task_runner_for

    runner = task_runner_for(make_settings(task_runner="dask", workers=3))

    assert isinstance(runner, DaskTaskRunner)
    assert runner.cluster_kwargs == {"n_workers": 3, "threads_per_worker": 1, "processes": True}
    assert runner.address is None


def test_existing_dask_scheduler_gives_the_same_outputs_as_threads(
    make_settings: Callable[..., Settings], sample_docx_dir: Path, tmp_path: Path
) -> None:
    """As the Ministry would run it: `dask_address` names a scheduler that is already up."""
    pytest.importorskip("prefect_dask", reason="prefect-dask chưa được cài (pip install -e '.[test]')")
    from distributed import LocalCluster

    from flows.consolidate import run_flow

    threads = make_settings(task_runner="thread", outbox=tmp_path / "out-thread", parse_buckets=4)
    for path in sorted(sample_docx_dir.glob("*.docx")):
        shutil.copy2(path, threads.inbox / path.name)
    run_flow(threads)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = threads.model_copy(
            update={
                "task_runner": "dask",
                "dask_address": cluster.scheduler_address,
                "outbox": tmp_path / "out-dask",
            }
        )
        with ApiServerWatch() as watch:
            result = run_flow(dask)
        ran_on_cluster = sum(
            prefix.state_counts.get("memory", 0) + prefix.state_counts.get("forgotten", 0)
            for name, prefix in cluster.scheduler.task_prefixes.items()
            if "doc-tep" in name or "parse" in name
        )

    assert result.files == 5
    assert ran_on_cluster >= 1, "the parse tasks must have run on the cluster's workers"
    assert len(watch.servers) == 1, f"Prefect API servers during the run: {sorted(watch.servers)}"
    for name in ("reports.json", "intake.csv"):
        assert (dask.round_dir / name).read_bytes() == (threads.round_dir / name).read_bytes(), name
