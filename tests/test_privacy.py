"""Personal data is replaced before a prompt leaves the machine, and put back only locally."""

from __future__ import annotations

import pytest

from tonghop.summarize.privacy import Redactor, redaction_counts


@pytest.mark.parametrize(
    "phone",
    [
        "0912 345 678",
        "0912.345.678",
        "0912345678",
        "091-234-5678",
        "+84 912 345 678",
        "(+84) 912345678",
        "84912345678",
        "0238 3844 123",
        "024.3825.1234",
        "0386 123 456",
    ],
)
def test_vietnamese_phone_formats_are_redacted(phone: str) -> None:
    redactor = Redactor()
    text = f"Người liên hệ: Trần Thị Lan, điện thoại {phone}; trân trọng."
    redacted = redactor.redact(text)
    assert phone not in redacted
    assert "[SĐT_1]" in redacted
    assert redactor.restore(redacted) == text
    assert redactor.counts == {"phone": 1}


@pytest.mark.parametrize(
    "text",
    [
        "UBND xã đã tổ chức 02 lớp tập huấn cho 45 lượt cán bộ, công chức.",
        "Có 28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI; đăng ký 20 tài khoản AI.",
        "Thời gian soạn thảo giảm từ 4 giờ xuống còn 1,5 giờ; kinh phí 150.000.000 đồng.",
        "Thực hiện Công văn số 1185/SKHCN-CĐS ngày 02/6/2026 và Kế hoạch số 49/KH-UBND ngày 11/02/2026.",
        "Dân số 12.345 người, 2.130 hộ; năm 2025 và năm 2026.",
    ],
)
def test_figures_dates_and_references_are_not_taken_for_personal_data(text: str) -> None:
    redactor = Redactor(person_names=True)
    assert redactor.redact(text) == text
    assert not redactor.counts


def test_citizen_ids_emails_and_bank_accounts_are_redacted() -> None:
    text = (
        "Hỗ trợ bà Nguyễn Thị Hoa (CCCD số 038195001234) qua e-mail hoa.nt@nghean.gov.vn; "
        "CMND: 186 123 456; chuyển khoản vào số tài khoản 0123 4567 8901 tại Agribank, "
        "STK: 1903-5566-7788-99; thẻ căn cước 001089012345."
    )
    redactor = Redactor()
    redacted = redactor.redact(text)
    for secret in (
        "038195001234",
        "hoa.nt@nghean.gov.vn",
        "186 123 456",
        "0123 4567 8901",
        "1903-5566-7788-99",
        "001089012345",
    ):
        assert secret not in redacted
    assert redactor.counts == {"id_number": 3, "email": 1, "bank_account": 2}
    assert redactor.restore(redacted) == text


def test_the_same_value_gets_the_same_placeholder_and_numbering_is_stable() -> None:
    text = "Gọi 0912 345 678 hoặc 0988 111 222; ngoài giờ gọi lại 0912 345 678."
    first, second = Redactor(), Redactor()
    assert first.redact(text) == second.redact(text) == "Gọi [SĐT_1] hoặc [SĐT_2]; ngoài giờ gọi lại [SĐT_1]."
    assert first.counts["phone"] == 3


def test_person_names_in_contact_lines_are_redacted_only_when_asked() -> None:
    text = "Cán bộ đầu mối: đồng chí Lê Đình Phúc, công chức Văn hóa - Xã hội, SĐT 0977 654 321."
    plain = Redactor().redact(text)
    assert "Lê Đình Phúc" in plain and "0977 654 321" not in plain
    with_names = Redactor(person_names=True)
    redacted = with_names.redact(text)
    assert "Lê Đình Phúc" not in redacted
    assert "đồng chí [HỌ_TÊN_1], công chức" in redacted
    assert with_names.restore(redacted) == text


def test_a_reply_is_restored_with_its_own_request_mapping_only() -> None:
    redactor = Redactor()
    redactor.redact("Liên hệ 0912 345 678.")
    reply = "Các xã để lại số [SĐT_1] và [SĐT_7] để liên hệ."
    assert redactor.restore(reply) == "Các xã để lại số 0912 345 678 và [SĐT_7] để liên hệ."


def test_counts_add_up_over_requests() -> None:
    a, b = Redactor(), Redactor()
    a.redact("Điện thoại 0912 345 678, e-mail a@b.vn")
    b.redact("Điện thoại 0912 345 678")
    assert redaction_counts([a, b]) == {"email": 1, "phone": 2}
