"""The header of an administrative document (Nghị định 30): issuer, Số, place and date, type, trích yếu,
Kính gửi — and where the body begins.

The header comes as a table or as plain paragraphs, in any order the clerk typed it, so each line is
recognised on its own (motto, `Số:`, `…, ngày … tháng … năm …`, `V/v`, `BÁO CÁO`, `Kính gửi`) and the
header ends at the first line that is none of these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from schemas.document import ParsedDocument
from tonghop.interpret.dates import find_long_date
from tonghop.interpret.lines import Line, is_decor
from tonghop.interpret.vocabulary import Vocabulary, key, starts_with_phrase

MAX_HEADER_LINES = 60
MAX_TITLE_LINES = 4

_NUMBER = re.compile(
    r"^số\s*[:.]?\s*(?P<num>\d+[a-zA-Z]?)?[\s._…]*/\s*(?P<sym>[^\s,;]+)(?P<rest>.*)$", re.IGNORECASE
)
_PLACE_DATE = re.compile(r"^(?:(?P<place>[^,\d:;]{2,60}?)\s*,\s*)?(?P<rest>ngày\b.*tháng.*)$", re.IGNORECASE)
_ABOUT = re.compile(r"^(?:v/v|v\.v|về việc)\b[\s:.]*", re.IGNORECASE)
_TERMINAL = re.compile(r"[.;:]$")


@dataclass
class Header:
    issuing_lines: list[str] = field(default_factory=list)
    issuing_body: str | None = None
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    issued_on: dt.date | None = None
    date_text: str | None = None
    date_blank: bool = False
    type_title: str | None = None
    title: str | None = None
    about: bool = False
    recipients: list[str] = field(default_factory=list)
    motto: bool = False
    body_start: int = 0

    @property
    def administrative(self) -> bool:
        return bool(
            self.motto or self.symbol or self.date_text or self.type_title or self.about or self.recipients
        )


def header_tables(doc: ParsedDocument) -> set[int]:
    """Tables holding the header: flagged by the reader, or an early table with the motto or `Số:`."""
    found = {b.table for b in doc.blocks if b.in_header_table and b.table is not None}
    for position, block in enumerate(doc.blocks[:40]):
        if block.table is None or block.table in found or position > 12:
            continue
        folded = key(block.text)
        if (
            "cộng hòa xã hội chủ nghĩa" in folded
            or "cộng hoà xã hội chủ nghĩa" in folded
            or _NUMBER.match(block.text.strip())
        ):
            found.add(block.table)
    return found


def _is_motto(line: Line, vocab: Vocabulary) -> bool:
    return any(starts_with_phrase(line.key, m) for m in vocab.motto) or line.key.startswith(
        "cộng hoà xã hội chủ nghĩa"
    )


def _after_colon(text: str) -> str:
    return text.split(":", 1)[1].strip() if ":" in text else ""


def _clean_entry(text: str) -> str:
    return text.strip().lstrip("-–• ").rstrip(" ;,.").strip()


def _doc_title(line: Line, vocab: Vocabulary) -> tuple[str, str] | None:
    """(doc type, rest of the line) for `BÁO CÁO` or `BÁO CÁO KẾT QUẢ …` typed in capitals."""
    if not line.upper or line.label:
        return None
    if line.key in vocab.doc_titles:
        return vocab.doc_titles[line.key], ""
    for phrase, doc_type in vocab.doc_titles.items():
        if starts_with_phrase(line.key, phrase) and len(line.text) <= 200:
            return doc_type, " ".join(line.text.split()[len(phrase.split()) :])
    return None


def _is_trich_yeu(line: Line, previous: Line, title_line: Line, count: int, vocab: Vocabulary) -> bool:
    if is_decor(line.text) or line.is_numbered or line.is_list_item or len(line.text) > 250:
        return False
    if _TERMINAL.search(line.text) or _NUMBER.match(line.text) or _PLACE_DATE.match(line.text):
        return False
    if any(starts_with_phrase(line.key, p) for p in (*vocab.recipients, *vocab.cc)):
        return False
    if title_line.bold and not line.bold:
        return False
    if count > 0 and line.text[:1].islower():
        return True  # the trích yếu continues on the next line
    if count > 0 and (line.upper != previous.upper or line.bold != previous.bold):
        return False  # a heading in capitals or in bold after a plain trích yếu
    if count > 0 or not (title_line.bold and line.bold):
        return not any(starts_with_phrase(line.key, p) for p in vocab.body_starters)
    return True


def _continues(line: Line, previous: Line, opened_quotes: int) -> bool:
    """A `V/v …` line split over several lines: the next one starts in lower case or closes a quote."""
    if line.in_table != previous.in_table or (line.in_table and line.container != previous.container):
        return False
    first = line.text[:1]
    return opened_quotes > 0 or (first.isalpha() and first.islower())


def _assemble_issuer(lines: list[str], vocab: Vocabulary) -> str | None:
    """`ỦY BAN NHÂN DÂN` + `XÃ KẼ SẮT` is one issuer; `UBND TỈNH LÀO CAI` + `SỞ CÔNG THƯƠNG` is a parent
    and its issuer; lines after the parent are one issuer split over lines."""
    divisions = (*vocab.commune_divisions, *vocab.district_divisions, *vocab.province_divisions)
    merged: list[str] = []
    for text in lines:
        k = key(text)
        if merged and key(merged[-1]) in vocab.bodies and any(starts_with_phrase(k, d) for d in divisions):
            merged[-1] = f"{merged[-1]} {text}"
        else:
            merged.append(text)
    if not merged:
        return None
    return merged[0] if len(merged) == 1 else " ".join(merged[1:])


def parse_header(lines: list[Line], tables: set[int], vocab: Vocabulary) -> Header:
    """Header fields from physical lines in document order; `body_start` is a block position."""
    header = Header()
    last = -1
    title_line: Line | None = None
    i = 0
    limit = min(len(lines), MAX_HEADER_LINES)
    while i < limit:
        line = lines[i]
        text = line.text
        in_header_table = line.block.table in tables
        if is_decor(text):
            i += 1
            continue
        if _is_motto(line, vocab):
            header.motto = True
            last = i
            i += 1
            continue
        number = _NUMBER.match(text) if header.symbol is None else None
        if number:
            header.symbol = number.group("sym").rstrip(".,;")
            if number.group("num"):
                header.number = f"{number.group('num')}/{header.symbol}"
            rest = number.group("rest").strip()
            if rest and header.date_text is None:
                _read_place_date(rest, header)
            last = i
            i += 1
            continue
        if header.date_text is None and _read_place_date(text, header):
            last = i
            i += 1
            continue
        about = (
            _ABOUT.match(text) if not header.about and (in_header_table or header.administrative) else None
        )
        if about:
            parts = [text]
            quotes = text.count("“") - text.count("”")
            j = i + 1
            while j < len(lines) and _continues(lines[j], lines[j - 1], quotes):
                parts.append(lines[j].text)
                quotes += lines[j].text.count("“") - lines[j].text.count("”")
                j += 1
            header.about = True
            header.title = header.title or " ".join(parts)
            last = j - 1
            i = j
            continue
        found_title = _doc_title(line, vocab) if not in_header_table and title_line is None else None
        if found_title:
            header.type_title, rest = found_title
            title_line = line
            parts = [rest] if rest else []
            j = i + 1
            while j < len(lines) and len(parts) < MAX_TITLE_LINES:
                if is_decor(lines[j].text):
                    j += 1
                    if parts:
                        break
                    continue
                if not _is_trich_yeu(lines[j], lines[j - 1], line, len(parts), vocab):
                    break
                parts.append(lines[j].text)
                j += 1
            if parts:
                header.title = " ".join(parts)
            last = j - 1
            i = j
            continue
        if any(starts_with_phrase(line.key, p) for p in vocab.recipients):
            first = _clean_entry(_after_colon(text))
            if first:
                header.recipients.append(first)
            j = i + 1
            while j < len(lines) and lines[j].is_list_item and not lines[j].text.endswith(":"):
                header.recipients.append(_clean_entry(lines[j].text))
                j += 1
            last = j - 1
            i = j
            continue
        if in_header_table:
            if line.upper:
                header.issuing_lines.append(text)
            last = i
            i += 1
            continue
        if line.upper and title_line is None and len(text) <= 120 and not line.label:
            header.issuing_lines.append(text)
            last = i
            i += 1
            continue
        break
    if not header.administrative:  # a news article: no header, the body starts at once
        return Header(issued_on=None)
    # Header-table lines after the stop (another cell) still belong to the header.
    positions = [lines[last].pos] if last >= 0 else []
    positions += [ln.pos for ln in lines if ln.block.table in tables]
    header.body_start = max(positions) + 1 if positions else 0
    header.issuing_body = _assemble_issuer(header.issuing_lines[:4], vocab)
    return header


def _read_place_date(text: str, header: Header) -> bool:
    match = _PLACE_DATE.match(text.strip())
    if match is None:
        return False
    rest = match.group("rest")
    found = find_long_date(rest)
    # The line is a dateline only when the date ends it: "Hôm nay, ngày 5 tháng 6…, UBND xã…" is prose.
    if found is None or len(rest) - (rest.find(found.text) + len(found.text)) > 3:
        return False
    header.place = (match.group("place") or "").strip() or None
    header.date_text = text.strip()
    header.issued_on = found.value
    header.date_blank = not found.complete or found.value is None
    return True
