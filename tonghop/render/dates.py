"""Dates and periods as Decree 30/2020 writes them.

The decree pads days below 10 and the months January and February with a zero (`ngày 05 tháng 01`), and
only those: `tháng 06` is wrong. Every date printed by the renderers goes through here so the rule lives in
one place.
"""

from __future__ import annotations

import datetime as dt
import re

VN_TZ = dt.timezone(dt.timedelta(hours=7), name="Asia/Ho_Chi_Minh")

_ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROUND_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>H[12]|Q[1-4]|\d{2}))?$")


def day_text(day: int) -> str:
    return f"{day:02d}"


def month_text(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def long_date(date: dt.date) -> str:
    """`ngày 05 tháng 6 năm 2026`, `ngày 15 tháng 01 năm 2026`."""
    return f"ngày {day_text(date.day)} tháng {month_text(date.month)} năm {date.year}"


def place_date(place: str, date: dt.date) -> str:
    """The date line of the header: `Nghệ An, ngày 05 tháng 6 năm 2026`."""
    return f"{place}, {long_date(date)}"


def short_date(date: dt.date) -> str:
    """The form used when citing a document in running text: `05/6/2026`, `26/01/2021`."""
    return f"{day_text(date.day)}/{month_text(date.month)}/{date.year}"


def local_date(moment: dt.datetime | None) -> dt.date:
    """The calendar day in Vietnam of a (UTC) timestamp; today when there is none."""
    if moment is None:
        return dt.datetime.now(VN_TZ).date()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VN_TZ).date()


def round_label(name: str) -> str:
    """The period a round covers, as a report title says it: `6 tháng đầu năm 2026`, `quý II năm 2026`."""
    match = _ROUND_RE.match(name)
    if not match:
        return f"kỳ {name}"
    year = match["year"]
    part = match["part"]
    if part is None:
        return f"năm {year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    if part.startswith("Q"):
        return f"quý {_ROMAN_QUARTERS[int(part[1])]} năm {year}"
    return f"tháng {month_text(int(part))} năm {year}"
