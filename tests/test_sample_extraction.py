"""The five shared samples read field by field, and the 13 real provincial documents read without surprise.

Both go through the real readers (`read_document`) on the files in `../shared/samples/`, read in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schemas.report import CommuneReport, DocType
from tonghop.interpret import fill_report
from tonghop.read.document import read_document
from tonghop.text import province_key


def extract(path: Path, settings: Any) -> CommuneReport:
    doc = read_document(path.read_bytes(), path.name, settings)
    return fill_report(doc, CommuneReport(file=path.name, sha256="0" * 64, format="docx"), settings)


@pytest.fixture
def sample(sample_docx_dir: Path, make_settings: Callable[..., Any]) -> Callable[[str], CommuneReport]:
    settings = make_settings()
    return lambda name: extract(sample_docx_dir / name, settings)


def texts(items: list[Any]) -> list[str]:
    return [item.text for item in items]


def warning_codes(report: CommuneReport) -> list[str]:
    return [w.code for w in report.warnings]


def no_markdown(report: CommuneReport) -> bool:
    values = [report.title or "", report.signer.name or "", report.signer.title or "", *report.cc]
    values += [item.text for _, item in report.sections.items()]
    return not any("**" in v or v.startswith("#") for v in values)


def test_dien_chau_report(sample: Callable[[str], CommuneReport]) -> None:
    report = sample("dien_chau_bao_cao.docx")
    assert report.doc_type == DocType.BAO_CAO
    assert report.number is None
    assert report.issued_on is None
    assert "date_incomplete" in warning_codes(report)
    assert report.place == "Diễn Châu"
    assert report.unit_text == "xã Diễn Châu"
    assert report.issuing_body == "UBND xã Diễn Châu"
    assert report.title == (
        "Về việc ứng dụng trí tuệ nhân tạo (AI) trong giải quyết công việc tại UBND xã Diễn Châu"
    )
    results = texts(report.sections.results)
    assert len(results) == 11
    assert results[0].startswith("UBND xã đã lồng ghép nội dung tuyên truyền")  # under "1. Tuyên truyền…"
    assert results[2] == "Hỗ trợ tra cứu, tổng hợp thông tin phục vụ công tác tham mưu."
    assert results[-4:] == [
        "100% cán bộ, công chức của UBND xã đã được tiếp cận và tìm hiểu các ứng dụng AI phục vụ công việc.",
        "Một số cán bộ, công chức đã bước đầu sử dụng AI để hỗ trợ xử lý thông tin, soạn thảo văn bản và "
        "xây dựng nội dung tuyên truyền.",
        "Góp phần nâng cao hiệu quả công việc, tiết kiệm thời gian trong quá trình xử lý tài liệu và "
        "tổng hợp thông tin.",
        "Từng bước hình thành thói quen ứng dụng các công cụ số trong hoạt động chuyên môn, phù hợp với định "
        "hướng chuyển đổi số của địa phương.",
    ]
    assert not any(t.endswith(":") for t in results)  # lead-ins are not items
    assert len(report.sections.difficulties) == 3
    assert (
        report.sections.difficulties[0].text
        == "Hạ tầng thiết bị và điều kiện công nghệ thông tin tại cơ sở chưa đồng bộ."
    )
    assert len(report.sections.directions) == 5
    assert report.sections.directions[-1].text.startswith("Tổ chức tập huấn chuyên sâu")
    assert report.sections.causes == [] and report.sections.proposals == []
    assert report.signer.name == "Đào Hồng Thanh"
    assert report.signer.title == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert report.cc == ["UBND xã Diên Châu (b/c)", "Lưu: VT, VHXX (Thanh)"]
    assert report.indicators.staff_accessed_ai is None  # "100%" without a stated total
    assert report.footnotes == []
    assert no_markdown(report)


def test_nghia_dan_plan(sample: Callable[[str], CommuneReport]) -> None:
    report = sample("nghia_dan_ke_hoach.docx")
    assert report.doc_type == DocType.KE_HOACH
    assert report.number is None
    assert report.place == "Nghĩa Đàn"
    assert report.unit_text == "xã Nghĩa Đàn"
    assert province_key(report.province_text or "") == "nghe an"
    assert report.title == (
        "Triển khai, thực hiện sử dụng trí tuệ nhân tạo (AI) trong công việc đối với cán bộ, công chức cơ "
        "quan hành chính nhà nước xã Nghĩa Đàn"
    )
    assert report.signer.name == "Lê Thị Thu Hằng"
    assert report.signer.title == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert report.cc[0] == "Sở KH&CN tỉnh Nghệ An" and report.cc[-1] == "Lưu: VT"
    directions = texts(report.sections.directions)
    assert len(directions) == 7  # the plan's content (II.), not its aims, timeline, funding or duties
    assert directions[0].startswith("Tổ chức phổ biến mục tiêu")
    assert directions[-1].startswith("Không nhập lên các nền tảng AI")
    assert report.sections.results == [] and report.sections.difficulties == []
    assert no_markdown(report)


def test_ke_sat_letter(sample: Callable[[str], CommuneReport]) -> None:
    report = sample("ke_sat_cong_van.docx")
    assert report.doc_type == DocType.CONG_VAN
    assert report.number is None
    assert report.issued_on is None
    assert report.issuing_body == "ỦY BAN NHÂN DÂN XÃ KẼ SẮT"
    assert report.unit_text == "xã Kẽ Sắt"  # as written, typo included; the roster corrects it
    assert report.place == "Kẻ Sắt"
    assert province_key(report.province_text or "") == "hai phong"
    assert report.title == (
        "V/v triển khai Cuộc thi “Ứng dụng AI trong thực thi nhiệm vụ của các cơ quan hành chính”"
    )
    assert report.recipients == [
        "Các phòng chuyên môn thuộc UBND xã",
        "Trung tâm Phục vụ hành chính công xã",
        "Trung tâm Dịch vụ sự nghiệp công xã",
        "Các trường học, trạm y tế trên địa bàn xã",
        "Cán bộ, công chức, viên chức, người lao động thuộc UBND xã",
    ]
    assert report.signer.name == "Phạm Thị Thu Hiền"
    assert report.signer.title == "Q. CHỦ TỊCH"
    assert report.cc == ["Như trên", "Lưu: VT, VHXH"]
    assert report.sections.is_empty()


def test_doan_hung_news(sample: Callable[[str], CommuneReport]) -> None:
    report = sample("doan_hung_tin_bai.docx")
    assert report.doc_type == DocType.TIN_BAI
    assert report.issued_on == dt.date(2025, 8, 25)
    assert report.unit_text == "xã Đoan Hùng"
    assert province_key(report.province_text or "") == "phu tho"
    assert report.number is None and report.title is None
    assert report.signer.name is None and report.cc == []
    assert report.sections.is_empty()
    assert report.indicators.trainings is None  # "một buổi học" is not a count of trainings


def test_dak_glei_district_report(sample: Callable[[str], CommuneReport]) -> None:
    report = sample("dak_glei_bao_cao.docx")
    assert report.doc_type == DocType.BAO_CAO
    assert report.unit_text == "huyện Đắk Glei"
    assert province_key(report.province_text or "") == "kon tum"
    assert report.title == (
        "Tình hình triển khai thực hiện Chiến lược quốc gia về nghiên cứu, phát triển và ứng dụng Trí tuệ "
        "nhân tạo năm 2024"
    )
    results = texts(report.sections.results)
    assert len(results) == 4
    assert "dịch vụ công trực tuyến ở mức độ 3" in results[2]  # the sentence split by a page break
    assert texts(report.sections.difficulties) == [
        "Nhiều tổ chức, cá nhân trên địa bàn huyện chưa hiểu rõ về Trí tuệ nhân tạo (AI), tâm lý còn e ngại "
        "rủi ro nên chưa mạnh dạn ứng dụng AI để mới mô hình sản xuất – kinh doanh."
    ]
    assert len(report.sections.causes) == 1
    assert report.sections.causes[0].text.startswith("Là một huyện nghèo")
    assert len(report.sections.directions) == 5
    assert len(report.sections.proposals) == 1
    assert report.sections.proposals[0].text.startswith("Đề nghị Sở Khoa học và Công nghệ")
    assert len(report.footnotes) == 4
    assert all(f.source.footnote is not None for f in report.footnotes)
    body = " ".join(item.text for _, item in report.sections.items())
    assert "1944/UBND-KTHT" not in body and "66/KH-UBND" not in body  # footnotes stay out of the items
    assert report.signer.name == "Lê Viết Nam"
    assert report.signer.title == "CHỦ TỊCH"


REAL_TYPES = {
    "lc_bc_doankt_vlncn_2026.docx": DocType.BAO_CAO,
    "lc_bc_sct_cl_hoachat_2026.docx": DocType.BAO_CAO,
    "lc_bc_sct_hoachat_2025.docx": DocType.CONG_VAN,  # a báo cáo written as a công văn (/SCT-CN, V/v)
    "lc_bc_ubnd_vlncn_2025.docx": DocType.BAO_CAO,
    "lc_kh_sct_kiemtra_2026.docx": DocType.KE_HOACH,
    "lc_tb_sct_thamdinh_yenha.docx": DocType.CONG_VAN,  # a thông báo in công-văn form
    "ld_bc_cchc_2025.docx": DocType.BAO_CAO,
    "ld_bc_dean06_t11_2025.docx": DocType.BAO_CAO,
    "ld_bc_hoi_2025.docx": DocType.BAO_CAO,
    "ld_bc_snv_chiso_2025.docx": DocType.BAO_CAO,
    "ld_bc_ttpvhcc_766_2025.docx": DocType.BAO_CAO,
    "ld_kh_cchc_2026.docx": DocType.KE_HOACH,
    "ld_kh_thidua_cchc_2026.docx": DocType.KE_HOACH,
}


@pytest.mark.parametrize("name", sorted(REAL_TYPES))
def test_real_documents(name: str, real_docx_dir: Path, make_settings: Callable[..., Any]) -> None:
    report = extract(real_docx_dir / name, make_settings())
    assert report.doc_type == REAL_TYPES[name]
    assert report.number is None  # every one is an unnumbered draft
    assert report.issued_on is None and "date_incomplete" in warning_codes(report)
    assert report.place in ("Lâm Đồng", "Lào Cai")
    assert report.signer.name and report.signer.title
    assert report.cc and report.issuing_body
    assert province_key(report.province_text or "") in ("lam dong", "lao cai")
    # provincial documents carry no commune AI figures
    assert report.indicators.model_dump(exclude_none=True) == {}
