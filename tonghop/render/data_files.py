"""The machine-readable outputs of a round: `reports.json`, `intake.csv`, `summary.json`.

Written deterministically (sorted by file name, stable key order) so that two runs over the same inbox
produce identical files apart from `summary.json`'s `generated_at`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from schemas.report import CommuneReport, ReportList
from schemas.summary import ProvincialSummary
from tonghop.store.atomic import atomic_open
from tonghop.store.report_json import nested_json, report_entry
from tonghop.store.round_files import BASELINE

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
    path: Path,
    round_name: str,
    province: str | None,
    reports: list[CommuneReport],
    stored: Callable[[str, str], bytes | None] | None = None,
) -> Path:
    """The bytes of `ReportList(...).model_dump_json(indent=2)`, written one report at a time.

    Serialised whole, a national round with three documents per commune holds another ~280 MB at the
    peak of the run (benchmarks/profile_render.py); one report at a time holds a few kilobytes.
    `stored`: a report's stored parse by file name and sha256 (`StoredParses.lookup`), from which its
    extracted part is copied rather than serialised again.
    """
    head = ReportList(round=round_name, province=province, reports=[]).model_dump_json(indent=2)
    empty_tail = '"reports": []\n}'
    with atomic_open(path, "wb") as handle:
        if not reports:
            handle.write((head + "\n").encode("utf-8"))
            return path
        handle.write((head.removesuffix(empty_tail) + '"reports": [\n').encode("utf-8"))
        for index, report in enumerate(sorted(reports, key=lambda r: r.file)):
            if index:
                handle.write(b",\n")
            handle.write(report_entry(report, stored(report.file, report.sha256) if stored else None))
        handle.write(b"\n  ]\n}\n")
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


def summary_json_chunks(summary: ProvincialSummary) -> Iterator[bytes]:
    """The UTF-8 of `summary.model_dump_json(indent=2) + "\\n"`, one theme at a time.

    Whole, a national summary with three documents per commune is an 83 MB string, held twice (pydantic's
    bytes, then Python's text) and a third time with its newline: 237 MB at the peak of the run for a file
    that is only written out (benchmarks/profile_render.py).
    """
    head = summary.model_copy(update={"sections": {}}).model_dump_json(indent=2)
    before, empty, after = head.partition('"sections": {}')
    if not empty or not summary.sections:
        yield (summary.model_dump_json(indent=2) + "\n").encode("utf-8")
        return
    yield (before + '"sections": {').encode("utf-8")
    for index, (name, themes) in enumerate(summary.sections.items()):
        key = json.dumps(name, ensure_ascii=False)
        yield (("," if index else "") + "\n    " + key + ": [").encode("utf-8")
        for number, theme in enumerate(themes):
            yield (b",\n" if number else b"\n") + nested_json(theme, depth=3)
        yield b"\n    ]" if themes else b"]"
    yield ("\n  }" + after + "\n").encode("utf-8")


def write_summary_json(path: Path, summary: ProvincialSummary) -> Path:
    """`summary.json`, and the same bytes in `.baseline/summary.json` beside it.

    Analysts correct `summary.json` by hand; the baseline keeps the summary as the run generated it, so
    that `tonghop publish` can tell which statements were changed. Serialised once for both, streamed.
    """
    baseline = path.parent / BASELINE
    with (
        atomic_open(path, "wb") as handle,
        atomic_open(baseline, "wb") as copy,
    ):
        for chunk in summary_json_chunks(summary):
            handle.write(chunk)
            copy.write(chunk)
    return path
