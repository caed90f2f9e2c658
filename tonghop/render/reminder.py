"""The reminder letter (công văn đôn đốc) to the communes whose report is still missing or unusable.

Written from `summary.json` and `reports.json` of a round, never from the inbox: the list of names is the
one the analysts already see in the report. A commune that sent a file that was rejected is asked to send
it again, with the reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from schemas.report import CommuneReport, Status
from schemas.summary import UnitRef
from tonghop.errors import TonghopError
from tonghop.render.dates import VN_TZ, long_date, place_date, round_label, short_date
from tonghop.render.docx_template import open_template, render_template, template_path
from tonghop.render.nd30 import clean, letterhead, names_list, running_name, sort_units
from tonghop.render.view import Round
from tonghop.settings import Settings
from tonghop.store.round_files import load_round

TEMPLATE_NAME = "cong-van-don-doc.docx"
OUTPUT_NAME = "cong-van-don-doc.docx"
LISTED_IN_HEADER = 8  # more recipients than this go to an attached list


def _authority(unit: UnitRef, national: bool) -> str:
    name = running_name(unit.name)
    where = f", {unit.province}" if national and unit.province else ""
    return f"Ủy ban nhân dân {name}{where}"


def _resend(missing: list[UnitRef], reports: list[CommuneReport]) -> str:
    """Missing communes that did send something, each with why it could not be used."""
    codes = {u.code for u in missing if u.code is not None}
    reasons: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for r in sorted(reports, key=lambda r: r.file):
        code = r.unit.code if r.unit else None
        if r.unit is None or code is None or code not in codes or r.status != Status.REJECTED:
            continue
        reasons.setdefault(code, []).append(clean(r.reason()).rstrip("."))
        names[code] = r.unit.name
    ordered = sorted(names, key=lambda c: names[c])
    return "; ".join(f"{running_name(names[c])} ({'; '.join(reasons[c])})" for c in ordered)


def reminder_context(round: Round, *, today: dt.date | None = None) -> dict[str, Any]:
    summary, settings = round.summary, round.settings
    cov = summary.coverage
    if not cov.missing:
        raise TonghopError(
            f"Kỳ {summary.round}: tất cả các xã, phường đã gửi báo cáo hợp lệ; không cần đôn đốc."
        )
    national = round.scope.national
    today = today or settings.report.issued_on or dt.datetime.now(VN_TZ).date()
    head = letterhead(settings, summary.province, symbol=settings.report.letter_symbol)
    superior = letterhead(settings, summary.province, symbol=settings.report.number_symbol).recipient
    missing = sort_units(cov.missing)
    authorities = [_authority(u, national) for u in missing]
    inline, lines = "", []
    if len(missing) == 1:
        inline = authorities[0]
    elif len(missing) > LISTED_IN_HEADER:
        inline = "Ủy ban nhân dân các xã, phường có tên tại danh sách kèm theo"
    else:
        lines = [f"- {a};" for a in authorities[:-1]] + [f"- {authorities[-1]}."]
    names = (
        "; ".join(
            f"{running_name(u.name)} ({u.province})" if u.province else running_name(u.name) for u in missing
        )
        if national
        else names_list([u.name for u in missing])
    )
    deadline = cov.deadline or settings.deadline
    appendix = (
        [
            {"stt": str(i + 1), "name": clean(u.name), "province": clean(u.province or "")}
            for i, u in enumerate(missing)
        ]
        if len(missing) > LISTED_IN_HEADER
        else []
    )
    return {
        "parent_body": head.parent_body,
        "issuing_body": head.issuing_body,
        "issuing_body_name": head.issuing_body_name,
        "number": head.number,
        "symbol": head.symbol,
        "subject": f"đôn đốc gửi báo cáo kết quả ứng dụng AI {round_label(summary.round)}",
        "place_date": place_date(head.place, today),
        "date_long": long_date(today),
        "summary_line": f"Đôn đốc gửi báo cáo kết quả ứng dụng AI {round_label(summary.round)}",
        "recipient_inline": clean(inline),
        "recipient_lines": [clean(line) for line in lines],
        "basis": settings.report.request_reference.strip() or f"chỉ đạo của {superior}",
        "period": round_label(summary.round),
        "deadline_clause": f", thời hạn gửi báo cáo trước ngày {short_date(deadline)}" if deadline else "",
        "today_long": long_date(today),
        "accepted": cov.accepted,
        "expected": cov.expected,
        "missing_count": len(missing),
        "missing_names": clean(names),
        "resend": _resend(missing, round.reports),
        "superior": superior,
        "new_deadline_long": long_date(today + dt.timedelta(days=settings.report.reminder_days)),
        "signer_authority": head.signer_authority,
        "signer_title": head.signer_title,
        "signer_name": head.signer_name,
        "recipients": head.recipients,
        "draft_mark": "",
        "appendix": appendix,
    }


def write_reminder(round: Round, dest: Path, *, today: dt.date | None = None) -> Path:
    template = open_template(template_path(round.settings, TEMPLATE_NAME))
    return render_template(template, reminder_context(round, today=today), dest, name=TEMPLATE_NAME)


def remind_round(settings: Settings, *, today: dt.date | None = None) -> Path:
    summary, reports = load_round(settings.round_dir)
    round = Round.build(settings, reports, summary)
    return write_reminder(round, settings.round_dir / OUTPUT_NAME, today=today)
