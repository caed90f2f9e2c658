"""`tonghop serve` as a Sở runs it: its own Prefect server, a deployment that runs and picks up new files."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
FIRST = "BC 21 xa Quynh Luu ung dung AI.docx"
LATER = "UBND xa Do Luong - bao cao AI.docx"


def api(url: str, method: str = "GET", body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def wait_for_line(process: subprocess.Popen[str], pattern: str, timeout: float) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise AssertionError(f"tonghop serve stopped with {process.returncode}")
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"no line matching {pattern!r} within {timeout} s")


def scheduled_runs(api_url: str, deployment_id: str, timeout: float = 90) -> list[Any]:
    """The runs the server's scheduler has planned; none if the scheduler is broken (SQLAlchemy 2.1 did)."""
    deadline = time.monotonic() + timeout
    body = {
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
    }
    while time.monotonic() < deadline:
        runs: list[Any] = api(f"{api_url}/flow_runs/filter", "POST", body)
        if runs:
            return runs
        time.sleep(1)
    return []


def run_deployment(api_url: str, deployment_id: str, timeout: float = 240) -> str:
    """Triggers one run now (as the schedule would) and waits for its final state."""
    flow_run = api(f"{api_url}/deployments/{deployment_id}/create_flow_run", "POST", {})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = api(f"{api_url}/flow_runs/{flow_run['id']}")["state"]
        if state and state["type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
            return str(state["type"])
        time.sleep(1)
    raise AssertionError("the served deployment did not finish the run")


def test_serve_starts_its_own_server_runs_the_deployment_and_picks_up_new_files(tmp_path: Path) -> None:
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    shutil.copy2(REPO / "inbox" / FIRST, inbox / FIRST)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
        "TONGHOP_PREFECT_HOME": str(tmp_path / ".prefect"),
        # The scheduler visits deployments every 60 s by default; the test should not wait that long.
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
    }
    command = [sys.executable, "-m", "tonghop.cli", "serve", "--inbox", str(inbox), "--outbox", str(outbox)]
    command += ["--round", "2026-H1", "--province", "Nghệ An", "--cron", "30 21 * * 1-5"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    api_url = ""
    try:
        found = wait_for_line(process, r"máy chủ Prefect (http://127\.0\.0\.1:\d+)", timeout=240)
        api_url = found.group(1) + "/api"
        wait_for_line(process, r"tong-hop-bao-cao/tong-hop-dinh-ky", timeout=120)
        deployment = api(f"{api_url}/deployments/name/tong-hop-bao-cao/tong-hop-dinh-ky")
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["30 21 * * 1-5"]
        assert scheduled_runs(api_url, deployment["id"]), "the server's scheduler plans the nightly runs"

        assert run_deployment(api_url, deployment["id"]) == "COMPLETED"
        round_dir = outbox / "2026-H1"
        assert (round_dir / "bao-cao-tong-hop.docx").stat().st_size > 0
        first = json.loads((round_dir / "reports.json").read_text(encoding="utf-8"))
        assert [r["file"] for r in first["reports"]] == [FIRST]

        # A commune's file dropped during the day is in the next run's report.
        shutil.copy2(REPO / "inbox" / LATER, inbox / LATER)
        assert run_deployment(api_url, deployment["id"]) == "COMPLETED"
        second = json.loads((round_dir / "reports.json").read_text(encoding="utf-8"))
        assert sorted(r["file"] for r in second["reports"]) == sorted([FIRST, LATER])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # The server tonghop started is stopped with it.
    assert api_url
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{api_url}/health", timeout=2)
