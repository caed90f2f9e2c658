"""STUB (replaced by the review work)."""

from __future__ import annotations

import html
from pathlib import Path

from schemas.report import CommuneReport
from schemas.summary import ProvincialSummary
from tonghop.atomic import atomic_open
from tonghop.settings import Settings


def render_review_html(
    path: Path, reports: list[CommuneReport], summary: ProvincialSummary, settings: Settings
) -> Path:
    with atomic_open(path, "w", encoding="utf-8") as handle:
        handle.write("<!doctype html><meta charset=utf-8><title>Rà soát</title>")
        for r in reports:
            handle.write(f"<p>{html.escape(r.file)}: {html.escape(r.status.value)}</p>")
    return path
