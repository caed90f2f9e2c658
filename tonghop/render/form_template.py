"""The Excel form for communes that would rather fill in figures than write a report.

Generated from the same declarations as everything else (`INDICATORS`, `Sections` fields and the labels of
`schemas/report.py`), so a new indicator appears in the form, the reader and the outputs at once. Every
input cell carries an Excel defined name equal to its schema field (`unit_code`, `staff_total`, …; each
section a named range of its rows), which is what the reader looks for, so another tool can fill the form
by name and the layout may change without breaking filled forms. The unit is chosen from a list of the
province's communes (`Xã Diễn Châu (17464)`) kept on a hidden sheet; a typed code or name is accepted too.

`schemas/bieu-mau.xlsx` is the national template (every commune, no period), for systems that fill the
form by name; regenerate it with `write_form(Path("schemas/bieu-mau.xlsx"))` when a model changes (a test
compares it with the models).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from schemas.report import FIELD_LABELS_VI, INDICATORS, SECTION_LABELS_VI, Sections
from tonghop.store.atomic import write_bytes
from tonghop.units.roster import Commune, load_roster

FORM_SHEET = "Biểu mẫu"
LIST_SHEET = "Danh mục"
HELP_SHEET = "Hướng dẫn"
FORM_VERSION = "1"
# Rows offered per section; a clerk may insert more inside a section (Excel extends its named range).
SECTION_ROWS: dict[str, int] = {"results": 8, "difficulties": 5, "causes": 4, "directions": 5, "proposals": 4}

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)
_HINT = Font(name="Times New Roman", italic=True, size=11, color="666666")
_WRAP = Alignment(wrap_text=True, vertical="top")

HELP_LINES = (
    "Cách điền biểu mẫu báo cáo ứng dụng trí tuệ nhân tạo (AI)",
    "1. Chỉ điền vào các ô màu vàng ở trang “Biểu mẫu”; không đổi tên trang, không xoá dòng, không gộp ô.",
    "2. Đơn vị: chọn xã, phường, đặc khu trong danh sách (mũi tên bên phải ô), hoặc ghi mã đơn vị.",
    "3. Số liệu: ghi số nguyên từ 0 trở lên (ví dụ 36), không ghi chữ; để trống nếu không có số liệu.",
    "4. Nội dung: mỗi ô một ý, viết thành câu hoàn chỉnh; cần thêm dòng thì chèn dòng ngay trong mục đó.",
    "5. Không ghi dữ liệu cá nhân hay thông tin mật vào biểu mẫu.",
    "6. Lưu tệp dạng .xlsx và gửi cho Sở Khoa học và Công nghệ như văn bản báo cáo.",
)


@dataclass(frozen=True)
class FormInfo:
    communes: int
    province: str | None


def unit_choice(commune: Commune, *, with_province: bool) -> str:
    """The dropdown entry for a commune; the trailing code is what the reader resolves."""
    where = f", {commune.province.name}" if with_province else ""
    return f"{commune.name}{where} ({commune.code})"


def _absolute(cell: str) -> str:
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdigit())
    return f"${letters}${digits}"


def _name(wb: Workbook, name: str, sheet: str, first: str, last: str | None = None) -> None:
    ref = _absolute(first) + (f":{_absolute(last)}" if last else "")
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _label_row(ws: Worksheet, row: int, number: str, label: str, hint: str | None = None) -> None:
    ws.cell(row, 1, number).font = _PLAIN
    ws.cell(row, 2, label).font = _PLAIN
    ws.cell(row, 2).alignment = _WRAP
    if hint:
        ws.cell(row, 2).value = f"{label}\n{hint}"
    for column in (1, 2):
        ws.cell(row, column).border = _BOX


def _input(ws: Worksheet, row: int, value: str | None = None) -> str:
    cell = ws.cell(row, 3, value)
    cell.fill = _INPUT_FILL
    cell.border = _BOX
    cell.font = _PLAIN
    cell.alignment = _WRAP
    return cell.coordinate


def _heading(ws: Worksheet, row: int, number: str, text: str, right: str = "") -> None:
    for column, value in ((1, number), (2, text), (3, right)):
        cell = ws.cell(row, column, value)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX


def _list_sheet(wb: Workbook, communes: list[Commune], province: str | None) -> str:
    ws = wb.create_sheet(LIST_SHEET)
    national = province is None
    for i, commune in enumerate(communes, start=1):
        ws.cell(i, 1, unit_choice(commune, with_province=national))
    ws.cell(1, 2, province or "")
    ws.cell(2, 2, FORM_VERSION)
    ws.sheet_state = "hidden"
    _name(wb, "danh_sach_don_vi", LIST_SHEET, "A1", f"A{max(1, len(communes))}")
    _name(wb, "form_province", LIST_SHEET, "B1")
    _name(wb, "form_version", LIST_SHEET, "B2")
    return "danh_sach_don_vi"


def _help_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ws.column_dimensions["A"].width = 110
    for i, line in enumerate(HELP_LINES, start=1):
        cell = ws.cell(i, 1, line)
        cell.font = _BOLD if i == 1 else _PLAIN
        cell.alignment = _WRAP


def build_form(province: str | None = None, round_name: str | None = None) -> tuple[Workbook, FormInfo]:
    """The form for one province (its communes in the list) or, with None, for the whole country."""
    roster = load_roster()
    official = roster.province_name(province)
    communes = roster.commune_units(official)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = FORM_SHEET
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 90
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    title = "BIỂU MẪU BÁO CÁO KẾT QUẢ ỨNG DỤNG TRÍ TUỆ NHÂN TẠO (AI) CẤP XÃ"
    ws.merge_cells("A1:C1")
    ws["A1"] = title + (f" – {official.upper()}" if official else "")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 36

    list_name = _list_sheet(wb, communes, official)
    _heading(ws, 2, "I", "THÔNG TIN CHUNG")
    general = (
        ("unit_code", "Chọn trong danh sách hoặc ghi mã đơn vị", None),
        ("period", "Ví dụ 2026-H1 (6 tháng đầu năm), 2026-Q2, 2026", round_name),
        ("issued_on", "Ngày/tháng/năm", None),
    )
    row = 3
    for i, (field, hint, value) in enumerate(general, start=1):
        _label_row(ws, row, str(i), FIELD_LABELS_VI[field], hint)
        _name(wb, field, FORM_SHEET, _input(ws, row, value))
        ws.row_dimensions[row].height = 32
        row += 1
    ws["C5"].number_format = "DD/MM/YYYY"

    unit_list = DataValidation(
        type="list",
        formula1=list_name,
        allow_blank=False,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Đơn vị không có trong danh sách",
        error="Hãy chọn xã, phường trong danh sách. Nếu đã ghi đúng mã đơn vị, chọn Yes để giữ.",
        promptTitle="Đơn vị",
        prompt="Chọn xã, phường, đặc khu gửi báo cáo.",
    )
    unit_list.add("C3")
    date_rule = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2020,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ngày không hợp lệ",
        error="Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2026.",
    )
    date_rule.add("C5")
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Ghi số nguyên từ 0 trở lên, ví dụ 36.",
    )

    _heading(ws, row, "II", "SỐ LIỆU", "Số lượng")
    row += 1
    for i, spec in enumerate(INDICATORS, start=1):
        _label_row(ws, row, str(i), spec.label_vi)
        coordinate = _input(ws, row)
        ws[coordinate].alignment = Alignment(horizontal="right")
        ws[coordinate].number_format = "0"
        whole.add(coordinate)
        _name(wb, spec.name, FORM_SHEET, coordinate)
        row += 1

    _heading(ws, row, "III", "NỘI DUNG BÁO CÁO", "Mỗi ô một ý, viết thành câu")
    row += 1
    for i, section in enumerate(Sections.model_fields, start=1):
        ws.cell(row, 1, str(i)).font = _BOLD
        ws.cell(row, 2, SECTION_LABELS_VI[section]).font = _BOLD
        row += 1
        first = row
        for k in range(1, SECTION_ROWS[section] + 1):
            ws.cell(row, 2, f"Ý {k}").font = _HINT
            _input(ws, row)
            ws.row_dimensions[row].height = 45
            row += 1
        _name(wb, section, FORM_SHEET, f"C{first}", f"C{row - 1}")

    _heading(ws, row, "IV", "NGƯỜI KÝ BÁO CÁO")
    row += 1
    for i, field in enumerate(("signer_name", "signer_title"), start=1):
        _label_row(ws, row, str(i), FIELD_LABELS_VI[field])
        _name(wb, field, FORM_SHEET, _input(ws, row))
        row += 1

    for rule in (unit_list, date_rule, whole):
        ws.add_data_validation(rule)
    _help_sheet(wb)
    wb.properties.title = title
    wb.properties.creator = "tonghop"
    return wb, FormInfo(communes=len(communes), province=official)


def form_bytes(province: str | None = None, round_name: str | None = None) -> tuple[bytes, FormInfo]:
    wb, info = build_form(province, round_name)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), info


def write_form(target: Path, province: str | None = None, round_name: str | None = None) -> FormInfo:
    """Writes the form atomically (a half-written .xlsx never reaches a clerk)."""
    data, info = form_bytes(province, round_name)
    write_bytes(target, data)
    target.chmod(0o644)  # a form is meant to be shared, unlike the private temporary file it came from
    return info
