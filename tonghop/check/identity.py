"""When two files of one commune are the same document, and which of them is the later.

A commune sends many documents in a round (a plan on inspections, one on citizen reception, a report), and
a later file replaces an earlier one only when it is the same document sent again: the text says so
("thay thế Báo cáo số 12/BC-UBND"), it has the same Số, or it has the same issuer, type and subject (the
titles read alike). Drafts carry a blank day ("ngày    tháng 01 năm 2026"): their month and year still
order them, and a file with no date at all is ordered by receipt against the others, one pair at a time,
so it never hides the dates of the rest.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from rapidfuzz import fuzz

from schemas.report import CommuneReport
from tonghop.text import fold

_NUMBER_RE = re.compile(r"(\d+)\s*/\s*([A-ZĐ0-9\-]+)", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s]+")
_ABOUT = re.compile(r"^(?:v v|về việc)\s+")
# A trích yếu says what the document does first ("Kiểm tra, giám sát…", "Tiếp công dân…") and the campaign
# it belongs to after ("…công tác bầu cử đại biểu Quốc hội khóa XVI…"): the head tells documents apart.
TITLE_HEAD_WORDS = 8


def received_key(report: CommuneReport) -> tuple[dt.datetime, str]:
    return (report.received_at or dt.datetime.min.replace(tzinfo=dt.UTC), report.file)


def _number(text: str | None) -> tuple[int, str] | None:
    match = _NUMBER_RE.search(text or "")
    return (int(match.group(1)), fold(match.group(2))) if match else None


def replaces(newer: CommuneReport, older: CommuneReport) -> bool:
    """True when `newer` says it replaces `older` ("thay thế Báo cáo số 12/BC-UBND")."""
    wanted = _number(newer.replaces)
    return wanted is not None and wanted == _number(older.number)


def _title_key(title: str | None) -> str:
    return _ABOUT.sub("", " ".join(_NON_WORD.sub(" ", fold(title or "")).split()))


def title_similarity(a: str | None, b: str | None) -> float:
    """How alike two trích yếu read, 0..1: the whole titles word order aside, and their heads in order.

    One body's documents on one campaign share a long tail ("…bầu cử đại biểu Quốc hội khóa XVI và đại
    biểu Hội đồng nhân dân các cấp…"), so the whole titles alone read alike; their heads do not.
    """
    key_a, key_b = _title_key(a), _title_key(b)
    head_a = " ".join(key_a.split()[:TITLE_HEAD_WORDS])
    head_b = " ".join(key_b.split()[:TITLE_HEAD_WORDS])
    return min(fuzz.token_sort_ratio(key_a, key_b), fuzz.ratio(head_a, head_b)) / 100


def _issuer_key(report: CommuneReport) -> str:
    issuer = report.issuer
    return issuer.kind.value if issuer is not None else ""


def same_document(a: CommuneReport, b: CommuneReport, threshold: float) -> bool:
    """Whether `a` and `b` are one document sent twice (already of one commune and one type)."""
    if replaces(a, b) or replaces(b, a):
        return True
    number_a, number_b = _number(a.number), _number(b.number)
    if number_a is not None and number_a == number_b:
        return True
    if _issuer_key(a) != _issuer_key(b):
        return False
    if not (_title_key(a.title) and _title_key(b.title)):
        # Nothing says what either is about: one commune's two untitled files of one type are taken as
        # versions of one document, as before titles were compared.
        return True
    return title_similarity(a.title, b.title) >= threshold


def _when(report: CommuneReport) -> tuple[int, int, int] | None:
    """(year, month, day) of issue; day 0 for a date written with a blank day."""
    if report.issued_on is not None:
        return (report.issued_on.year, report.issued_on.month, report.issued_on.day)
    if report.issued_month:
        year, month = report.issued_month.split("-")
        return (int(year), int(month), 0)
    return None


def _compare(a: CommuneReport, b: CommuneReport) -> int:
    """Negative when `a` is older: explicit replacement, then the issue dates as far as both are written
    (month and year for a blank day), then receipt."""
    if replaces(a, b):
        return 1
    if replaces(b, a):
        return -1
    when_a, when_b = _when(a), _when(b)
    if when_a is not None and when_b is not None:
        if when_a[:2] != when_b[:2]:
            return -1 if when_a[:2] < when_b[:2] else 1
        if when_a[2] and when_b[2] and when_a[2] != when_b[2]:
            return -1 if when_a[2] < when_b[2] else 1
    ra, rb = received_key(a), received_key(b)
    return -1 if ra < rb else (1 if ra > rb else 0)


def newest(group: list[CommuneReport]) -> CommuneReport:
    """The version of one document that counts."""
    return max(group, key=functools.cmp_to_key(_compare))


def versions(group: list[CommuneReport], threshold: float) -> list[list[CommuneReport]]:
    """`group` (one commune, one type) cut into documents, each a list of its versions, in file order."""
    parent = list(range(len(group)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(group)):
        for j in range(i + 1, len(group)):
            if same_document(group[i], group[j], threshold):
                parent[root(j)] = root(i)
    clusters: dict[int, list[CommuneReport]] = {}
    for i, report in enumerate(group):
        clusters.setdefault(root(i), []).append(report)
    return list(clusters.values())
