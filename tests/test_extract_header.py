"""Header, closing and unit fields read out of ParsedDocuments built as the readers build them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from schemas.document import Block, Note, ParsedDocument
from schemas.report import CommuneReport, DocType, Issue
from tonghop.interpret import fill_report

FILE = "bao-cao-xa.docx"


def make_doc(
    *parts: str | dict[str, Any], file: str = FILE, fmt: str = "docx", **extra: Any
) -> ParsedDocument:
    """One block per part: a string is a plain paragraph, a dict gives Block fields (table cells…)."""
    blocks = []
    index = 0
    for part in parts:
        fields = {"text": part} if isinstance(part, str) else dict(part)
        if fields.pop("same_index", False):
            index -= 1
        blocks.append(Block(index=index, **fields))
        index += 1
    return ParsedDocument(file=file, format=fmt, blocks=blocks, **extra)


def fill(doc: ParsedDocument) -> CommuneReport:
    return fill_report(doc, CommuneReport(file=doc.file, sha256="0" * 64))


def codes(issues: list[Issue]) -> list[str]:
    return [issue.code for issue in issues]


REPORT_BODY = (
    "Thực hiện Kế hoạch của UBND tỉnh, UBND xã báo cáo như sau:",
    "I. Kết quả đạt được",
    "- Cán bộ đã dùng AI để soạn thảo văn bản.",
    "Trên đây là báo cáo của UBND xã.",
    "Nơi nhận:",
    "- UBND tỉnh (b/c);",
    "- Lưu: VT.",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Nguyễn Văn An",
)


def test_blank_so_gives_null_number() -> None:
    report = fill(
        make_doc("Số:      /BC-UBND", "Diễn Châu, ngày 05 tháng 6 năm 2026", "BÁO CÁO", *REPORT_BODY)
    )
    assert report.number is None
    assert report.doc_type == DocType.BAO_CAO


def test_filled_so_keeps_number_and_symbol() -> None:
    report = fill(make_doc("Số: 12/BC-UBND", "Diễn Châu, ngày 05 tháng 6 năm 2026", "BÁO CÁO", *REPORT_BODY))
    assert report.number == "12/BC-UBND"


def test_full_date_is_read_with_place() -> None:
    report = fill(make_doc("Số: 12/BC-UBND", "Diễn Châu, ngày 05 tháng 6 năm 2026", "BÁO CÁO", *REPORT_BODY))
    assert report.issued_on == dt.date(2026, 6, 5)
    assert report.place == "Diễn Châu"
    assert "date_incomplete" not in codes(report.warnings)


def test_blank_day_gives_null_date_and_a_warning_naming_the_file() -> None:
    report = fill(make_doc("Số: /BC-UBND", "Diễn Châu, ngày    tháng 5 năm 2026", "BÁO CÁO", *REPORT_BODY))
    assert report.issued_on is None
    warning = next(w for w in report.warnings if w.code == "date_incomplete")
    assert FILE in warning.message
    assert "tháng 5 năm 2026" in warning.message


@pytest.mark.parametrize(
    ("title_line", "number", "expected"),
    [
        ("BÁO CÁO", "Số: /BC-UBND", DocType.BAO_CAO),
        ("KẾ HOẠCH", "Số: /KH-UBND", DocType.KE_HOACH),
        ("TỜ TRÌNH", "Số: 03/TTr-UBND", DocType.KHAC),
        ("THÔNG BÁO", "Số: 03/TB-UBND", DocType.KHAC),
        ("QUYẾT ĐỊNH", "Số: 03/QĐ-UBND", DocType.KHAC),
    ],
)
def test_title_line_decides_the_document_type(title_line: str, number: str, expected: DocType) -> None:
    report = fill(make_doc(number, "Diễn Châu, ngày 05 tháng 6 năm 2026", title_line, *REPORT_BODY))
    assert report.doc_type == expected


def test_symbol_decides_the_type_when_there_is_no_title_line() -> None:
    report = fill(make_doc("Số: 04/KH-UBND", "Diễn Châu, ngày 05 tháng 6 năm 2026", *REPORT_BODY))
    assert report.doc_type == DocType.KE_HOACH


def test_letter_with_vv_and_no_type_abbreviation_is_cong_van() -> None:
    report = fill(
        make_doc(
            "ỦY BAN NHÂN DÂN",
            "XÃ KẼ SẮT",
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: /UBND-VHXH",
            "Kẻ Sắt, ngày tháng năm 2026",
            "V/v triển khai Cuộc thi “Ứng dụng AI",
            "trong thực thi nhiệm vụ của các cơ quan",
            "hành chính”",
            "- Kính gửi:",
            "- Các phòng chuyên môn thuộc UBND xã;",
            " - Trung tâm Phục vụ hành chính công xã.",
            "Thực hiện Công văn số 2136/SKHCHN-TTTT ngày 28/5/2026 của Sở Khoa học và Công nghệ thành phố "
            "Hải Phòng, UBND xã Kẻ Sắt yêu cầu:",
            "1. Các phòng chuyên môn tổ chức tuyên truyền đến toàn thể cán bộ.",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT, VHXH.",
            "Q. CHỦ TỊCH",
            "Phạm Thị Thu Hiền",
        )
    )
    assert report.doc_type == DocType.CONG_VAN
    assert report.title == (
        "V/v triển khai Cuộc thi “Ứng dụng AI trong thực thi nhiệm vụ của các cơ quan hành chính”"
    )
    assert report.issuing_body == "ỦY BAN NHÂN DÂN XÃ KẼ SẮT"
    assert report.unit_text == "xã Kẽ Sắt"
    assert "xã Kẻ Sắt" in report.unit_hints
    assert report.province_text == "thành phố Hải Phòng"
    assert report.recipients == ["Các phòng chuyên môn thuộc UBND xã", "Trung tâm Phục vụ hành chính công xã"]
    assert report.signer.name == "Phạm Thị Thu Hiền"
    assert report.signer.title == "Q. CHỦ TỊCH"
    assert report.cc == ["Như trên", "Lưu: VT, VHXH"]
    assert report.issued_on is None
    assert report.sections.is_empty()


def test_text_without_administrative_header_is_tin_bai_dated_by_its_dateline() -> None:
    report = fill(
        make_doc(
            "Ngày 25/8/2025, tại trụ sở UBND xã Đoan Hùng đã diễn ra buổi tập huấn về Trí tuệ nhân tạo (AI).",
            "Đoan Hùng là địa phương đầu tiên của tỉnh Phú Thọ triển khai đào tạo AI cho cán bộ cấp xã.",
            "Toàn cảnh buổi tập huấn AI tại xã Đoan Hùng",
        )
    )
    assert report.doc_type == DocType.TIN_BAI
    assert report.issued_on == dt.date(2025, 8, 25)
    assert report.unit_text == "xã Đoan Hùng"
    assert report.province_text == "tỉnh Phú Thọ"
    assert report.number is None
    assert report.signer.name is None


def test_header_table_cells_give_issuer_number_and_date() -> None:
    cell = {"table": 0, "in_header_table": True, "same_index": True}
    report = fill(
        make_doc(
            {"text": "UBND TỈNH NGHỆ AN", "table": 0, "row": 0, "cell": 0, "in_header_table": True},
            {"text": "UBND XÃ DIỄN CHÂU", "row": 0, "cell": 0, "bold": True, **cell},
            {"text": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "row": 0, "cell": 1, **cell},
            {"text": "Độc lập - Tự do - Hạnh phúc", "row": 0, "cell": 1, **cell},
            {"text": "Số: 07/BC-UBND", "row": 1, "cell": 0, **cell},
            {"text": "Diễn Châu, ngày 05 tháng 01 năm 2026", "row": 1, "cell": 1, **cell},
            {"text": "BÁO CÁO", "bold": True, "upper": True},
            {"text": "Kết quả ứng dụng trí tuệ nhân tạo (AI) 6 tháng đầu năm 2026", "bold": True},
            *REPORT_BODY,
        )
    )
    assert report.issuing_body == "UBND XÃ DIỄN CHÂU"
    assert report.unit_text == "xã Diễn Châu"
    assert report.province_text == "tỉnh Nghệ An"
    assert report.number == "07/BC-UBND"
    assert report.issued_on == dt.date(2026, 1, 5)
    assert report.title == "Kết quả ứng dụng trí tuệ nhân tạo (AI) 6 tháng đầu năm 2026"
    assert report.doc_type == DocType.BAO_CAO


def test_trich_yeu_over_two_lines_is_joined_and_stops_at_the_body() -> None:
    report = fill(
        make_doc(
            "Số: /BC-UBND",
            "Diễn Châu, ngày 05 tháng 6 năm 2026",
            "BÁO CÁO",
            "Kết quả triển khai ứng dụng trí tuệ nhân tạo",
            "trong giải quyết công việc tại UBND xã Diễn Châu",
            "Căn cứ Kế hoạch số 41/KH-UBND ngày 05/3/2026 của UBND xã;",
            *REPORT_BODY,
        )
    )
    assert report.title == (
        "Kết quả triển khai ứng dụng trí tuệ nhân tạo trong giải quyết công việc tại UBND xã Diễn Châu"
    )


def test_unit_from_title_when_the_header_lacks_it() -> None:
    report = fill(
        make_doc(
            "Số: /BC-UBND",
            "Diễn Châu, ngày tháng 5 năm 2026",
            "BÁO CÁO",
            "Về việc ứng dụng trí tuệ nhân tạo (AI) trong giải quyết công việc tại UBND xã Diễn Châu",
            "Trong thời gian tới, UBND xã Diên Châu sẽ tiếp tục triển khai.",
            *REPORT_BODY,
        )
    )
    assert report.unit_text == "xã Diễn Châu"
    assert report.issuing_body == "UBND xã Diễn Châu"
    assert report.unit_hints[0] == "xã Diên Châu"


def test_unit_from_the_closing_line_of_a_district_report() -> None:
    report = fill(
        make_doc(
            "BÁO CÁO",
            "Tình hình triển khai Chiến lược quốc gia về trí tuệ nhân tạo năm 2024",
            "Thực hiện Công văn số 1628/SKHHCN-QLCN của Sở Khoa học và Công nghệ, đơn vị báo cáo như sau:",
            "1. Kết quả thực hiện",
            "- Trang thông tin điện tử huyện đăng tải văn bản chỉ đạo về AI.",
            "Kế hoạch của Ủy ban nhân dân tỉnh Kon Tum được triển khai đồng bộ.",
            "Ủy ban nhân dân huyện Đắk Glei báo cáo để Sở Khoa học và Công nghệ biết, tổng hợp./.",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Lê Viết Nam",
        )
    )
    assert report.unit_text == "huyện Đắk Glei"
    assert report.province_text == "tỉnh Kon Tum"
    assert report.issuing_body == "Ủy ban nhân dân huyện Đắk Glei"
    assert report.signer.name == "Lê Viết Nam"
    assert report.signer.title == "CHỦ TỊCH"


def test_signer_title_keeps_kt_and_position_under_tm_and_markdown_is_gone() -> None:
    report = fill(
        make_doc(
            "Số: /BC-UBND",
            "Nghĩa Đàn, ngày 05 tháng 6 năm 2026",
            "BÁO CÁO",
            *REPORT_BODY[:7],
            "**TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH**",
            "**Lê Thị Thu Hằng**",
        )
    )
    assert report.signer.name == "Lê Thị Thu Hằng"
    assert report.signer.title == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert report.cc == ["UBND tỉnh (b/c)", "Lưu: VT"]


@pytest.mark.parametrize("authority", ["TL. CHỦ TỊCH", "TUQ. CHỦ TỊCH", "Q. CHỦ TỊCH"])
def test_other_authority_marks_open_the_signature(authority: str) -> None:
    report = fill(
        make_doc("Số: 3/BC-UBND", "BÁO CÁO", *REPORT_BODY[:7], authority, "CHÁNH VĂN PHÒNG", "Trần Bình")
    )
    assert report.signer.name == "Trần Bình"
    assert report.signer.title == f"{authority} / CHÁNH VĂN PHÒNG"


def test_signature_table_reads_cc_and_signer_from_their_own_cells() -> None:
    cell = {"table": 1, "row": 0, "same_index": True}
    report = fill(
        make_doc(
            "Số: /BC-UBND",
            "BÁO CÁO",
            *REPORT_BODY[:4],
            {"text": "Nơi nhận:\n- Như trên;\n- Lưu: VT.", "table": 1, "row": 0, "cell": 0},
            {"text": "KT. GIÁM ĐỐC", "cell": 1, **cell},
            {"text": "PHÓ GIÁM ĐỐC", "cell": 1, **cell},
            {"text": "(Đã ký)", "cell": 1, **cell},
            {"text": "Hoàng Văn Thuân", "cell": 1, **cell},
        )
    )
    assert report.cc == ["Như trên", "Lưu: VT"]
    assert report.signer.name == "Hoàng Văn Thuân"
    assert report.signer.title == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"


def test_inline_recipient_is_read() -> None:
    report = fill(
        make_doc("Số: /BC-UBND", "BÁO CÁO", "Kính gửi: Sở Khoa học và Công nghệ tỉnh Nghệ An.", *REPORT_BODY)
    )
    assert report.recipients == ["Sở Khoa học và Công nghệ tỉnh Nghệ An"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Báo cáo này thay thế Báo cáo số 12/BC-UBND ngày 02/6/2026 của UBND xã.",
        "UBND xã bổ sung Báo cáo số 12/BC-UBND ngày 02/6/2026 như sau:",
    ],
)
def test_replacement_reference_is_read(sentence: str) -> None:
    report = fill(make_doc("Số: 15/BC-UBND", "BÁO CÁO", sentence, *REPORT_BODY))
    assert report.replaces == "12/BC-UBND"


def test_no_replacement_reference_when_the_text_names_none() -> None:
    report = fill(make_doc("Số: 15/BC-UBND", "BÁO CÁO", "Bổ sung kinh phí cho tập huấn AI.", *REPORT_BODY))
    assert report.replaces is None


def test_footnotes_become_sources_not_items() -> None:
    notes = [Note(id=2, text="Công văn số 1944/UBND-KTHT ngày 18/8/2024 của UBND huyện.", anchor_index=5)]
    report = fill(make_doc("Số: /BC-UBND", "BÁO CÁO", *REPORT_BODY, notes=notes))
    assert [(f.text, f.source.footnote) for f in report.footnotes] == [(notes[0].text, 2)]
    assert all("1944" not in item.text for _, item in report.sections.items())


def test_reader_warnings_are_carried_to_the_report() -> None:
    report = fill(make_doc("Số: /BC-UBND", "BÁO CÁO", *REPORT_BODY, warnings=["Tệp x: có ô gộp lạ."]))
    assert Issue(code="reader_warning", message="Tệp x: có ô gộp lạ.") in report.warnings


def test_structured_submission_is_not_read_as_prose() -> None:
    doc = make_doc("BÁO CÁO", "I. Kết quả đạt được", "- Cán bộ đã dùng AI.", fmt="json", file="xa.json")
    report = fill_report(doc, CommuneReport(file="xa.json", sha256="0" * 64, format="json"))
    assert report.sections.results == []


def test_unit_phrases_stop_at_sentence_ends_and_read_abbreviations() -> None:
    from tonghop.interpret.units import find_mentions
    from tonghop.interpret.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    assert [m.text for m in find_mentions("trên địa bàn tỉnh. Đối tượng đánh giá: UBND cấp xã.", vocab)] == []
    found = find_mentions("Sở KH&CN TP. Hồ Chí Minh và UBND phường 12, Xã hội hóa", vocab)
    assert [m.text for m in found] == ["thành phố Hồ Chí Minh", "phường 12"]
    assert find_mentions("ỦY BAN NHÂN DÂN XÃ KẼ SẮT", vocab)[0].text == "xã Kẽ Sắt"


def test_header_and_signature_typed_in_two_columns_with_tabs() -> None:
    report = fill(
        make_doc(
            "ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "XÃ KẺ SẶT\t\t\tĐộc lập - Tự do - Hạnh phúc",
            "Số: 05/BC-UBND\t\tKẻ Sặt, ngày 05 tháng 6 năm 2026",
            "BÁO CÁO",
            "Kết quả ứng dụng AI",
            "I. Kết quả đạt được",
            "- Cán bộ đã dùng AI.",
            "Nơi nhận:\t\t\t\tTM. ỦY BAN NHÂN DÂN",
            "- Như trên;\t\t\t\tCHỦ TỊCH",
            "- Lưu: VT.",
            "\t\t\t\t\tTrần Văn Bình",
        )
    )
    assert report.issuing_body == "ỦY BAN NHÂN DÂN XÃ KẺ SẶT"
    assert report.number == "05/BC-UBND"
    assert report.issued_on == dt.date(2026, 6, 5)
    assert report.place == "Kẻ Sặt"
    assert report.cc == ["Như trên", "Lưu: VT"]
    assert (report.signer.name, report.signer.title) == ("Trần Văn Bình", "CHỦ TỊCH")
    assert [i.text for i in report.sections.results] == ["Cán bộ đã dùng AI."]


def test_iso_dateline_of_a_news_article() -> None:
    report = fill(
        make_doc(" date 2025-08-25 Ngày 25/8/2025, tại UBND xã Đoan Hùng đã diễn ra buổi tập huấn AI.")
    )
    assert report.doc_type == DocType.TIN_BAI
    assert report.issued_on == dt.date(2025, 8, 25)
