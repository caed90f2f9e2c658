"""Accepted commune reports built directly from the contract (schemas/report.py) for the summary tests.

The statements are those of the sample documents and the wordings other communes use for the same points,
each with the paragraph it would come from, so citations can be checked against real positions.
"""

from __future__ import annotations

import hashlib
from typing import Any

from schemas.report import (
    SECTION_NAMES,
    CommuneReport,
    DocType,
    Indicators,
    Item,
    Sections,
    Source,
    Status,
    Unit,
)


def make_report(
    unit_name: str,
    code: int,
    province: str = "Nghệ An",
    *,
    file: str | None = None,
    first_paragraph: int = 14,
    indicators: dict[str, int] | None = None,
    footnotes: list[str] | None = None,
    title: str | None = None,
    **sections: list[str],
) -> CommuneReport:
    """One accepted báo cáo; section items get consecutive paragraph numbers, like a real document."""
    name = file or f"{unit_name.lower().replace(' ', '-')}.docx"
    paragraph = first_paragraph
    built: dict[str, list[Item]] = {}
    for section in SECTION_NAMES:
        items = []
        for text in sections.get(section, []):
            items.append(Item(text=text, source=Source(file=name, paragraph=paragraph)))
            paragraph += 1
        built[section] = items
        paragraph += 1  # the next heading
    content = repr((unit_name, code, sorted(sections.items()), indicators, footnotes, title)).encode()
    extra: dict[str, Any] = {}
    if footnotes:
        extra["footnotes"] = [
            Item(text=t, source=Source(file=name, footnote=i + 1)) for i, t in enumerate(footnotes)
        ]
    return CommuneReport(
        file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        format="docx",
        status=Status.ACCEPTED,
        unit=Unit(code=code, name=unit_name, province=province, division_type="xã"),
        unit_text=f"UBND {unit_name}",
        doc_type=DocType.BAO_CAO,
        title=title or f"Báo cáo kết quả ứng dụng trí tuệ nhân tạo (AI) tại UBND {unit_name}",
        sections=Sections(**built),
        indicators=Indicators(**(indicators or {})),
        **extra,
    )


def nghe_an_reports() -> list[CommuneReport]:
    """Four communes of Nghệ An saying overlapping things in their own words."""
    return [
        make_report(
            "Xã Diễn Châu",
            17410,
            indicators={"staff_total": 36, "staff_using_ai": 28, "trainings": 2, "ai_accounts": 20},
            results=[
                "100% cán bộ, "
                "công chức của UBND xã đã được tiếp cận và tìm hiểu các ứng dụng AI phục vụ công việc.",
                "Hỗ trợ soạn thảo văn bản hành chính, xây dựng báo cáo, kế hoạch, nội dung tuyên truyền.",
                "Có 28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI; UBND xã đã tổ chức 02 lớp tập huấn.",
            ],
            difficulties=[
                "Hạ tầng thiết bị và điều kiện công nghệ thông tin tại cơ sở chưa đồng bộ.",
                "Kỹ năng khai thác và sử dụng AI của một số cán bộ còn hạn chế, "
                "chủ yếu mới dừng ở mức tiếp cận ban đầu.",
            ],
            directions=[
                "Tổ chức tập huấn chuyên sâu về ứng dụng trí tuệ nhân tạo (AI) trong giải quyết nhiệm vụ "
                "cho cán bộ, công chức, viên chức.",
            ],
            proposals=[
                "Đề nghị Sở Khoa học và Công nghệ tổ chức các lớp tập huấn về ứng dụng AI cho cán bộ cấp xã.",
            ],
        ),
        make_report(
            "Xã Nghĩa Đàn",
            17011,
            indicators={"staff_total": 30, "staff_using_ai": 12, "ai_accounts": 15},
            results=[
                "Toàn bộ cán bộ, công chức xã đã được tiếp cận, làm quen với các công cụ trí tuệ nhân tạo.",
                "Nhiều công chức đã dùng AI để hỗ trợ soạn thảo văn bản, báo cáo và kế hoạch của UBND xã.",
                "Xã đã cấp 15 tài khoản ChatGPT Plus dùng chung cho các bộ phận.",
            ],
            difficulties=[
                "Trang thiết bị, hạ tầng công nghệ thông tin của xã còn thiếu và chưa đồng bộ.",
                "Chưa có kinh phí để mua tài khoản AI bản quyền, chủ yếu sử dụng bản miễn phí có giới hạn.",
            ],
            causes=["Nguồn kinh phí của xã hạn chế, chưa bố trí được ngân sách cho chuyển đổi số."],
            proposals=[
                "Kiến nghị Sở KH&CN mở lớp bồi dưỡng kỹ năng sử dụng AI cho cán bộ, công chức xã.",
                "Đề nghị tỉnh hỗ trợ kinh phí mua tài khoản AI bản quyền cho các xã, phường.",
            ],
        ),
        make_report(
            "Xã Con Cuông",
            17710,
            indicators={"staff_total": 25, "staff_using_ai": 10},
            results=[
                "Sử dụng AI xây dựng nội dung tuyên truyền trên trang thông tin điện tử "
                "và mạng xã hội của xã.",
                "Cán bộ, công chức đã sử dụng AI hỗ trợ soạn thảo văn bản hành chính, xây dựng báo cáo, "
                "kế hoạch.",
            ],
            difficulties=["Một bộ phận cán bộ còn hạn chế về kỹ năng sử dụng công cụ AI."],
            causes=["Lĩnh vực trí tuệ nhân tạo còn mới, cán bộ chưa được đào tạo bài bản."],
            directions=[
                "Tổ chức tập huấn chuyên sâu về ứng dụng trí tuệ nhân tạo cho cán bộ, công chức, viên chức."
            ],
            proposals=["Đề nghị cấp trên tổ chức đào tạo chuyên sâu về AI cho đội ngũ cán bộ cơ sở."],
        ),
        make_report(
            "Phường Thành Vinh",
            16681,
            results=[
                "Xã ứng dụng AI trong xây dựng tin bài tuyên truyền trên trang thông tin điện tử, "
                "mạng xã hội.",
                "Bộ phận một cửa dùng trợ lý ảo AI để hướng dẫn người dân chuẩn bị hồ sơ thủ tục hành chính.",
            ],
            difficulties=[
                "Hạ tầng thiết bị và đường truyền Internet tại cơ sở chưa đồng bộ, nhiều máy tính đã cũ."
            ],
            directions=["Đăng ký tài khoản AI dùng chung cho các bộ phận chuyên môn của UBND phường."],
        ),
    ]


def item_at(reports: list[CommuneReport], file: str, section: str, index: int) -> Item:
    report = next(r for r in reports if r.file == file)
    return getattr(report.sections, section)[index]
