"""A later file supersedes an earlier one only when it is the same document; drafts with a blank day still
order by month; several accepted documents of one commune are all kept, with a warning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from issuer_docs import commune_doc, run_round, save

from schemas.report import Status
from tonghop.check.coverage import unit_indicators
from tonghop.check.identity import title_similarity

UBND = ["ỦY BAN NHÂN DÂN", "XÃ DIỄN CHÂU"]
PLAN = "Triển khai ứng dụng trí tuệ nhân tạo (AI) trong giải quyết thủ tục hành chính năm 2026"


def _plan(
    title: str, date: str, number: str = "Số:      /KH-UBND", body: tuple[str, ...] | None = None
) -> Any:
    if body is None:
        return commune_doc(UBND, number, f"Diễn Châu, {date}", "KẾ HOẠCH", title)
    return commune_doc(UBND, number, f"Diễn Châu, {date}", "KẾ HOẠCH", title, body)


def test_different_documents_of_one_commune_all_stay(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province="Nghệ An")
    save(_plan(PLAN, "ngày 10 tháng 5 năm 2026"), settings.inbox, "kh-ai.docx", received=0)
    other = "Tập huấn sử dụng trợ lý ảo AI cho cán bộ, công chức xã năm 2026"
    save(_plan(other, "ngày 20 tháng 5 năm 2026"), settings.inbox, "kh-tap-huan.docx", received=1)
    reports = run_round(settings)
    assert {r.status for r in reports.values()} == {Status.ACCEPTED}
    for report in reports.values():
        warning = next(w for w in report.warnings if w.code == "several_reports")
        assert "kh-ai.docx" in warning.message and "kh-tap-huan.docx" in warning.message


def test_the_same_document_sent_again_supersedes(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province="Nghệ An")
    save(_plan(PLAN, "ngày 10 tháng 5 năm 2026"), settings.inbox, "kh.docx", received=0)
    save(_plan(PLAN + ".", "ngày 12 tháng 5 năm 2026"), settings.inbox, "kh-sua.docx", received=1)
    reports = run_round(settings)
    assert reports["kh.docx"].status == Status.SUPERSEDED
    assert reports["kh.docx"].superseded_by == "kh-sua.docx"
    assert reports["kh-sua.docx"].status == Status.ACCEPTED


def test_the_same_number_is_the_same_document(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province="Nghệ An")
    save(_plan(PLAN, "ngày 10 tháng 5 năm 2026", "Số: 12/KH-UBND"), settings.inbox, "a.docx", received=0)
    renamed = "Tập huấn sử dụng trợ lý ảo AI cho cán bộ, công chức xã năm 2026"
    save(_plan(renamed, "ngày 11 tháng 5 năm 2026", "Số: 12/KH-UBND"), settings.inbox, "b.docx", received=1)
    reports = run_round(settings)
    assert reports["a.docx"].superseded_by == "b.docx"


def test_a_dated_version_is_not_undone_by_an_older_one_received_later(
    make_settings: Callable[..., Any],
) -> None:
    """The issue's case: a blank-day draft once made the grouping ignore every date."""
    settings = make_settings(province="Nghệ An")
    save(_plan(PLAN, "ngày 12 tháng 01 năm 2026"), settings.inbox, "moi.docx", received=0)
    save(_plan(PLAN, "ngày    tháng 12 năm 2025"), settings.inbox, "cu-nhap.docx", received=1)
    reports = run_round(settings)
    assert reports["cu-nhap.docx"].issued_month == "2025-12" and reports["cu-nhap.docx"].issued_on is None
    assert reports["cu-nhap.docx"].superseded_by == "moi.docx"
    assert reports["moi.docx"].status == Status.ACCEPTED


def test_a_blank_day_draft_keeps_its_month_for_ordering(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province="Nghệ An")
    save(_plan(PLAN, "ngày    tháng 01 năm 2026"), settings.inbox, "nhap-thang-1.docx", received=0)
    save(_plan(PLAN, "ngày 10 tháng 12 năm 2025"), settings.inbox, "thang-12.docx", received=1)
    reports = run_round(settings)
    assert reports["thang-12.docx"].superseded_by == "nhap-thang-1.docx"


def test_figures_of_two_accepted_documents_are_not_summed(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province="Nghệ An")
    report_body = (
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "- Xã có 40 cán bộ, công chức; 30 cán bộ đã sử dụng AI trong công việc.",
    )
    plan_body = ("I. NỘI DUNG THỰC HIỆN", "- Phấn đấu 36 cán bộ, công chức sử dụng AI trong công việc.")
    save(
        commune_doc(
            UBND, "Số: 21/BC-UBND", "Diễn Châu, ngày 05 tháng 6 năm 2026", "BÁO CÁO", PLAN, report_body
        ),
        settings.inbox,
        "bc.docx",
    )
    save(_plan(PLAN, "ngày 10 tháng 6 năm 2026", body=plan_body), settings.inbox, "kh.docx", received=1)
    reports = run_round(settings)
    accepted = [r for r in reports.values() if r.status == Status.ACCEPTED]
    assert len(accepted) == 2  # a report and a plan are two documents
    assert reports["bc.docx"].indicators.staff_using_ai == 30
    values = unit_indicators(accepted)
    assert values[17464]["staff_using_ai"] == 30  # the báo cáo's figure, not 30 + 36


def test_title_similarity_tells_one_campaigns_documents_apart() -> None:
    """Measured on the Lương Minh plans: different documents ≤ 0.66, the same one re-sent 1.0."""
    a = "Kiểm tra, giám sát công tác bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp"
    b = "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp"
    assert title_similarity(a, b) < 0.8
    assert title_similarity(a, a + " nhiệm kỳ 2026 - 2031") >= 0.8
