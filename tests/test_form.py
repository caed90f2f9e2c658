"""The Excel form: generated from the models, filled as a clerk (or another tool) would, read back."""

from __future__ import annotations

import ast
import datetime as dt
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from schemas.report import (
    FIELD_LABELS_VI,
    INDICATOR_LABELS_VI,
    INDICATOR_NAMES,
    SECTION_NAMES,
    CommuneReport,
    Status,
)
from tonghop.check.validate import validate_report
from tonghop.errors import IntakeError
from tonghop.intake import InboxEntry, read_entry, sha256_file
from tonghop.interpret.structured import fill_from_fields
from tonghop.read.form import MAX_ROWS_PER_SECTION, SCALAR_FIELDS, _cells, read_xlsx_form
from tonghop.render import form_template
from tonghop.render.form_template import FORM_SHEET, LIST_SHEET, build_form, form_bytes, write_form
from tonghop.units.resolve import resolve_unit

TODAY = dt.date(2026, 6, 20)


@pytest.fixture(scope="module")
def blank_form() -> bytes:
    return form_bytes("Nghệ An", "2026-H1")[0]


def _cell(wb: Any, field: str) -> Any:
    """The cell a defined name points to: how another tool fills the form, whatever its layout."""
    (sheet, ref), *_ = wb.defined_names[field].destinations
    return wb[sheet][ref.replace("$", "").split(":")[0]]


def _section_cells(wb: Any, field: str) -> list[Any]:
    (sheet, ref), *_ = wb.defined_names[field].destinations
    return [row[0] for row in wb[sheet][ref.replace("$", "")]]


def _fill(blank: bytes, values: dict[str, Any], sections: dict[str, list[str]] | None = None) -> bytes:
    wb = load_workbook(io.BytesIO(blank))
    for field, value in values.items():
        _cell(wb, field).value = value
    for field, texts in (sections or {}).items():
        for cell, text in zip(_section_cells(wb, field), texts, strict=False):
            cell.value = text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = {
    "unit_code": "Xã Diễn Châu (17464)",
    "issued_on": dt.datetime(2026, 6, 5),
    "staff_total": 36,
    "staff_accessed_ai": 36,
    "staff_trained": 30,
    "staff_using_ai": 28,
    "ai_accounts": 12,
    "trainings": 2,
    "signer_name": "Nguyễn Văn A",
    "signer_title": "Chủ tịch UBND xã",
}
TEXTS = {
    "results": ["100% cán bộ được tiếp cận công cụ AI.", "Ứng dụng AI soạn thảo văn bản, tóm tắt tài liệu."],
    "difficulties": ["Thiếu tài khoản AI bản quyền."],
    "proposals": ["Đề nghị Sở tổ chức thêm lớp tập huấn."],
}


def _process(data: bytes, settings: Any, name: str = "bieu-mau-dien-chau.xlsx") -> CommuneReport:
    doc = read_xlsx_form(data, name, settings)
    report = fill_from_fields(doc, CommuneReport(file=name, sha256="0" * 64, format="xlsx"))
    report = resolve_unit(report, settings)
    errors, warnings = validate_report(report, settings, today=TODAY)
    return report.model_copy(
        update={"errors": [*report.errors, *errors], "warnings": [*report.warnings, *warnings]}
    )


def _codes(report: CommuneReport) -> tuple[list[str], list[str]]:
    return [e.code for e in report.errors], [w.code for w in report.warnings]


# --- the form as written ---------------------------------------------------------------------------


def test_every_input_cell_is_named_after_its_schema_field(blank_form: bytes) -> None:
    wb = load_workbook(io.BytesIO(blank_form))
    names = set(wb.defined_names)
    expected = {"unit_code", "period", "issued_on", *INDICATOR_NAMES, *SECTION_NAMES}
    assert expected <= names
    for field in INDICATOR_NAMES:
        cell = _cell(wb, field)
        assert cell.parent.title == FORM_SHEET
        label = cell.parent.cell(cell.row, cell.column - 1).value
        assert label == INDICATOR_LABELS_VI[field]
    for field in SECTION_NAMES:
        assert len(_section_cells(wb, field)) >= 4


def test_the_reader_looks_for_exactly_the_labelled_fields_of_the_form(blank_form: bytes) -> None:
    """The form prints FIELD_LABELS_VI's fields and the reader reads SCALAR_FIELDS: the same cells."""
    assert tuple(FIELD_LABELS_VI) == SCALAR_FIELDS
    wb = load_workbook(io.BytesIO(blank_form))
    for field in SCALAR_FIELDS:
        cell = _cell(wb, field)
        label = cell.parent.cell(cell.row, cell.column - 1).value
        assert label.split("\n")[0] == FIELD_LABELS_VI[field]


def test_the_form_takes_its_labels_from_the_schemas_not_from_a_reader() -> None:
    """Rendering comes after interpreting: the form must not import the extractor for its words."""
    assert form_template.__file__ is not None
    tree = ast.parse(Path(form_template.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "schemas.report" in imported
    assert not {m for m in imported if m and m.startswith(("tonghop.interpret", "tonghop.read"))}


def test_staff_total_is_cell_c7_as_the_clerks_instructions_say(blank_form: bytes) -> None:
    wb = load_workbook(io.BytesIO(blank_form))
    assert _cell(wb, "staff_total").coordinate == "C7"


def test_indicators_accept_only_whole_numbers_from_zero(blank_form: bytes) -> None:
    wb = load_workbook(io.BytesIO(blank_form))
    ws = wb[FORM_SHEET]
    rules = {rule.type: rule for rule in ws.data_validations.dataValidation}
    whole = rules["whole"]
    assert (whole.operator, whole.formula1) == ("greaterThanOrEqual", "0")
    for field in INDICATOR_NAMES:
        assert _cell(wb, field).coordinate in whole.sqref
    assert _cell(wb, "issued_on").coordinate in rules["date"].sqref
    assert _cell(wb, "staff_total").number_format == "0"


def test_the_unit_is_chosen_from_the_provinces_communes_on_a_hidden_sheet(blank_form: bytes) -> None:
    wb = load_workbook(io.BytesIO(blank_form))
    ws = wb[FORM_SHEET]
    unit_rule = next(r for r in ws.data_validations.dataValidation if r.type == "list")
    assert str(unit_rule.sqref) == _cell(wb, "unit_code").coordinate
    assert unit_rule.formula1 == "danh_sach_don_vi"
    listing = wb[LIST_SHEET]
    assert listing.sheet_state == "hidden"
    entries = [row[0] for row in listing.iter_rows(min_col=1, max_col=1, values_only=True) if row[0]]
    assert len(entries) == 130
    assert "Xã Diễn Châu (17464)" in entries and "Xã Nghĩa Đàn (16941)" in entries
    (sheet, ref), *_ = wb.defined_names["danh_sach_don_vi"].destinations
    assert (sheet, ref) == (LIST_SHEET, "$A$1:$A$130")


def test_a_national_form_lists_every_commune_with_its_province() -> None:
    wb, info = build_form(None, "2026-H1")
    assert info.communes == 3321 and info.province is None
    entries = [row[0] for row in wb[LIST_SHEET].iter_rows(min_col=1, max_col=1, values_only=True)]
    assert len(entries) == 3321
    assert "Xã Kẻ Sặt, Thành phố Hải Phòng (10945)" in entries


def test_the_period_is_prefilled_with_the_round(blank_form: bytes) -> None:
    wb = load_workbook(io.BytesIO(blank_form))
    assert _cell(wb, "period").value == "2026-H1"


# --- filled forms ------------------------------------------------------------------------------------


def test_a_well_filled_form_becomes_an_accepted_report_with_cell_sources(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, GOOD, TEXTS), make_settings())
    assert _codes(report) == ([], [])
    assert report.unit is not None and report.unit.code == 17464
    assert report.doc_type.value == "bao_cao" and report.issued_on == dt.date(2026, 6, 5)
    assert report.indicators.model_dump() == {k: GOOD[k] for k in INDICATOR_NAMES}
    assert [i.text for i in report.sections.results] == TEXTS["results"]
    assert [i.source.cell for i in report.sections.results] == ["C15", "C16"]
    assert report.sections.proposals[0].source.label() == "ô C41"
    assert report.signer.name == "Nguyễn Văn A"
    total = next(e for e in report.indicator_evidence if e.indicator == "staff_total")
    assert total.source.cell == "C7"


def test_a_number_in_words_is_refused_naming_its_cell(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, {**GOOD, "staff_total": "ba mươi"}, TEXTS), make_settings())
    assert _codes(report)[0] == ["form_value_invalid"]
    assert 'Ô C7 (Tổng số cán bộ, công chức): "ba mươi" không phải là số' in report.errors[0].message
    assert report.errors[0].message.startswith("Tệp bieu-mau-dien-chau.xlsx")
    assert report.indicators.staff_total is None


def test_a_negative_figure_is_refused_naming_its_cell(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(
        _fill(blank_form, {**GOOD, "trainings": -2, "ai_accounts": "1.5"}, TEXTS), make_settings()
    )
    assert sorted(_codes(report)[0]) == ["form_value_invalid", "value_negative"]
    messages = " | ".join(e.message for e in report.errors)
    assert "Ô C12 (Số lớp tập huấn): -2 là số âm" in messages
    assert 'Ô C11 (Số tài khoản AI): "1.5" không phải là số' in messages


def test_figures_typed_as_text_are_read_as_numbers(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(
        _fill(blank_form, {**GOOD, "staff_total": " 1.234 ", "trainings": "02"}, TEXTS), make_settings()
    )
    assert _codes(report)[0] == []
    assert (report.indicators.staff_total, report.indicators.trainings) == (1234, 2)


def test_more_trained_staff_than_staff_is_refused_naming_both_cells(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, {**GOOD, "staff_trained": 40}, TEXTS), make_settings())
    assert _codes(report)[0] == ["indicator_exceeds_total"]
    message = report.errors[0].message
    assert "Số CBCC được tập huấn về AI (40, ô C9)" in message and "(36, ô C7)" in message


@pytest.mark.parametrize("written", ["Xã Diễn Châu", "Diễn Châu", "xa dien chau", 17464, "17464"])
def test_the_unit_may_be_a_name_or_a_code_instead_of_the_list_entry(
    blank_form: bytes, make_settings: Callable[..., Any], written: object
) -> None:
    report = _process(_fill(blank_form, {**GOOD, "unit_code": written}, TEXTS), make_settings())
    assert report.unit is not None and report.unit.code == 17464
    assert _codes(report)[0] == []


def test_a_name_found_in_several_provinces_is_settled_by_the_forms_province(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    national = make_settings(province=None)
    report = _process(_fill(blank_form, {**GOOD, "unit_code": "Xã Tân An"}, TEXTS), national)
    assert report.unit is not None and (report.unit.code, report.unit.province) == (17305, "Tỉnh Nghệ An")


def test_a_form_without_a_unit_is_refused_naming_the_unit_cell(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, {**GOOD, "unit_code": None}, TEXTS), make_settings())
    assert _codes(report)[0] == ["field_required"]
    assert "Ô C3 (Đơn vị (xã, phường, đặc khu))" in report.errors[0].message


def test_an_empty_form_is_refused(blank_form: bytes, make_settings: Callable[..., Any]) -> None:
    report = _process(_fill(blank_form, {"unit_code": GOOD["unit_code"]}), make_settings())
    assert _codes(report)[0] == ["form_empty"]


def test_figures_without_text_are_a_valid_submission(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, GOOD), make_settings())
    assert _codes(report) == ([], [])


def test_a_form_for_another_period_is_kept_with_a_warning(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, {**GOOD, "period": "2025-H2"}, TEXTS), make_settings())
    assert _codes(report) == ([], ["date_outside_round"])
    assert "Ô C4 (Kỳ báo cáo)" in report.warnings[0].message


def test_a_unit_outside_the_province_is_resolved_for_the_status_step(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    report = _process(_fill(blank_form, {**GOOD, "unit_code": "10945"}, TEXTS), make_settings())
    assert report.unit is not None and report.unit.province == "Thành phố Hải Phòng"
    assert _codes(report)[0] == []


def test_a_workbook_that_is_not_the_form_is_refused(make_settings: Callable[..., Any]) -> None:
    wb = Workbook()
    assert wb.active is not None
    wb.active["A1"] = "Tổng số cán bộ"
    wb.active["B1"] = 36
    data = io.BytesIO()
    wb.save(data)
    with pytest.raises(IntakeError) as info:
        read_xlsx_form(data.getvalue(), "bang-tinh.xlsx", make_settings())
    assert info.value.code == "form_unrecognised"
    assert "bang-tinh.xlsx" in info.value.message


def test_a_truncated_form_is_refused_as_corrupt(blank_form: bytes, make_settings: Callable[..., Any]) -> None:
    with pytest.raises(IntakeError) as info:
        read_xlsx_form(blank_form[: len(blank_form) // 2], "cut.xlsx", make_settings())
    assert info.value.code == "corrupt_xlsx"


def test_a_form_that_inflates_past_the_cap_is_refused(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blank_form)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest,
    ):
        for item in source.infolist():
            dest.writestr(item, source.read(item))
        dest.writestr("xl/media/padding.bin", b"\0" * (3 << 20))
    assert len(out.getvalue()) < len(blank_form) + 100_000
    with pytest.raises(IntakeError) as info:
        read_xlsx_form(out.getvalue(), "bom.xlsx", make_settings(max_uncompressed_mb=2))
    assert info.value.code == "decompression_bomb"


def test_a_named_range_claiming_a_million_rows_is_cut_at_the_section_cap(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    wb = load_workbook(io.BytesIO(_fill(blank_form, GOOD, TEXTS)))
    wb.defined_names["results"] = DefinedName("results", attr_text=f"'{FORM_SHEET}'!$C$15:$C$1048576")
    data = io.BytesIO()
    wb.save(data)
    doc = read_xlsx_form(data.getvalue(), "dai.xlsx", make_settings())
    assert doc.fields["submission"]["sections"]["results"][:2] == TEXTS["results"]  # type: ignore[index]
    # The range is cut at the section cap, so a million-row claim costs a few hundred cells.
    assert len(_cells("C15:C1048576", MAX_ROWS_PER_SECTION)) == MAX_ROWS_PER_SECTION


# --- the whole per-file pipeline, and the command --------------------------------------------------


def test_a_filled_form_in_the_inbox_goes_through_the_same_pipeline_as_a_docx(
    blank_form: bytes, make_settings: Callable[..., Any]
) -> None:
    settings = make_settings()
    path = settings.inbox / "Biểu mẫu Diễn Châu.xlsx"
    path.write_bytes(_fill(blank_form, GOOD, TEXTS))
    entry = InboxEntry.for_file(path, received=dt.datetime(2026, 6, 6, tzinfo=dt.UTC))
    report = read_entry(entry, settings)
    assert report.status == Status.ACCEPTED, report.errors
    assert report.format == "xlsx" and report.unit is not None and report.unit.code == 17464
    assert report.indicators.staff_using_ai == 28 and len(report.sections.results) == 2

    path.write_bytes(_fill(blank_form, {**GOOD, "staff_total": "ba mươi"}, TEXTS))
    bad = read_entry(entry.model_copy(update={"sha256": sha256_file(path)}), settings)
    assert bad.status == Status.REJECTED
    assert "Ô C7 (Tổng số cán bộ, công chức)" in bad.reason()


def test_write_form_creates_the_file_atomically(tmp_path: Path) -> None:
    info = write_form(tmp_path / "out" / "bieu-mau.xlsx", "Hải Phòng", "2026-Q2")
    assert info.province == "Thành phố Hải Phòng" and info.communes > 100
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["bieu-mau.xlsx"]
    assert (tmp_path / "out" / "bieu-mau.xlsx").stat().st_mode & 0o777 == 0o644


def test_the_form_command_writes_a_form_for_the_province(tmp_path: Path, repo_root: Path) -> None:
    out = tmp_path / "bieu-mau.xlsx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tonghop.cli",
            "form",
            "--out",
            str(out),
            "--province",
            "Nghệ An",
            "--round",
            "2026-H1",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"TONGHOP_CONFIG": str(repo_root / "tests" / "data" / "no-config.toml"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "130 xã, phường, đặc khu của Tỉnh Nghệ An" in result.stdout
    wb = load_workbook(out, read_only=True)
    assert "unit_code" in wb.defined_names
    wb.close()


def test_the_form_command_refuses_a_merged_province(tmp_path: Path, repo_root: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tonghop.cli",
            "form",
            "--out",
            str(tmp_path / "x.xlsx"),
            "--province",
            "Kon Tum",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"TONGHOP_CONFIG": str(repo_root / "tests" / "data" / "no-config.toml"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "Quảng Ngãi" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_the_committed_template_matches_the_models(repo_root: Path) -> None:
    """schemas/bieu-mau.xlsx is regenerated with write_form(path) whenever a field or label changes."""
    fresh, _ = build_form(None, None)
    committed = load_workbook(repo_root / "schemas" / "bieu-mau.xlsx")

    def shape(wb: Any) -> tuple[dict[str, str], list[tuple[Any, ...]], int]:
        names = {n: d.attr_text for n, d in wb.defined_names.items()}
        labels = list(wb[FORM_SHEET].iter_rows(min_col=1, max_col=2, values_only=True))
        return names, labels, wb[LIST_SHEET].max_row

    assert shape(committed) == shape(fresh), "Chạy lại write_form(Path('schemas/bieu-mau.xlsx'))"
