"""`reports.json` and `summary.json` are written piece by piece, and must stay the exact bytes of the whole
model's JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from commune_reports import nghe_an_reports
from render_fixtures import make_summary

from schemas.report import CommuneReport, Issue, ReportList, Sections, Status
from schemas.summary import ProvincialSummary
from tonghop.render.data_files import write_reports_json, write_summary_json
from tonghop.store.registry import Registry, StoredParses
from tonghop.store.report_json import EXTRACTED_TEXT, FROM_READER, report_entry, stored_parse
from tonghop.store.round_files import BASELINE, read_baseline


@pytest.mark.parametrize("count", [0, 1, 5])
def test_streamed_reports_json_is_the_models_json(tmp_path: Path, count: int) -> None:
    reports = list(reversed(nghe_an_reports()))[:count]
    assert count == 0 or reports, "the fixture must give reports"

    path = write_reports_json(tmp_path / "reports.json", "2026-H1", "Nghệ An", reports)

    whole = ReportList(round="2026-H1", province="Nghệ An", reports=sorted(reports, key=lambda r: r.file))
    assert path.read_text(encoding="utf-8") == whole.model_dump_json(indent=2) + "\n"
    assert ReportList.model_validate_json(path.read_bytes()) == whole


def test_reports_json_from_the_stored_parses_is_the_models_json(tmp_path: Path) -> None:
    """The run copies each report's extracted part from the parse the registry stored and serialises the
    rest; what the run changed after the parse (arrival, size, status, errors, links) must come out."""
    parsed = nghe_an_reports()
    assert sum(bool(r.sections.results or r.footnotes) for r in parsed) >= 3
    with Registry(tmp_path / "registry.sqlite") as registry:
        registry.store_parses(parsed, "dau-van-tay")
    arrived = dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC)
    reports = [r.model_copy(update={"received_at": arrived, "size": 4321}) for r in parsed]
    reports[0] = reports[0].model_copy(update={"status": Status.DUPLICATE, "duplicate_of": reports[1].file})
    reports[1] = reports[1].model_copy(update={"supersedes": [reports[2].file, "<b>&cũ</b>.docx"]})
    reports[2] = reports[2].model_copy(
        update={"status": Status.REJECTED, "errors": [Issue(code="unit_not_found", message='Tệp: "lỗi"')]}
    )
    never_read = {"file": "khong-doc-duoc.doc", "sections": Sections(), "footnotes": []}
    reports.append(reports[-1].model_copy(update=never_read))  # no stored parse: serialised whole

    store = StoredParses(tmp_path / "registry.sqlite", "dau-van-tay")
    with store.lookup(in_file_order=True) as stored:
        copied = write_reports_json(tmp_path / "copied.json", "2026-H1", "Nghệ An", reports, stored)
        assert all(stored(r.file, r.sha256) for r in parsed)
    whole = write_reports_json(tmp_path / "whole.json", "2026-H1", "Nghệ An", reports)

    assert copied.read_bytes() == whole.read_bytes()
    with StoredParses(store.path, "another-code").lookup() as other:
        assert other(parsed[0].file, parsed[0].sha256) is None


def test_the_fields_only_a_reader_sets_are_declared_together() -> None:
    """`report_json` copies them as one run of lines from the stored parse: a field the run sets, declared
    among them, would be copied stale."""
    fields = list(CommuneReport.model_fields)
    start = fields.index(FROM_READER[0])
    assert tuple(fields[start : start + len(FROM_READER)]) == FROM_READER
    assert set(EXTRACTED_TEXT) < set(FROM_READER)


def test_the_extracted_part_is_copied_from_the_stored_parse() -> None:
    """What `report_entry` takes where: the head from the report, the extracted part from the parse."""
    first, second = [r for r in nghe_an_reports() if r.sections.results][:2]
    mixed = ReportList.model_validate_json(
        b'{"round": "x", "province": null, "reports": [' + report_entry(first, stored_parse(second)) + b"]}"
    ).reports[0]
    assert mixed.sections == second.sections
    assert mixed.file == first.file
    assert report_entry(first, b"not a parse") == report_entry(first)


def test_summary_json_and_its_baseline_are_the_same_generated_summary(tmp_path: Path) -> None:
    """Publication compares the analysts' `summary.json` with the baseline; both start as one text."""
    summary = make_summary(nghe_an_reports())
    path = write_summary_json(tmp_path / "summary.json", summary)

    baseline = read_baseline(tmp_path)
    assert baseline == summary
    assert (tmp_path / BASELINE).read_bytes() == path.read_bytes()
    assert ProvincialSummary.model_validate_json(path.read_bytes()) == summary


def test_streamed_summary_json_is_the_models_json(tmp_path: Path) -> None:
    """Streamed one theme at a time (a national summary is 83 MB): the bytes must not change for it."""
    summary = make_summary(nghe_an_reports())
    assert sum(len(themes) for themes in summary.sections.values()) > 3, "the fixture must give themes"
    first = next(name for name, themes in summary.sections.items() if themes)
    shapes = {
        "as generated": summary,
        "an empty section beside a full one": summary.model_copy(
            update={"sections": {"results": [], first: summary.sections[first][:1]}}
        ),
        "no section": summary.model_copy(update={"sections": {}}),
    }
    for shape, variant in shapes.items():
        path = write_summary_json(tmp_path / shape / "summary.json", variant)
        assert path.read_text(encoding="utf-8") == variant.model_dump_json(indent=2) + "\n", shape
