"""The registry keeps what each file said, so a re-run reads only new files and a killed run resumes."""

from __future__ import annotations

from pathlib import Path

from commune_reports import nghe_an_reports

from tonghop.store.registry import Registry


def test_stored_parses_survive_reopening_and_are_keyed_by_name_and_content(tmp_path: Path) -> None:
    reports = nghe_an_reports()[:3]
    with Registry.for_round(tmp_path) as registry:
        registry.store_parses(reports[:2], "code-v1")
        registry.store_parses(reports[2:], "code-v1")

    with Registry.for_round(tmp_path) as registry:
        stored = registry.stored_parses("code-v1")

    assert set(stored) == {(r.file, r.sha256) for r in reports}
    # Whole, as read: Vietnamese text, sections and figures with their evidence.
    assert all(stored[(r.file, r.sha256)] == r for r in reports)
    assert any(r.sections.results for r in reports)


def test_parses_by_other_code_or_settings_are_dropped(tmp_path: Path) -> None:
    reports = nghe_an_reports()[:2]
    with Registry.for_round(tmp_path) as registry:
        registry.store_parses(reports, "code-v1")
        assert registry.stored_parses("code-v2") == {}
        # Dropped, not hidden: going back to the old fingerprint finds nothing either.
        assert registry.stored_parses("code-v1") == {}
