"""The summary record of a round: what every output reads besides the reports."""

from __future__ import annotations

import datetime as dt

from schemas.report import CommuneReport
from schemas.summary import LlmStats, ProvincialSummary, Theme
from tonghop.check.coverage import compute_totals, round_coverage
from tonghop.settings import Settings
from tonghop.units.roster import load_roster


def round_summary(
    settings: Settings,
    reports: list[CommuneReport],
    sections: dict[str, list[Theme]],
    llm: LlmStats | None = None,
) -> ProvincialSummary:
    """Coverage and totals computed in code from every report, beside the themes a summarizer wrote: the
    figures of a round never depend on which summarizer ran."""
    coverage, by_province = round_coverage(reports, load_roster(), settings.scope, settings.deadline)
    return ProvincialSummary(
        round=settings.round,
        province=settings.province,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        coverage=coverage,
        sections=sections,
        totals=compute_totals(reports),
        llm=llm or LlmStats(),
        by_province=by_province,
    )
