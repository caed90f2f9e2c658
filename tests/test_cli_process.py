"""`tonghop` as an officer runs it: separate processes, a lock between them, a run killed with -9."""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tonghop.settings import Settings
from tonghop.store.lock import outbox_lock
from tonghop.store.registry import Registry

pytestmark = pytest.mark.slow


def tonghop_command(settings: Settings, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tonghop.cli",
        "run",
        "--inbox",
        str(settings.inbox),
        "--outbox",
        str(settings.outbox),
        "--round",
        settings.round,
        "--province",
        "Nghệ An",
        *extra,
    ]


# The CLI processes get a Prefect home of their own: two ephemeral API servers (this test process's and
# the CLI's) writing one SQLite database at once would make these tests flaky, not the product.
_CLI_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="tonghop-cli-prefect-"))
atexit.register(shutil.rmtree, _CLI_PREFECT_HOME, ignore_errors=True)


def cli_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["PREFECT_HOME"] = str(_CLI_PREFECT_HOME)
    return env


def test_the_cli_and_its_flow_entry_points_load_without_prefect() -> None:
    """`tonghop run` locks the outbox before Prefect is imported, so that a second run fails at once, and
    Prefect reads its settings when imported: loading the commands and their flows entry points must not
    import Prefect, nor the flows that do."""
    code = (
        "import sys, tonghop.cli, flows.run, flows.serve\n"
        "tonghop.cli.build_parser()\n"
        "assert 'tonghop.commands.run' in sys.modules and 'tonghop.commands.serve' in sys.modules\n"
        "heavy = ('prefect', 'flows.consolidate', 'flows.deployment')\n"
        "print([m for m in sys.modules if m.startswith(heavy)])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_second_run_on_a_locked_outbox_fails_fast_with_a_clear_message(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings()
    shutil.copy2(sample_docx_dir / "dien_chau_bao_cao.docx", settings.inbox)
    with outbox_lock(settings.outbox):
        started = time.monotonic()
        result = subprocess.run(
            tonghop_command(settings), capture_output=True, text=True, env=cli_env(settings), timeout=60
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert "đang chạy" in result.stderr and "--wait" in result.stderr
    assert elapsed < 10
    assert not (settings.round_dir / "reports.json").exists()


def test_waiting_run_starts_when_the_lock_is_released(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings()
    shutil.copy2(sample_docx_dir / "dien_chau_bao_cao.docx", settings.inbox)
    with outbox_lock(settings.outbox):
        process = subprocess.Popen(
            tonghop_command(settings, "--wait"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(settings),
        )
        time.sleep(2)
        assert process.poll() is None, "a --wait run must wait, not fail"
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "Được tiếp nhận: 1" in out
    assert (settings.round_dir / "bao-cao-tong-hop.docx").is_file()


def test_run_killed_half_way_completes_on_the_next_run(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings(parse_buckets=16)
    samples = sorted(sample_docx_dir.glob("*.docx"))
    for i in range(40):
        source = samples[i % len(samples)]
        target = settings.inbox / f"{i:02d}-{source.name}"
        # Distinct bytes per file (a trailing zip comment), so none is a duplicate of another.
        target.write_bytes(source.read_bytes()[:-2] + len(str(i)).to_bytes(2, "little") + str(i).encode())
    process = subprocess.Popen(
        tonghop_command(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(settings),
        start_new_session=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # the plain progress lines of a run without a terminal
        if "đã đọc" in line and not line.strip().startswith("đã đọc 40/"):
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    with Registry.for_round(settings.round_dir) as registry:
        last = registry.last_run()
    assert last is not None and last["state"] == "running", "the first run must really die half-way"
    assert not (settings.round_dir / "intake.csv").exists()

    result = subprocess.run(
        tonghop_command(settings, "--no-progress"),
        capture_output=True,
        text=True,
        env=cli_env(settings),
        timeout=600,
    )

    assert result.returncode == 0, result.stderr
    with (settings.round_dir / "intake.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40
    assert all(row["status"] for row in rows)
