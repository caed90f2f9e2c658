"""`du-lieu.xlsx`: the round as tables the analysts filter in Excel — communes, items, intake.

Everything a commune wrote is stored as text. A cell that begins with `=`, `+`, `-` or `@` would be a
formula to Excel (or become one when an analyst edits it), so it is written as a string with Excel's quote
prefix: `=cmd|' /C calc'!A0` in a report stays a harmless piece of text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from schemas.report import (
    DOC_TYPE_LABELS_VI,
    INDICATOR_LABELS_VI,
    INDICATOR_NAMES,
    SECTION_LABELS_VI,
    STATUS_LABELS_VI,
    CommuneReport,
)
from schemas.summary import ProvincialSummary
from tonghop.atomic import atomic_path
from tonghop.render.dates import VN_TZ
from tonghop.render.nd30 import sort_units, vn_sort_key
from tonghop.render.report_context import commune_rows
from tonghop.settings import Settings

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MISSING_STATUS = "Chưa gửi báo cáo"
ORIGIN_LABELS = {"extracted": "Trích từ văn bản", "llm": "Do mô hình AI viết"}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MIN_WIDTH, _MAX_WIDTH = 8, 70


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Writes one value; text never becomes a formula, characters Excel forbids are dropped."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        if is_formula_like(text):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value


def _sheet(ws: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]], wide: set[int]) -> None:
    """Header row bold and frozen, filters on, column widths fitted to the content (long text wrapped)."""
    widths = [len(h) for h in headers]
    for c, header in enumerate(headers, start=1):
        _put(ws, 1, c, header)
        ws.cell(row=1, column=c).font = _HEADER_FONT
        ws.cell(row=1, column=c).fill = _HEADER_FILL
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="center")
    r = 1
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
            if c - 1 in wide:
                ws.cell(row=r, column=c).alignment = _WRAP
            text = "" if value is None else str(value)
            widths[c - 1] = max(widths[c - 1], max((len(line) for line in text.splitlines()), default=0))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(_MAX_WIDTH, max(_MIN_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(r, 1)}"


def _communes(ws: Worksheet, reports: list[CommuneReport], summary: ProvincialSummary) -> None:
    headers = [
        "Mã đơn vị",
        "Xã, phường",
        "Tỉnh, thành phố",
        "Tình trạng",
        *(INDICATOR_LABELS_VI[n] for n in INDICATOR_NAMES),
        "Tỷ lệ CBCC sử dụng AI",
        "Tệp",
        "Cảnh báo",
        "Lý do",
    ]
    files: dict[int, list[CommuneReport]] = {}
    for r in reports:
        if r.unit is not None and r.unit.code is not None:
            files.setdefault(r.unit.code, []).append(r)
    rows: list[list[Any]] = []
    seen: set[int | None] = set()
    for row in commune_rows(reports, summary):
        if row.group:
            continue
        seen.add(row.code)
        own = files.get(row.code or -1, [])
        total, using = row.values.get("staff_total"), row.values.get("staff_using_ai")
        rows.append(
            [
                row.code,
                row.name,
                row.province or "",
                row.status,
                *(row.values.get(n) for n in INDICATOR_NAMES),
                round(using / total, 4) if total and using is not None else None,
                "\n".join(r.file for r in own),
                "\n".join(w.message for r in own for w in r.warnings),
                "\n".join(r.reason() for r in own if r.reason()),
            ]
        )
    for unit in sort_units(summary.coverage.missing):
        if unit.code in seen:
            continue
        blanks = [None] * (len(INDICATOR_NAMES) + 1)
        rows.append([unit.code, unit.name, unit.province or "", MISSING_STATUS, *blanks, "", "", ""])
    rows.sort(key=lambda v: (vn_sort_key(str(v[2])), vn_sort_key(str(v[1]))))
    _sheet(ws, headers, rows, wide={len(headers) - 3, len(headers) - 2, len(headers) - 1})
    rate_column = get_column_letter(5 + len(INDICATOR_NAMES))
    for cell in ws[rate_column][1:]:
        cell.number_format = "0.0%"


def _items(ws: Worksheet, summary: ProvincialSummary) -> None:
    headers = [
        "Mục",
        "Chủ đề",
        "Mã câu",
        "Nội dung",
        "Nguồn gốc",
        "Chưa kiểm chứng",
        "Xã, phường",
        "Tệp",
        "Vị trí",
        "Đoạn văn nguồn",
    ]
    rows: list[list[Any]] = []
    for section, themes in summary.sections.items():
        label = SECTION_LABELS_VI.get(section, section)
        for theme in themes:
            for sentence in theme.sentences:
                flag = (", ".join(sentence.unverified_numbers) or "Có") if sentence.unverified else ""
                base = [
                    label,
                    theme.title,
                    sentence.id,
                    sentence.text,
                    ORIGIN_LABELS.get(sentence.origin),
                    flag,
                ]
                if not sentence.citations:
                    rows.append([*base, "", "", "", ""])
                for citation in sentence.citations:
                    rows.append(
                        [*base, citation.unit_name, citation.file, citation.source.label(), citation.text]
                    )
    _sheet(ws, headers, rows, wide={1, 3, 9})


def _intake(ws: Worksheet, reports: list[CommuneReport]) -> None:
    headers = [
        "Tệp",
        "SHA-256",
        "Tình trạng",
        "Lý do",
        "Đơn vị",
        "Mã đơn vị",
        "Tỉnh, thành phố",
        "Loại văn bản",
        "Số, ký hiệu",
        "Ngày ban hành",
        "Thời điểm nhận (giờ Việt Nam)",
        "Dung lượng (byte)",
        "Cảnh báo",
    ]
    rows = [
        [
            r.file,
            r.sha256,
            STATUS_LABELS_VI.get(r.status.value, r.status.value),
            r.reason(),
            r.unit.name if r.unit else (r.unit_text or ""),
            r.unit.code if r.unit else None,
            r.unit.province if r.unit and r.unit.province else "",
            DOC_TYPE_LABELS_VI.get(r.doc_type.value, r.doc_type.value),
            r.number or "",
            r.issued_on,
            r.received_at.astimezone(VN_TZ).replace(tzinfo=None) if r.received_at else None,
            r.size,
            "\n".join(w.message for w in r.warnings),
        ]
        for r in sorted(reports, key=lambda r: r.file)
    ]
    _sheet(ws, headers, rows, wide={3, 12})
    for cell in ws["J"][1:]:
        cell.number_format = "dd/mm/yyyy"
    for cell in ws["K"][1:]:
        cell.number_format = "dd/mm/yyyy hh:mm"


def render_workbook(
    path: Path, reports: list[CommuneReport], summary: ProvincialSummary, settings: Settings
) -> Path:
    workbook = Workbook()
    communes = workbook.active
    assert communes is not None
    communes.title = "communes"
    _communes(communes, reports, summary)
    _items(workbook.create_sheet("items"), summary)
    _intake(workbook.create_sheet("intake"), reports)
    workbook.properties.creator = "tonghop"
    workbook.properties.title = f"Dữ liệu tổng hợp kỳ {summary.round}"
    with atomic_path(path) as tmp:
        workbook.save(str(tmp))
    return path
