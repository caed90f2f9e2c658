"""Decide each file's final status once every file of the round has been read.

Order matters and is fixed: rejected (the file itself is unusable) → duplicate (byte-identical to an
earlier file) → superseded (the same unit sent a newer document of the same type) → out of scope (a unit
outside the province being consolidated) → accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from schemas.report import CommuneReport, Issue, Status
from tonghop.text import fold, province_key

_NUMBER_RE = re.compile(r"(\d+)\s*/\s*([A-ZĐ0-9\-]+)", re.IGNORECASE)


def _received_key(report: CommuneReport) -> tuple[dt.datetime, str]:
    return (report.received_at or dt.datetime.min.replace(tzinfo=dt.UTC), report.file)


def _unit_key(report: CommuneReport) -> str | None:
    if report.unit is None:
        return None
    if report.unit.code is not None:
        return f"code:{report.unit.code}"
    return f"legacy:{fold(report.unit.name)}:{report.unit.province or ''}"


def _replaces(newer: CommuneReport, older: CommuneReport) -> bool:
    """True when `newer` says it replaces `older` ("thay thế Báo cáo số 12/BC-UBND")."""
    if not newer.replaces or not older.number:
        return False
    wanted = _NUMBER_RE.search(newer.replaces)
    have = _NUMBER_RE.search(older.number)
    if not wanted or not have:
        return False
    return int(wanted.group(1)) == int(have.group(1)) and fold(wanted.group(2)) == fold(have.group(2))


def _newest(group: list[CommuneReport]) -> CommuneReport:
    """Explicit replacement wins; then the later issue date; then the later receipt."""
    for candidate in group:
        if any(_replaces(candidate, other) for other in group if other is not candidate):
            return candidate

    def key(r: CommuneReport) -> tuple[dt.date, dt.datetime, str]:
        return (r.issued_on or dt.date.min, *_received_key(r))

    dated = [r for r in group if r.issued_on is not None]
    undated = [r for r in group if r.issued_on is None]
    if dated and undated:
        # A blank date cannot be compared with a real one: fall back to receipt order for everyone.
        return max(group, key=_received_key)
    return max(group, key=key)


def decide_statuses(reports: list[CommuneReport], province: str | None) -> list[CommuneReport]:
    """Returns new reports (same order) with `status`, `duplicate_of`, `superseded_by`, `supersedes` set."""
    decided: dict[int, CommuneReport] = {}
    alive: list[tuple[int, CommuneReport]] = []
    for i, report in enumerate(reports):
        report = report.model_copy(update={"duplicate_of": None, "superseded_by": None, "supersedes": []})
        if report.errors:
            decided[i] = report.model_copy(update={"status": Status.REJECTED})
        else:
            alive.append((i, report))

    # Byte-identical files: the first received is the original.
    by_hash: dict[str, list[tuple[int, CommuneReport]]] = defaultdict(list)
    for i, report in alive:
        by_hash[report.sha256].append((i, report))
    originals: list[tuple[int, CommuneReport]] = []
    for group in by_hash.values():
        group.sort(key=lambda pair: _received_key(pair[1]))
        first = group[0]
        originals.append(first)
        for i, report in group[1:]:
            decided[i] = report.model_copy(update={"status": Status.DUPLICATE, "duplicate_of": first[1].file})

    # Same unit, same document type: only the newest counts.
    by_unit: dict[tuple[str, str], list[tuple[int, CommuneReport]]] = defaultdict(list)
    rest: list[tuple[int, CommuneReport]] = []
    for i, report in originals:
        key = _unit_key(report)
        if key is None:
            rest.append((i, report))
        else:
            by_unit[(key, report.doc_type.value)].append((i, report))
    for group in by_unit.values():
        if len(group) == 1:
            rest.append(group[0])
            continue
        winner = _newest([r for _, r in group])
        losers = sorted(r.file for _, r in group if r is not winner)
        for i, report in group:
            if report is winner:
                rest.append((i, report.model_copy(update={"supersedes": losers})))
            else:
                decided[i] = report.model_copy(
                    update={"status": Status.SUPERSEDED, "superseded_by": winner.file}
                )

    wanted = province_key(province) if province else None
    for i, report in rest:
        status = Status.ACCEPTED
        if report.unit is None:
            report = report.model_copy(
                update={
                    "errors": [
                        Issue(
                            code="unit_not_found",
                            message=f"Tệp {report.file}: không xác định được xã/phường ban hành văn bản.",
                        )
                    ]
                }
            )
            status = Status.REJECTED
        elif wanted and province_key(report.unit.province or "") != wanted:
            status = Status.OUT_OF_SCOPE
        decided[i] = report.model_copy(update={"status": status})
    return [decided[i] for i in range(len(reports))]
