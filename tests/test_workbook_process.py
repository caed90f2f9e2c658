"""The workbook encoded by a second process: the same file, really encoded there, and a dead process costs
nothing but time."""

from __future__ import annotations

import os
import shutil
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from render_fixtures import make_reports, make_summary

import flows.consolidate
import tonghop.render.workbook
from schemas.report import ReportList
from tonghop.render.data_files import write_reports_json
from tonghop.render.workbook import render_workbook
from tonghop.render.workbook_process import WorkbookProcess
from tonghop.settings import Settings


def _parts(path: Path) -> dict[str, bytes]:
    """The package's parts but its creation time."""
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def _encoder_here_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, this process cannot encode a workbook: only the second process can write one."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workbook was encoded in the parent process")

    monkeypatch.setattr(tonghop.render.workbook, "write_xlsx", refuse)


def test_the_second_process_encodes_the_same_workbook(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = make_reports()
    summary = make_summary(reports)
    here = render_workbook(tmp_path / "here.xlsx", reports, summary, make_settings())
    _encoder_here_fails(monkeypatch)

    with WorkbookProcess() as process:
        there = render_workbook(
            tmp_path / "there.xlsx", reports, summary, make_settings(), workbook_process=process
        )
        assert process.started.result() != os.getpid()

    assert _parts(there) == _parts(here)
    assert sorted(p.name for p in tmp_path.glob("*.xlsx*")) == ["here.xlsx", "there.xlsx"], (
        "no temporary file"
    )


@pytest.mark.slow
def test_a_national_size_round_has_its_workbook_encoded_by_the_second_process(
    make_settings: Callable[..., Settings], repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    below = make_settings(outbox=tmp_path / "below")
    shutil.copytree(repo_root / "inbox", below.inbox, dirs_exist_ok=True)

    def not_started() -> WorkbookProcess:
        raise AssertionError("17 files are below workbook_process_from_files: no second process")

    with monkeypatch.context() as patch:
        patch.setattr(flows.consolidate, "WorkbookProcess", not_started)
        flows.consolidate.run_flow(below)
    expected = _cells(below.round_dir / "du-lieu.xlsx")

    always = below.model_copy(update={"outbox": tmp_path / "always", "workbook_process_from_files": 0})
    _encoder_here_fails(monkeypatch)
    result = flows.consolidate.run_flow(always)

    assert str(always.round_dir / "du-lieu.xlsx") in result.outputs
    assert _cells(always.round_dir / "du-lieu.xlsx") == expected
    # `reports.json` copied each report's extracted part from the registry: the same bytes as the models'.
    written = always.round_dir / "reports.json"
    reports = ReportList.model_validate_json(written.read_bytes()).reports
    assert any(r.sections.results for r in reports)
    whole = write_reports_json(tmp_path / "whole.json", always.round, always.province, reports)
    assert written.read_bytes() == whole.read_bytes()


class _Killed(WorkbookProcess):
    """A second process killed (out of memory, by an administrator) before the workbook is due."""

    def __init__(self) -> None:
        super().__init__()
        os.kill(self.started.result(), signal.SIGKILL)


@pytest.mark.slow
def test_a_killed_second_process_leaves_the_workbook_to_the_run(
    make_settings: Callable[..., Settings],
    repo_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(workbook_process_from_files=0)
    shutil.copytree(repo_root / "inbox", settings.inbox, dirs_exist_ok=True)
    monkeypatch.setattr(flows.consolidate, "WorkbookProcess", _Killed)

    with caplog.at_level("WARNING"):
        result = flows.consolidate.run_flow(settings)

    assert result.files == 17
    assert len(_cells(settings.round_dir / "du-lieu.xlsx")["intake"]) == 18, "a header and every file"
    assert "Tiến trình phụ đã dừng; du-lieu.xlsx được ghi ở tiến trình chính." in caplog.text
