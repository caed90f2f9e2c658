"""Coverage (who reported, who is missing) and indicator totals: computed in code, never by a model."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from schemas.report import INDICATOR_LABELS_VI, INDICATOR_NAMES, CommuneReport, DocType, Status
from schemas.scope import Scope
from schemas.summary import Coverage, IndicatorTotal, Totals, UnitRef
from tonghop.text import province_key
from tonghop.units.roster import Roster

# Files that are no report of the commune at all (another body's paperwork, another subject): registered
# and listed, but the commune has not sent anything for the round on their account.
_NOT_REPORTS = (Status.OTHER_ISSUER, Status.OFF_TOPIC)


def unit_ref(report: CommuneReport) -> UnitRef:
    assert report.unit is not None
    return UnitRef(code=report.unit.code, name=report.unit.name, province=report.unit.province)


def _in_scope(report: CommuneReport, province: str | None) -> bool:
    if report.unit is None:
        return False
    return province is None or province_key(report.unit.province or "") == province_key(province)


def compute_coverage(
    reports: list[CommuneReport],
    expected: list[UnitRef],
    *,
    province: str | None,
    deadline: dt.date | None,
) -> Coverage:
    """Counts communes, not files: a commune that sent three documents is one commune received; a
    document of another body or on another subject does not make its commune received."""
    expected_codes = {u.code for u in expected}
    received: dict[int, CommuneReport] = {}
    accepted: dict[int, CommuneReport] = {}
    legacy: dict[str, UnitRef] = {}
    for r in reports:
        if not _in_scope(r, province) or r.unit is None:
            continue
        if r.unit.code is None:
            if r.status == Status.ACCEPTED:
                legacy[r.unit.name] = unit_ref(r)
            continue
        if r.unit.code not in expected_codes or r.status in _NOT_REPORTS:
            continue
        first = received.get(r.unit.code)
        if first is None or (r.received_at and first.received_at and r.received_at < first.received_at):
            received[r.unit.code] = r
        if r.status == Status.ACCEPTED:
            accepted.setdefault(r.unit.code, r)
    on_time = late = None
    if deadline is not None:
        cutoff = dt.datetime.combine(deadline, dt.time.max, tzinfo=dt.UTC)
        on_time = sum(1 for r in received.values() if r.received_at is None or r.received_at <= cutoff)
        late = len(received) - on_time
    return Coverage(
        expected=len(expected),
        received=len(received),
        accepted=len(accepted),
        on_time=on_time,
        late=late,
        deadline=deadline,
        by_status=dict(sorted(Counter(r.status.value for r in reports).items())),
        accepted_units=sorted(
            (unit_ref(r) for r in accepted.values()), key=lambda u: (u.province or "", u.name)
        ),
        missing=sorted(
            (u for u in expected if u.code not in accepted), key=lambda u: (u.province or "", u.name)
        ),
        legacy_units=sorted(legacy.values(), key=lambda u: u.name),
    )


def round_coverage(
    reports: list[CommuneReport], roster: Roster, scope: Scope, deadline: dt.date | None
) -> tuple[Coverage, dict[str, Coverage]]:
    """The round's coverage against the roster and, for a national round, each province's."""
    coverage = compute_coverage(
        reports, roster.communes(scope.province), province=scope.province, deadline=deadline
    )
    if not scope.national:
        return coverage, {}
    grouped: dict[str, list[CommuneReport]] = defaultdict(list)
    for r in reports:
        if r.unit is not None and r.unit.province:
            grouped[r.unit.province].append(r)
    by_province = {
        name: compute_coverage(group, roster.communes(name), province=name, deadline=deadline)
        for name, group in sorted(grouped.items())
    }
    return coverage, by_province


def _priority(report: CommuneReport) -> tuple[int, dt.date, str]:
    return (int(report.doc_type == DocType.BAO_CAO), report.issued_on or dt.date.min, report.file)


def unit_indicators(reports: list[CommuneReport]) -> dict[int, dict[str, int]]:
    """One value per commune and indicator, from its most authoritative accepted document.

    A commune that sent a report and a plan must not be counted twice: the báo cáo wins, then the later
    document.
    """
    by_unit: dict[int, list[CommuneReport]] = defaultdict(list)
    for r in reports:
        if r.status == Status.ACCEPTED and r.unit is not None and r.unit.code is not None:
            by_unit[r.unit.code].append(r)
    values: dict[int, dict[str, int]] = {}
    for code, group in by_unit.items():
        group.sort(key=_priority, reverse=True)
        chosen: dict[str, int] = {}
        for name in INDICATOR_NAMES:
            for r in group:
                value = getattr(r.indicators, name)
                if value is not None:
                    chosen[name] = value
                    break
        values[code] = chosen
    return values


def compute_totals(reports: list[CommuneReport]) -> Totals:
    per_unit = unit_indicators(reports)
    totals = []
    for name in INDICATOR_NAMES:
        present = [v[name] for v in per_unit.values() if name in v]
        totals.append(
            IndicatorTotal(
                indicator=name,
                label=INDICATOR_LABELS_VI[name],
                total=sum(present),
                reporting_units=len(present),
            )
        )

    def rate(part: str) -> float | None:
        pairs = [(v[part], v["staff_total"]) for v in per_unit.values() if part in v and v.get("staff_total")]
        denominator = sum(t for _, t in pairs)
        return round(sum(p for p, _ in pairs) / denominator, 4) if denominator else None

    return Totals(
        indicators=totals,
        staff_using_ai_rate=rate("staff_using_ai"),
        staff_trained_rate=rate("staff_trained"),
    )
