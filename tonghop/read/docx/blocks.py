"""Walked paragraphs → Blocks: labels, Markdown, run-on sentences, header and signature tables.

A sentence that Word split over a page (or a clerk split with Enter) is joined back when the first part
has no final punctuation and the next paragraph, unnumbered, starts in lower case: the Đắk Glei report's
"…tiếp tục triển khai các" / "dịch vụ công trực tuyến…" is one item, not two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from schemas.document import Block
from tonghop.read.docx.labels import level_of, split_label, strip_markdown
from tonghop.read.docx.walk import Item
from tonghop.text import fold

_TERMINAL = re.compile(r"[.:;!?…]['\"”’)\]*]*$")
# Header-block markers fixed by Nghị định 30 (format, not analyst vocabulary).
_NATIONAL = re.compile(r"cộng hòa xã hội chủ nghĩa|độc lập\s*-\s*tự do")
_NUMBER_LINE = re.compile(r"^[ \t]*số[ \t]*:", re.MULTILINE)
_SIGNATURE = re.compile(r"nơi nhận|^[ \t]*(tm|kt|tl|tuq|q)\.\s", re.MULTILINE)
_HEADER_BEFORE = 6  # a header table comes before this many body paragraphs
_PAIR_WINDOW = 8  # paragraphs over which a Markdown `**` may stay open


@dataclass
class Draft:
    item: Item
    text: str
    label: str | None
    level: int | None
    bold: bool
    italic: bool
    notes: list[tuple[str, int]]
    tail: list[str] = field(default_factory=list)  # run-on paragraphs joined to this one

    @property
    def container(self) -> tuple[int, int, int] | None:
        where = self.item.where
        return None if where is None else (where.table, where.row, where.cell)


def _draft(item: Item) -> tuple[Draft, tuple[bool, bool]]:
    raw = item.raw
    markup = strip_markdown(raw.text)
    draft = Draft(
        item=item,
        text=markup.text,
        label=None,
        level=None,
        bold=raw.bold or markup.bold,
        italic=raw.italic or markup.italic,
        notes=list(raw.notes),
    )
    return draft, (markup.opens, markup.closes)


def _pair_bold(drafts: list[Draft], marks: list[tuple[bool, bool]]) -> None:
    """`**TM. ỦY BAN NHÂN DÂN` … `CHỦ TỊCH**`: every paragraph of the pair is bold."""
    opened: int | None = None
    for position, (opens, closes) in enumerate(marks):
        if opens:
            opened = position
        elif closes and opened is not None and position - opened <= _PAIR_WINDOW:
            if all(d.container == drafts[opened].container for d in drafts[opened : position + 1]):
                for draft in drafts[opened : position + 1]:
                    draft.bold = True
            opened = None


def _number(draft: Draft) -> None:
    auto = draft.item.label
    if auto is not None:
        draft.label = auto
        draft.level = level_of(auto)
        if draft.level is None and draft.item.raw.ilvl is not None:
            draft.level = draft.item.raw.ilvl
        return
    label, rest = split_label(draft.text)
    if label is not None:
        draft.label, draft.text, draft.level = label, rest, level_of(label)


def _runs_on(previous: Draft, following: Draft) -> bool:
    if following.label is not None or not following.text or not previous.text:
        return False
    last = previous.tail[-1] if previous.tail else previous.text
    if previous.container != following.container or _TERMINAL.search(last[-16:]):
        return False
    return following.text[0].islower()


NoteKey = tuple[str, int]


def build(items: list[Item]) -> tuple[list[Draft], dict[NoteKey, int]]:
    """Drafts in document order (run-on sentences joined) and where each paragraph's notes now live."""
    drafts: list[Draft] = []
    marks: list[tuple[bool, bool]] = []
    for item in items:
        draft, mark = _draft(item)
        drafts.append(draft)
        marks.append(mark)
    _pair_bold(drafts, marks)
    joined: list[Draft] = []
    previous: Draft | None = None
    for draft in drafts:
        _number(draft)
        if not draft.text and draft.label is None and not draft.notes:
            continue  # an empty paragraph neither ends nor starts a sentence
        if previous is not None and _runs_on(previous, draft):
            previous.tail.append(draft.text)  # joined once at the end: no quadratic concatenation
            previous.bold = previous.bold and draft.bold
            previous.italic = previous.italic and draft.italic
            previous.notes.extend(draft.notes)
            continue
        joined.append(draft)
        previous = draft
    anchors: dict[NoteKey, int] = {}
    for draft in joined:
        if draft.tail:
            draft.text = " ".join([draft.text, *draft.tail])
        for note in draft.notes:
            anchors.setdefault(note, draft.item.index)
    return joined, anchors


def table_marks(items: Iterable[Item]) -> tuple[set[int], set[int]]:
    """Top-level tables that hold the ND30 header block, and those that hold the signature block."""
    texts: dict[int, list[str]] = {}
    body_before: dict[int, int] = {}
    body_seen = 0
    for item in items:
        where = item.where
        if where is None:
            if item.raw.text.strip():
                body_seen += 1
            continue
        texts.setdefault(where.top, []).append(item.raw.text)
        body_before.setdefault(where.top, body_seen)
    header: set[int] = set()
    signature: set[int] = set()
    for top, lines in texts.items():
        text = fold("\n".join(lines).replace("*", ""))
        text_lines = "\n".join(fold(line) for line in lines)
        if body_before[top] < _HEADER_BEFORE and (_NATIONAL.search(text) or _NUMBER_LINE.search(text_lines)):
            header.add(top)
        elif _SIGNATURE.search(text_lines):
            signature.add(top)
    return header, signature


def to_blocks(drafts: list[Draft], header: set[int], signature: set[int]) -> list[Block]:
    blocks = []
    for draft in drafts:
        if not draft.text:
            continue
        where = draft.item.where
        raw = draft.item.raw
        text = draft.text
        upper = raw.caps or (text.isupper() and text == text.upper())
        blocks.append(
            Block(
                index=draft.item.index,
                text=draft.text,
                label=draft.label,
                level=draft.level,
                auto_numbered=draft.item.label is not None,
                bold=draft.bold,
                italic=draft.italic,
                upper=upper,
                align=raw.align,
                style=raw.style,
                table=None if where is None else where.table,
                row=None if where is None else where.row,
                cell=None if where is None else where.cell,
                in_header_table=where is not None and where.top in header,
                in_signature_table=where is not None and where.top in signature,
            )
        )
    return blocks


def fill_tables(tables: list[list[list[str]]], drafts: list[Draft]) -> None:
    """Cell texts for `ParsedDocument.tables`, labels included (an auto-numbered `TT` column reads 1., 2.)."""
    cells: dict[tuple[int, int, int], list[str]] = {}
    for draft in drafts:
        where = draft.item.where
        if where is None:
            continue
        text = " ".join(part for part in (draft.label, draft.text) if part)
        if text:
            cells.setdefault((where.table, where.row, where.cell), []).append(text)
    for (table, row, cell), lines in cells.items():
        tables[table][row][cell] = "\n".join(lines)
