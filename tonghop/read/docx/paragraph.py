"""One `w:p` element → its visible text, formatting and note references.

What a reader sees is not what `paragraph.text` returns: field codes (`PAGE`, `HYPERLINK …`), hidden text
and deleted revisions must go; inserted revisions, hyperlinks, content controls and text boxes must stay;
hard line breaks become a line break between fields (a header cell) or a space inside a running sentence.

Speed: most paragraphs are plain runs, read with one `iter()` over the few tags that matter (lxml filters
the rest in C, so run-formatting noise such as fonts and sizes never reaches Python). Paragraphs holding
text boxes, alternate content, equations, revisions or formatting changes take the structural path,
which skips what must be skipped.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from lxml import etree

from tonghop.read.docx import ns
from tonghop.read.docx.styles import ALIGN, RunProps, Styles, numbering_of
from tonghop.text import nfc

_COMPLEX = (
    ns.TXBX_CONTENT,
    ns.ALTERNATE_CONTENT,
    ns.MATH,
    ns.MATH_PARA,
    ns.w("del"),
    ns.w("moveFrom"),
    ns.w("rPrChange"),
)
_FAST_TAGS = (
    ns.R,
    ns.T,
    ns.TAB,
    ns.PTAB,
    ns.BR,
    ns.CR,
    ns.B,
    ns.I,
    ns.CAPS,
    ns.VANISH,
    ns.R_STYLE,
    ns.FLD_CHAR,
    ns.FOOTNOTE_REF,
    ns.ENDNOTE_REF,
    ns.SYM,
    ns.NO_BREAK_HYPHEN,
)
# Containers whose children are runs (or more containers) that a reader sees.
_TRANSPARENT = frozenset(
    {
        ns.HYPERLINK,
        ns.INS,
        ns.MOVE_TO,
        ns.SMART_TAG,
        ns.CUSTOM_XML,
        ns.FLD_SIMPLE,
        ns.DIR,
        ns.BDO,
        ns.SDT_CONTENT,
    }
)
_MATH = frozenset({ns.MATH, ns.MATH_PARA})
_SYMBOLS = {"F0B7": "•", "F0A7": "▪", "F0D8": "➢", "F02D": "-", "F0BE": "-", "F076": "❖", "F0FC": "✓"}
_SYM_CHAR = ns.w("char")
_BREAK = "\n"
_TERMINAL = re.compile(r"[.:;!?…]['\"”’)\]]*$")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# In a narrow cell, clerks wrap a list with runs of tabs or spaces instead of line breaks.
# Tried once per whitespace run (never from inside one) and possessive, so it stays linear.
_WIDE_GAP = re.compile(r"(?<![ \t])[ \t]{2,}+(?=[-–+•] )")
_LABEL_START = re.compile(r"^\s*([-–—+•*]|\d{1,3}[.)]|[a-zđ]\)|[IVX]{1,5}\.)\s")


@dataclass
class RawParagraph:
    """A paragraph before typed numbering, Markdown and run-on sentences are dealt with."""

    text: str
    style: str | None = None
    align: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    style_id: str | None = None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    notes: list[tuple[str, int]] = field(default_factory=list)
    textboxes: list[etree._Element] = field(default_factory=list)


def complex_paragraphs(root: etree._Element) -> set[etree._Element]:
    """Paragraphs that need the structural path (usually none: the scan runs in C)."""
    found: set[etree._Element] = set()
    for el in root.iter(*_COMPLEX):
        parent = el.getparent()
        while parent is not None:
            if parent.tag == ns.P:
                found.add(parent)  # an outer paragraph (around a text box) is found through the box
                break
            parent = parent.getparent()
    return found


class _Out:
    __slots__ = ("bold", "caps", "fields", "italic", "notes", "parts", "runs", "textboxes")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.notes: list[tuple[str, int]] = []
        self.textboxes: list[etree._Element] = []
        self.fields: list[bool] = []  # per open field: True while in its instruction part
        self.runs = self.bold = self.italic = self.caps = 0

    def field_char(self, el: etree._Element) -> None:
        kind = el.get(ns.FLD_CHAR_TYPE)
        if kind == "begin":
            self.fields.append(True)
        elif kind == "separate" and self.fields:
            self.fields[-1] = False
        elif kind == "end" and self.fields:
            self.fields.pop()

    def note(self, el: etree._Element) -> None:
        with contextlib.suppress(ValueError):
            self.notes.append(
                ("footnote" if el.tag == ns.FOOTNOTE_REF else "endnote", int(el.get(ns.ID, "")))
            )

    def count(self, start: int, bold: bool | None, italic: bool | None, caps: bool | None) -> None:
        """Formatting of the run whose text starts at `parts[start]`, if it shows any real text."""
        parts = self.parts
        size = len(parts)
        if size == start:
            return
        shown = parts[start] if size == start + 1 else "".join(parts[start:])
        if shown.strip(" *#_\n"):
            self.runs += 1
            self.bold += bool(bold)
            self.italic += bool(italic)
            self.caps += bool(caps)


def _symbol(el: etree._Element) -> str:
    code = (el.get(_SYM_CHAR) or "").upper()
    glyph = _SYMBOLS.get(code)
    if glyph is None and code and not code.startswith("F0"):
        try:
            return chr(int(code, 16))
        except ValueError:
            return ""
    return glyph or ""


_T, _R, _TAB, _BR, _B, _I, _CAPS, _VANISH, _RSTYLE, _FLD, _NOTE, _SYM, _NBH = range(13)
_KIND = {
    ns.T: _T,
    ns.R: _R,
    ns.TAB: _TAB,
    ns.PTAB: _TAB,
    ns.BR: _BR,
    ns.CR: _BR,
    ns.B: _B,
    ns.I: _I,
    ns.CAPS: _CAPS,
    ns.VANISH: _VANISH,
    ns.R_STYLE: _RSTYLE,
    ns.FLD_CHAR: _FLD,
    ns.FOOTNOTE_REF: _NOTE,
    ns.ENDNOTE_REF: _NOTE,
    ns.SYM: _SYM,
    ns.NO_BREAK_HYPHEN: _NBH,
}


def _on(el: etree._Element) -> bool:
    value = el.get(ns.VAL)
    return value is None or value.lower() not in ns.OFF


def _fast(p: etree._Element, base: RunProps, styles: Styles, out: _Out) -> None:
    """The common case, kept tight: one C-filtered pass, integer dispatch, no per-run objects."""
    parts = out.parts
    append = parts.append
    kinds = _KIND
    in_run = hidden = False
    bold = italic = caps = None
    start = 0
    for el in p.iter(*_FAST_TAGS):
        kind = kinds[el.tag]
        if kind == _T:
            if not hidden and not (out.fields and any(out.fields)):
                append(el.text or "")
        elif kind == _R:
            if in_run and len(parts) > start:
                out.count(start, bold, italic, caps)
            in_run, hidden, start = True, bool(base.hidden), len(parts)
            bold, italic, caps = base.bold, base.italic, base.caps
        elif not in_run:
            continue  # paragraph-mark formatting in pPr
        elif kind == _B:
            bold = _on(el)
        elif kind == _TAB:
            append("\t")
        elif kind == _I:
            italic = _on(el)
        elif kind == _BR:
            append(_BREAK)
        elif kind == _CAPS:
            caps = _on(el)
        elif kind == _VANISH:
            hidden = _on(el)
        elif kind == _RSTYLE:
            char = styles.character(el.get(ns.VAL, ""))
            bold = base.bold if char.bold is None else char.bold
            italic = base.italic if char.italic is None else char.italic
            caps = base.caps if char.caps is None else char.caps
            hidden = bool(base.hidden if char.hidden is None else char.hidden)
        elif kind == _FLD:
            out.field_char(el)
        elif kind == _NOTE:
            out.note(el)
        elif kind == _SYM:
            append(_symbol(el))
        else:
            append("-")
    if in_run and len(parts) > start:
        out.count(start, bold, italic, caps)


def _run(run: etree._Element, base: RunProps, styles: Styles, out: _Out) -> None:
    props = base
    rpr = run.find(ns.RPR)
    if rpr is not None:
        style = rpr.find(ns.R_STYLE)
        if style is not None:
            props = styles.character(style.get(ns.VAL, "")).over(props)
        props = RunProps(
            ns.flag(rpr.find(ns.B)),
            ns.flag(rpr.find(ns.I)),
            ns.flag(rpr.find(ns.CAPS)),
            ns.flag(rpr.find(ns.VANISH)),
        ).over(props)
    if props.hidden:
        return
    start = len(out.parts)
    for child in run:
        tag = child.tag
        if tag == ns.T:
            if not any(out.fields):
                out.parts.append(child.text or "")
        elif tag == ns.TAB or tag == ns.PTAB:
            out.parts.append("\t")
        elif tag == ns.BR or tag == ns.CR:
            out.parts.append(_BREAK)
        elif tag == ns.FLD_CHAR:
            out.field_char(child)
        elif tag == ns.FOOTNOTE_REF or tag == ns.ENDNOTE_REF:
            out.note(child)
        elif tag == ns.NO_BREAK_HYPHEN:
            out.parts.append("-")
        elif tag == ns.SYM:
            out.parts.append(_symbol(child))
        elif tag == ns.ALTERNATE_CONTENT:
            # Markup compatibility: the first Choice is what Word shows; Fallback would duplicate it.
            choice = child.find(ns.MC_CHOICE)
            if choice is not None:
                out.textboxes.extend(choice.iter(ns.TXBX_CONTENT))
        elif tag != ns.RPR and tag != ns.INSTR_TEXT:
            # Drawings and pictures: only their text boxes matter, read as paragraphs of their own.
            out.textboxes.extend(child.iter(ns.TXBX_CONTENT))
    out.count(start, props.bold, props.italic, props.caps)


def _structural(parent: etree._Element, base: RunProps, styles: Styles, out: _Out) -> None:
    for child in parent:
        tag = child.tag
        if tag == ns.R:
            _run(child, base, styles, out)
        elif tag in _TRANSPARENT:
            _structural(child, base, styles, out)
        elif tag == ns.SDT:
            content = child.find(ns.SDT_CONTENT)
            if content is not None:
                _structural(content, base, styles, out)
        elif tag in _MATH:
            out.parts.append("".join(t.text or "" for t in child.iter(ns.MATH_T)))
        elif tag == ns.ALTERNATE_CONTENT:
            choice = child.find(ns.MC_CHOICE)
            if choice is not None:
                _structural(choice, base, styles, out)


def _wide_gap(match: re.Match[str]) -> str:
    gap = match.group(0)
    return _BREAK if gap.count("\t") >= 2 or len(gap) >= 8 else gap


def resolve_breaks(text: str, in_table: bool) -> str:
    """A hard line break stays a line break between fields, and becomes a space inside a sentence."""
    if in_table and ("\t" in text or "        " in text):
        text = _WIDE_GAP.sub(_wide_gap, text)
    if _BREAK not in text:
        return _SPACES.sub(" ", text).strip()
    lines = [line for line in (_SPACES.sub(" ", raw).strip() for raw in text.split(_BREAK)) if line]
    if not lines:
        return ""
    pieces = [lines[0]]
    previous, previous_upper = lines[0], lines[0].isupper()  # the last piece, and its whole line's case
    for line in lines[1:]:
        upper = line.isupper()
        runs_on = not _TERMINAL.search(previous[-16:]) and not _LABEL_START.match(line)
        if runs_on and (line[0].islower() or (not in_table and not (upper and previous_upper))):
            pieces.append(" ")
            previous_upper = previous_upper and upper
        else:
            pieces.append(_BREAK)
            previous_upper = upper
        pieces.append(line)
        previous = line
    return "".join(pieces)


def read_paragraph(
    p: etree._Element, styles: Styles, in_table: bool, structural: bool = True
) -> RawParagraph:
    """`structural=False` is the fast path, for paragraphs not in `complex_paragraphs`."""
    style_id: str | None = None
    align: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    if len(p) and p[0].tag == ns.PPR:  # pPr, when present, is the first child
        for prop in p[0]:
            tag = prop.tag
            if tag == ns.P_STYLE:
                style_id = prop.get(ns.VAL)
            elif tag == ns.NUM_PR:
                num_id, ilvl = numbering_of(prop)
            elif tag == ns.JC:
                align = ALIGN.get(prop.get(ns.VAL, ""))
    style = styles.paragraph(style_id)
    out = _Out()
    if structural:
        _structural(p, style.run, styles, out)
    else:
        _fast(p, style.run, styles, out)
    text = resolve_breaks(nfc("".join(out.parts)), in_table)
    if num_id is None and style.num_id is not None:
        num_id = style.num_id
        ilvl = ilvl if ilvl is not None else style.ilvl
    runs = out.runs
    return RawParagraph(
        text=text,
        style=style.name,
        style_id=style_id or styles.default_paragraph,
        align=align or style.align,
        num_id=num_id,
        ilvl=ilvl,
        bold=runs > 0 and out.bold == runs,
        italic=runs > 0 and out.italic == runs,
        caps=runs > 0 and out.caps == runs,
        notes=out.notes,
        textboxes=out.textboxes,
    )


def note_text(note: etree._Element, styles: Styles) -> str:
    """The text of a footnote or endnote (its own number mark is not text)."""
    parts = []
    for p in note.iter(ns.P):
        text = read_paragraph(p, styles, in_table=True).text.replace(_BREAK, " ")
        if text:
            parts.append(text)
    return " ".join(parts)
