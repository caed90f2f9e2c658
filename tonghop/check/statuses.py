"""Decide each file's final status once every file of the round has been read.

Order matters and is fixed: rejected (the file itself is unusable) → duplicate (byte-identical to an
earlier file) → superseded (a newer version of the same document: `tonghop.check.identity`) → out of scope
(a unit outside the province being consolidated) → other issuer (a body that does not answer the round,
such as the Fatherland Front: `settings.counted_issuers`) → off topic (a document that does not address the
round's subject: `settings.round_subject`) → accepted. A commune with several accepted documents keeps
them all, with a warning.
"""

from __future__ import annotations

from collections import defaultdict

from schemas.report import CommuneReport, Issue, Status
from tonghop.check.identity import newest, received_key, versions
from tonghop.interpret.issuer import counted
from tonghop.settings import Settings
from tonghop.text import fold, province_key


def _unit_key(report: CommuneReport) -> str | None:
    if report.unit is None:
        return None
    if report.unit.code is not None:
        return f"code:{report.unit.code}"
    return f"legacy:{fold(report.unit.name)}:{report.unit.province or ''}"


def _several_warning(group: list[CommuneReport]) -> list[CommuneReport]:
    """Two accepted documents of one commune both answer the round: both stay, and the analyst is told
    how the figures are taken (one value per indicator, never a sum: see `coverage.unit_indicators`)."""
    if len(group) < 2:
        return group
    names = ", ".join(sorted(r.file for r in group))
    assert group[0].unit is not None
    unit = group[0].unit.name
    warned = []
    for report in group:
        issue = Issue(
            code="several_reports",
            message=(
                f"Tệp {report.file}: {unit} có {len(group)} văn bản được tiếp nhận ({names}); mỗi chỉ "
                "tiêu lấy một giá trị từ văn bản ưu tiên nhất (báo cáo trước, rồi văn bản mới hơn), "
                "không cộng dồn."
            ),
        )
        warned.append(report.model_copy(update={"warnings": [*report.warnings, issue]}))
    return warned


def decide_statuses(
    reports: list[CommuneReport], province: str | None, settings: Settings | None = None
) -> list[CommuneReport]:
    """Returns new reports (same order) with `status`, `duplicate_of`, `superseded_by`, `supersedes` set.

    `settings` names the round's subject, the issuers that answer it and the title similarity that makes
    two files one document; without it, the defaults.
    """
    rules = settings if settings is not None else Settings.model_construct()
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
        group.sort(key=lambda pair: received_key(pair[1]))
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
        index = {id(r): i for i, r in group}
        for document in versions([r for _, r in group], rules.same_document_similarity):
            if len(document) == 1:
                rest.append((index[id(document[0])], document[0]))
                continue
            winner = newest(document)
            losers = sorted(r.file for r in document if r is not winner)
            for report in document:
                i = index[id(report)]
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
        elif not counted(report.issuer, rules.counted_issuers):
            status = Status.OTHER_ISSUER
        elif report.subjects is not None and rules.round_subject not in report.subjects:
            status = Status.OFF_TOPIC
        decided[i] = report.model_copy(update={"status": status})

    by_commune: dict[str, list[int]] = defaultdict(list)
    for i, report in decided.items():
        key = _unit_key(report)
        if report.status == Status.ACCEPTED and key is not None:
            by_commune[key].append(i)
    for positions in by_commune.values():
        for i, report in zip(positions, _several_warning([decided[i] for i in positions]), strict=True):
            decided[i] = report
    return [decided[i] for i in range(len(reports))]
