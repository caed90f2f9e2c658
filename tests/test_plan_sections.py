"""Plan and report headings as real offices write them, assignments under 'Tổ chức thực hiện', the lines
that end a section (contact, attachment, appendix), and 'Nơi nhận' lines wrapped onto a line of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from docx_factory import DocxBuilder
from issuer_docs import commune_doc, run_round, save

from schemas.report import CommuneReport

UBND = ["ỦY BAN NHÂN DÂN", "XÃ DIỄN CHÂU"]
DATE = "Diễn Châu, ngày 05 tháng 6 năm 2026"
PLAN_TITLE = "Triển khai ứng dụng trí tuệ nhân tạo (AI) trong cơ quan xã năm 2026"


def _read(make_settings: Callable[..., Any], builder: DocxBuilder) -> CommuneReport:
    settings = make_settings(province="Nghệ An")
    save(builder, settings.inbox, "vb.docx")
    return run_round(settings)["vb.docx"]


def _texts(report: CommuneReport, section: str) -> list[str]:
    return [item.text for item in getattr(report.sections, section)]


@pytest.mark.parametrize(
    "heading",
    [
        "II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN",
        "II. NỘI DUNG VÀ THỜI GIAN THỰC HIỆN",
        "II. NỘI DUNG, PHƯƠNG THỨC TỔ CHỨC",
        "III. NỘI DUNG KIỂM TRA, GIÁM SÁT",
        "II. LỘ TRÌNH THỰC HIỆN VÀ NỘI DUNG TUYÊN TRUYỀN",
    ],
)
def test_plan_content_headings_with_commas_open_the_plan_content(
    make_settings: Callable[..., Any], heading: str
) -> None:
    body = (
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Nâng cao nhận thức của cán bộ về trí tuệ nhân tạo.",
        heading,
        "- Tổ chức tập huấn sử dụng trợ lý ảo AI cho 100% cán bộ, công chức.",
        "- Triển khai chatbot hỗ trợ người dân tra cứu thủ tục hành chính.",
    )
    report = _read(make_settings, commune_doc(UBND, "Số: 05/KH-UBND", DATE, "KẾ HOẠCH", PLAN_TITLE, body))
    assert _texts(report, "directions") == [
        "Tổ chức tập huấn sử dụng trợ lý ảo AI cho 100% cán bộ, công chức.",
        "Triển khai chatbot hỗ trợ người dân tra cứu thủ tục hành chính.",
    ]


def test_results_and_shortcomings_in_one_heading_split_at_their_subheadings(
    make_settings: Callable[..., Any],
) -> None:
    body = (
        "I. KẾT QUẢ ĐẠT ĐƯỢC VÀ TỒN TẠI",
        "1. Kết quả đạt được",
        "- 30 cán bộ đã sử dụng AI trong soạn thảo văn bản.",
        "2. Tồn tại, hạn chế",
        "- Thiết bị còn thiếu.",
    )
    report = _read(
        make_settings,
        commune_doc(UBND, "Số: 21/BC-UBND", DATE, "BÁO CÁO", "Kết quả ứng dụng AI 6 tháng đầu năm", body),
    )
    assert _texts(report, "results") == ["30 cán bộ đã sử dụng AI trong soạn thảo văn bản."]
    assert _texts(report, "difficulties") == ["Thiết bị còn thiếu."]


def test_assignments_under_to_chuc_thuc_hien_are_not_proposals(make_settings: Callable[..., Any]) -> None:
    body = (
        "II. NỘI DUNG THỰC HIỆN",
        "- Tập huấn sử dụng trợ lý ảo AI cho cán bộ.",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Văn phòng HĐND và UBND xã",
        "- Chủ trì tham mưu triển khai kế hoạch.",
        "2. Đề nghị Ủy ban nhân dân xã phối hợp",
        "- Bố trí phòng họp có kết nối mạng.",
        "- Cử cán bộ tham gia tổ giúp việc.",
        "IV. KIẾN NGHỊ",
        "1. Đề nghị Trung tâm Chuyển đổi số hỗ trợ",
        "- Cấp tài khoản trợ lý ảo cho cán bộ xã.",
        "2. Đề nghị UBND tỉnh bố trí kinh phí",
        "- Hỗ trợ kinh phí mua thiết bị.",
    )
    report = _read(make_settings, commune_doc(UBND, "Số: 05/KH-UBND", DATE, "KẾ HOẠCH", PLAN_TITLE, body))
    assert _texts(report, "proposals") == [
        "Cấp tài khoản trợ lý ảo cho cán bộ xã.",
        "Hỗ trợ kinh phí mua thiết bị.",
    ]
    assert _texts(report, "directions") == ["Tập huấn sử dụng trợ lý ảo AI cho cán bộ."]


def test_a_request_to_a_higher_level_is_a_proposal_anywhere(make_settings: Callable[..., Any]) -> None:
    body = (
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "- Cán bộ đã dùng AI để soạn thảo văn bản.",
        "II. ĐỀ NGHỊ UBND TỈNH, SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "- Tổ chức lớp tập huấn chuyên sâu về AI cho cấp xã.",
    )
    report = _read(
        make_settings, commune_doc(UBND, "Số: 21/BC-UBND", DATE, "BÁO CÁO", "Kết quả ứng dụng AI", body)
    )
    assert _texts(report, "proposals") == ["Tổ chức lớp tập huấn chuyên sâu về AI cho cấp xã."]


@pytest.mark.parametrize(
    "trailer",
    [
        "Đầu mối liên hệ: đồng chí Nguyễn Văn B, công chức Văn hóa - Xã hội, điện thoại 0912.345.678.",
        "Biểu số liệu kèm theo",
        "Phụ lục: Danh sách cán bộ được tập huấn",
    ],
)
def test_contact_and_attachment_lines_end_the_section_and_are_never_items(
    make_settings: Callable[..., Any], trailer: str
) -> None:
    body = (
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "- Cán bộ đã dùng AI để soạn thảo văn bản.",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "- Hạ tầng mạng còn yếu.",
        trailer,
        "Ghi chú thêm về cách điền biểu mẫu.",
    )
    report = _read(
        make_settings, commune_doc(UBND, "Số: 21/BC-UBND", DATE, "BÁO CÁO", "Kết quả ứng dụng AI", body)
    )
    assert _texts(report, "difficulties") == ["Hạ tầng mạng còn yếu."]
    assert all(trailer[:10] not in item.text for _, item in report.sections.items())


def test_wrapped_recipient_lines_join_the_recipient_above(make_settings: Callable[..., Any]) -> None:
    builder = commune_doc(
        UBND, "Số: 21/BC-UBND", DATE, "BÁO CÁO", "Kết quả ứng dụng AI", ("I. KẾT QUẢ", "- Đã dùng AI.")
    )
    # commune_doc signs with a table; a second signature-less 'Nơi nhận' cell is what the tail reads.
    builder.document.tables[-1]._element.getparent().remove(builder.document.tables[-1]._element)
    table = builder.document.add_table(rows=1, cols=2)
    left = table.cell(0, 0)
    left.paragraphs[0].add_run("Nơi nhận:").italic = True
    for line in (
        "- UBND tỉnh (b/c);",
        "- Ủy ban Kiểm tra Đảng ủy, Ban xây dựng Đảng,",
        "VP Đảng ủy;",
        "- Bí thư Chi bộ, Trưởng thôn, Ban công",
        " tác MT thôn;",
        "- Lưu: VT.",
    ):
        left.add_paragraph().add_run(line)
    right = table.cell(0, 1)
    right.paragraphs[0].add_run("TM. ỦY BAN NHÂN DÂN").bold = True
    right.add_paragraph().add_run("CHỦ TỊCH").bold = True
    right.add_paragraph().add_run("Nguyễn Văn An").bold = True
    report = _read(make_settings, builder)
    assert report.cc == [
        "UBND tỉnh (b/c)",
        "Ủy ban Kiểm tra Đảng ủy, Ban xây dựng Đảng, VP Đảng ủy",
        "Bí thư Chi bộ, Trưởng thôn, Ban công tác MT thôn",
        "Lưu: VT",
    ]
