"""A streaming .xlsx writer for plain tables: a header row, typed values, per-column styles, nothing more.

Why not openpyxl, which reads the file back in the tests: a national round's workbook has some 400,000
cells, and openpyxl makes a cell object for each (type inference, styles hashed per cell, one lxml call per
element), which made the workbook the largest single cost of a national run; its write-only mode saves
the memory but not the time. The tables here need six cell styles, so the sheet XML is written
directly, row by row, in a fraction of that; the result is the same SpreadsheetML openpyxl writes (inline
strings, the same style records and theme), and openpyxl reads it back cell for cell.

Why not XlsxWriter either (issue #22): even in `constant_memory` mode it spends several times as long on
each cell, well beyond the 1.5 times the issue set for keeping this writer; `benchmarks/bench_workbook.py`
writes a national workbook with both.

Values are typed as openpyxl types them (numbers, booleans, dates as serial numbers with a date format,
text as inline strings), with one deliberate difference: text is always text. A string that looks like a
formula is stored as text with Excel's quote prefix, and one that equals an Excel error code (`#N/A`) is
stored as text too, where openpyxl would have made it an error cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.theme import theme_xml

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit on the characters of one cell
# What XML 1.0 cannot carry (openpyxl's ILLEGAL_CHARACTERS_RE, plus the non-characters and surrogates).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ROWS_PER_WRITE = 500

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DEFAULT_DATE_FORMATS = {dt.datetime: "yyyy-mm-dd h:mm:ss", dt.date: "yyyy-mm-dd"}
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Text a cell can hold: characters XML forbids dropped, cut at Excel's limit."""
    return _ILLEGAL.sub("", text)[:MAX_TEXT]


class CellStyle(NamedTuple):
    """One record of the workbook's style table (`cellXfs`)."""

    bold: bool = False
    fill: str | None = None  # RGB of a solid fill, e.g. "DDEBF7"
    wrap: str | None = None  # vertical alignment of wrapped text: "top", "center"
    number_format: str | None = None
    quote_prefix: bool = False


@dataclass
class Sheet:
    """A table: its header, its rows, and the style of each column's data cells (blank cells included)."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    header_style: CellStyle = field(default_factory=CellStyle)
    column_styles: dict[int, CellStyle] = field(default_factory=dict)
    widths: Sequence[float] = ()


class _Styles:
    """The style table, built as cells ask for styles; index 0 is the default style."""

    def __init__(self) -> None:
        self.index: dict[CellStyle, int] = {CellStyle(): 0}
        self.formats: dict[str, int] = {}

    def of(self, style: CellStyle) -> int:
        found = self.index.get(style)
        if found is None:
            found = self.index[style] = len(self.index)
            fmt = style.number_format
            if fmt is not None and fmt not in BUILTIN_FORMATS_REVERSE and fmt not in self.formats:
                self.formats[fmt] = 164 + len(self.formats)
        return found

    def xml(self) -> str:
        fills = sorted({s.fill for s in self.index if s.fill})
        fill_ids = {rgb: 2 + i for i, rgb in enumerate(fills)}
        xfs = []
        for style in self.index:  # insertion order is the index order
            fmt = style.number_format
            fmt_id = 0 if fmt is None else BUILTIN_FORMATS_REVERSE.get(fmt, self.formats.get(fmt, 0))
            fill_id = fill_ids.get(style.fill or "", 0)
            attrs = f'numFmtId="{fmt_id}" fontId="{int(style.bold)}" fillId="{fill_id}" borderId="0"'
            if fmt_id:
                attrs += ' applyNumberFormat="1"'
            if style.bold:
                attrs += ' applyFont="1"'
            if style.fill:
                attrs += ' applyFill="1"'
            if style.wrap:
                attrs += ' applyAlignment="1"'
            attrs += f' pivotButton="0" quotePrefix="{int(style.quote_prefix)}" xfId="0"'
            if style.wrap:
                xfs.append(f'<xf {attrs}><alignment vertical="{style.wrap}" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
        formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode={quoteattr(fmt)}/>' for fmt, i in self.formats.items()
        )
        fill_xml = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="00{rgb}"/></patternFill></fill>'
            for rgb in fills
        )
        return (
            f'{_DECLARATION}<styleSheet xmlns="{_MAIN_NS}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
            + '<fonts count="2"><font><name val="Calibri"/><family val="2"/><color theme="1"/>'
            '<sz val="11"/><scheme val="minor"/></font><font><b val="1"/></font></fonts>'
            f'<fills count="{2 + len(fills)}"><fill><patternFill/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _text_xml(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    if "\r" in text:  # an XML reader turns a raw CR into LF; a character reference survives
        text = text.replace("\r", "&#13;")
    stripped = text.strip()
    if stripped and stripped != text:
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _number(value: float) -> str:
    return "" if math.isnan(value) or math.isinf(value) else f"{value:.16g}"


def _cell_tail(value: Any, style: CellStyle | None, styles: _Styles) -> str:
    """A `<c>` element after its reference (`r="A1"`), or "" for a blank cell without a style."""
    if isinstance(value, str):
        text = clean_text(value)
        if is_formula_like(text):
            style = (style or CellStyle())._replace(quote_prefix=True)
        s = f' s="{styles.of(style)}"' if style else ""
        if not text:
            return f'{s} t="inlineStr"/>'
        return f'{s} t="inlineStr">{_text_xml(text)}</c>'
    if value is None:
        return f' s="{styles.of(style)}"/>' if style else ""
    if isinstance(value, bool):
        s = f' s="{styles.of(style)}"' if style else ""
        return f'{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        s = f' s="{styles.of(style)}"' if style else ""
        return f"{s}><v>{_number(value)}</v></c>"
    if isinstance(value, dt.date):  # datetime included: a serial number shown through a date format
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise TypeError("Excel không lưu được múi giờ: hãy đổi thời điểm sang giờ địa phương trước.")
        style = style or CellStyle()
        if style.number_format is None:
            default = _DEFAULT_DATE_FORMATS[dt.datetime if isinstance(value, dt.datetime) else dt.date]
            style = style._replace(number_format=default)
        return f' s="{styles.of(style)}"><v>{_number(to_excel(value))}</v></c>'
    raise TypeError(f"Không ghi được giá trị kiểu {type(value).__name__} vào bảng tính.")


def _sheet_chunks(sheet: Sheet, styles: _Styles) -> Iterable[str]:
    columns = len(sheet.headers)
    letters = [get_column_letter(c + 1) for c in range(columns)]
    last = f"{letters[-1]}{len(sheet.rows) + 1}" if columns else "A1"
    cols = "".join(
        f'<col width="{width:g}" customWidth="1" min="{c}" max="{c}"/>'
        for c, width in enumerate(sheet.widths, start=1)
    )
    yield (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" '
        f'summaryRight="1"/><pageSetUpPr/></sheetPr><dimension ref="A1:{last}"/><sheetViews>'
        '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView>'
        '</sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )
    opens = [f'<c r="{letter}' for letter in letters]
    header_tails = [_cell_tail(h, sheet.header_style, styles) for h in sheet.headers]
    header = "".join(opens[c] + '1"' + tail for c, tail in enumerate(header_tails) if tail)
    yield f'<row r="1">{header}</row>'
    column_styles = [sheet.column_styles.get(c) for c in range(columns)]
    # The element after a cell's reference depends only on its value and its column's style, and a sheet
    # repeats much: the items sheet writes a statement, its theme and its section once for every paragraph
    # that supports it (31,509 rows for 3,591 statements nationally), and a column's blanks are all alike.
    # So each column remembers its texts, whole numbers and blank; the loop is inlined, as a national
    # workbook has some 400,000 cells.
    tails: list[dict[str | int | None, str]] = [{None: _cell_tail(None, s, styles)} for s in column_styles]
    buffer: list[str] = []
    for r, values in enumerate(sheet.rows, start=2):
        ref = f'{r}"'
        parts = [f'<row r="{r}">']
        for c, value in enumerate(values):
            kind = type(value)
            if kind is str or kind is int or value is None:  # not bool: True == 1 would share a key
                known = tails[c]
                tail = known.get(value)
                if tail is None:
                    tail = known[value] = _cell_tail(value, column_styles[c], styles)
            else:
                tail = _cell_tail(value, column_styles[c], styles)
            if tail:
                parts.append(opens[c] + ref + tail)
        parts.append("</row>")
        buffer.append("".join(parts))
        if len(buffer) >= _ROWS_PER_WRITE:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer)
    yield (
        f'</sheetData><autoFilter ref="A1:{last}"/><pageMargins left="0.75" right="0.75" top="1" '
        'bottom="1" header="0.5" footer="0.5"/></worksheet>'
    )


def _workbook_xml(sheets: Sequence[Sheet]) -> str:
    entries = "".join(
        f'<sheet xmlns:r="{_REL_NS}" name={quoteattr(s.name)} sheetId="{i}" state="visible" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted_sheet(s.name))}!$A$1:${get_column_letter(max(1, len(s.headers)))}$"
        f"{len(s.rows) + 1}</definedName>"
        for i, s in enumerate(sheets)
    )
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN_NS}"><workbookPr/><bookViews><workbookView '
        'activeTab="0"/></bookViews>'
        f"<sheets>{entries}</sheets><definedNames>{names}</definedNames>"
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _package_parts(sheets: Sequence[Sheet], creator: str, title: str) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    sheet_rels = "".join(
        f'<Relationship Type="{_REL_NS}/worksheet" Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}"/>'
        for i in range(1, len(sheets) + 1)
    )
    n = len(sheets)
    return {
        "[Content_Types].xml": (
            f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/theme/theme1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheet_types}"
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
            '<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml" Id="rId2"/>'
            f'<Relationship Type="{_REL_NS}/extended-properties" Target="docProps/app.xml" Id="rId3"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            f"{_DECLARATION}<Properties "
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>tonghop</Application></Properties>"
        ),
        "docProps/core.xml": (
            f"{_DECLARATION}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(creator)}</dc:creator><dc:title>{escape(title)}</dc:title>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">{sheet_rels}'
            f'<Relationship Type="{_REL_NS}/styles" Target="styles.xml" Id="rId{n + 1}"/>'
            f'<Relationship Type="{_REL_NS}/theme" Target="theme/theme1.xml" Id="rId{n + 2}"/>'
            "</Relationships>"
        ),
        "xl/theme/theme1.xml": theme_xml,
        "xl/workbook.xml": _workbook_xml(sheets),
    }


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, creator: str = "", title: str = "") -> None:
    """Writes the workbook to `path` (the caller makes it atomic); sheets stream into the zip row by row."""
    styles = _Styles()
    # Level 3 deflates the XML several times faster than the default 6, for a slightly larger file.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as package:
        for name, text in _package_parts(sheets, creator, title).items():
            package.writestr(name, text)
        for i, sheet in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                for chunk in _sheet_chunks(sheet, styles):
                    part.write(chunk.encode("utf-8"))
        # The style table is complete only once every cell has been written.
        package.writestr("xl/styles.xml", styles.xml())
