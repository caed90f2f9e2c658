"""A ParsedDocument's blocks as lines to interpret, with the visible numbering apart from the text.

The .docx reader moves numbering into `Block.label` and strips Markdown; older readers and other sources
leave `1. Kết quả` or `**TM. …` in the text. Both arrive here as the same `Line`, so the interpreters
never care which reader ran. Outline levels follow the reader's convention: `I.` → 0, `1.` → 1,
`1.1.` → 2, `a)` → 4, `-`/bullets → 5, `+` → 6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from schemas.document import Block, ParsedDocument
from tonghop.interpret.vocabulary import key
from tonghop.text import squash

ROMAN_LEVEL = 0
LETTER_LEVEL = 4
DASH_LEVEL = 5
PLUS_LEVEL = 6

_LABEL = re.compile(
    r"""^(?:
        (?P<roman>[IVXLC]{1,6})[.)]\s+
      | (?P<num>\d{1,2}(?:\.\d{1,2})*)[.)]\s*(?=[^\W\d_])
      | (?P<dotted>\d{1,2}(?:\.\d{1,2})+)\s+(?=[^\W\d_])
      | (?P<letter>\(?[a-zđ]\))\s*(?=\S)
      | (?P<letter_dot>[a-zđ]\.)\s+
      | (?P<dash>[-–—])(?:\s+|(?=[^\W\d_]|["“(]))
      | (?P<plus>\+)\s*(?=\S)
      | (?P<bullet>[•●▪◦○■□♦❖➢►✓·*])\s+
    )""",
    re.VERBOSE,
)
_VALID_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})|L|LX{0,3}|C")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BOLD = re.compile(r"\*\*+")
_MD_WRAP = re.compile(r"^\*(?=\S)(.*\S)\*$")
_COLUMN_GAP = re.compile(r"\t+| {4,}")
_DECOR = re.compile(r"^[\s\-_=*.~–—…]+$")


def clean(text: str) -> str:
    """Text without Markdown marks, tabs or repeated spaces."""
    text = _MD_HEADING.sub("", text.strip())
    text = _MD_BOLD.sub("", text)
    wrapped = _MD_WRAP.match(text.strip())
    if wrapped:
        text = wrapped.group(1)
    return squash(text.replace("\t", " "))


def split_label(text: str) -> tuple[str | None, str]:
    """(`label`, rest) when `text` starts with typed numbering, else (None, text)."""
    match = _LABEL.match(text)
    if match is None:
        return None, text
    rest = text[match.end() :].strip()
    if not rest:
        return None, text
    roman = match.group("roman")
    if roman and not _VALID_ROMAN.fullmatch(roman):
        return None, text
    if match.group("dotted") and not rest[0].isupper():
        return None, text
    label = match.group(0).strip()
    if match.group("dash"):
        label = "-"
    return label, rest


def level_of(label: str | None) -> int | None:
    if not label:
        return None
    core = label.strip().strip("()").rstrip(".)").strip()
    if core in ("-", "–", "—", "•", "●", "▪", "◦", "○", "■", "□", "♦", "❖", "➢", "►", "✓", "·", "*"):
        return DASH_LEVEL
    if core == "+":
        return PLUS_LEVEL
    if re.fullmatch(r"\d{1,3}(\.\d{1,3})*", core):
        return core.count(".") + 1
    if re.fullmatch(r"[IVXLC]+", core):
        return ROMAN_LEVEL
    if re.fullmatch(r"[a-zđ]{1,2}", core):
        return LETTER_LEVEL
    return None


def is_upper(text: str) -> bool:
    """Typed in capitals (`BÁO CÁO`, `XÃ KẼ SẮT`); digits and punctuation do not count."""
    return text.isupper() and sum(c.isalpha() for c in text[:40]) >= 2


def is_decor(text: str) -> bool:
    return bool(_DECOR.match(text))


@dataclass(frozen=True)
class Line:
    """One line of text: a whole block, or one physical line of it (header and signature parsing)."""

    pos: int
    block: Block
    text: str
    label: str | None = None
    level: int | None = None

    @cached_property
    def key(self) -> str:
        return key(self.text)

    @cached_property
    def upper(self) -> bool:
        return self.block.upper or is_upper(self.text)

    @property
    def bold(self) -> bool:
        return self.block.bold

    @property
    def in_table(self) -> bool:
        return self.block.table is not None

    @property
    def container(self) -> tuple[int | None, int | None, int | None]:
        return (self.block.table, self.block.row, self.block.cell)

    @property
    def is_list_item(self) -> bool:
        """A dash, bullet or `+` item: never a heading."""
        return self.level is not None and self.level >= DASH_LEVEL

    @property
    def is_numbered(self) -> bool:
        return self.level is not None and self.level < DASH_LEVEL

    @property
    def full_text(self) -> str:
        return f"{self.label} {self.text}" if self.label else self.text


def make_line(pos: int, block: Block, raw: str, *, first: bool) -> Line:
    text = clean(raw)
    label = block.label if first else None
    if label:
        label = clean(label)
        level = level_of(label)
        if level is None:
            level = block.level
        return Line(pos, block, text, label, level)
    found, rest = split_label(text)
    if found is not None:
        return Line(pos, block, rest, found, level_of(found))
    return Line(pos, block, text)


def block_lines(doc: ParsedDocument) -> list[Line]:
    """One line per block, its hard line breaks read as spaces."""
    lines = []
    for pos, block in enumerate(doc.blocks):
        line = make_line(pos, block, block.text.replace("\n", " "), first=True)
        if line.text or line.label:
            lines.append(line)
    return lines


def columns(raw: str) -> list[str]:
    """`ỦY BAN NHÂN DÂN⇥⇥CỘNG HÒA…`: a header or signature typed in two columns with tabs or spaces.

    `Số:⇥/BC-UBND` and `Kính gửi:⇥Sở…` stay one line; `Nơi nhận:⇥⇥TM. ỦY BAN NHÂN DÂN` is two.
    """
    parts = [p.strip() for p in _COLUMN_GAP.split(raw) if p.strip()]
    merged: list[str] = []
    for part in parts:
        continues = part[0] in "/0123456789" or part[0].islower()
        if merged and (continues or (merged[-1].endswith(":") and not is_upper(part))):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def physical_lines(doc: ParsedDocument) -> list[Line]:
    """One line per line break and per column, for headers and signatures typed without a table."""
    lines = []
    for pos, block in enumerate(doc.blocks):
        first = True
        for raw in block.text.split("\n"):
            for part in columns(raw):
                line = make_line(pos, block, part, first=first)
                first = False
                if line.text:
                    lines.append(line)
    return lines
