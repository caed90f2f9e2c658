"""The streaming .xlsx writer: what openpyxl reads back is what was written, typed and styled."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tonghop.render.xlsx_stream import CellStyle, Sheet, write_xlsx


def test_values_come_back_with_their_types_formats_and_exact_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    rows: list[list[Any]] = [
        [1, 2.5, True, dt.date(2026, 6, 2), dt.datetime(2026, 6, 2, 14, 30), "a\r\nb"],
        [None, None, False, None, dt.datetime(2026, 1, 1), "  lề trái & <phải> "],
        [-3, float("nan"), None, dt.date(1999, 12, 31), None, "#N/A"],
    ]
    sheet = Sheet(
        name="bảng",
        headers=["Số", "Thực", "Đúng", "Ngày", "Lúc", "Chữ"],
        rows=rows,
        header_style=CellStyle(bold=True, fill="DDEBF7", wrap="center"),
        column_styles={3: CellStyle(number_format="dd/mm/yyyy"), 5: CellStyle(wrap="top")},
        widths=[10, 10, 10, 12, 20, 30],
    )
    write_xlsx(path, [sheet], creator="tonghop", title="Thử")
    workbook = load_workbook(path)
    ws = workbook["bảng"]
    assert [c.value for c in ws[1]] == ["Số", "Thực", "Đúng", "Ngày", "Lúc", "Chữ"]
    assert all(c.font.bold and c.fill.fgColor.rgb == "00DDEBF7" for c in ws[1])
    assert ws["A2"].value == 1 and ws["B2"].value == 2.5 and ws["C2"].value is True
    assert ws["D2"].value == dt.datetime(2026, 6, 2) and ws["D2"].number_format == "dd/mm/yyyy"
    assert ws["E2"].value == dt.datetime(2026, 6, 2, 14, 30)
    assert ws["E2"].number_format == "yyyy-mm-dd h:mm:ss"  # a date without a column format gets one
    assert ws["F2"].value == "a\r\nb"  # the carriage return survives the XML round trip
    assert ws["F3"].value == "  lề trái & <phải> "
    assert ws["F4"].value == "#N/A" and ws["F4"].data_type == "s"  # text, not an Excel error cell
    assert ws["B4"].value is None  # NaN has no Excel value
    assert ws["D3"].number_format == "dd/mm/yyyy"  # a blank cell keeps its column's format
    assert ws["F3"].alignment.wrap_text and ws["F3"].alignment.vertical == "top"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions == "A1:F4"
    assert ws.column_dimensions["E"].width == 20
    assert workbook.properties.title == "Thử" and workbook.properties.creator == "tonghop"
    with zipfile.ZipFile(path) as package:
        assert package.namelist()[0] == "[Content_Types].xml"


def test_formula_text_gets_the_quote_prefix_and_forbidden_characters_go(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    sheet = Sheet(name="s", headers=["A"], rows=[["=1+1"], ["x\x01y"], ["\x02=SUM(A1)"], ["-"], ["ok"]])
    write_xlsx(path, [sheet])
    ws = load_workbook(path)["s"]
    values = [(c.value, c.data_type, c.quotePrefix) for c in ws["A"][1:]]
    assert values == [
        ("=1+1", "s", True),
        ("xy", "s", False),
        ("=SUM(A1)", "s", True),  # a formula hidden behind a control character is still caught
        ("-", "s", True),
        ("ok", "s", False),
    ]
    with zipfile.ZipFile(path) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")


def test_text_repeated_down_a_column_keeps_each_rows_cell_and_each_columns_style(tmp_path: Path) -> None:
    """Cells are remembered by text per column: the repeats must land in their own rows, styled by their
    own column (the same text is wrapped in one column and plain in the other)."""
    path = tmp_path / "t.xlsx"
    rows = [["=HYPERLINK(1)", "Tập huấn AI", i, "Tập huấn AI"] for i in range(1, 40)]
    sheet = Sheet(
        name="s",
        headers=["Công thức", "Nội dung", "Số", "Ghi chú"],
        rows=rows,
        column_styles={1: CellStyle(wrap="top")},
    )
    write_xlsx(path, [sheet])
    ws = load_workbook(path)["s"]
    assert ws.max_row == 40
    for row in range(2, 41):
        assert (ws.cell(row, 1).value, ws.cell(row, 1).quotePrefix) == ("=HYPERLINK(1)", True)
        assert ws.cell(row, 3).value == row - 1
        assert ws.cell(row, 2).alignment.wrap_text and not ws.cell(row, 4).alignment.wrap_text
        assert ws.cell(row, 2).value == ws.cell(row, 4).value == "Tập huấn AI"


def test_a_column_of_whole_numbers_and_booleans_keeps_each_cells_type(tmp_path: Path) -> None:
    """Whole numbers are remembered per column too; True == 1 and False == 0 in Python, yet a boolean
    cell must stay a boolean and a number a number, whichever came first."""
    path = tmp_path / "t.xlsx"
    column: list[Any] = [True, 1, 1, False, 0, None, 0, True, 2.5, None]
    sheet = Sheet(name="s", headers=["Giá trị"], rows=[[v] for v in column])
    write_xlsx(path, [sheet])
    cells = load_workbook(path)["s"]["A"][1:]
    assert [(c.value, type(c.value).__name__) for c in cells] == [
        (True, "bool"),
        (1, "int"),
        (1, "int"),
        (False, "bool"),
        (0, "int"),
        (None, "NoneType"),
        (0, "int"),
        (True, "bool"),
        (2.5, "float"),
    ]
