"""The registry keeps what each file said, so a re-run reads only new files and a killed run resumes."""

from __future__ import annotations

from pathlib import Path

from commune_reports import nghe_an_reports

from schemas.report import CommuneReport
from tonghop.store.registry import Registry


def test_stored_parses_survive_reopening_and_are_keyed_by_name_and_content(tmp_path: Path) -> None:
    reports = nghe_an_reports()[:3]
    with Registry.for_round(tmp_path) as registry:
        registry.store_parses(reports[:2], "code-v1")
        registry.store_parses(reports[2:], "code-v1")

    with Registry.for_round(tmp_path) as registry:
        stored = registry.stored_parses("code-v1")

    assert set(stored) == {(r.file, r.sha256) for r in reports}
    first = reports[0]
    # The UTF-8 of the report as it reads in reports.json (two levels deep, indented): it turns back into
    # the same report, Vietnamese text and all.
    indented = "\n".join("    " + line for line in first.model_dump_json(indent=2).split("\n"))
    assert stored[(first.file, first.sha256)] == indented.encode("utf-8")
    assert CommuneReport.model_validate_json(stored[(first.file, first.sha256)]) == first


def test_parses_by_other_code_or_settings_are_dropped(tmp_path: Path) -> None:
    reports = nghe_an_reports()[:2]
    with Registry.for_round(tmp_path) as registry:
        registry.store_parses(reports, "code-v1")
        assert registry.stored_parses("code-v2") == {}
        # Dropped, not hidden: going back to the old fingerprint finds nothing either.
        assert registry.stored_parses("code-v1") == {}
