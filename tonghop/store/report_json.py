"""A report's JSON as it reads in `reports.json`, which is also how the registry keeps its parse.

Why one form for both: a re-run reads every file's parse back (3,580 nationally) and writes every report
into `reports.json` again, and most of a report is the text its reader extracted (sections, figures and
their evidence, footnotes), which nothing after the reader changes (the run sets arrival, size, status and
links). Stored as it will be written, that part is copied into `reports.json` as bytes (`report_entry`)
and, when a parse is read back, left out of the model (`read_head`); the summary, the only later step that
reads the text, gets it for the reports it needs (`with_extracted`). For the 4,900 parses of a national
probe round this took `reports.json` from 0.57-0.64 s to 0.34-0.47 s (half of it reading the registry, which
lets the other writers run) and reading the parses back from 0.65 s to 0.20 s.

The parts are found by their key lines: JSON escapes line breaks inside strings, so a line that starts, at
a report's own indentation, with `"sections": ` is that key's. A stored parse without them (another
format) is read and written whole.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from pydantic import BaseModel

from schemas.report import CommuneReport

DEPTH = 2  # a report inside `{"reports": [...]}`
# `CommuneReport`'s fields that only its reader sets, which it declares one after the other, and the text
# among them (the figures stay in a head: the outputs show them).
FROM_READER = ("sections", "indicators", "indicator_evidence", "footnotes")
EXTRACTED_TEXT = ("sections", "indicator_evidence", "footnotes")


def _key_line(field: str) -> bytes:
    """The line break and indentation before `field`'s key in a report `DEPTH` levels deep."""
    return b"\n" + b"  " * (DEPTH + 1) + f'"{field}": '.encode()


_FIELDS = list(CommuneReport.model_fields)
_SECTIONS = _key_line("sections")
_INDICATORS = _key_line("indicators")
_EVIDENCE = _key_line("indicator_evidence")
_AFTER = _key_line(_FIELDS[_FIELDS.index(FROM_READER[-1]) + 1])  # the first field the run sets again


def nested_json(model: BaseModel, depth: int, exclude: set[str] | None = None) -> bytes:
    """`model`'s indent=2 JSON, in UTF-8, as it reads `depth` levels deep inside its parent's.

    JSON strings escape their newlines, so every line break in the dump is the indentation's. Bytes
    straight from pydantic's serializer (`model_dump_json` is the same bytes decoded): Vietnamese text
    is half the size in UTF-8 as in Python's string, so indenting and writing it costs less, and nothing
    is encoded again on the way to the disk (a national `reports.json`: 0.56 s as text, 0.36 s as bytes).
    """
    margin = b"  " * depth
    dump = model.__pydantic_serializer__.to_json(model, indent=2, exclude=exclude)
    return margin + dump.replace(b"\n", b"\n" + margin)


def stored_parse(report: CommuneReport) -> bytes:
    """A parse as the registry keeps it."""
    return nested_json(report, DEPTH)


def _bounds(stored: bytes) -> tuple[int, int, int, int] | None:
    """Where the reader's part begins, where its figures begin and end, and where the rest resumes."""
    sections = stored.find(_SECTIONS)
    indicators = stored.find(_INDICATORS, sections)
    evidence = stored.find(_EVIDENCE, indicators)
    after = stored.rfind(_AFTER)
    if 0 < sections < indicators < evidence < after:
        return sections, indicators, evidence, after
    return None


def report_entry(report: CommuneReport, stored: bytes | None = None) -> bytes:
    """`nested_json(report, DEPTH)`; given the report's stored parse, only its head is serialised."""
    bounds = _bounds(stored) if stored is not None else None
    if stored is None or bounds is None:
        return nested_json(report, DEPTH)
    sections, _, _, after = bounds
    head = nested_json(report, DEPTH, exclude=set(FROM_READER))
    at = head.rfind(_AFTER)
    return head[:at] + stored[sections:after] + head[at:]


def read_head(stored: bytes) -> CommuneReport:
    """The stored parse without its extracted text, which is left empty: a few hundred bytes to turn into a
    model instead of kilobytes. Whoever reads heads keeps which they are and completes them with
    `with_extracted` before reading that text (the flow: `_parse_all`, then the summary's `whole`)."""
    bounds = _bounds(stored)
    if bounds is None:
        return CommuneReport.model_validate_json(stored)
    sections, indicators, evidence, after = bounds
    return CommuneReport.model_validate_json(stored[:sections] + stored[indicators:evidence] + stored[after:])


def with_extracted(
    reports: list[CommuneReport],
    heads: Collection[tuple[str, str]],
    stored: Callable[[str, str], bytes | None],
) -> list[CommuneReport]:
    """`reports` whole: those read back by `read_head` (`heads`, by file name and sha256) get their
    extracted text from `stored` (`StoredParses.lookup`); what the run changed in them (arrival, status)
    stays."""
    whole = []
    for report in reports:
        if (report.file, report.sha256) in heads:
            parse = stored(report.file, report.sha256)
            if parse is None:
                raise LookupError(f"the registry lost the parse of {report.file} during the run")
            full = CommuneReport.model_validate_json(parse)
            report = report.model_copy(update={name: getattr(full, name) for name in EXTRACTED_TEXT})
        whole.append(report)
    return whole
