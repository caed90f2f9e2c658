"""Dates as documents write them: `ngày 05 tháng 6 năm 2026`, a blank day in drafts, `25/8/2025`, ISO."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_LONG = re.compile(
    r"ngày[\s._…]*(?P<d>\d{1,2})?[\s._…/-]*tháng[\s._…]*(?P<m>\d{1,2})?[\s._…/-]*năm[\s._…]*(?P<y>\d{4})?",
    re.IGNORECASE,
)
_SHORT = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})(?![\d/])")
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    """A date written in the text; `value` is None when a part is blank or the date does not exist."""

    value: dt.date | None
    text: str
    complete: bool


def _make(d: str | None, m: str | None, y: str | None) -> dt.date | None:
    if not (d and m and y):
        return None
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_long_date(text: str) -> FoundDate | None:
    """`ngày 05 tháng 6 năm 2026` anywhere in `text`; a blank part gives `complete=False`."""
    match = _LONG.search(text)
    if match is None:
        return None
    d, m, y = match.group("d"), match.group("m"), match.group("y")
    return FoundDate(_make(d, m, y), match.group(0).strip(), bool(d and m and y))


def find_short_date(text: str) -> FoundDate | None:
    """`25/8/2025`, `5-6-2026` or `2025-08-25`: the first one in `text`."""
    candidates = []
    for pattern in (_SHORT, _ISO):
        match = pattern.search(text)
        if match is not None:
            candidates.append(match)
    if not candidates:
        return None
    match = min(candidates, key=lambda m: m.start())
    value = _make(match.group("d"), match.group("m"), match.group("y"))
    return FoundDate(value, match.group(0), value is not None)


def month_of(text: str | None) -> str | None:
    """`2026-01` for a long date whose month and year are written, even with a blank day (a draft)."""
    match = _LONG.search(text or "")
    if match is None or not (match.group("m") and match.group("y")):
        return None
    month = int(match.group("m"))
    return f"{match.group('y')}-{month:02d}" if 1 <= month <= 12 else None
