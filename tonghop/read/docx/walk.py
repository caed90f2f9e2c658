"""The body of a Word document in reading order: paragraphs and tables together, nested tables included.

python-docx lists paragraphs and tables separately and repeats a merged cell once per grid column it
covers; a clerk reads them interleaved and each merged cell once. Here a top-level paragraph or table is
one `index`; cell paragraphs share their table's index and carry the table, row and grid column; a
horizontally merged cell is read once at its first column and a vertically merged continuation not at all.
Automatic numbering advances here, in document order, because Word counts across tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from tonghop.errors import IntakeError
from tonghop.read.docx import ns
from tonghop.read.docx.numbering import Numbering
from tonghop.read.docx.paragraph import RawParagraph, complex_paragraphs, read_paragraph
from tonghop.read.docx.styles import Styles

MAX_TABLE_DEPTH = 16
MAX_COLUMNS = 64  # Word allows 63; a larger span or offset is a hostile file, not a wider table


@dataclass
class Cell:
    index: int
    table: int
    row: int
    cell: int
    top: int  # ordinal of the outermost table, for marking header and signature blocks
    depth: int


@dataclass
class Item:
    raw: RawParagraph
    index: int
    where: Cell | None
    label: str | None = None


class Walker:
    def __init__(self, name: str, styles: Styles, numbering: Numbering) -> None:
        self.name = name
        self.styles = styles
        self.numbering = numbering
        self.items: list[Item] = []
        self.tables: list[list[list[str]]] = []
        self.top_tables: dict[int, int] = {}  # top-level table ordinal → its index
        self._next_index = 0
        self._complex: set[etree._Element] = set()

    def _new_index(self) -> int:
        self._next_index += 1
        return self._next_index - 1

    def walk_body(self, body: etree._Element) -> None:
        self._complex = complex_paragraphs(body)
        self.walk(body)

    def walk(self, container: etree._Element, where: Cell | None = None) -> None:
        for child in container:
            tag = child.tag
            if tag == ns.P:
                self._paragraph(child, where)
            elif tag == ns.TBL:
                self._table(child, where)
            elif tag == ns.SDT:
                content = child.find(ns.SDT_CONTENT)
                if content is not None:
                    self.walk(content, where)
            elif tag == ns.CUSTOM_XML or tag == ns.INS or tag == ns.MOVE_TO:
                self.walk(child, where)
            elif tag == ns.ALTERNATE_CONTENT:
                choice = child.find(ns.MC_CHOICE)
                if choice is not None:
                    self.walk(choice, where)

    def _paragraph(self, p: etree._Element, where: Cell | None) -> None:
        raw = read_paragraph(p, self.styles, in_table=where is not None, structural=p in self._complex)
        label = None
        if raw.num_id is not None and raw.num_id != "0":
            ilvl = raw.ilvl
            if ilvl is None:
                ilvl = self.numbering.level_for_style(raw.num_id, raw.style_id or "") or 0
            raw.ilvl = ilvl
            label = self.numbering.next_label(raw.num_id, ilvl)
        index = where.index if where is not None else self._new_index()
        self.items.append(Item(raw, index, where, label))
        for box in raw.textboxes:
            self.walk(box, where)

    def _table(self, tbl: etree._Element, where: Cell | None) -> None:
        depth = 0 if where is None else where.depth + 1
        if depth > MAX_TABLE_DEPTH:
            raise IntakeError(
                f"Tệp {self.name}: bảng lồng nhau quá {MAX_TABLE_DEPTH} tầng, "
                "không phải văn bản bình thường.",
                code="malformed_xml",
            )
        ordinal = len(self.tables)
        grid: list[list[str]] = []
        self.tables.append(grid)
        if where is None:
            index = self._new_index()
            top = ordinal
            self.top_tables[ordinal] = index
        else:
            index, top = where.index, where.top
        for r, tr in enumerate(_children(tbl, ns.TR)):
            column = min(max(0, _int_prop(tr, ns.TR_PR, ns.GRID_BEFORE, 0)), MAX_COLUMNS)
            row = [""] * column
            for tc in _children(tr, ns.TC):
                span = min(max(1, _int_prop(tc, ns.TC_PR, ns.GRID_SPAN, 1)), MAX_COLUMNS)
                if not _continues_merge(tc):
                    self.walk(tc, Cell(index, ordinal, r, column, top, depth))
                row.extend([""] * span)
                column += span
            grid.append(row)


def _children(parent: etree._Element, tag: str) -> list[etree._Element]:
    """Rows of a table or cells of a row, looking through content controls and custom XML."""
    out: list[etree._Element] = []
    for child in parent:
        if child.tag == tag:
            out.append(child)
        elif child.tag == ns.SDT:
            content = child.find(ns.SDT_CONTENT)
            if content is not None:
                out.extend(_children(content, tag))
        elif child.tag == ns.CUSTOM_XML:
            out.extend(_children(child, tag))
    return out


def _props(el: etree._Element, tag: str) -> etree._Element | None:
    """The properties child (`trPr`, `tcPr`), which Word writes first."""
    if len(el) and el[0].tag == tag:
        return el[0]
    for child in el.iterchildren(tag):
        return child
    return None


def _int_prop(el: etree._Element, props_tag: str, tag: str, default: int) -> int:
    props = _props(el, props_tag)
    if props is None:
        return default
    for child in props.iterchildren(tag):
        try:
            return int(child.get(ns.VAL, default))
        except ValueError:
            return default
    return default


def _continues_merge(tc: etree._Element) -> bool:
    """A vertically merged cell below the first: its content (normally none) is not read again."""
    props = _props(tc, ns.TC_PR)
    if props is None:
        return False
    for merge in props.iterchildren(ns.V_MERGE):
        return merge.get(ns.VAL) != "restart"
    return False
