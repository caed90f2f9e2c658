"""The consolidated report `bao-cao-tong-hop.docx` in the Decree 30/2020 format, from a Word template.

`templates/bao-cao-tong-hop.docx` holds the layout, the styles and the fixed sentences; this module only
supplies values. The draft (written by `tonghop run`) carries a `DỰ THẢO` mark and notes for the
analysts; the final report (`tonghop publish`) carries neither.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, RichText

from schemas.report import INDICATOR_NAMES, RATE_INDICATOR_NAMES
from schemas.summary import ProvincialSummary
from tonghop.render.dates import local_date, long_date, place_date, round_label
from tonghop.render.docx_template import open_template, render_template, template_path
from tonghop.render.nd30 import letterhead, province_names, vn_number, vn_percent
from tonghop.render.report_docx.chart import percent_bar_chart
from tonghop.render.report_docx.narrative import Block, ReportContent, build_content
from tonghop.render.view import NO_VALUE, ProvinceFilesRow, Round, format_value

TEMPLATE_NAME = "bao-cao-tong-hop.docx"
UNVERIFIED_STYLE = "ND30Unverified"
CHART_WIDTH_MM = 160
APPENDIX1_NOTES = {
    False: "Ghi chú: “—” là xã, phường không nêu số liệu; tỷ lệ tính trên tổng số CBCC của các xã, phường "
    "nêu cả hai số liệu.",
    True: "Ghi chú: mỗi số liệu là tổng của các xã, phường có báo cáo hợp lệ nêu số liệu đó; “—” là tỉnh, "
    "thành phố chưa có xã, phường nào nêu; tỷ lệ tính trên tổng số CBCC của các xã, phường nêu cả hai số "
    "liệu. Số liệu của từng xã, phường có trong trang “communes” của tệp du-lieu.xlsx kèm theo.",
}


@dataclass
class _TemplateBlock:
    """What the template's body loop reads: one flag per paragraph style, the runs, an optional image."""

    h1: bool
    h2: bool
    h3: bool
    bullet: bool
    figure: bool
    caption: bool
    note: bool
    rich: RichText
    image: InlineImage | str


def _rich(block: Block) -> RichText:
    rich = RichText()
    for text, unverified in block.runs:
        rich.add(text, style=UNVERIFIED_STYLE if unverified else None)
    return rich


def _template_block(template: DocxTemplate, block: Block, chart_png: bytes | None) -> _TemplateBlock:
    image: InlineImage | str = ""
    if block.kind == "figure" and chart_png:
        image = InlineImage(template, io.BytesIO(chart_png), width=Mm(CHART_WIDTH_MM))
    kinds = ("h1", "h2", "h3", "bullet", "figure", "caption", "note")
    flags = {k: block.kind == k for k in kinds}
    return _TemplateBlock(**flags, rich=_rich(block), image=image)


# The template's appendix columns, one per indicator in the table's order (`templates/build_templates.py`).
VALUE_KEYS = tuple(f"v{i + 1}" for i in range(len(INDICATOR_NAMES)))


def _values(values: dict[str, int | None]) -> dict[str, str]:
    return {
        key: format_value(values.get(name)) for key, name in zip(VALUE_KEYS, INDICATOR_NAMES, strict=True)
    }


def report_date(summary: ProvincialSummary, issued_on: dt.date | None) -> dt.date:
    return issued_on or local_date(summary.generated_at)


def period_and_title(summary: ProvincialSummary, area: str) -> tuple[str, str]:
    period = round_label(summary.round)
    return period, f"Kết quả ứng dụng trí tuệ nhân tạo tại các xã, phường {area} {period}"


def template_context(
    template: DocxTemplate, round: Round, *, draft: bool
) -> tuple[dict[str, Any], ReportContent]:
    """What the Word template is filled with, and the content it was made from (for tests and callers)."""
    summary, settings = round.summary, round.settings
    head = letterhead(settings, summary.province, symbol=settings.report.number_symbol)
    national = round.scope.national
    if summary.province is not None:
        names = province_names(summary.province)
        area = f"trên địa bàn {names.kind} {names.name}"
        area_word = f"trên địa bàn {names.kind}"
    else:
        area, area_word = "trên phạm vi cả nước", "trong phạm vi tổng hợp"
    content = build_content(round, draft=draft, area_word=area_word)
    chart_png = percent_bar_chart(content.chart) if len(content.chart) >= 2 else None
    date = report_date(summary, settings.report.issued_on)
    # The province name must not break across lines in the title ("Nghệ / An").
    title_area = area if national else area.replace(f" {names.name}", " " + names.name.replace(" ", "\u00a0"))
    period, title = period_and_title(summary, title_area)
    rates = dict.fromkeys(VALUE_KEYS, "")
    for key, name in zip(VALUE_KEYS, INDICATOR_NAMES, strict=True):
        if name in RATE_INDICATOR_NAMES:
            rates[key] = (
                vn_percent(content.rates.get(name)) if content.rates.get(name) is not None else NO_VALUE
            )
    # Namespaces, not dicts: the template reads `row.v1`, and Jinja tries an attribute before a key.
    appendix1 = [
        SimpleNamespace(group=row.group, stt=row.stt, name=row.name, status=row.status, **_values(row.values))
        for row in content.communes
    ]
    context: dict[str, Any] = {
        "draft_mark": "DỰ THẢO" if draft else "",
        "parent_body": head.parent_body,
        "issuing_body": head.issuing_body,
        "issuing_body_name": head.issuing_body_name,
        "number": head.number,
        "symbol": head.symbol,
        "place_date": place_date(head.place, date),
        "date_long": long_date(date),
        "summary_line": title,
        "recipient": head.recipient,
        "basis": settings.report.request_reference.strip() or f"chỉ đạo của {head.recipient}",
        "period": period,
        "area": area,
        "notes": content.notes,
        "body": [_template_block(template, b, chart_png) for b in _with_notes(content)],
        "signer_authority": head.signer_authority,
        "signer_title": head.signer_title,
        "signer_name": head.signer_name,
        "recipients": head.recipients,
        "national": national,
        "appendix1_title": "SỐ LIỆU ỨNG DỤNG TRÍ TUỆ NHÂN TẠO "
        + ("THEO TỈNH, THÀNH PHỐ" if national else "CỦA CÁC XÃ, PHƯỜNG"),
        "appendix1_unit": "Tỉnh, thành phố" if national else "Xã, phường",
        "appendix1_note": APPENDIX1_NOTES[national],
        "appendix1": appendix1,
        "total": {**_values(content.totals), "status": f"{vn_number(content.accepted_units)} hợp lệ"},
        "rates": rates,
        "appendix2": _province_files(content.province_files) if national else content.files,
        "files_total": {
            c: vn_number(sum(getattr(r, c) for r in content.province_files)) for c in ProvinceFilesRow.COLUMNS
        },
    }
    return context, content


def _province_files(rows: list[ProvinceFilesRow]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            stt=r.stt, province=r.province, **{c: vn_number(getattr(r, c)) for c in ProvinceFilesRow.COLUMNS}
        )
        for r in rows
    ]


def _with_notes(content: ReportContent) -> list[Block]:
    """Draft notes open the body, in italics, so nobody signs a draft by mistake."""
    return [Block("note", [(note, False)]) for note in content.notes] + content.body


def write_report_docx(round: Round, dest: Path, *, draft: bool = True) -> Path:
    """The draft (`tonghop run`) or, with `draft=False`, the final report (`tonghop publish`)."""
    template = open_template(template_path(round.settings, TEMPLATE_NAME))
    context, _ = template_context(template, round, draft=draft)
    return render_template(template, context, dest, name=TEMPLATE_NAME)
