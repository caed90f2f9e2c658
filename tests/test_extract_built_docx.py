"""Extraction through the real reader on .docx files built in the test: header and signature tables, Word's
automatic numbering, footnotes, a data table, a sentence split by a page break, decomposed Unicode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from docx_factory import DocxBuilder

from schemas.report import CommuneReport, DocType
from tonghop.interpret import fill_report
from tonghop.read.document import read_document

NAME = 'Bao cáo, xã "Diễn Châu".docx'


def commune_report(*, nfd: bool = False, plain_header: bool = False) -> bytes:
    return (
        DocxBuilder(nfd=nfd)
        .header(
            "UBND TỈNH NGHỆ AN",
            "UBND XÃ DIỄN CHÂU",
            "Số: 12/BC-UBND",
            "Diễn Châu, ngày 05 tháng 6 năm 2026",
            plain=plain_header,
        )
        .title("BÁO CÁO", "Kết quả ứng dụng trí tuệ nhân tạo (AI) 6 tháng đầu năm 2026")
        .paragraph("Kính gửi: Sở Khoa học và Công nghệ tỉnh Nghệ An.")
        .paragraph(
            "Thực hiện Công văn số 1185/SKHCN-CĐS của Sở Khoa học và Công nghệ, UBND xã báo cáo như sau:",
            footnote="Công văn số 1185/SKHCN-CĐS ngày 02/6/2026 của Sở Khoa học và Công nghệ.",
        )
        .auto_list([(0, "KẾT QUẢ ĐẠT ĐƯỢC")], bold_levels=(0,))
        .auto_list(
            [
                (3, "28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI trong công việc."),
                (3, "Đã tổ chức 02 lớp tập huấn về AI cho cán bộ."),
            ],
            restart=False,
        )
        .split_sentence(
            "- Bộ phận một cửa đã dùng trợ lý ảo để trả lời các", "câu hỏi thường gặp của người dân."
        )
        .table([["Chỉ tiêu", "Số lượng"], ["Tổng số cán bộ, công chức", "36"], ["Số tài khoản AI", "20"]])
        .auto_list([(0, "KHÓ KHĂN, VƯỚNG MẮC")], restart=False, bold_levels=(0,))
        .auto_list([(3, "Thiếu máy tính cấu hình đủ mạnh.")], restart=False)
        .auto_list([(0, "ĐỀ XUẤT, KIẾN NGHỊ")], restart=False, bold_levels=(0,))
        .auto_list([(3, "Đề nghị Sở cấp tài khoản AI dùng chung cho cấp xã.")], restart=False)
        .paragraph("Trên đây là báo cáo kết quả ứng dụng AI của UBND xã Diễn Châu./.")
        .signature(["Sở KH&CN (b/c);", "Lưu: VT."], "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An")
        .build()
    )


def extract(data: bytes, settings: Any) -> CommuneReport:
    doc = read_document(data, NAME, settings)
    return fill_report(doc, CommuneReport(file=NAME, sha256="0" * 64, format="docx"), settings)


@pytest.mark.parametrize(
    ("nfd", "plain_header"),
    [(False, False), (True, False), (False, True)],
    ids=["header-table", "decomposed-unicode", "header-as-paragraphs"],
)
def test_built_commune_report(nfd: bool, plain_header: bool, make_settings: Callable[..., Any]) -> None:
    report = extract(commune_report(nfd=nfd, plain_header=plain_header), make_settings())
    assert report.doc_type == DocType.BAO_CAO
    assert report.number == "12/BC-UBND"
    assert report.issued_on == dt.date(2026, 6, 5)
    assert report.place == "Diễn Châu"
    assert report.issuing_body == "UBND XÃ DIỄN CHÂU"
    assert report.unit_text == "xã Diễn Châu"
    assert report.province_text == "tỉnh Nghệ An"
    assert report.title == "Kết quả ứng dụng trí tuệ nhân tạo (AI) 6 tháng đầu năm 2026"
    assert report.recipients == ["Sở Khoa học và Công nghệ tỉnh Nghệ An"]
    assert [i.text for i in report.sections.results] == [
        "28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI trong công việc.",
        "Đã tổ chức 02 lớp tập huấn về AI cho cán bộ.",
        "Bộ phận một cửa đã dùng trợ lý ảo để trả lời các câu hỏi thường gặp của người dân.",
    ]
    assert [i.text for i in report.sections.difficulties] == ["Thiếu máy tính cấu hình đủ mạnh."]
    assert [i.text for i in report.sections.proposals] == [
        "Đề nghị Sở cấp tài khoản AI dùng chung cho cấp xã."
    ]
    assert report.indicators.model_dump() == {
        "staff_total": 36,
        "staff_accessed_ai": None,
        "staff_trained": None,
        "staff_using_ai": 28,
        "ai_accounts": 20,
        "trainings": 2,
    }
    total = next(e for e in report.indicator_evidence if e.indicator == "staff_total")
    assert total.source.table is not None and total.source.row == 1  # the table wins, and no conflict
    assert "indicator_conflict" not in [w.code for w in report.warnings]
    assert [f.text for f in report.footnotes] == [
        "Công văn số 1185/SKHCN-CĐS ngày 02/6/2026 của Sở Khoa học và Công nghệ."
    ]
    assert report.signer.name == "Nguyễn Văn An"
    assert report.signer.title == "CHỦ TỊCH"
    assert report.cc == ["Sở KH&CN (b/c)", "Lưu: VT"]
    sources = [item.source for _, item in report.sections.items()]
    assert all(s.file == NAME and s.paragraph is not None for s in sources)
