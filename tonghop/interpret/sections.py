"""Body paragraphs → the five sections, one Item per list item or paragraph under a recognised heading.

A heading opens the category its words name (vocabulary `[headings]`); context headings (căn cứ, mục
đích…) and unknown headings at the same or a higher outline level close it, and so does a contact,
attachment or appendix line ("Đầu mối liên hệ…", "Biểu số liệu kèm theo"), which is never an item.
Sub-headings are not items, lead-ins ending with `:` are not items, and nothing outside a section ever
becomes one: a paragraph in the preamble that talks to the summarizer stays where it is, unread.
"""

from __future__ import annotations

import re

from schemas.report import SECTION_NAMES, Item, Sections
from tonghop.interpret.lines import Line
from tonghop.interpret.vocabulary import Vocabulary

MAX_HEADING_CHARS = 160
MAX_INLINE_HEAD_CHARS = 100
UPPER_HEADING_LEVEL = -2  # an unnumbered heading in capitals sits above `I.`
BOLD_HEADING_LEVEL = -1

_END_PUNCT = re.compile(r"[.;,!?…]['\"”’)]*$")
_TERMINAL = re.compile(r"[.;:!?…]['\"”’)]*$")


def split_inline(text: str) -> tuple[str, str]:
    """`Hạn chế, khó khăn: Nhiều tổ chức…` → (`Hạn chế, khó khăn`, `Nhiều tổ chức…`); else (text, "")."""
    if ":" not in text:
        return text, ""
    head, rest = (part.strip() for part in text.split(":", 1))
    if not head or not rest or len(head) > MAX_INLINE_HEAD_CHARS or _END_PUNCT.search(head):
        return text, ""
    return head, rest


def _heading_like(line: Line, text: str) -> bool:
    """Short, without final punctuation; an unnumbered line must also look like a heading."""
    text = text.rstrip(":").strip()
    if not text or len(text) > MAX_HEADING_CHARS or _END_PUNCT.search(text):
        return False
    if line.label is None:
        return line.bold or line.upper
    return True


def _level(line: Line) -> int:
    if line.level is not None:
        return line.level
    return UPPER_HEADING_LEVEL if line.upper else BOLD_HEADING_LEVEL


def _has_children(line: Line, following: Line | None) -> bool:
    if following is None:
        return False
    return following.level is None or line.level is None or following.level > line.level


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: dict[str, list[Item]] = {name: [] for name in SECTION_NAMES}
        self.last: Item | None = None

    def add(self, category: str, text: str, line: Line) -> None:
        if text.endswith("./."):
            text = text[:-2]  # the end mark of the document, not part of the sentence
        item = Item(text=text, source=line.block.source(self.file))
        self.items[category].append(item)
        self.last = item

    def continues(self, line: Line) -> bool:
        """A sentence cut by a page break: an unnumbered lower-case line after an unfinished item."""
        first = line.text[:1]
        return (
            self.last is not None
            and line.label is None
            and first.isalpha()
            and first.islower()
            and not _TERMINAL.search(self.last.text)
        )

    def extend_last(self, line: Line) -> None:
        assert self.last is not None
        self.last.text = f"{self.last.text} {line.text}"


def extract_sections(lines: list[Line], file: str, vocab: Vocabulary, doc_type: str | None) -> Sections:
    """Sections from the body's block lines (header and closing already cut off)."""
    body = [line for line in lines if not line.in_table]  # tables are data, read by the indicators
    out = _Collector(file)
    current: str | None = None
    section_level: int | None = None
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        if not line.is_list_item:
            head, rest = split_inline(line.text)
            candidate = head if rest else line.text
            heading_like = _heading_like(line, candidate)
            category = vocab.heading_category(candidate.rstrip(":"), doc_type) if heading_like else None
            if category == "context" and current == "proposals" and vocab.is_request(candidate):
                category = "proposals"  # "Đề nghị …" under a kiến nghị heading is a proposal
            if category is not None:
                current = category if category in SECTION_NAMES else None
                section_level = _level(line)
                out.last = None
                if rest and current:
                    out.add(current, rest, line)
                continue
            if heading_like:
                level = _level(line)
                numbered_or_upper = line.label is not None or line.upper
                if numbered_or_upper and section_level is not None and level <= section_level:
                    current, section_level, out.last = None, level, None
                    continue
                if _has_children(line, following):
                    out.last = None
                    continue
        if vocab.is_section_end(line.text):
            current, section_level, out.last = None, None, None
            continue
        if out.continues(line):
            out.extend_last(line)
            continue
        if line.text.endswith(":"):
            out.last = None
            continue
        if current is not None:
            out.add(current, line.text, line)
        else:
            out.last = None
    return Sections(**out.items)
