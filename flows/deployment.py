"""The consolidation flow as a Prefect deployment: scheduled nightly runs that pick up newly dropped files.

`tonghop serve` runs it in this process (`Flow.serve`); `prefect.yaml` describes the same deployment for a
Prefect server with a work pool and workers.
"""

from __future__ import annotations

from typing import Any

from flows.consolidate import consolidate, task_runner_for
from tonghop.settings import Settings

DEPLOYMENT_NAME = "tong-hop-dinh-ky"


def deployment_parameters(settings: Settings) -> dict[str, Any]:
    """Parameters stored on the deployment, with absolute paths so a worker elsewhere finds the folders."""
    resolved = settings.model_copy(
        update={
            "inbox": settings.inbox.resolve(),
            "outbox": settings.outbox.resolve(),
            "prefect_home": settings.prefect_home.resolve(),
            "overrides_file": settings.overrides_file.resolve(),
        }
    )
    return {"settings_json": resolved.model_dump_json(exclude={"openai_api_key"}), "wait": True}


def build_deployment(settings: Settings) -> Any:
    flow = consolidate.with_options(task_runner=task_runner_for(settings))
    return flow.to_deployment(
        name=DEPLOYMENT_NAME,
        cron=settings.serve_cron,
        parameters=deployment_parameters(settings),
        description=f"Tổng hợp định kỳ kỳ {settings.round} ({settings.scope.label}).",
        tags=["tonghop", settings.round],
    )
