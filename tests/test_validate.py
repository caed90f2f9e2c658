"""Validation: which reports are rejected (errors) and which are kept with a warning, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from schemas.report import (
    CommuneReport,
    DocType,
    IndicatorEvidence,
    Indicators,
    Item,
    Sections,
    Source,
)
from tonghop.check.validate import validate_report

TODAY = dt.date(2026, 6, 20)
FILE = "bao-cao-dien-chau.docx"


def _report(**fields: Any) -> CommuneReport:
    values: dict[str, Any] = {
        "file": FILE,
        "sha256": "2" * 64,
        "format": "docx",
        "doc_type": DocType.BAO_CAO,
        "issued_on": dt.date(2026, 6, 5),
        "sections": Sections(results=[Item(text="Đã ứng dụng AI.", source=Source(file=FILE, paragraph=9))]),
    }
    values.update(fields)
    return CommuneReport(**values)


def _evidence(indicator: str, value: int, text: str, paragraph: int = 12) -> IndicatorEvidence:
    return IndicatorEvidence(
        indicator=indicator, value=value, text=text, source=Source(file=FILE, paragraph=paragraph)
    )


@pytest.fixture
def settings(make_settings: Callable[..., Any]) -> Any:
    return make_settings(round="2026-H1")


def _codes(result: tuple[list[Any], list[Any]]) -> tuple[list[str], list[str]]:
    errors, warnings = result
    return [e.code for e in errors], [w.code for w in warnings]


def test_a_sound_report_has_no_issue(settings: Any) -> None:
    report = _report(
        indicators=Indicators(staff_total=36, staff_using_ai=28, staff_trained=36),
        indicator_evidence=[
            _evidence("staff_using_ai", 28, "28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI")
        ],
    )
    assert _codes(validate_report(report, settings, today=TODAY)) == ([], [])


def test_a_negative_figure_slipped_past_the_model_is_rejected_with_its_label(settings: Any) -> None:
    # Extractors build reports with model_copy, which does not validate: the validator re-checks.
    report = _report().model_copy(update={"indicators": Indicators.model_construct(staff_total=-5)})
    errors, _ = validate_report(report, settings, today=TODAY)
    assert [e.code for e in errors] == ["value_negative"]
    assert (
        errors[0].message
        == f"Tệp {FILE}: Tổng số cán bộ, công chức (-5): -5 là số âm; số liệu phải từ 0 trở lên"
    )


@pytest.mark.parametrize("indicator", ["staff_trained", "staff_using_ai", "staff_accessed_ai"])
def test_staff_counts_above_the_total_reject_the_report(settings: Any, indicator: str) -> None:
    report = _report(
        indicators=Indicators(staff_total=36, **{indicator: 40}),
        indicator_evidence=[
            _evidence("staff_total", 36, "Tổng số cán bộ, công chức: 36", paragraph=4),
            _evidence(indicator, 40, "40 cán bộ", paragraph=7),
        ],
    )
    errors, _ = validate_report(report, settings, today=TODAY)
    assert [e.code for e in errors] == ["indicator_exceeds_total"]
    assert "(40, đoạn 8) lớn hơn Tổng số cán bộ, công chức (36, đoạn 5)" in errors[0].message


def test_a_count_equal_to_the_total_is_fine_and_other_figures_are_not_shares(settings: Any) -> None:
    report = _report(indicators=Indicators(staff_total=36, staff_using_ai=36, ai_accounts=80, trainings=40))
    assert _codes(validate_report(report, settings, today=TODAY)) == ([], [])


@pytest.mark.parametrize(
    ("text", "mismatch"),
    [
        ("28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI", False),
        ("28/36 cán bộ, công chức (đạt 78%) đã sử dụng AI", False),
        ("28/36 cán bộ, công chức (đạt 77%) đã sử dụng AI", False),  # truncated, not wrong
        ("28/36 cán bộ, công chức (đạt 80%) đã sử dụng AI", True),
        ("28/36 cán bộ, công chức (đạt 77,5%) đã sử dụng AI", True),
        ("1.234/2.000 lượt (đạt 61,7%)", False),
        ("Ngày 05/6/2026 có 28 cán bộ sử dụng, giảm 30% thời gian xử lý", False),  # not a share
    ],
)
def test_a_stated_percentage_is_checked_against_its_fraction(
    settings: Any, text: str, mismatch: bool
) -> None:
    report = _report(
        indicators=Indicators(staff_total=36, staff_using_ai=28),
        indicator_evidence=[_evidence("staff_using_ai", 28, text)],
    )
    errors, warnings = validate_report(report, settings, today=TODAY)
    assert errors == []
    assert [w.code for w in warnings] == (["percentage_mismatch"] if mismatch else [])
    if mismatch:
        assert "đoạn 13" in warnings[0].message and "77,8%" in warnings[0].message


def test_a_percentage_without_fraction_is_checked_against_the_total(settings: Any) -> None:
    report = _report(
        indicators=Indicators(staff_total=36, staff_using_ai=28),
        indicator_evidence=[_evidence("staff_using_ai", 28, "28 cán bộ đã sử dụng AI, đạt tỷ lệ 90%")],
    )
    _, warnings = validate_report(report, settings, today=TODAY)
    assert [w.code for w in warnings] == ["percentage_mismatch"]
    assert "28/36" in warnings[0].message


def test_one_wrong_sentence_gives_one_warning_even_if_it_backs_two_figures(settings: Any) -> None:
    text = "28/36 cán bộ (đạt 80%) đã sử dụng AI"
    report = _report(
        indicators=Indicators(staff_total=36, staff_using_ai=28),
        indicator_evidence=[_evidence("staff_using_ai", 28, text), _evidence("staff_total", 36, text)],
    )
    assert _codes(validate_report(report, settings, today=TODAY)) == ([], ["percentage_mismatch"])


def test_a_date_in_the_future_rejects_the_report(settings: Any) -> None:
    errors, _ = validate_report(_report(issued_on=dt.date(2026, 6, 21)), settings, today=TODAY)
    assert [e.code for e in errors] == ["date_in_future"]
    assert "21/06/2026" in errors[0].message and "20/06/2026" in errors[0].message


def test_today_is_vietnam_time_by_default(settings: Any) -> None:
    vietnam_today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    assert _codes(validate_report(_report(issued_on=vietnam_today), settings))[0] == []
    tomorrow = vietnam_today + dt.timedelta(days=1)
    assert _codes(validate_report(_report(issued_on=tomorrow), settings))[0] == ["date_in_future"]


@pytest.mark.parametrize(
    ("issued", "warned"),
    [
        (dt.date(2026, 1, 1), False),
        (dt.date(2026, 7, 20), False),  # written after the half-year closed: normal
        (dt.date(2025, 12, 15), True),
        (dt.date(2026, 9, 1), True),
    ],
)
def test_a_date_outside_the_round_is_only_a_warning(settings: Any, issued: dt.date, warned: bool) -> None:
    errors, warnings = validate_report(_report(issued_on=issued), settings, today=dt.date(2026, 12, 1))
    assert errors == []
    assert [w.code for w in warnings] == (["date_outside_round"] if warned else [])


def test_a_late_deadline_widens_the_round(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(round="2026-H1", deadline=dt.date(2026, 9, 15))
    report = _report(issued_on=dt.date(2026, 9, 1))
    assert _codes(validate_report(report, settings, today=dt.date(2026, 12, 1))) == ([], [])


def test_a_bao_cao_with_no_recognised_section_is_rejected(settings: Any) -> None:
    errors, _ = validate_report(_report(sections=Sections()), settings, today=TODAY)
    assert [e.code for e in errors] == ["no_sections"]
    assert FILE in errors[0].message


@pytest.mark.parametrize("doc_type", [DocType.KE_HOACH, DocType.CONG_VAN, DocType.TIN_BAI, DocType.KHAC])
def test_other_documents_without_sections_are_kept_with_a_warning(settings: Any, doc_type: DocType) -> None:
    errors, warnings = validate_report(_report(doc_type=doc_type, sections=Sections()), settings, today=TODAY)
    assert errors == []
    assert [w.code for w in warnings] == ["no_sections"]


def test_a_structured_submission_with_figures_only_needs_no_section(settings: Any) -> None:
    report = _report(format="xlsx", sections=Sections(), indicators=Indicators(staff_total=10))
    assert _codes(validate_report(report, settings, today=TODAY)) == ([], [])
    empty = _report(format="json", sections=Sections())
    assert _codes(validate_report(empty, settings, today=TODAY)) == (["form_empty"], [])


def test_the_samples_pass_validation_with_only_the_expected_warnings(
    sample_docx_dir: Any, make_settings: Callable[..., Any]
) -> None:
    """The five sample texts through the whole per-file pipeline."""
    from tonghop.intake import InboxEntry, read_entry

    settings = make_settings(province="Nghệ An", round="2026-H1")
    outcomes = {}
    for path in sorted(sample_docx_dir.glob("*.docx")):
        entry = InboxEntry.for_file(path, received=dt.datetime(2026, 6, 6, tzinfo=dt.UTC))
        report = read_entry(entry, settings)
        outcomes[path.stem] = (
            [e.code for e in report.errors],
            report.unit.name if report.unit else None,
            report.unit.province if report.unit else None,
        )
    assert outcomes == {
        "dak_glei_bao_cao": ([], "Huyện Đắk Glei", "Tỉnh Quảng Ngãi"),
        "dien_chau_bao_cao": ([], "Xã Diễn Châu", "Tỉnh Nghệ An"),
        "doan_hung_tin_bai": ([], "Xã Đoan Hùng", "Tỉnh Phú Thọ"),
        "ke_sat_cong_van": ([], "Xã Kẻ Sặt", "Thành phố Hải Phòng"),
        "nghia_dan_ke_hoach": ([], "Xã Nghĩa Đàn", "Tỉnh Nghệ An"),
    }


def test_real_provincial_documents_are_rejected_only_as_not_from_a_commune(
    real_docx_dir: Any, make_settings: Callable[..., Any]
) -> None:
    from tonghop.intake import InboxEntry, read_entry

    settings = make_settings(province="Lâm Đồng", round="2025")
    paths = sorted(real_docx_dir.glob("*.docx"))
    assert len(paths) >= 10
    for path in paths:
        entry = InboxEntry.for_file(path, received=dt.datetime(2026, 1, 6, tzinfo=dt.UTC))
        report = read_entry(entry, settings)
        assert [e.code for e in report.errors] == ["not_commune_document"], (path.name, report.errors)
        assert report.unit is None
