"""STUB (replaced by the report work)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from schemas.report import CommuneReport
from schemas.summary import ProvincialSummary
from tonghop.atomic import atomic_path
from tonghop.settings import Settings


def render_workbook(
    path: Path, reports: list[CommuneReport], summary: ProvincialSummary, settings: Settings
) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["file", "status"])
    for r in reports:
        ws.append([r.file, r.status.value])
    with atomic_path(path) as tmp:
        wb.save(str(tmp))
    return path
