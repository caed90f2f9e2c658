"""STUB (replaced by the report work): a plain consolidated report."""

from __future__ import annotations

from pathlib import Path

import docx

from schemas.report import CommuneReport
from schemas.summary import ProvincialSummary
from tonghop.atomic import atomic_path
from tonghop.settings import Settings


def render_report_docx(path: Path, reports: list[CommuneReport], summary: ProvincialSummary, settings: Settings) -> Path:
    document = docx.Document()
    document.add_paragraph("BÁO CÁO")
    for section, themes in summary.sections.items():
        document.add_paragraph(section)
        for theme in themes:
            document.add_paragraph(f"- {theme.title} ({theme.unit_count} xã)")
    with atomic_path(path) as tmp:
        document.save(str(tmp))
    return path
