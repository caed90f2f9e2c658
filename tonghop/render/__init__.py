"""Renderers: the consolidated .docx, the review page and the workbook, all from the same models."""

from __future__ import annotations

from pathlib import Path

from schemas.report import CommuneReport
from schemas.summary import ProvincialSummary
from tonghop.settings import Settings


def render_outputs(
    round_dir: Path, reports: list[CommuneReport], summary: ProvincialSummary, settings: Settings
) -> list[Path]:
    """Writes bao-cao-tong-hop.docx, review.html and du-lieu.xlsx into `round_dir` (atomically)."""
    from tonghop.render.report_docx import render_report_docx
    from tonghop.render.review_html import render_review_html
    from tonghop.render.workbook import render_workbook

    return [
        render_report_docx(round_dir / "bao-cao-tong-hop.docx", reports, summary, settings),
        render_review_html(round_dir / "review.html", reports, summary, settings),
        render_workbook(round_dir / "du-lieu.xlsx", reports, summary, settings),
    ]
