"""Vietnamese numbers as clerks write them: `1.234` (thousands), `77,8%` (decimal comma), `02 lớp`, `hai lớp`.

Real documents also mix separators (`96,62` next to `90.91` in the same report), so a dot followed by
exactly three digits is a thousands separator and any other single dot or comma is a decimal mark.
"""

from __future__ import annotations

import re

_UNITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_TEN = {"mười": 10}
_WORDS = (*_UNITS, *_TEN, "mươi", "trăm", "linh", "lẻ", "nghìn", "ngàn")

# A number in digits (with thousands dots) or in words; used inside larger patterns.
_WORD_ALTERNATIVES = "|".join(sorted(_WORDS, key=len, reverse=True))
NUMBER_WORDS_RE = rf"(?<!\w)(?:{_WORD_ALTERNATIVES})(?:\s+(?:{_WORD_ALTERNATIVES}))*(?!\w)"
NUMBER_RE = r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+(?!\d|[.,]\d)|\d+(?!\d|[.,]\d))"
DECIMAL_RE = r"\d+(?:[.,]\d+)?"

_INT_DIGITS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")
_SPACE = re.compile(r"\s+")


def parse_words(text: str) -> int | None:
    """`hai` → 2, `mười hai` → 12, `hai mươi lăm` → 25, `một trăm linh năm` → 105; None if not a number."""
    words = _SPACE.split(text.strip().lower())
    if not words or words == [""]:
        return None
    total = 0
    current = 0
    seen = False
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "mười":
            current += 10
        elif word == "mươi":
            current = (current or 1) * 10
        elif word == "trăm":
            current = (current or 1) * 100
        elif word in ("nghìn", "ngàn"):
            total += (current or 1) * 1000
            current = 0
        elif word in ("linh", "lẻ"):
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_int(text: str) -> int | None:
    """A whole count: `1.234` → 1234, `02` → 2, `hai` → 2, `36 người` → 36; None for `77,8` or prose."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _INT_DIGITS.match(cleaned)
    if match:
        rest = cleaned[match.end() :]
        if rest[:1] in {",", "."} and rest[1:2].isdigit():
            return None
        return int(match.group(0).replace(".", ""))
    return parse_words(cleaned)


def parse_count_cell(text: str) -> int | None:
    """A table cell that holds only a count (optionally with a unit word): `36`, `1.234`, `02 người`."""
    cleaned = text.strip().rstrip(".;")
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:\s+[^\d\s]+(?:\s+[^\d\s]+)?)?", cleaned)
    if match is None:
        return None
    return int(match.group(1).replace(".", ""))


def parse_decimal(text: str) -> float | None:
    """`77,8` → 77.8, `90.91` → 90.91, `1.234` → 1234.0, `1.234,5` → 1234.5."""
    cleaned = text.strip().rstrip("%").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", cleaned):
        return float(cleaned.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", cleaned):
        return float(cleaned.replace(",", "."))
    return None


def format_decimal(value: float) -> str:
    """77.777 → `77,8`; 100.0 → `100`: how a Vietnamese reader expects a percentage."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}".replace(".", ",")
