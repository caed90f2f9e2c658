"""SIGTERM to `tonghop run` while an LLM call waits: the process stops at once and leaves no server behind.

A real `tonghop run` process, a real loopback OpenAI-compatible server that takes a minute per reply, and the
temporary Prefect server of local ephemeral mode (a child of the run). Before the fix the run waited for the
call's timeout, then left that Prefect server running under PID 1.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from openai_server import Behaviour, OpenAIServer
from test_cli_process import cli_env, tonghop_command

from tonghop.settings import Settings

pytestmark = pytest.mark.slow


def test_sigterm_cancels_the_calls_and_stops_the_temporary_prefect_server(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings()
    for source in sorted(sample_docx_dir.glob("*.docx")):
        shutil.copy(source, settings.inbox / source.name)
    with OpenAIServer(Behaviour(latency=60.0)) as slow:
        env = {**cli_env(settings), "OPENAI_BASE_URL": slow.base_url, "OPENAI_MODEL": "cham"}
        process = subprocess.Popen(
            tonghop_command(settings, "--no-progress"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 300
            while slow.count == 0:
                assert process.poll() is None, "the run ended before calling the model"
                assert time.monotonic() < deadline, "no call reached the model"
                time.sleep(0.2)
            children = psutil.Process(process.pid).children(recursive=True)
            assert children, "local ephemeral mode runs its Prefect server as a child process"
            sent = time.monotonic()
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=30)
            stopped = time.monotonic() - sent
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    assert process.returncode == 128 + signal.SIGTERM
    assert stopped < 15, f"waited {stopped:.1f} s: the call's timeout, not the signal"
    assert "SIGTERM" in err
    time.sleep(1)
    alive = [c.pid for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"left running: {alive}"
