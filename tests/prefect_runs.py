"""What Prefect recorded of a flow run, for tests that check which work became task runs."""

from __future__ import annotations

from typing import Any


def task_runs_named(state: Any, prefix: str) -> list[Any]:
    """The task runs of the flow run that ended in `state` whose names start with `prefix`, oldest first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id])),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC,
            limit=200,
        )
    return [t for t in task_runs if t.name.startswith(prefix)]
