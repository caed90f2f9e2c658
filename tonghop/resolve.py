"""STUB (replaced by the roster work): attach the roster unit to a report, honouring analyst overrides."""

from __future__ import annotations

from schemas.report import CommuneReport
from tonghop.roster import load_roster
from tonghop.settings import Settings


def resolve_unit(report: CommuneReport, settings: Settings) -> CommuneReport:
    resolution = load_roster().resolve(report.unit_text, province_hint=settings.province, place=report.place)
    return report.model_copy(update={"unit": resolution.unit})
