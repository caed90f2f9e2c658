"""The machine-readable outputs of a round: `reports.json`, `intake.csv`, `summary.json`.

Written deterministically (sorted by file name, stable key order) so that two runs over the same inbox
produce identical files apart from `summary.json`'s `generated_at`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from schemas.report import CommuneReport, ReportList
from schemas.summary import ProvincialSummary
from tonghop.atomic import atomic_open
from tonghop.round_data import BASELINE

INTAKE_COLUMNS = (
    "file",
    "sha256",
    "status",
    "reason",
    "unit",
    "unit_code",
    "province",
    "doc_type",
    "warnings",
)


def write_reports_json(
    path: Path, round_name: str, province: str | None, reports: list[CommuneReport]
) -> Path:
    """The bytes of `ReportList(...).model_dump_json(indent=2)`, written one report at a time.

    Serialised whole, a national round with three documents per commune holds another ~280 MB at the
    peak of the run (benchmarks/profile_render.py); one report at a time holds a few kilobytes.
    """
    head = ReportList(round=round_name, province=province, reports=[]).model_dump_json(indent=2)
    empty_tail = '"reports": []\n}'
    with atomic_open(path, "w", encoding="utf-8") as handle:
        if not reports:
            handle.write(head + "\n")
            return path
        handle.write(head.removesuffix(empty_tail) + '"reports": [\n')
        for index, report in enumerate(sorted(reports, key=lambda r: r.file)):
            if index:
                handle.write(",\n")
            # JSON strings escape their newlines, so every line break here is the indentation's.
            handle.write("    " + report.model_dump_json(indent=2).replace("\n", "\n    "))
        handle.write("\n  ]\n}\n")
    return path


def intake_csv_text(reports: list[CommuneReport]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INTAKE_COLUMNS)
    for r in sorted(reports, key=lambda r: r.file):
        writer.writerow(
            [
                r.file,
                r.sha256,
                r.status.value,
                r.reason(),
                r.unit.name if r.unit else "",
                r.unit.code if r.unit and r.unit.code is not None else "",
                r.unit.province if r.unit and r.unit.province else "",
                r.doc_type.value,
                "; ".join(w.message for w in r.warnings),
            ]
        )
    return buffer.getvalue()


def write_intake_csv(path: Path, reports: list[CommuneReport]) -> Path:
    """UTF-8 with BOM so that Excel on a Sở's Windows machine shows Vietnamese correctly."""
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(intake_csv_text(reports))
    return path


def write_summary_json(path: Path, summary: ProvincialSummary) -> Path:
    """`summary.json`, and the same bytes in `.baseline/summary.json` beside it.

    Analysts correct `summary.json` by hand; the baseline keeps the summary as the run generated it, so
    that `tonghop publish` can tell which statements were changed. Serialised once for both.
    """
    text = summary.model_dump_json(indent=2) + "\n"
    for target in (path, path.parent / BASELINE):
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    return path
