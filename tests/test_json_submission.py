"""A JSON report sent by another system: validated like the form, errors naming the JSON path."""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schemas.report import INDICATOR_NAMES, CommuneReport, Item, Source, Status, Unit
from tonghop.check.validate import validate_report
from tonghop.errors import IntakeError
from tonghop.intake import InboxEntry, read_entry
from tonghop.interpret import structured
from tonghop.interpret.structured import SubmittedIndicators, fill_from_fields
from tonghop.read.form import read_json_submission
from tonghop.units.resolve import resolve_unit

TODAY = dt.date(2026, 6, 20)
NAME = "he-thong-khac.json"

VALID: dict[str, Any] = {
    "unit": {"code": 17464, "name": "Xã Diễn Châu", "province": "Tỉnh Nghệ An"},
    "period": "2026-H1",
    "doc_type": "bao_cao",
    "number": "45/BC-UBND",
    "issued_on": "2026-06-05",
    "title": "Báo cáo kết quả ứng dụng AI 6 tháng đầu năm 2026",
    "signer": {"name": "Nguyễn Văn A", "title": "Chủ tịch"},
    "indicators": {"staff_total": 36, "staff_using_ai": 28, "trainings": "02"},
    "sections": {
        "results": ["100% cán bộ được tiếp cận AI.", {"text": "Dùng AI tóm tắt văn bản đến."}],
        "difficulties": [
            {"text": "Thiếu tài khoản bản quyền.", "source": {"file": "x.docx", "paragraph": 3}}
        ],
        "proposals": ["Đề nghị mở thêm lớp tập huấn."],
    },
}


def _process(payload: object, settings: Any, raw: bytes | None = None) -> CommuneReport:
    data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    doc = read_json_submission(data, NAME, settings)
    report = fill_from_fields(doc, CommuneReport(file=NAME, sha256="1" * 64, format="json"))
    report = resolve_unit(report, settings)
    errors, warnings = validate_report(report, settings, today=TODAY)
    return report.model_copy(
        update={"errors": [*report.errors, *errors], "warnings": [*report.warnings, *warnings]}
    )


def _codes(report: CommuneReport) -> tuple[list[str], list[str]]:
    return [e.code for e in report.errors], [w.code for w in report.warnings]


def _with(**changes: Any) -> dict[str, Any]:
    payload = json.loads(json.dumps(VALID))
    for dotted, value in changes.items():
        target = payload
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[key]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return payload


def test_a_valid_submission_becomes_a_report_with_json_path_sources(
    make_settings: Callable[..., Any],
) -> None:
    report = _process(VALID, make_settings())
    assert _codes(report) == ([], [])
    assert report.unit is not None and report.unit.code == 17464
    assert (report.number, report.issued_on, report.signer.name) == (
        "45/BC-UBND",
        dt.date(2026, 6, 5),
        "Nguyễn Văn A",
    )
    assert (report.indicators.staff_total, report.indicators.staff_using_ai, report.indicators.trainings) == (
        36,
        28,
        2,
    )
    assert report.indicators.ai_accounts is None
    assert [i.text for i in report.sections.results] == [
        "100% cán bộ được tiếp cận AI.",
        "Dùng AI tóm tắt văn bản đến.",
    ]
    assert report.sections.results[1].source == Source(file=NAME, path="$.sections.results[1]")
    assert report.sections.difficulties[0].source.label() == "$.sections.difficulties[0]"
    evidence = next(e for e in report.indicator_evidence if e.indicator == "trainings")
    assert evidence.source.path == "$.indicators.trainings" and evidence.value == 2


def test_an_exported_report_from_another_tonghop_is_accepted_as_is(make_settings: Callable[..., Any]) -> None:
    exported = CommuneReport(
        file="goc.docx",
        sha256="f" * 64,
        status=Status.ACCEPTED,
        unit=Unit(code=16941, name="Xã Nghĩa Đàn", province="Tỉnh Nghệ An"),
        doc_type="ke_hoach",
        issued_on=dt.date(2026, 5, 20),
        sections={
            "directions": [Item(text="Tập huấn AI cho toàn bộ cán bộ.", source=Source(file="goc.docx"))]
        },
    ).model_dump(mode="json")
    report = _process(exported, make_settings())
    assert _codes(report) == ([], [])
    assert report.unit is not None and report.unit.code == 16941
    assert report.doc_type.value == "ke_hoach" and report.sections.directions[0].source.path == (
        "$.sections.directions[0]"
    )


def test_a_number_in_words_is_refused_naming_its_path(make_settings: Callable[..., Any]) -> None:
    report = _process(_with(indicators__staff_total="ba mươi"), make_settings())
    assert _codes(report)[0] == ["json_invalid"]
    assert (
        report.errors[0].message
        == f'Tệp {NAME}: $.indicators.staff_total (Tổng số cán bộ, công chức): "ba mươi" không phải là số'
    )


def test_a_negative_figure_is_value_negative_naming_its_path(make_settings: Callable[..., Any]) -> None:
    report = _process(_with(indicators__staff_using_ai=-1), make_settings())
    assert _codes(report)[0] == ["value_negative"]
    assert (
        "$.indicators.staff_using_ai (Số CBCC sử dụng AI trong công việc): -1 là số âm"
        in report.errors[0].message
    )


def test_every_bad_value_is_reported_at_once(make_settings: Callable[..., Any]) -> None:
    payload = _with(
        indicators__staff_magic=3,
        indicators__trainings=2.5,
        doc_type="bao_cao_x",
        issued_on="32/13/2026",
        sections__causes="một chuỗi thay vì danh sách",
    )
    payload["sections"]["results"].append({"title": "không có text"})
    report = _process(payload, make_settings())
    messages = {e.message.split(": ", 1)[1] for e in report.errors}
    assert set(_codes(report)[0]) == {"json_invalid"}
    assert "$.indicators.staff_magic: trường không có trong mẫu báo cáo" in messages
    assert '$.indicators.trainings (Số lớp tập huấn): "2.5" không phải là số nguyên' in messages
    assert any(m.startswith('$.doc_type: "bao_cao_x" không phải một trong các giá trị') for m in messages)
    assert '$.issued_on (Ngày báo cáo): "32/13/2026" không phải ngày hợp lệ (ngày/tháng/năm)' in messages
    assert "$.sections.causes (Nguyên nhân): phải là một danh sách" in messages
    assert '$.sections.results[2] (Kết quả đạt được): thiếu trường "text"' in messages
    # What was valid is still read, so the analyst sees the rest of the submission.
    assert report.indicators.staff_total == 36 and len(report.sections.results) == 2


def test_a_submission_without_a_unit_is_refused_naming_the_unit_path(
    make_settings: Callable[..., Any],
) -> None:
    report = _process(_with(unit=...), make_settings())
    assert _codes(report)[0] == ["field_required"]
    assert "$.unit: chưa ghi mã hoặc tên xã, phường" in report.errors[0].message


def test_a_unit_named_without_a_code_is_resolved_from_the_roster(make_settings: Callable[..., Any]) -> None:
    report = _process(_with(unit={"name": "Xã Kẽ Sắt"}), make_settings())
    assert report.unit is not None and report.unit.code == 10945
    assert _codes(report) == ([], ["unit_spelling"])
    as_text = _process(_with(unit=..., unit_code="17464"), make_settings())
    assert as_text.unit is not None and as_text.unit.code == 17464


def test_a_code_that_disagrees_with_its_name_is_kept_by_code_with_a_warning(
    make_settings: Callable[..., Any],
) -> None:
    report = _process(_with(unit={"code": 17464, "name": "Xã Nghĩa Đàn"}), make_settings())
    assert report.unit is not None and report.unit.code == 17464
    assert _codes(report) == ([], ["unit_name_mismatch"])


def test_unknown_top_level_fields_are_ignored_with_a_warning(make_settings: Callable[..., Any]) -> None:
    report = _process(_with(ghi_chu="bản thử"), make_settings())
    assert _codes(report) == ([], ["json_unknown_field"])
    assert "ghi_chu" in report.warnings[0].message


def test_a_period_of_another_round_is_kept_with_a_warning(make_settings: Callable[..., Any]) -> None:
    report = _process(_with(period="2025"), make_settings())
    assert _codes(report) == ([], ["date_outside_round"])
    assert "$.period (Kỳ báo cáo)" in report.warnings[0].message


def test_an_empty_submission_is_refused(make_settings: Callable[..., Any]) -> None:
    report = _process({"unit": {"code": 17464}}, make_settings())
    assert _codes(report)[0] == ["form_empty"]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'{"unit": {"code": 17464},\n "indicators": {', "dòng 2"),
        (b"[1, 2, 3]", "$ phải là một đối tượng JSON"),
        ('{"unit": "Xã Diễn Châu"}'.encode("utf-16"), "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "quá sâu"),
        (b'{"a":' * 50 + b"1" + b"}" * 50, "quá sâu"),
    ],
)
def test_unreadable_json_is_refused_with_the_reason(
    make_settings: Callable[..., Any], raw: bytes, fragment: str
) -> None:
    with pytest.raises(IntakeError) as info:
        read_json_submission(raw, NAME, make_settings())
    assert info.value.code == "json_invalid"
    assert fragment in info.value.message and NAME in info.value.message


@pytest.mark.parametrize("unit", ["Xã Diễn Châu", 17464, "17464"])
def test_a_unit_given_as_a_bare_name_or_code_is_accepted(
    make_settings: Callable[..., Any], unit: object
) -> None:
    report = _process(_with(unit=unit), make_settings())
    assert report.unit is not None and report.unit.code == 17464
    assert _codes(report) == ([], [])


def test_a_unit_of_the_wrong_shape_is_a_path_error(make_settings: Callable[..., Any]) -> None:
    report = _process(_with(unit=[17464]), make_settings())
    assert _codes(report)[0][0] == "json_invalid"
    assert "$.unit: phải là một đối tượng" in report.errors[0].message


def test_a_json_file_in_the_inbox_goes_through_the_whole_pipeline(make_settings: Callable[..., Any]) -> None:
    settings = make_settings()
    path = settings.inbox / 'bao cáo, "Diễn Châu".json'
    path.write_text(json.dumps(VALID, ensure_ascii=False), encoding="utf-8")
    entry = InboxEntry.for_file(path, received=dt.datetime(2026, 6, 6, tzinfo=dt.UTC))
    report = read_entry(entry, settings)
    assert report.status == Status.ACCEPTED, report.errors
    assert report.format == "json" and report.unit is not None and report.unit.code == 17464
    assert report.sections.results[0].source.file == path.name


def test_a_submission_has_exactly_the_reports_indicators_in_order() -> None:
    """`SubmittedIndicators` is written out for type checkers; it must follow `INDICATORS`."""
    assert tuple(SubmittedIndicators.model_fields) == INDICATOR_NAMES


def _imported_modules(path: str | None) -> set[str]:
    assert path is not None
    modules: set[str] = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_the_structured_reader_does_not_import_the_check_stage() -> None:
    """Data flows read → interpret → check; the pydantic wording both share lives in tonghop.errors."""
    imported = _imported_modules(structured.__file__)
    assert "tonghop.errors" in imported
    assert not {name for name in imported if name.startswith("tonghop.check")}


@pytest.mark.parametrize(
    ("payload", "kind"),
    [([1, 2], "một danh sách"), ("báo cáo", "một chuỗi chữ"), (None, "giá trị rỗng (null)"), (3, "một số")],
)
def test_a_submission_that_is_not_an_object_is_refused_in_words_a_clerk_reads(
    make_settings: Callable[..., Any], payload: object, kind: str
) -> None:
    with pytest.raises(IntakeError) as refused:
        read_json_submission(json.dumps(payload).encode(), NAME, make_settings())
    assert refused.value.message.endswith(f"không phải {kind}.")
    assert not any(word in refused.value.message for word in ("list", "str", "NoneType", "int"))


def test_a_json_file_in_a_windows_encoding_is_told_to_use_utf8(make_settings: Callable[..., Any]) -> None:
    data = json.dumps({"title": "Báo cáo tình hình ứng dụng AI"}, ensure_ascii=False).encode(
        "cp1258", "replace"
    )
    entry_path = make_settings().inbox / NAME
    entry_path.parent.mkdir(parents=True, exist_ok=True)
    entry_path.write_bytes(data)
    report = read_entry(InboxEntry.for_file(entry_path, NAME), make_settings())
    assert report.status == Status.REJECTED
    assert "phải dùng bảng mã UTF-8" in report.reason()
