"""du-lieu.xlsx: three filterable sheets, and nothing a commune wrote can become an Excel formula."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from render_fixtures import FORMULA, HOSTILE_CELLS, SCRIPT, make_reports, make_summary

from schemas.report import CommuneReport
from tonghop.render.view import Round
from tonghop.render.workbook import write_workbook


@pytest.fixture
def workbook_path(tmp_path: Path, make_settings: Callable[..., Any]) -> Path:
    reports = make_reports()
    # Every hostile form a commune could type, as a file name, a document number and a statement.
    first = next(r for r in reports if r.status.value == "accepted")
    copies = [
        first.model_copy(update={"file": f"{text}.docx", "sha256": f"{i:064d}", "number": text})
        for i, text in enumerate(HOSTILE_CELLS)
    ]
    reports = [*reports, *copies]
    summary = make_summary(reports)
    theme = summary.sections["proposals"][0]
    odd = theme.model_copy(
        update={
            "id": "proposals-9",
            "title": "-2",
            "sentences": [
                s.model_copy(update={"id": f"proposals-9-{i}", "text": text})
                for i, (s, text) in enumerate(zip([theme.sentences[0]] * 4, HOSTILE_CELLS, strict=True))
            ],
        }
    )
    summary.sections["proposals"].append(odd)
    return write_workbook(Round.build(make_settings(), reports, summary), tmp_path / "du-lieu.xlsx")


@pytest.fixture
def workbook(workbook_path: Path) -> Workbook:
    return load_workbook(workbook_path)


def _rows(workbook: Workbook, sheet: str) -> list[dict[str, Any]]:
    ws = workbook[sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip([str(h) for h in values[0]], row, strict=True)) for row in values[1:]]


def test_three_sheets_with_frozen_headers_filters_and_fitted_widths(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["communes", "items", "intake"]
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == ws.dimensions
        assert all(c.font.bold for c in ws[1])
        widths = [ws.column_dimensions[get_column_letter(i + 1)].width for i in range(ws.max_column)]
        assert all(8 <= w <= 70 for w in widths)
    assert workbook["intake"].column_dimensions["B"].width >= 64  # a whole SHA-256 is visible


def test_communes_sheet_has_one_row_per_commune_with_figures_and_status(workbook: Workbook) -> None:
    rows = {r["Xã, phường"]: r for r in _rows(workbook, "communes")}
    assert rows["Xã Diễn Châu"]["Tổng số cán bộ, công chức"] == 42
    assert rows["Xã Diễn Châu"]["Tình trạng"] == "Đã tiếp nhận"
    assert rows["Xã Nghĩa Đàn"]["Số CBCC sử dụng AI trong công việc"] is None
    assert rows["Xã Con Cuông"]["Tình trạng"] == "Bị từ chối, cần gửi lại"
    assert "Word cũ" in rows["Xã Con Cuông"]["Lý do"]
    assert rows["Xã Tân Kỳ"]["Tình trạng"] == "Chưa gửi báo cáo"
    assert rows["Xã Kim Liên"]["Cảnh báo"].endswith("không nêu số liệu.")
    assert rows["Phường Cửa Lò"]["Tỷ lệ CBCC sử dụng AI"] == pytest.approx(37 / 55, abs=1e-4)
    assert len(rows) == 11  # six accepted, one rejected, four missing


def test_items_sheet_has_a_row_per_statement_and_source(workbook: Workbook) -> None:
    rows = _rows(workbook, "items")
    tra_cuu = [r for r in rows if r["Mã câu"] == "results-2-1"]
    assert {r["Xã, phường"] for r in tra_cuu} == {"Xã Diễn Châu", "Xã Quỳnh Lưu"}
    assert all(r["Nội dung"] == f"Tra cứu văn bản pháp luật bằng trợ lý ảo {SCRIPT}" for r in tra_cuu)
    assert {r["Vị trí"] for r in tra_cuu} == {"đoạn 12", "đoạn 11"}
    unverified = next(r for r in rows if r["Mã câu"] == "results-3-3")
    assert unverified["Chưa kiểm chứng"] == "7, 120"
    assert unverified["Nguồn gốc"] == "Do mô hình AI viết"
    assert {r["Mục"] for r in rows} >= {"Kết quả đạt được", "Đề xuất, kiến nghị"}


def test_intake_sheet_lists_every_file(workbook: Workbook) -> None:
    rows = _rows(workbook, "intake")
    assert len(rows) == len(make_reports()) + len(HOSTILE_CELLS)
    assert [r["Tệp"] for r in rows] == sorted(r["Tệp"] for r in rows)
    hostile = next(r for r in rows if r["Tệp"] == f"{FORMULA}.docx")
    assert hostile["Đơn vị"] == SCRIPT
    assert hostile["Tình trạng"] == "Bị từ chối"


def test_formula_like_text_is_stored_as_text(workbook_path: Path, workbook: Workbook) -> None:
    found = {}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    if cell.value[0] in "=+-@":
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
                    found[cell.value] = ws.title
    assert set(HOSTILE_CELLS) <= set(found)
    assert {f"{t}.docx" for t in HOSTILE_CELLS} <= set(found)
    assert found["-2"] in ("items", "intake")
    with zipfile.ZipFile(workbook_path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name) and b"<f " not in package.read(name), name


def test_characters_excel_forbids_are_dropped(tmp_path: Path, make_settings: Callable[..., Any]) -> None:
    reports: list[CommuneReport] = make_reports()
    odd = reports[0].model_copy(update={"file": "bao\x01cao\x0b.docx"})
    odd_round = Round.build(make_settings(), [odd, *reports[1:]], make_summary(reports))
    path = write_workbook(odd_round, tmp_path / "x.xlsx")
    rows = _rows(load_workbook(path), "intake")
    assert "baocao.docx" in {r["Tệp"] for r in rows}
