"""The machine-readable outputs of a round: `reports.json`, `intake.csv`, `summary.json`.

Written deterministically (sorted by file name, stable key order) so that two runs over the same inbox
produce identical files apart from `summary.json`'s `generated_at`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from schemas.report import CommuneReport, ReportList
from schemas.summary import ProvincialSummary
from tonghop.render.view import Round
from tonghop.store.atomic import atomic_open
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


def nested_json(model: BaseModel, depth: int) -> bytes:
    """`model`'s indent=2 JSON, in UTF-8, as it reads `depth` levels deep inside its parent's.

    JSON strings escape their newlines, so every line break in the dump is the indentation's: the files
    below are written a piece at a time, yet read byte for byte as their whole model's `indent=2` dump.
    """
    margin = b"  " * depth
    return margin + model.model_dump_json(indent=2).encode("utf-8").replace(b"\n", b"\n" + margin)


def write_reports_json(round: Round, dest: Path) -> Path:
    """The bytes of `ReportList(...).model_dump_json(indent=2)`, written one report at a time, so a
    national round's file never sits whole in memory."""
    settings = round.settings
    head = ReportList(round=settings.round, province=settings.province, reports=[]).model_dump_json(indent=2)
    empty_tail = '"reports": []\n}'
    with atomic_open(dest, "wb") as handle:
        if not round.reports:
            handle.write((head + "\n").encode("utf-8"))
            return dest
        handle.write((head.removesuffix(empty_tail) + '"reports": [\n').encode("utf-8"))
        for index, report in enumerate(sorted(round.reports, key=lambda r: r.file)):
            if index:
                handle.write(b",\n")
            handle.write(nested_json(report, depth=2))
        handle.write(b"\n  ]\n}\n")
    return dest


# What Excel and LibreOffice read as the start of a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell Excel shows as text: one that would start a formula gets a leading apostrophe.

    Officers open intake.csv in Excel; a file named `=HYPERLINK(…).docx` must show as its name, not run.
    """
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def intake_csv_text(reports: list[CommuneReport]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INTAKE_COLUMNS)
    for r in sorted(reports, key=lambda r: r.file):
        row: list[object] = [
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
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


def write_intake_csv(round: Round, dest: Path) -> Path:
    """UTF-8 with BOM so that Excel on a Sở's Windows machine shows Vietnamese correctly."""
    with atomic_open(dest, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(intake_csv_text(round.reports))
    return dest


def summary_json_chunks(summary: ProvincialSummary) -> Iterator[bytes]:
    """The UTF-8 of `summary.model_dump_json(indent=2) + "\\n"`, one theme at a time.

    Whole, a national summary is held two or three times over (pydantic's bytes, Python's text, with its
    newline) at the peak of the run, for a file that is only written out.
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


def write_summary_json(round: Round, dest: Path) -> Path:
    """`summary.json`, and the same bytes in `.baseline/summary.json` beside it.

    Analysts correct `summary.json` by hand; the baseline keeps the summary as the run generated it, so
    that `tonghop publish` can tell which statements were changed. Serialised once for both, streamed.
    """
    baseline = dest.parent / BASELINE
    with (
        atomic_open(dest, "wb") as handle,
        atomic_open(baseline, "wb") as copy,
    ):
        for chunk in summary_json_chunks(round.summary):
            handle.write(chunk)
            copy.write(chunk)
    return dest
