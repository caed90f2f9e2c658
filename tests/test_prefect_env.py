"""Prefect settings the runs change: heartbeats only where a server can read them."""

from __future__ import annotations

import pytest
from prefect import flow
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

from flows.runtime.prefect_env import no_heartbeats_without_server


@flow(name="nhip-tim")
def heartbeat_seen_by_a_flow() -> int | None:
    return get_current_settings().flows.heartbeat_frequency


def test_a_run_on_the_temporary_api_sends_no_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.delenv("PREFECT_RUNNER_HEARTBEAT_FREQUENCY", raising=False)
    assert get_current_settings().api.url is None
    assert get_current_settings().flows.heartbeat_frequency is not None  # Prefect's default is on
    with no_heartbeats_without_server():
        assert heartbeat_seen_by_a_flow() is None
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_a_run_against_a_server_keeps_prefects_heartbeats() -> None:
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        default = get_current_settings().flows.heartbeat_frequency
        with no_heartbeats_without_server():
            assert get_current_settings().flows.heartbeat_frequency == default is not None


def test_heartbeats_the_officer_configured_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    with no_heartbeats_without_server():
        assert get_current_settings().flows.heartbeat_frequency is not None
