"""`du-lieu.xlsx`: the round as tables the analysts filter in Excel — communes, items, intake.

Everything a commune wrote is stored as text. A cell that begins with `=`, `+`, `-` or `@` would be a
formula to Excel (or become one when an analyst edits it), so it is written as a string with Excel's quote
prefix: `=cmd|' /C calc'!A0` in a report stays a harmless piece of text. The file is written by
`xlsx_stream` (a national round has some 400,000 cells; see there why not cell by cell with openpyxl).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from schemas.report import (
    DOC_TYPE_LABELS_VI,
    INDICATOR_LABELS_VI,
    INDICATOR_NAMES,
    SECTION_LABELS_VI,
    STATUS_LABELS_VI,
    CommuneReport,
)
from schemas.summary import ProvincialSummary
from tonghop.render.dates import VN_TZ
from tonghop.render.nd30 import sort_units, vn_sort_key
from tonghop.render.report_context import CommuneRow, commune_rows
from tonghop.render.xlsx_stream import FORMULA_TRIGGERS, CellStyle, Sheet, is_formula_like, write_xlsx
from tonghop.settings import Settings
from tonghop.store.atomic import atomic_path

__all__ = ["FORMULA_TRIGGERS", "MISSING_STATUS", "is_formula_like", "render_workbook"]

MISSING_STATUS = "Chưa gửi báo cáo"
ORIGIN_LABELS = {"extracted": "Trích từ văn bản", "llm": "Do mô hình AI viết"}
_HEADER = CellStyle(bold=True, fill="DDEBF7", wrap="center")
_WRAP = CellStyle(wrap="top")
_MIN_WIDTH, _MAX_WIDTH = 8, 70


# Every character `str.splitlines` breaks at: text without one is a single line.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _width(value: Any) -> int:
    """Characters of the longest line of a cell's text."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if not _LINE_BREAKS.search(text):
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)


def _sheet(
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    wide: set[int],
    formats: dict[int, str] | None = None,
) -> Sheet:
    """Header row bold and frozen, filters on, column widths fitted to the content (long text wrapped)."""
    widths = [len(h) for h in headers]
    for c in range(len(headers)):
        # Each distinct value once: the items sheet repeats a statement for every paragraph that supports
        # it, and a set gathers a column in C where a loop over the 300,000 cells took twice as long.
        distinct = {values[c] for values in rows}
        widths[c] = max(widths[c], max((_width(v) for v in distinct), default=0))
    styles = {c: _WRAP for c in wide}
    for c, number_format in (formats or {}).items():
        styles[c] = styles.get(c, CellStyle())._replace(number_format=number_format)
    return Sheet(
        name=name,
        headers=headers,
        rows=rows,
        header_style=_HEADER,
        column_styles=styles,
        widths=[min(_MAX_WIDTH, max(_MIN_WIDTH, w + 2)) for w in widths],
    )


def _communes(
    reports: list[CommuneReport], summary: ProvincialSummary, communes: list[CommuneRow] | None = None
) -> Sheet:
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
    for row in commune_rows(reports, summary) if communes is None else communes:
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
    wide = {len(headers) - 3, len(headers) - 2, len(headers) - 1}
    return _sheet("communes", headers, rows, wide, formats={4 + len(INDICATOR_NAMES): "0.0%"})


def _items(summary: ProvincialSummary) -> Sheet:
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
    return _sheet("items", headers, rows, wide={1, 3, 9})


def _intake(reports: list[CommuneReport]) -> Sheet:
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
    return _sheet("intake", headers, rows, wide={3, 12}, formats={9: "dd/mm/yyyy", 10: "dd/mm/yyyy hh:mm"})


def render_workbook(
    path: Path,
    reports: list[CommuneReport],
    summary: ProvincialSummary,
    settings: Settings,
    *,
    communes: list[CommuneRow] | None = None,
) -> Path:
    """`communes`: `commune_rows(reports, summary)` when the caller already has them."""
    sheets = [_communes(reports, summary, communes), _items(summary), _intake(reports)]
    with atomic_path(path) as tmp:
        write_xlsx(tmp, sheets, creator="tonghop", title=f"Dữ liệu tổng hợp kỳ {summary.round}")
    return path
