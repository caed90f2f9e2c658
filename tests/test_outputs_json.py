"""`reports.json` is written report by report, and must stay the exact bytes of the whole model's JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from commune_reports import nghe_an_reports

from schemas.report import ReportList
from tonghop.outputs import write_reports_json


@pytest.mark.parametrize("count", [0, 1, 5])
def test_streamed_reports_json_is_the_models_json(tmp_path: Path, count: int) -> None:
    reports = list(reversed(nghe_an_reports()))[:count]
    assert count == 0 or reports, "the fixture must give reports"

    path = write_reports_json(tmp_path / "reports.json", "2026-H1", "Nghệ An", reports)

    whole = ReportList(round="2026-H1", province="Nghệ An", reports=sorted(reports, key=lambda r: r.file))
    assert path.read_text(encoding="utf-8") == whole.model_dump_json(indent=2) + "\n"
    assert ReportList.model_validate_json(path.read_bytes()) == whole
