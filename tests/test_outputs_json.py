"""`reports.json` and `summary.json` are written piece by piece, and must stay the exact bytes of the whole
model's JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from commune_reports import nghe_an_reports
from render_fixtures import make_summary

from schemas.report import ReportList
from schemas.summary import ProvincialSummary
from tonghop.render.data_files import write_reports_json, write_summary_json
from tonghop.render.view import Round
from tonghop.settings import Settings
from tonghop.store.round_files import BASELINE, read_baseline


def _round(summary: ProvincialSummary | None = None, reports: list | None = None) -> Round:
    settings = Settings(round="2026-H1", province="Nghệ An")
    reports = reports if reports is not None else []
    return Round(settings, reports, summary or make_summary(reports), [])


@pytest.mark.parametrize("count", [0, 1, 5])
def test_streamed_reports_json_is_the_models_json(tmp_path: Path, count: int) -> None:
    reports = list(reversed(nghe_an_reports()))[:count]
    assert count == 0 or reports, "the fixture must give reports"

    path = write_reports_json(_round(reports=reports), tmp_path / "reports.json")

    whole = ReportList(round="2026-H1", province="Nghệ An", reports=sorted(reports, key=lambda r: r.file))
    assert path.read_text(encoding="utf-8") == whole.model_dump_json(indent=2) + "\n"
    assert ReportList.model_validate_json(path.read_bytes()) == whole


def test_summary_json_and_its_baseline_are_the_same_generated_summary(tmp_path: Path) -> None:
    """Publication compares the analysts' `summary.json` with the baseline; both start as one text."""
    summary = make_summary(nghe_an_reports())
    path = write_summary_json(_round(summary), tmp_path / "summary.json")

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
        path = write_summary_json(_round(variant), tmp_path / shape / "summary.json")
        assert path.read_text(encoding="utf-8") == variant.model_dump_json(indent=2) + "\n", shape
