"""Realistic commune .docx files for tests: python-docx plus the raw parts it cannot write.

    from docx_factory import DocxBuilder          # tests/ is on sys.path under pytest

    data = (
        DocxBuilder()                                   # DocxBuilder(nfd=True) writes every text decomposed
        .header("UBND TỈNH NGHỆ AN", "UBND XÃ DIỄN CHÂU", "Số: 12/BC-UBND",
                "Diễn Châu, ngày 05 tháng 6 năm 2026")  # ND30 2×2 borderless table; plain=True: paragraphs
        .title("BÁO CÁO", "Về việc ứng dụng trí tuệ nhân tạo")
        .paragraph("I. KẾT QUẢ ĐẠT ĐƯỢC", bold=True)   # typed numbering stays in the text
        .paragraph("- Cán bộ đã dùng AI.")
        .paragraph("**Đậm kiểu Markdown**")             # any text; style=, align=, italic= also accepted
        .auto_list([(0, "KẾT QUẢ"), (1, "Tuyên truyền"), (2, "Mục tiêu"), (3, "gạch đầu dòng")])
        .paragraph("Có chú thích", footnote="Công văn số 01/UBND.")   # real footnotes.xml part
        .paragraph("Có chú thích cuối", endnote="Ghi chú cuối.")     # real endnotes.xml part
        .table([["Chỉ tiêu", "Số lượng"], ["Tổng số cán bộ", "36"]], merges=[((0, 0), (0, 1))])
        .split_sentence("…triển khai các", "dịch vụ công trực tuyến.", how="page")
        .lines(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"])    # one paragraph, hard line breaks (w:br)
        .signature(["Sở KH&CN (b/c);", "Lưu: VT."], "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A")
        .build()                                        # bytes; .save(path) writes the file
    )

Automatic numbering is real `numbering.xml`: `auto_list(items, kind=...)` uses one abstractNum per kind
(`LIST_KINDS`: "nd30" I./1./a)/-/+, "decimal" 1./1.1./1.1.1., "paren" 1)/a)/i), "bullet") and a new `num`
per call; each call restarts at 1 through a `startOverride` (Word's "Restart numbering"); `restart=False`
continues the previous list of the same kind through a second plain `num`; `start=` restarts elsewhere.
`numbered_style(style_id, kind, level)` creates a paragraph style that carries the numbering, and
`paragraph(text, style=style_id)` then numbers through the style alone.
`textbox(text)` writes a text box as Word does, once in `mc:Choice` and again in the VML `mc:Fallback`.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Literal

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

# Level definitions: (numFmt, lvlText) per ilvl.
LIST_KINDS: dict[str, list[tuple[str, str]]] = {
    "nd30": [
        ("upperRoman", "%1."),
        ("decimal", "%2."),
        ("lowerLetter", "%3)"),
        ("bullet", "-"),
        ("bullet", "+"),
    ],
    "decimal": [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")],
    "paren": [("decimal", "%1)"), ("lowerLetter", "%2)"), ("lowerRoman", "%3)")],
    "bullet": [("bullet", "\uf0b7"), ("bullet", "o"), ("bullet", "\uf0a7")],
}
_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


class DocxBuilder:
    def __init__(self, *, nfd: bool = False) -> None:
        self.document = docx.Document()
        self.nfd = nfd
        self._footnotes: list[str] = []
        self._endnotes: list[str] = []
        self._abstract: dict[str, int] = {}
        self._next_abstract = 900
        self._next_num = 900

    # --- text -------------------------------------------------------------------------------------------

    def _t(self, text: str) -> str:
        return unicodedata.normalize("NFD", text) if self.nfd else text

    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        style: str | None = None,
        align: str | None = None,
        footnote: str | None = None,
        endnote: str | None = None,
    ) -> DocxBuilder:
        paragraph = self.document.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(self._t(text))
            run.bold = bold or None
            run.italic = italic or None
        if align:
            paragraph.alignment = _ALIGN[align]
        if footnote is not None:
            self._note_reference(paragraph, "footnote", footnote)
        if endnote is not None:
            self._note_reference(paragraph, "endnote", endnote)
        return self

    def title(self, kind: str, summary: str | None = None) -> DocxBuilder:
        self.paragraph(kind, bold=True, align="center")
        if summary:
            self.paragraph(summary, bold=True, align="center")
        return self

    def lines(self, lines: list[str], *, bold: bool = False, align: str | None = None) -> DocxBuilder:
        """One paragraph whose lines are separated by hard line breaks (Shift+Enter)."""
        paragraph = self.document.add_paragraph()
        self._lines(paragraph, lines, bold=bold)
        if align:
            paragraph.alignment = _ALIGN[align]
        return self

    def _lines(self, paragraph: Paragraph, lines: list[str], *, bold: bool = False) -> None:
        for i, line in enumerate(lines):
            run = paragraph.add_run(self._t(line))
            run.bold = bold or None
            if i < len(lines) - 1:
                run.add_break()

    def split_sentence(
        self, first: str, second: str, *, how: Literal["page", "paragraph", "line", "blank"] = "page"
    ) -> DocxBuilder:
        """One sentence split as Word files split them.

        `page`: two paragraphs, the second starting on a new page (a page break run between them, as a
        clerk inserts with Ctrl+Enter); `paragraph`: two paragraphs (Enter pressed mid-sentence); `line`:
        one paragraph with a hard line break; `blank`: two paragraphs with an empty one between.
        """
        if how == "line":
            return self.lines([first, second])
        self.paragraph(first)
        if how == "page":
            self.document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        elif how == "blank":
            self.paragraph("")
        return self.paragraph(second)

    # --- header, signature, tables ----------------------------------------------------------------------

    def header(
        self, parent: str, unit: str, number: str, place_date: str, *, plain: bool = False
    ) -> DocxBuilder:
        """The ND30 header block: a borderless 2×2 table (unit | quốc hiệu; Số | place and date)."""
        national = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        if plain:
            for line in [parent, unit, *national, number, place_date]:
                self.paragraph(line)
            return self
        table = self.document.add_table(rows=2, cols=2)
        self._fill(table.cell(0, 0), [(parent, False), (unit, True)])
        self._fill(table.cell(0, 1), [(national[0], True), (national[1], True)])
        self._fill(table.cell(1, 0), [(number, False)])
        self._fill(table.cell(1, 1), [(place_date, False)], italic=True)
        return self

    def _fill(self, cell: object, lines: list[tuple[str, bool]], *, italic: bool = False) -> None:
        paragraphs = cell.paragraphs  # type: ignore[attr-defined]
        for i, (text, bold) in enumerate(lines):
            paragraph = paragraphs[0] if i == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
            run = paragraph.add_run(self._t(text))
            run.bold = bold or None
            run.italic = italic or None

    def table(
        self,
        rows: list[list[str]],
        *,
        merges: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
        bold_header: bool = True,
    ) -> DocxBuilder:
        """A data table; `merges` are (top-left, bottom-right) cell pairs, merged as Word merges them."""
        width = max(len(row) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    run = table.cell(r, c).paragraphs[0].add_run(self._t(text))
                    run.bold = (bold_header and r == 0) or None
        for (r1, c1), (r2, c2) in merges or []:
            table.cell(r1, c1).merge(table.cell(r2, c2))
        return self

    def signature(self, recipients: list[str], authority: str, title: str, name: str) -> DocxBuilder:
        """The borderless 1×2 signature table: `Nơi nhận` and its list | authority, title, name."""
        table: Table = self.document.add_table(rows=1, cols=2)
        left = table.cell(0, 0)
        self._fill(left, [("Nơi nhận:", True)], italic=True)
        for recipient in recipients:
            left.add_paragraph().add_run(self._t(f"- {recipient}"))
        right = table.cell(0, 1)
        self._lines(right.paragraphs[0], [authority, title], bold=True)
        right.add_paragraph()
        right.add_paragraph().add_run(self._t(name)).bold = True
        return self

    def raw_paragraph(self, xml: str) -> DocxBuilder:
        """A paragraph written as raw WordprocessingML (`w:` prefix bound), for cases python-docx lacks."""
        element = parse_xml(f"<w:p {_NSDECL}>{xml}</w:p>")
        self.document.element.body.insert(len(self.document.element.body) - 1, element)
        return self

    def textbox(self, text: str) -> DocxBuilder:
        """A paragraph anchoring a text box, written twice (DrawingML Choice + VML Fallback) as Word does."""
        content = f"<w:txbxContent><w:p><w:r><w:t>{self._t(text)}</w:t></w:r></w:p></w:txbxContent>"
        return self.raw_paragraph(
            '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox>"
            "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )

    # --- automatic numbering -------------------------------------------------------------------------------

    def _numbering(self) -> object:
        return self.document.part.numbering_part.element

    def _define(self, kind: str) -> int:
        """An abstractNum for `kind` (once per kind)."""
        if kind in self._abstract:
            return self._abstract[kind]
        abstract_id = self._next_abstract
        self._next_abstract += 1
        levels = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
            for i, (fmt, text) in enumerate(LIST_KINDS[kind])
        )
        element = parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        )
        numbering = self._numbering()
        nums = numbering.findall(qn("w:num"))  # type: ignore[attr-defined]
        if nums:
            nums[0].addprevious(element)
        else:
            numbering.append(element)  # type: ignore[attr-defined]
        self._abstract[kind] = abstract_id
        return abstract_id

    def _instance(self, kind: str, start: int | None = None) -> int:
        """A new `w:num` pointing to the kind's abstractNum, optionally restarting at `start`."""
        abstract_id = self._define(kind)
        num_id = self._next_num
        self._next_num += 1
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start is not None
            else ""
        )
        self._numbering().append(  # type: ignore[attr-defined]
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{override}</w:num>"
            )
        )
        return num_id

    def auto_list(
        self,
        items: list[tuple[int, str]],
        *,
        kind: str = "nd30",
        restart: bool = True,
        start: int | None = None,
        bold_levels: tuple[int, ...] = (),
    ) -> DocxBuilder:
        """Paragraphs numbered by Word, from (level, text) pairs: the numbers exist only in numbering.xml."""
        # Word's "Restart numbering" is a new num with a startOverride; a new num without one continues.
        num_id = self._instance(kind, start if start is not None else (1 if restart else None))
        for level, text in items:
            paragraph = self.document.add_paragraph()
            run = paragraph.add_run(self._t(text))
            run.bold = (level in bold_levels) or None
            self._num_pr(paragraph, num_id, level)
        return self

    def numbered_style(self, style_id: str, kind: str = "nd30", level: int = 0) -> DocxBuilder:
        """A paragraph style carrying numbering: its paragraphs are numbered with no numPr of their own."""
        num_id = self._instance(kind)
        ilvl = f'<w:ilvl w:val="{level}"/>' if level else ""
        self.document.styles.element.append(
            parse_xml(
                f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
                f'<w:name w:val="{style_id}"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr>{ilvl}'
                f'<w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
            )
        )
        return self

    @staticmethod
    def _num_pr(paragraph: Paragraph, num_id: int, level: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )

    # --- notes ---------------------------------------------------------------------------------------------

    def _note_reference(self, paragraph: Paragraph, kind: str, text: str) -> None:
        notes = self._footnotes if kind == "footnote" else self._endnotes
        notes.append(self._t(text))
        note_id = len(notes)  # ids 0 and -1 are the separators
        style = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="{style}"/><w:vertAlign w:val="superscript"/>'
                f'</w:rPr><w:{kind}Reference w:id="{note_id}"/></w:r>'
            )
        )

    def _add_notes_part(self, kind: str, notes: list[str]) -> None:
        body = "".join(
            f'<w:{kind} w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
            for i, text in enumerate(notes, start=1)
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s xmlns:w="{W_NS}">'
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
            f"</w:p></w:{kind}>{body}</w:{kind}s>"
        )
        document_part = self.document.part
        part = Part(
            PackURI(f"/word/{kind}s.xml"),
            f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
            xml.encode("utf-8"),
            document_part.package,
        )
        document_part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)

    # --- output --------------------------------------------------------------------------------------------

    def build(self) -> bytes:
        document = self.document
        if self._footnotes or self._endnotes:
            # Build from a copy so that build() can be called twice.
            saved = io.BytesIO()
            document.save(saved)
            self.document = docx.Document(io.BytesIO(saved.getvalue()))
            footnotes, endnotes = list(self._footnotes), list(self._endnotes)
            if footnotes:
                self._add_notes_part("footnote", footnotes)
            if endnotes:
                self._add_notes_part("endnote", endnotes)
            result = io.BytesIO()
            self.document.save(result)
            self.document = document
            return result.getvalue()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def save(self, path: Path) -> Path:
        path.write_bytes(self.build())
        return path
