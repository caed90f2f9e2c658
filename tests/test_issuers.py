"""Who issued a document: the issuer record from header blocks of each kind of body, which kinds count
as a commune's report, and a committee's name never taken for a commune."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from issuer_docs import commune_doc, run_round, save

from schemas.report import Status
from tonghop.render.data_files import intake_csv_text

AI_TITLE = "Kết quả ứng dụng trí tuệ nhân tạo (AI) trong giải quyết công việc"
DATE = "Diễn Châu, ngày 05 tháng 6 năm 2026"


@pytest.mark.parametrize(
    ("block", "kind", "parent", "status"),
    [
        (["ỦY BAN NHÂN DÂN", "XÃ DIỄN CHÂU"], "ubnd", None, Status.ACCEPTED),
        (["UBND XÃ DIỄN CHÂU", "VĂN PHÒNG HĐND VÀ UBND"], "department", "ubnd", Status.ACCEPTED),
        (["UBND XÃ DIỄN CHÂU", "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ"], "committee", "ubnd", Status.ACCEPTED),
        (["ỦY BAN MTTQ VIỆT NAM", "XÃ DIỄN CHÂU", "BAN THƯỜNG TRỰC"], "mttq", None, Status.OTHER_ISSUER),
        (["ĐẢNG ỦY XÃ DIỄN CHÂU"], "dang_uy", None, Status.OTHER_ISSUER),
        (["HĐND XÃ DIỄN CHÂU", "THƯỜNG TRỰC"], "hdnd", None, Status.OTHER_ISSUER),
        (["HỘI LIÊN HIỆP PHỤ NỮ", "XÃ DIỄN CHÂU"], "doan_the", None, Status.OTHER_ISSUER),
        (
            ["ỦY BAN BẦU CỬ XÃ DIỄN CHÂU", "TIỂU BAN THÔNG TIN,", "TUYÊN TRUYỀN"],
            "committee",
            "committee",
            Status.OTHER_ISSUER,
        ),
    ],
)
def test_header_block_gives_the_issuer_and_whether_it_counts(
    make_settings: Callable[..., Any], block: list[str], kind: str, parent: str | None, status: Status
) -> None:
    settings = make_settings(province="Nghệ An")
    save(commune_doc(block, "Số: 12/BC-XX", DATE, "BÁO CÁO", AI_TITLE), settings.inbox, "bc.docx")
    report = run_round(settings)["bc.docx"]
    assert report.issuer is not None
    assert report.issuer.lines == block
    assert report.issuer.name == " / ".join(block)
    assert (report.issuer.kind.value, report.issuer.parent_kind and report.issuer.parent_kind.value) == (
        kind,
        parent,
    )
    assert report.issuer.commune is not None and report.issuer.commune.casefold() == "xã diễn châu"
    assert report.unit is not None and report.unit.code == 17464  # Xã Diễn Châu, Nghệ An
    assert report.status == status
    if status == Status.OTHER_ISSUER:
        assert block[0] in report.reason() and "không tính là báo cáo" in report.reason()
        assert report.issuing_body == " ".join(block)  # the whole block, not its last lines
        assert report.unit_text == "xã Diễn Châu"


def test_counted_issuers_come_from_the_settings(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province="Nghệ An", counted_issuers=["ubnd", "mttq"])
    block = ["ỦY BAN MTTQ VIỆT NAM", "XÃ DIỄN CHÂU", "BAN THƯỜNG TRỰC"]
    save(commune_doc(block, "Số: 12/BC-MTTQ", DATE, "BÁO CÁO", AI_TITLE), settings.inbox, "bc.docx")
    assert run_round(settings)["bc.docx"].status == Status.ACCEPTED


def _subcommittee(place: str) -> Any:
    return commune_doc(
        ["ỦY BAN BẦU CỬ XÃ PHỐ BẢNG", "TIỂU BAN THÔNG TIN, TUYÊN TRUYỀN, KHÁNH TIẾT"],
        "Số: 01/KH-TBTTKT",
        f"{place}, ngày 10 tháng 12 năm 2025",
        "KẾ HOẠCH",
        "Triển khai của Tiểu ban thông tin, tuyên truyền bầu cử trên địa bàn xã Phố Bảng",
        ("I. MỤC ĐÍCH, YÊU CẦU", "- Tuyên truyền sâu rộng về cuộc bầu cử."),
        authority="TM. TIỂU BAN",
    )


def test_a_subcommittee_resolves_to_the_commune_its_header_names(make_settings: Callable[..., Any]) -> None:
    """'TIỂU BAN' once matched Xã Tiểu Cần (Vĩnh Long) fuzzily; the header's 'xã Phố Bảng' decides."""
    settings = make_settings(province=None)
    save(_subcommittee("Phố Bảng"), settings.inbox, "Tỉnh Tuyên Quang/kh.docx")
    report = run_round(settings)["Tỉnh Tuyên Quang/kh.docx"]
    assert report.unit is not None
    assert (report.unit.name, report.unit.province) == ("Xã Phố Bảng", "Tỉnh Tuyên Quang")
    assert report.issuer is not None and report.issuer.kind.value == "committee"
    assert report.unit_text == "xã Phố Bảng"
    assert "unit_folder_mismatch" not in [w.code for w in report.warnings]


def test_a_commune_outside_its_province_folder_is_warned(make_settings: Callable[..., Any]) -> None:
    settings = make_settings(province=None)
    save(_subcommittee("Phố Bảng"), settings.inbox, "Tỉnh Quảng Ninh/kh.docx")
    report = run_round(settings)["Tỉnh Quảng Ninh/kh.docx"]
    assert report.unit is not None and report.unit.name == "Xã Phố Bảng"
    warning = next(w for w in report.warnings if w.code == "unit_folder_mismatch")
    assert "Tỉnh Tuyên Quang" in warning.message and "Quảng Ninh" in warning.message


def test_a_body_line_alone_is_never_a_fuzzy_commune(make_settings: Callable[..., Any]) -> None:
    """A header with only the committee's name and no commune is not guessed into a commune."""
    settings = make_settings(province=None)
    builder = commune_doc(
        ["TIỂU BAN THÔNG TIN, TUYÊN TRUYỀN"],
        "Số: 01/KH-TB",
        "ngày 10 tháng 12 năm 2025",
        "KẾ HOẠCH",
        "Tuyên truyền bầu cử",
        ("I. MỤC ĐÍCH", "- Tuyên truyền sâu rộng."),
    )
    save(builder, settings.inbox, "kh.docx")
    report = run_round(settings)["kh.docx"]
    assert report.unit is None or "Tiểu Cần" not in report.unit.name
    assert report.status == Status.REJECTED


def test_off_topic_documents_are_listed_with_their_title_but_not_counted(
    make_settings: Callable[..., Any],
) -> None:
    settings = make_settings(province="Nghệ An")
    election = "Tổ chức hội nghị cử tri nơi cư trú phục vụ bầu cử đại biểu Quốc hội khóa XVI"
    save(
        commune_doc(
            ["ỦY BAN NHÂN DÂN", "XÃ DIỄN CHÂU"],
            "Số: 05/KH-UBND",
            DATE,
            "KẾ HOẠCH",
            election,
            ("I. NỘI DUNG THỰC HIỆN", "- Địa điểm: Tại Phòng tiếp công dân xã."),
        ),
        settings.inbox,
        "kh-bau-cu.docx",
    )
    save(
        commune_doc(["ỦY BAN NHÂN DÂN", "XÃ QUỲNH LƯU"], "Số: 21/BC-UBND", DATE, "BÁO CÁO", AI_TITLE),
        settings.inbox,
        "bc-ai.docx",
    )
    reports = run_round(settings)
    off = reports["kh-bau-cu.docx"]
    assert off.subjects == [] and off.status == Status.OFF_TOPIC
    assert election in off.reason()
    assert reports["bc-ai.docx"].subjects == ["ai"] and reports["bc-ai.docx"].status == Status.ACCEPTED
    csv_text = intake_csv_text(list(reports.values()))
    row = next(line for line in csv_text.splitlines() if line.startswith("kh-bau-cu.docx"))
    assert "off_topic" in row and election in row


def test_a_body_that_keeps_naming_ai_is_on_topic_without_an_ai_title(
    make_settings: Callable[..., Any],
) -> None:
    settings = make_settings(province="Nghệ An")
    save(
        commune_doc(
            ["ỦY BAN NHÂN DÂN", "XÃ DIỄN CHÂU"], "Số: 07/BC-UBND", DATE, "BÁO CÁO", "Kết quả chuyển đổi số"
        ),
        settings.inbox,
        "bc.docx",
    )
    report = run_round(settings)["bc.docx"]
    assert report.subjects == ["ai"] and report.status == Status.ACCEPTED


def test_other_issuers_and_off_topic_files_do_not_make_a_commune_received(
    make_settings: Callable[..., Any],
) -> None:
    from tonghop.check.coverage import compute_coverage
    from tonghop.units.roster import load_roster

    settings = make_settings(province="Nghệ An")
    block = ["ỦY BAN MTTQ VIỆT NAM", "XÃ DIỄN CHÂU", "BAN THƯỜNG TRỰC"]
    save(commune_doc(block, "Số: 12/BC-MTTQ", DATE, "BÁO CÁO", AI_TITLE), settings.inbox, "mttq.docx")
    save(
        commune_doc(
            ["ỦY BAN NHÂN DÂN", "XÃ QUỲNH LƯU"],
            "Số: 3/KH-UBND",
            DATE,
            "KẾ HOẠCH",
            "Tổ chức bầu cử",
            ("I. NỘI DUNG", "- Lập danh sách cử tri."),
        ),
        settings.inbox,
        "bau-cu.docx",
    )
    reports = list(run_round(settings).values())
    coverage = compute_coverage(reports, load_roster().communes("Nghệ An"), province="Nghệ An", deadline=None)
    assert coverage.received == 0 and coverage.accepted == 0
    assert coverage.by_status == {"off_topic": 1, "other_issuer": 1}
    assert {"Xã Diễn Châu", "Xã Quỳnh Lưu"} <= {u.name for u in coverage.missing}
