"""Interpretation of a ParsedDocument: header fields, sections and indicators."""

from __future__ import annotations

from schemas.document import ParsedDocument
from schemas.report import CommuneReport


def fill_report(doc: ParsedDocument, report: CommuneReport) -> CommuneReport:
    """STUB (replaced by the extraction work): returns a copy of `report` with what `doc` says."""
    return report.model_copy(update={"unit_text": doc.blocks[0].text if doc.blocks else None})
