"""The package imports and the CLI answers --help: the floor every other test stands on."""

from __future__ import annotations

import subprocess
import sys

from tonghop.cli import build_parser


def test_cli_lists_run_and_status_commands() -> None:
    help_text = build_parser().format_help()
    assert "run" in help_text and "status" in help_text


def test_console_script_runs_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tonghop.cli", "run", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "--province" in result.stdout
