"""Renderers: the consolidated .docx, the review page and the workbook, all from the same models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    # Only for the annotations.
    from schemas.report import CommuneReport
    from schemas.summary import ProvincialSummary
    from tonghop.render.report_context import CommuneRow
    from tonghop.settings import Settings
    from tonghop.store.registry import StoredParses

OutputWriter: TypeAlias = (
    "Callable[[Path, list[CommuneReport], ProvincialSummary, Settings, list[CommuneRow]], Path]"
)


def output_writers(stored_parses: StoredParses | None = None) -> dict[str, OutputWriter]:
    """Every file a run writes into its round folder, by name, the slowest first.

    Each writes one file atomically from the round's models and nothing else, so they can run in any order
    and side by side (the flow runs them as Prefect tasks on two threads). The report, the review page and
    the workbook all show the commune table: it is built once, by `commune_rows`, and handed to each.
    `stored_parses` reads the registry's parses, whose extracted part `reports.json` copies.
    """
    from tonghop.render.data_files import write_intake_csv, write_reports_json, write_summary_json
    from tonghop.render.report_docx import render_report_docx
    from tonghop.render.review_html import render_review_html
    from tonghop.render.workbook import render_workbook

    def reports_json(d: Path, r: list[CommuneReport], s: Settings) -> Path:
        if stored_parses is None:
            return write_reports_json(d / "reports.json", s.round, s.province, r)
        with stored_parses.lookup(in_file_order=True) as stored:
            return write_reports_json(d / "reports.json", s.round, s.province, r, stored)

    # d: the round folder, r: the reports, m: the summary, s: the settings, c: the commune table.
    return {
        "du-lieu.xlsx": lambda d, r, m, s, c: render_workbook(d / "du-lieu.xlsx", r, m, s, communes=c),
        "review.html": lambda d, r, m, s, c: render_review_html(d / "review.html", r, m, s, communes=c),
        "bao-cao-tong-hop.docx": lambda d, r, m, s, c: render_report_docx(
            d / "bao-cao-tong-hop.docx", r, m, s, communes=c
        ),
        "reports.json": lambda d, r, m, s, c: reports_json(d, r, s),
        "summary.json": lambda d, r, m, s, c: write_summary_json(d / "summary.json", m),
        "intake.csv": lambda d, r, m, s, c: write_intake_csv(d / "intake.csv", r),
    }


def render_outputs(
    round_dir: Path, reports: list[CommuneReport], summary: ProvincialSummary, settings: Settings
) -> list[Path]:
    """Writes bao-cao-tong-hop.docx, review.html and du-lieu.xlsx into `round_dir` (atomically)."""
    from tonghop.render.report_context import commune_rows

    writers = output_writers()
    communes = commune_rows(reports, summary)
    return [
        writers[name](round_dir, reports, summary, settings, communes)
        for name in ("bao-cao-tong-hop.docx", "review.html", "du-lieu.xlsx")
    ]
