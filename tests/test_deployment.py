"""The scheduled deployment carries the settings a worker needs, and the schedule from the config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from tonghop.settings import Settings, settings_from_json


def test_deployment_uses_the_configured_schedule_and_absolute_folders(
    make_settings: Callable[..., Settings],
) -> None:
    from flows.deployment import DEPLOYMENT_NAME, build_deployment

    settings = make_settings(serve_cron="30 21 * * 1-5", task_runner="thread")
    deployment = build_deployment(settings)

    assert deployment.name == DEPLOYMENT_NAME
    assert [s.schedule.cron for s in deployment.schedules] == ["30 21 * * 1-5"]
    carried = settings_from_json(deployment.parameters["settings_json"])
    assert carried.inbox.is_absolute() and carried.inbox == settings.inbox.resolve()
    assert carried.province == "Nghệ An" and carried.round == "2026-H1"
    assert "openai_api_key" not in deployment.parameters["settings_json"]


def test_prefect_yaml_points_at_the_real_flow(repo_root: Path) -> None:
    config = yaml.safe_load((repo_root / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    module, _, name = deployment["entrypoint"].partition(":")
    source = (repo_root / module).read_text(encoding="utf-8")
    assert f"def {name}(" in source
    settings = settings_from_json(deployment["parameters"]["settings_json"])
    assert settings.province == "Nghệ An"
