"""Prefect artifacts for a round: the key figures, the communes, the rejected files and the output links.

A Prefect UI user sees at a glance how the round stands without opening the outbox. Call
`publish_artifacts(round, round_dir)` at the end of a flow run (the consolidation flow after
rendering, the publication flow after publishing); outside a flow run the artifacts are still created,
just not attached to a run.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from uuid import UUID

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from schemas.report import INDICATOR_LABELS_VI, INDICATOR_NAMES, STATUS_LABELS_VI, CommuneReport, Status
from schemas.summary import ProvincialSummary
from tonghop.render.nd30 import vn_number, vn_percent
from tonghop.render.view import Round, format_value, province_rows
from tonghop.text import ascii_key

OUTPUT_FILES = (
    ("bao-cao-tong-hop.docx", "Báo cáo tổng hợp (.docx)"),
    ("review.html", "Trang rà soát"),
    ("du-lieu.xlsx", "Bảng dữ liệu (.xlsx)"),
    ("summary.json", "summary.json"),
    ("intake.csv", "intake.csv"),
    ("audit.jsonl", "Nhật ký ban hành"),
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&])")


def artifact_key(summary: ProvincialSummary, suffix: str = "") -> str:
    """Lower-case letters, digits and dashes, as Prefect requires: `tong-hop-nghe-an-2026-h1`."""
    scope = ascii_key(summary.province).replace(" ", "-") if summary.province else "toan-quoc"
    base = f"tong-hop-{scope}-{summary.round.lower()}"
    key = f"{base}-{suffix}" if suffix else base
    return re.sub(r"[^a-z0-9-]", "-", key)


def md(text: str) -> str:
    """Text a commune wrote, inert in Markdown (and in any HTML the Markdown renderer lets through)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def summary_markdown(
    summary: ProvincialSummary,
    reports: list[CommuneReport],
    round_dir: Path,
    *,
    final: bool = False,
    writing: Collection[str] = (),
) -> str:
    """`writing`: the round's files being written as this is sent, linked before they are on disk."""
    cov = summary.coverage
    sentences = summary.all_sentences()
    unverified = sum(1 for s in sentences if s.unverified)
    scope = summary.scope.label
    lines = [
        f"# {'Báo cáo đã ban hành' if final else 'Tổng hợp'} kỳ {md(summary.round)} — {md(scope)}",
        "",
        "| Chỉ số | Giá trị |",
        "|---|---|",
        f"| Xã, phường phải báo cáo | {vn_number(cov.expected)} |",
        f"| Đã gửi | {vn_number(cov.received)} |",
        f"| Hợp lệ, đã tổng hợp | {vn_number(cov.accepted)} |",
    ]
    if cov.deadline is not None:
        lines.append(f"| Đúng hạn / chậm hạn | {cov.on_time} / {cov.late} |")
    lines += [
        f"| Chưa gửi hoặc chưa hợp lệ | {vn_number(len(cov.missing))} |",
        f"| Tệp đã nhận | {vn_number(len(reports))} |",
        f"| Số chủ đề / câu tổng hợp | {sum(len(t) for t in summary.sections.values())} / {len(sentences)} |",
        f"| Câu do mô hình AI viết | {sum(1 for s in sentences if s.origin == 'llm')} |",
        f"| Câu chưa kiểm chứng | {unverified} |",
    ]
    for status in Status:
        count = sum(1 for r in reports if r.status == status)
        if count and status != Status.ACCEPTED:
            lines.append(f"| Tệp {STATUS_LABELS_VI[status.value].lower()} | {count} |")
    lines += ["", "## Chỉ tiêu chủ yếu", "", "| Chỉ tiêu | Tổng | Số xã nêu |", "|---|---|---|"]
    for total in summary.totals.indicators:
        lines.append(f"| {md(total.label)} | {vn_number(total.total)} | {total.reporting_units} |")
    if summary.totals.staff_using_ai_rate is not None:
        lines.append(f"| Tỷ lệ CBCC sử dụng AI | {vn_percent(summary.totals.staff_using_ai_rate)} | |")
    if unverified:
        lines += [
            "",
            f"**Còn {unverified} câu chưa kiểm chứng**: rà soát trên trang review.html trước khi ban hành.",
        ]
    if cov.missing:
        shown = ", ".join(md(u.name) for u in cov.missing[:40])
        more = f" và {len(cov.missing) - 40} đơn vị khác" if len(cov.missing) > 40 else ""
        lines += ["", "## Chưa gửi hoặc chưa hợp lệ", "", shown + more]
    lines += ["", "## Kết quả", ""]
    for name, label in OUTPUT_FILES:
        path = round_dir / name
        if name in writing or path.is_file():
            lines.append(f"- [{label}]({path.resolve().as_uri()}) — `{path.resolve()}`")
    return "\n".join(lines) + "\n"


def communes_table(round: Round) -> list[dict[str, str]]:
    """A row per commune; in national scope a row per province, as in the report's Phụ lục I: thousands
    of commune rows are no glance, and they are in the workbook of the round."""
    rows = []
    national = round.scope.national
    for row in province_rows(round.communes, round.summary) if national else round.communes:
        if row.group:
            continue
        entry = (
            {"Tỉnh, thành phố": row.name, "Xã, phường hợp lệ": row.status}
            if national
            else {
                "Xã, phường": row.name,
                "Tình trạng": row.status,
            }
        )
        for name in INDICATOR_NAMES:
            entry[INDICATOR_LABELS_VI[name]] = format_value(row.values.get(name))
        rows.append(entry)
    return rows


def rejected_table(reports: list[CommuneReport]) -> list[dict[str, str]]:
    return [
        {
            "Tệp": r.file,
            "Tình trạng": STATUS_LABELS_VI[r.status.value],
            "Đơn vị": r.unit.name if r.unit else (r.unit_text or ""),
            "Lý do": r.reason(),
        }
        for r in sorted(reports, key=lambda r: r.file)
        if r.status != Status.ACCEPTED
    ]


def _created(result: object) -> UUID:
    """Prefect's artifact functions also have async forms; called from sync code they return the id."""
    assert isinstance(result, UUID), result
    return result


def publish_artifacts(
    round: Round, round_dir: Path, *, final: bool = False, writing: Collection[str] = ()
) -> list[UUID]:
    """Creates the markdown summary and the two tables; returns their ids.

    `writing`: the files being written meanwhile (see `summary_markdown`).
    """
    summary, reports, national = round.summary, round.reports, round.scope.national
    suffix = "ban-hanh" if final else ""
    ids = [
        _created(
            create_markdown_artifact(
                summary_markdown(summary, reports, round_dir, final=final, writing=writing),
                key=artifact_key(summary, suffix),
                description=f"Số liệu chính và đường dẫn kết quả kỳ {summary.round}",
            )
        ),
        _created(
            create_table_artifact(
                communes_table(round),
                key=artifact_key(summary, "tinh-thanh-pho" if national else "xa-phuong"),
                description="Từng tỉnh, thành phố: số xã, phường hợp lệ và số liệu"
                if national
                else "Từng xã, phường: tình trạng và số liệu",
            )
        ),
    ]
    rejected = rejected_table(reports)
    if rejected:
        ids.append(
            _created(
                create_table_artifact(
                    rejected,
                    key=artifact_key(summary, "tep-chua-dung-duoc"),
                    description="Các tệp không được tổng hợp và lý do",
                )
            )
        )
    return ids
