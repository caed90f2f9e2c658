"""STUB (replaced by the validation work): rules that reject a report or warn about it."""

from __future__ import annotations

from schemas.report import CommuneReport, Issue
from tonghop.settings import Settings


def validate_report(report: CommuneReport, settings: Settings) -> tuple[list[Issue], list[Issue]]:
    """Returns (errors, warnings) to add; errors reject the report."""
    return [], []
