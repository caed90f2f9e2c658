"""Builds the Word templates the Sở can restyle: `bao-cao-tong-hop.docx` and `cong-van-don-doc.docx`.

Run `python templates/build_templates.py` after changing this script; the generated templates are committed.
A Sở that only wants another look (font size, spacing, indents, wording of the fixed sentences) edits the
.docx in Word instead: every paragraph carries a named `ND30 …` style, and the `{{ … }}` / `{%p … %}` tags
are docxtpl (Jinja2) placeholders that must stay as they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tonghop.render import nd30  # noqa: E402
from tonghop.render.report_docx.document import VALUE_KEYS  # noqa: E402
from tonghop.render.view import ProvinceFilesRow  # noqa: E402

HERE = Path(__file__).resolve().parent
REPORT_TEMPLATE = HERE / "bao-cao-tong-hop.docx"
LETTER_TEMPLATE = HERE / "cong-van-don-doc.docx"

TEXT_WIDTH_CM = (nd30.PAGE_WIDTH_MM - nd30.MARGIN_LEFT_MM - nd30.MARGIN_RIGHT_MM) / 10
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


# --- styles --------------------------------------------------------------------------------------------


def _fonts(rpr_parent: object) -> None:
    """Times New Roman on all four slots of a style's run properties."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        rfonts.attrib.pop(qn(f"w:{slot}"), None)
    for slot in nd30.FONT_SLOTS:
        rfonts.set(qn(f"w:{slot}"), nd30.FONT)


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: int = JUSTIFY,
    first_line_cm: float | None = None,
    before: float = 0,
    after: float = 0,
    line: float = 1.0,
    keep_next: bool = False,
    page_break_before: bool = False,
    outline: int | None = None,
    left_cm: float | None = None,
    right_cm: float | None = None,
) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(first_line_cm) if first_line_cm is not None else Cm(0)
    fmt.left_indent = Cm(left_cm) if left_cm is not None else Cm(0)
    fmt.right_indent = Cm(right_cm) if right_cm is not None else Cm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    fmt.keep_with_next = keep_next
    fmt.page_break_before = page_break_before
    fmt.widow_control = True
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)


def _rule_style(doc: DocxDocument, name: str, length_cm: float, cell_cm: float) -> None:
    """An empty paragraph whose bottom border is a short centred line: the decree's line under a heading.

    The paragraph is one 4 pt line high, so the line sits a little below the text above it, never on it.
    """
    indent = max(0.0, (cell_cm - 2 * nd30.CELL_MARGIN_CM - length_cm) / 2)
    _paragraph_style(doc, name, size=2, align=CENTER, left_cm=indent, right_cm=indent)
    style = doc.styles[name]
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = Pt(4)
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    # pBdr must come before spacing/ind/jc in pPr.
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)


def setup_styles(doc: DocxDocument) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        rfonts.attrib.pop(qn(f"w:{slot}"), None)
    for slot in nd30.FONT_SLOTS:
        rfonts.set(qn(f"w:{slot}"), nd30.FONT)
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), "28")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.name = nd30.FONT
    _fonts(normal.element)

    body = {"first_line_cm": 1.27, "after": 6, "line": 1.15}
    _paragraph_style(doc, "ND30 Body", **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Bullet", **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Note", italic=True, **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Closing", keep_next=True, **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Heading 1", bold=True, keep_next=True, outline=0, **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Heading 2", bold=True, keep_next=True, outline=1, **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Heading 3", keep_next=True, **body)  # type: ignore[arg-type]
    _paragraph_style(doc, "ND30 Figure", align=CENTER, before=6, after=0, keep_next=True)
    _paragraph_style(doc, "ND30 Caption", size=13, italic=True, align=CENTER, after=6, line=1.0)

    _paragraph_style(doc, "ND30 Parent Body", size=12, align=CENTER)
    _paragraph_style(doc, "ND30 Issuing Body", size=12, bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 National Title", size=12, bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Motto", size=13, bold=True, align=CENTER)
    _rule_style(doc, "ND30 Short Rule", nd30.SHORT_RULE_CM, nd30.HEADER_LEFT_CM)
    _rule_style(doc, "ND30 Motto Rule", nd30.MOTTO_RULE_CM, nd30.HEADER_RIGHT_CM)
    _rule_style(doc, "ND30 Title Rule", nd30.TITLE_RULE_CM, TEXT_WIDTH_CM + 2 * nd30.CELL_MARGIN_CM)
    _paragraph_style(doc, "ND30 Number", size=13, align=CENTER, before=6)
    _paragraph_style(doc, "ND30 Subject", size=12, align=CENTER)
    _paragraph_style(doc, "ND30 Place Date", size=14, italic=True, align=CENTER, before=6)
    _paragraph_style(doc, "ND30 Draft Mark", size=13, bold=True, align=LEFT)
    _paragraph_style(doc, "ND30 Page Number", size=14, align=CENTER)

    _paragraph_style(doc, "ND30 Doc Type", size=14, bold=True, align=CENTER, before=18)
    _paragraph_style(doc, "ND30 Summary Line", size=14, bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Recipient", size=14, align=CENTER, before=6, after=12)
    _paragraph_style(doc, "ND30 Recipient Label", size=14, align=CENTER, before=6)
    _paragraph_style(doc, "ND30 Recipient Item", size=14, align=LEFT, left_cm=4.0)
    _paragraph_style(doc, "ND30 Recipient Last", size=14, align=LEFT, left_cm=4.0, after=12)

    _paragraph_style(doc, "ND30 Recipients Title", size=12, bold=True, italic=True, align=LEFT, before=12)
    _paragraph_style(doc, "ND30 Recipients", size=11, align=LEFT)
    _paragraph_style(doc, "ND30 Signer Authority", size=14, bold=True, align=CENTER, before=12)
    _paragraph_style(doc, "ND30 Signer Title", size=14, bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Signer Name", size=14, bold=True, align=CENTER, before=72)

    _paragraph_style(doc, "ND30 Appendix Number", size=14, bold=True, align=CENTER, page_break_before=True)
    _paragraph_style(doc, "ND30 Appendix Title", size=14, bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Appendix Note", size=14, italic=True, align=CENTER, after=12)
    _paragraph_style(doc, "ND30 Table Head", size=11, bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Table Text", size=11, align=LEFT)
    _paragraph_style(doc, "ND30 Table Number", size=11, align=RIGHT)
    _paragraph_style(doc, "ND30 Table Center", size=11, align=CENTER)

    unverified = doc.styles.add_style("ND30 Unverified", WD_STYLE_TYPE.CHARACTER)
    unverified.quick_style = True
    rpr = unverified.element.get_or_add_rPr()
    _fonts(unverified.element)
    highlight = OxmlElement("w:highlight")
    highlight.set(qn("w:val"), "yellow")
    rpr.append(highlight)
    # LibreOffice ignores highlighting in character styles; the same yellow as shading shows everywhere.
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", "FFFF00")):
        shading.set(qn(f"w:{key}"), value)
    rpr.append(shading)


# --- page ----------------------------------------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (`PAGE`): begin, instruction, separate, cached result, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, placeholder)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text or ""
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def setup_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(nd30.PAGE_WIDTH_MM)
    section.page_height = Mm(nd30.PAGE_HEIGHT_MM)
    section.top_margin = Mm(nd30.MARGIN_TOP_MM)
    section.bottom_margin = Mm(nd30.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(nd30.MARGIN_LEFT_MM)
    section.right_margin = Mm(nd30.MARGIN_RIGHT_MM)
    section.header_distance = Mm(nd30.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(nd30.HEADER_DISTANCE_MM)
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    number = header.paragraphs[0]
    number.style = doc.styles["ND30 Page Number"]
    _field(number, "PAGE", "2")
    first = section.first_page_header
    first.is_linked_to_previous = False
    mark = first.paragraphs[0]
    mark.style = doc.styles["ND30 Draft Mark"]
    mark.add_run("{{ draft_mark }}")


# --- tables --------------------------------------------------------------------------------------------


TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)


def _put(tbl_pr: etree._Element, element: etree._Element) -> None:
    """Inserts a table property where the schema wants it (Word rejects out-of-order children)."""
    name = str(element.tag).split("}")[1]
    for existing in tbl_pr.findall(qn(f"w:{name}")):
        tbl_pr.remove(existing)
    rank = TBLPR_ORDER.index(name)
    for i, child in enumerate(tbl_pr):
        tag = str(child.tag).split("}")[1]
        if tag in TBLPR_ORDER and TBLPR_ORDER.index(tag) > rank:
            tbl_pr.insert(i, element)
            return
    tbl_pr.append(element)


def _table_properties(table: Table, *, borders: bool, width_cm: float) -> None:
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(width_cm / 2.54 * 1440)))
    width.set(qn("w:type"), "dxa")
    _put(tbl_pr, width)
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        edges.append(element)
    _put(tbl_pr, edges)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _put(tbl_pr, layout)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(nd30.CELL_MARGIN_CM / 2.54 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _put(tbl_pr, margins)


def _table(doc: DocxDocument, rows: int, widths_cm: list[float], *, borders: bool) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_properties(table, borders=borders, width_cm=sum(widths_cm))
    for i, cm in enumerate(widths_cm):
        table.columns[i].width = Cm(cm)
        for cell in table.columns[i].cells:
            cell.width = Cm(cm)
    return table


def _cell(cell: _Cell, lines: list[tuple[str, str]]) -> None:
    """Fills a cell with (text, style) paragraphs; the first reuses the cell's empty paragraph."""
    first = True
    for text, style in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.style = style  # resolved by name against the document's styles
        if text:
            paragraph.add_run(text)


def header_table(doc: DocxDocument, *, subject: bool) -> Table:
    """The decree's 2×2 borderless letterhead: bodies | national title, number | place and date."""
    table = _table(doc, 2, [nd30.HEADER_LEFT_CM, nd30.HEADER_RIGHT_CM], borders=False)
    _cell(
        table.cell(0, 0),
        [
            ("{{ parent_body }}", "ND30 Parent Body"),
            ("{{ issuing_body }}", "ND30 Issuing Body"),
            ("", "ND30 Short Rule"),
        ],
    )
    _cell(
        table.cell(0, 1),
        [(nd30.NATIONAL_TITLE, "ND30 National Title"), (nd30.MOTTO, "ND30 Motto"), ("", "ND30 Motto Rule")],
    )
    left = [("Số: {{ number }}/{{ symbol }}", "ND30 Number")]
    if subject:
        left.append(("V/v {{ subject }}", "ND30 Subject"))
    _cell(table.cell(1, 0), left)
    _cell(table.cell(1, 1), [("{{ place_date }}", "ND30 Place Date")])
    return table


def signature_table(doc: DocxDocument) -> Table:
    table = _table(doc, 1, [nd30.HEADER_LEFT_CM + 0.4, nd30.HEADER_RIGHT_CM - 0.4], borders=False)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # the block stays on one page
    _cell(
        table.cell(0, 0),
        [
            ("Nơi nhận:", "ND30 Recipients Title"),
            ("{%p for line in recipients %}", "ND30 Recipients"),
            ("{{ line }}", "ND30 Recipients"),
            ("{%p endfor %}", "ND30 Recipients"),
        ],
    )
    _cell(
        table.cell(0, 1),
        [
            ("{{ signer_authority }}", "ND30 Signer Authority"),
            ("{{ signer_title }}", "ND30 Signer Title"),
            ("{{ signer_name }}", "ND30 Signer Name"),
        ],
    )
    return table


def _header_row(table: Table, titles: list[str]) -> None:
    row = table.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    tr_pr.append(repeat)
    for cell, title in zip(row.cells, titles, strict=True):
        _cell(cell, [(title, "ND30 Table Head")])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _tag_row(table: Table, index: int, tag: str) -> None:
    _cell(table.rows[index].cells[0], [(tag, "ND30 Table Text")])


def _data_row(table: Table, index: int, cells: list[tuple[str, str]]) -> None:
    for cell, (text, style) in zip(table.rows[index].cells, cells, strict=True):
        _cell(cell, [(text, style)])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _bold_rows(table: Table, *indices: int) -> None:
    """Totals and rates rows: bold whatever their cells' styles say."""
    for index in indices:
        for cell in table.rows[index].cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True


def _merged_row(table: Table, index: int, text: str, style: str) -> None:
    row = table.rows[index]
    merged = row.cells[0].merge(row.cells[len(row.cells) - 1])
    _cell(merged, [(text, style)])


def appendix_heading(doc: DocxDocument, number: str, title: str, note: str) -> None:
    doc.add_paragraph(number, style="ND30 Appendix Number")
    doc.add_paragraph(title, style="ND30 Appendix Title")
    doc.add_paragraph(note, style="ND30 Appendix Note")


# --- the two documents ---------------------------------------------------------------------------------


def _base() -> DocxDocument:
    doc = docx.Document()
    for paragraph in list(doc.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    setup_styles(doc)
    setup_page(doc)
    core = doc.core_properties
    core.author = "tonghop"
    core.title = "{{ summary_line }}"
    core.comments = ""
    return doc


def _preserve_spaces(doc: DocxDocument) -> None:
    """`Số:      /BC-SKHCN` keeps its blank: every text node preserves its spaces."""
    for part in [
        doc.part,
        *(s.header.part for s in doc.sections),
        *(s.first_page_header.part for s in doc.sections),
    ]:
        for t in part.element.iter(qn("w:t")):
            t.set(qn("xml:space"), "preserve")


BODY_LOOP = [
    ("{%p for b in body %}", "ND30 Body"),
    ("{%p if b.h1 %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Heading 1"),
    ("{%p elif b.h2 %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Heading 2"),
    ("{%p elif b.h3 %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Heading 3"),
    ("{%p elif b.bullet %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Bullet"),
    ("{%p elif b.figure %}", "ND30 Body"),
    ("{{ b.image }}", "ND30 Figure"),
    ("{%p elif b.caption %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Caption"),
    ("{%p elif b.note %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Note"),
    ("{%p else %}", "ND30 Body"),
    ("{{r b.rich }}", "ND30 Body"),
    ("{%p endif %}", "ND30 Body"),
    ("{%p endfor %}", "ND30 Body"),
]

APPENDIX1_WIDTHS = [1.0, 3.6, 1.5, 1.5, 1.5, 1.5, 1.4, 1.4, 2.6]
APPENDIX1_HEAD = [
    "STT",
    "{{ appendix1_unit }}",
    "Tổng số CBCC",
    "Được tiếp cận AI",
    "Được tập huấn",
    "Sử dụng AI",
    "Tài khoản AI",
    "Lớp tập huấn",
    "Tình trạng",
]
APPENDIX2_WIDTHS = [1.0, 4.0, 3.0, 2.0, 2.2, 3.8]
APPENDIX2_HEAD = ["STT", "Tệp", "Đơn vị", "Loại văn bản", "Tình trạng", "Lý do"]
# A national report counts the files of each province; the list of every file is in the workbook.
NATIONAL_APPENDIX2_WIDTHS = [1.0, 4.0, 2.2, 2.0, 2.0, 2.6, 2.2]
NATIONAL_APPENDIX2_HEAD = [
    "STT",
    "Tỉnh, thành phố",
    "Văn bản đã nhận",
    "Hợp lệ",
    "Bị từ chối",
    "Trùng lặp, đã thay thế",
    "Ngoài phạm vi",
]


def build_report(path: Path = REPORT_TEMPLATE) -> Path:
    doc = _base()
    header_table(doc, subject=False)
    for text, style in [
        ("BÁO CÁO", "ND30 Doc Type"),
        ("{{ summary_line }}", "ND30 Summary Line"),
        ("", "ND30 Title Rule"),
        ("Kính gửi: {{ recipient }}.", "ND30 Recipient"),
        (
            "Thực hiện {{ basis }} về việc báo cáo tình hình ứng dụng trí tuệ nhân tạo (AI) tại các xã, "
            "phường {{ period }}, {{ issuing_body_name }} đã tổng hợp báo cáo của các xã, phường {{ area }}; "
            "kết quả như sau:",
            "ND30 Body",
        ),
        *BODY_LOOP,
        (
            "Trên đây là báo cáo tổng hợp kết quả ứng dụng trí tuệ nhân tạo tại các xã, phường {{ area }} "
            "{{ period }}, {{ issuing_body_name }} kính báo cáo {{ recipient }} xem xét, chỉ đạo./.",
            "ND30 Closing",
        ),
    ]:
        doc.add_paragraph(text, style=style)
    signature_table(doc)

    appendix_heading(
        doc,
        "Phụ lục I",
        "{{ appendix1_title }}",
        "(Kèm theo Báo cáo số {{ number }}/{{ symbol }} {{ date_long }} của {{ issuing_body_name }})",
    )
    doc.add_paragraph("Đơn vị tính: người (tài khoản, lớp ở hai cột tương ứng)", style="ND30 Caption")
    table = _table(doc, 10, APPENDIX1_WIDTHS, borders=True)
    _header_row(table, APPENDIX1_HEAD)
    numbers = [(f"{{{{ r.{k} }}}}", "ND30 Table Number") for k in VALUE_KEYS]
    _tag_row(table, 1, "{%tr for r in appendix1 %}")
    _tag_row(table, 2, "{%tr if r.group %}")
    _merged_row(table, 3, "{{ r.name }}", "ND30 Table Head")
    _tag_row(table, 4, "{%tr else %}")
    _data_row(
        table,
        5,
        [
            ("{{ r.stt }}", "ND30 Table Center"),
            ("{{ r.name }}", "ND30 Table Text"),
            *numbers,
            ("{{ r.status }}", "ND30 Table Text"),
        ],
    )
    _tag_row(table, 6, "{%tr endif %}")
    _tag_row(table, 7, "{%tr endfor %}")
    totals = [(f"{{{{ total.{k} }}}}", "ND30 Table Number") for k in VALUE_KEYS]
    _data_row(
        table,
        8,
        [
            ("", "ND30 Table Center"),
            ("Tổng cộng", "ND30 Table Head"),
            *totals,
            ("{{ total.status }}", "ND30 Table Text"),
        ],
    )
    _data_row(
        table,
        9,
        [
            ("", "ND30 Table Center"),
            ("Tỷ lệ", "ND30 Table Head"),
            *[(f"{{{{ rates.{k} }}}}", "ND30 Table Number") for k in VALUE_KEYS],
            ("", "ND30 Table Text"),
        ],
    )
    _bold_rows(table, 8, 9)
    note = doc.add_paragraph("{{ appendix1_note }}", style="ND30 Caption")
    note.paragraph_format.space_before = Pt(6)

    doc.add_paragraph("{%p if national %}", style="ND30 Body")
    appendix_heading(
        doc,
        "Phụ lục II",
        "TÌNH HÌNH TIẾP NHẬN VĂN BẢN THEO TỈNH, THÀNH PHỐ",
        "(Kèm theo Báo cáo số {{ number }}/{{ symbol }} {{ date_long }} của {{ issuing_body_name }})",
    )
    table = _table(doc, 5, NATIONAL_APPENDIX2_WIDTHS, borders=True)
    _header_row(table, NATIONAL_APPENDIX2_HEAD)
    _tag_row(table, 1, "{%tr for p in appendix2 %}")
    _data_row(
        table,
        2,
        [
            ("{{ p.stt }}", "ND30 Table Center"),
            ("{{ p.province }}", "ND30 Table Text"),
            *[(f"{{{{ p.{k} }}}}", "ND30 Table Number") for k in ProvinceFilesRow.COLUMNS],
        ],
    )
    _tag_row(table, 3, "{%tr endfor %}")
    _data_row(
        table,
        4,
        [
            ("", "ND30 Table Center"),
            ("Tổng cộng", "ND30 Table Head"),
            *[(f"{{{{ files_total.{k} }}}}", "ND30 Table Number") for k in ProvinceFilesRow.COLUMNS],
        ],
    )
    _bold_rows(table, 4)
    note = doc.add_paragraph(
        "Ghi chú: danh sách từng văn bản, đơn vị gửi, tình trạng và lý do có trong tệp intake.csv và "
        "trang “intake” của tệp du-lieu.xlsx kèm theo.",
        style="ND30 Caption",
    )
    note.paragraph_format.space_before = Pt(6)
    doc.add_paragraph("{%p else %}", style="ND30 Body")
    appendix_heading(
        doc,
        "Phụ lục II",
        "DANH SÁCH VĂN BẢN ĐÃ TIẾP NHẬN",
        "(Kèm theo Báo cáo số {{ number }}/{{ symbol }} {{ date_long }} của {{ issuing_body_name }})",
    )
    table = _table(doc, 4, APPENDIX2_WIDTHS, borders=True)
    _header_row(table, APPENDIX2_HEAD)
    _tag_row(table, 1, "{%tr for f in appendix2 %}")
    _data_row(
        table,
        2,
        [
            ("{{ f.stt }}", "ND30 Table Center"),
            ("{{ f.file }}", "ND30 Table Text"),
            ("{{ f.unit }}", "ND30 Table Text"),
            ("{{ f.doc_type }}", "ND30 Table Text"),
            ("{{ f.status }}", "ND30 Table Text"),
            ("{{ f.reason }}", "ND30 Table Text"),
        ],
    )
    _tag_row(table, 3, "{%tr endfor %}")
    doc.add_paragraph("{%p endif %}", style="ND30 Body")
    _preserve_spaces(doc)
    doc.save(str(path))
    return path


def build_letter(path: Path = LETTER_TEMPLATE) -> Path:
    doc = _base()
    header_table(doc, subject=True)
    for text, style in [
        ("{%p if recipient_inline %}", "ND30 Body"),
        ("Kính gửi: {{ recipient_inline }}.", "ND30 Recipient"),
        ("{%p else %}", "ND30 Body"),
        ("Kính gửi:", "ND30 Recipient Label"),
        ("{%p for line in recipient_lines[:-1] %}", "ND30 Body"),
        ("{{ line }}", "ND30 Recipient Item"),
        ("{%p endfor %}", "ND30 Body"),
        ("{{ recipient_lines[-1] }}", "ND30 Recipient Last"),
        ("{%p endif %}", "ND30 Body"),
        (
            "Thực hiện {{ basis }} về việc báo cáo tình hình ứng dụng trí tuệ nhân tạo (AI) tại các xã, "
            "phường {{ period }}{{ deadline_clause }}. Đến {{ today_long }}, {{ issuing_body_name }} đã nhận "
            "được báo cáo hợp lệ của {{ accepted }}/{{ expected }} xã, phường; còn {{ missing_count }} xã, "
            "phường chưa gửi báo cáo hoặc báo cáo chưa hợp lệ, gồm: {{ missing_names }}.",
            "ND30 Body",
        ),
        ("{%p if resend %}", "ND30 Body"),
        (
            "Trong đó, các đơn vị sau đã gửi nhưng văn bản chưa sử dụng được, đề nghị gửi lại: {{ resend }}.",
            "ND30 Body",
        ),
        ("{%p endif %}", "ND30 Body"),
        (
            "Để kịp thời tổng hợp, báo cáo {{ superior }}, {{ issuing_body_name }} đề nghị Ủy ban nhân dân "
            "các xã, phường nêu trên khẩn trương hoàn thành báo cáo, gửi về {{ issuing_body_name }} trước "
            "{{ new_deadline_long }}.",
            "ND30 Body",
        ),
        (
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các đơn vị liên hệ "
            "{{ issuing_body_name }} để được hướng dẫn./.",
            "ND30 Closing",
        ),
    ]:
        doc.add_paragraph(text, style=style)
    signature_table(doc)
    doc.add_paragraph("{%p if appendix %}", style="ND30 Body")
    appendix_heading(
        doc,
        "Phụ lục",
        "DANH SÁCH CÁC XÃ, PHƯỜNG CHƯA GỬI BÁO CÁO",
        "(Kèm theo Công văn số {{ number }}/{{ symbol }} {{ date_long }} của {{ issuing_body_name }})",
    )
    table = _table(doc, 4, [1.2, 8.0, 6.0], borders=True)
    _header_row(table, ["STT", "Xã, phường", "Tỉnh, thành phố"])
    _tag_row(table, 1, "{%tr for u in appendix %}")
    _data_row(
        table,
        2,
        [
            ("{{ u.stt }}", "ND30 Table Center"),
            ("{{ u.name }}", "ND30 Table Text"),
            ("{{ u.province }}", "ND30 Table Text"),
        ],
    )
    _tag_row(table, 3, "{%tr endfor %}")
    doc.add_paragraph("{%p endif %}", style="ND30 Body")
    _preserve_spaces(doc)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    for built in (build_report(), build_letter()):
        print(built)
