"""The view of a round that every output shares: the round itself, and the rows its tables are made of.

The report, the review page, the workbook and the data files are written from one `Round`, built once
after the summary; the commune table in it is computed here once and read by each writer, so the outputs
cannot disagree about a commune's status or figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from schemas.report import (
    DOC_TYPE_LABELS_VI,
    INDICATOR_NAMES,
    RATE_INDICATOR_NAMES,
    STATUS_LABELS_VI,
    CommuneReport,
    Status,
)
from schemas.scope import Scope
from schemas.summary import ProvincialSummary, UnitRef
from tonghop.check.coverage import unit_indicators
from tonghop.render.nd30 import clean, vn_number, vn_sort_key
from tonghop.settings import Settings

NO_VALUE = "—"
UNKNOWN_PROVINCE = "Chưa xác định tỉnh, thành phố"
MISSING_STATUS = "Chưa gửi báo cáo"


@dataclass
class CommuneRow:
    stt: str
    name: str
    values: dict[str, int | None]
    status: str
    group: bool = False
    code: int | None = None
    province: str | None = None
    accepted: bool = False


@dataclass
class FileRow:
    stt: str
    file: str
    unit: str
    doc_type: str
    status: str
    reason: str


@dataclass
class ProvinceFilesRow:
    """Phụ lục II of a national report: what one province's communes sent, counted by status."""

    stt: str
    province: str
    received: int
    accepted: int
    rejected: int
    repeated: int  # duplicates and superseded versions
    out_of_scope: int

    COLUMNS = ("received", "accepted", "rejected", "repeated", "out_of_scope")


def per_unit_rates(values: dict[str, int | None]) -> tuple[float | None, ...]:
    total = values.get("staff_total")
    if not total:
        return (None, None)
    return tuple(
        None if values.get(name) is None else (values[name] or 0) / total
        for name in ("staff_trained", "staff_using_ai")
    )


def rates_over(rows: list[CommuneRow]) -> dict[str, float | None]:
    """Each staff rate over the communes that gave both the figure and the staff total."""
    rates: dict[str, float | None] = {}
    for name in RATE_INDICATOR_NAMES:
        pairs = [(r.values[name], r.values["staff_total"]) for r in rows if r.values.get(name) is not None]
        denominator = sum(t or 0 for p, t in pairs if t)
        numerator = sum(p or 0 for p, t in pairs if t)
        rates[name] = round(numerator / denominator, 4) if denominator else None
    return rates


def commune_rows(reports: list[CommuneReport], summary: ProvincialSummary) -> list[CommuneRow]:
    """One row per commune of the scope that sent anything; national scope adds a row per province."""
    national = summary.scope.national
    figures = unit_indicators(reports)
    by_code: dict[int, list[CommuneReport]] = defaultdict(list)
    names: dict[int, UnitRef] = {}
    in_scope = {u.code for u in summary.coverage.accepted_units} | {u.code for u in summary.coverage.missing}
    for r in reports:
        if r.unit is None or r.unit.code is None or r.status == Status.OUT_OF_SCOPE:
            continue
        if in_scope and r.unit.code not in in_scope:
            continue
        by_code[r.unit.code].append(r)
        names[r.unit.code] = UnitRef(code=r.unit.code, name=r.unit.name, province=r.unit.province)
    rows: list[CommuneRow] = []
    for code, group in by_code.items():
        statuses = {r.status for r in group}
        accepted = Status.ACCEPTED in statuses
        if accepted:
            status = STATUS_LABELS_VI["accepted"]
        elif Status.REJECTED in statuses:
            status = "Bị từ chối, cần gửi lại"
        else:
            status = STATUS_LABELS_VI[sorted(statuses)[0].value]
        values: dict[str, int | None] = {n: figures.get(code, {}).get(n) for n in INDICATOR_NAMES}
        unit = names[code]
        rows.append(
            CommuneRow(
                "", clean(unit.name), values, status, code=code, province=unit.province, accepted=accepted
            )
        )
    rows.sort(
        key=lambda r: (vn_sort_key(r.province or "") if national else vn_sort_key(""), vn_sort_key(r.name))
    )
    out: list[CommuneRow] = []
    current: str | None = None
    for i, row in enumerate(rows):
        if national and row.province != current:
            current = row.province
            out.append(CommuneRow("", clean(current or "Chưa xác định"), {}, "", group=True))
        row.stt = str(i + 1)
        out.append(row)
    return out


def _province_order(item: tuple[str, object]) -> tuple[bool, tuple[tuple[int, ...], tuple[int, ...]]]:
    """Provinces in alphabetical order, the files of no known province after them."""
    return item[0] == UNKNOWN_PROVINCE, vn_sort_key(item[0])


def province_rows(communes: list[CommuneRow], summary: ProvincialSummary) -> list[CommuneRow]:
    """Phụ lục I of a national report: each province's communes summed, as one row per province.

    A figure is summed over the province's accepted communes that gave it, and is "—" where none did, as
    a commune's own row would be; the status counts accepted communes against those the roster expects.
    """
    grouped: dict[str, list[CommuneRow]] = defaultdict(list)
    for row in communes:
        if not row.group:
            grouped[row.province or UNKNOWN_PROVINCE].append(row)
    rows: list[CommuneRow] = []
    for index, (province, group) in enumerate(sorted(grouped.items(), key=_province_order)):
        accepted = [r for r in group if r.accepted]
        values: dict[str, int | None] = {}
        for name in INDICATOR_NAMES:
            given = [r.values[name] for r in accepted if r.values.get(name) is not None]
            values[name] = sum(v or 0 for v in given) if given else None
        coverage = summary.by_province.get(province)
        expected = coverage.expected if coverage is not None else len(group)
        rows.append(
            CommuneRow(
                str(index + 1),
                clean(province),
                values,
                f"{vn_number(len(accepted))}/{vn_number(expected)} hợp lệ",
                province=province,
                accepted=bool(accepted),
            )
        )
    return rows


def province_files_rows(reports: list[CommuneReport]) -> list[ProvinceFilesRow]:
    counts: dict[str, dict[Status, int]] = defaultdict(lambda: dict.fromkeys(Status, 0))
    for r in reports:
        province = r.unit.province if r.unit is not None and r.unit.province else ""
        counts[province or UNKNOWN_PROVINCE][r.status] += 1
    rows = []
    for index, (province, by_status) in enumerate(sorted(counts.items(), key=_province_order)):
        rows.append(
            ProvinceFilesRow(
                stt=str(index + 1),
                province=clean(province),
                received=sum(by_status.values()),
                accepted=by_status[Status.ACCEPTED],
                rejected=by_status[Status.REJECTED],
                repeated=by_status[Status.DUPLICATE] + by_status[Status.SUPERSEDED],
                out_of_scope=by_status[Status.OUT_OF_SCOPE],
            )
        )
    return rows


def file_rows(reports: list[CommuneReport]) -> list[FileRow]:
    rows = []
    for i, r in enumerate(sorted(reports, key=lambda r: r.file)):
        unit = r.unit.name if r.unit else (r.unit_text or "Chưa xác định")
        reason = r.reason()
        if not reason and r.warnings:
            reason = "Lưu ý: " + "; ".join(w.message for w in r.warnings)
        rows.append(
            FileRow(
                stt=str(i + 1),
                file=clean(r.file),
                unit=clean(unit),
                doc_type=DOC_TYPE_LABELS_VI.get(r.doc_type.value, r.doc_type.value),
                status=STATUS_LABELS_VI.get(r.status.value, r.status.value),
                reason=clean(reason),
            )
        )
    return rows


def format_value(value: int | None) -> str:
    return NO_VALUE if value is None else vn_number(value)


@dataclass(frozen=True)
class Round:
    """Everything a writer reads: the settings, every file's report with its status, the summary (with its
    coverage) and the commune table. Writers are `write(round, dest) -> Path` and read nothing else."""

    settings: Settings
    reports: list[CommuneReport]
    summary: ProvincialSummary
    communes: list[CommuneRow]

    @classmethod
    def build(cls, settings: Settings, reports: list[CommuneReport], summary: ProvincialSummary) -> Round:
        return cls(settings, reports, summary, commune_rows(reports, summary))

    @property
    def scope(self) -> Scope:
        return self.summary.scope
