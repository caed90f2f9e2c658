"""Figures from sentences and data tables, with evidence, conflicts and percentage checks."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.document import Block, ParsedDocument
from schemas.report import CommuneReport
from tonghop.interpret import fill_report
from tonghop.interpret.numbers import format_decimal, parse_decimal, parse_int, parse_words

FILE = "xa-b.docx"
AI_HEADER = ("Số: /BC-UBND", "BÁO CÁO", "Kết quả ứng dụng trí tuệ nhân tạo (AI) tại UBND xã B")
OTHER_HEADER = ("Số: /BC-UBND", "BÁO CÁO", "Tình hình tổ chức, hoạt động của hội năm 2025")
CLOSING = ("Trên đây là báo cáo của UBND xã B.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An")


def report_of(*body: str | dict[str, Any], header: tuple[str, ...] = AI_HEADER) -> CommuneReport:
    parts: list[str | dict[str, Any]] = [*header, "I. Kết quả đạt được", *body, *CLOSING]
    blocks = []
    index = 0
    for part in parts:
        fields = {"text": part} if isinstance(part, str) else dict(part)
        if fields.pop("same_index", False):
            index -= 1
        blocks.append(Block(index=index, **fields))
        index += 1
    doc = ParsedDocument(file=FILE, format="docx", blocks=blocks)
    return fill_report(doc, CommuneReport(file=FILE, sha256="0" * 64))


def table(rows: list[list[str]], table_id: int = 0) -> list[dict[str, Any]]:
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cells.append({"text": text, "table": table_id, "row": r, "cell": c, "same_index": bool(r or c)})
    return cells


def evidence(report: CommuneReport, indicator: str) -> Any:
    return next(e for e in report.indicator_evidence if e.indicator == indicator)


def test_fraction_gives_users_and_total_with_the_stated_percentage_in_evidence() -> None:
    report = report_of("- 28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI trong công việc.")
    assert report.indicators.staff_using_ai == 28
    assert report.indicators.staff_total == 36
    found = evidence(report, "staff_using_ai")
    assert "77,8%" in found.text
    assert found.source.paragraph == len(AI_HEADER) + 1


def test_stated_percentage_stays_in_evidence_for_the_validation_to_check(make_settings: Any) -> None:
    from tonghop.check.validate import validate_report

    report = report_of("- 28/36 cán bộ, công chức (đạt 90%) đã sử dụng AI.")
    assert "28/36" in evidence(report, "staff_using_ai").text
    assert "90%" in evidence(report, "staff_using_ai").text
    _, warnings = validate_report(report, make_settings())
    mismatches = [w for w in report.warnings + warnings if w.code == "percentage_mismatch"]
    assert len(mismatches) == 1
    assert FILE in mismatches[0].message and "90%" in mismatches[0].message


def test_hundred_percent_with_a_known_total_is_the_total() -> None:
    report = report_of(
        "- Tổng số cán bộ, công chức của xã là 36 người.",
        "- 100% cán bộ, công chức được tiếp cận các công cụ AI.",
    )
    assert report.indicators.staff_accessed_ai == 36
    assert "100%" in evidence(report, "staff_accessed_ai").text


def test_hundred_percent_without_a_total_gives_no_number() -> None:
    report = report_of("- 100% cán bộ, công chức của UBND xã đã được tiếp cận các ứng dụng AI.")
    assert report.indicators.staff_accessed_ai is None
    assert report.indicators.staff_total is None


@pytest.mark.parametrize(
    ("sentence", "indicator", "value"),
    [
        ("- Đã tổ chức 02 lớp tập huấn về AI cho cán bộ.", "trainings", 2),
        ("- Xã đã tổ chức hai lớp tập huấn sử dụng ChatGPT.", "trainings", 2),
        ("- Tổ chức tập huấn được 03 buổi cho công chức.", "trainings", 3),
        ("- Đã cấp 20 tài khoản ChatGPT Plus cho cán bộ.", "ai_accounts", 20),
        ("- UBND xã đã tập huấn cho 45 cán bộ về sử dụng AI.", "staff_trained", 45),
        ("- 1.234 cán bộ, công chức đã sử dụng trợ lý ảo.", "staff_using_ai", 1234),
        ("- Có 12 công chức thường xuyên sử dụng AI.", "staff_using_ai", 12),
        ("- Toàn xã có 36 cán bộ, công chức.", "staff_total", 36),
    ],
)
def test_sentence_figures(sentence: str, indicator: str, value: int) -> None:
    report = report_of(sentence)
    assert getattr(report.indicators, indicator) == value
    assert evidence(report, indicator).text == sentence[2:]


def test_several_figures_in_one_sentence_take_the_verb_next_to_them() -> None:
    report = report_of(
        "- Đã tập huấn cho 45 cán bộ về AI, trong đó 30 cán bộ đã sử dụng ChatGPT thường xuyên."
    )
    assert report.indicators.staff_trained == 45
    assert report.indicators.staff_using_ai == 30


@pytest.mark.parametrize(
    "sentence",
    [
        "- Đây không chỉ là một buổi học kỹ năng số, mà còn là bước đầu đào tạo AI cho cán bộ.",
        "- 100% cán bộ sử dụng tài khoản định danh điện tử VNeID; cấp 50 tài khoản định danh cho người dân.",
        "- Một số cán bộ, công chức đã bước đầu sử dụng AI.",
        "- Ngày 25/8/2025 cán bộ xã được tập huấn AI.",
    ],
)
def test_phrases_that_are_not_indicators(sentence: str) -> None:
    report = report_of(sentence)
    assert report.indicators.model_dump(exclude_none=True) == {}


def test_sentences_not_about_ai_in_a_report_not_about_ai_are_ignored() -> None:
    report = report_of("- Hội có phạm vi hoạt động trong tỉnh có 326 người.", header=OTHER_HEADER)
    assert report.indicators.staff_total is None
    report = report_of("- Có 12 công chức sử dụng AI trong công việc.", header=OTHER_HEADER)
    assert report.indicators.staff_using_ai == 12


def test_data_table_values_with_cell_sources() -> None:
    rows = [
        ["STT", "Chỉ tiêu", "Số lượng"],
        ["1", "Tổng số cán bộ, công chức", "36"],
        ["2", "Số CBCC được tập huấn về AI", "30"],
        ["3", "Số CBCC sử dụng AI trong công việc", "28"],
        ["4", "Số tài khoản AI được cấp", "1.020"],
        ["5", "Số lớp tập huấn", "02"],
    ]
    report = report_of(*table(rows))
    assert report.indicators.model_dump() == {
        "staff_total": 36,
        "staff_accessed_ai": None,
        "staff_trained": 30,
        "staff_using_ai": 28,
        "ai_accounts": 1020,
        "trainings": 2,
    }
    source = evidence(report, "staff_using_ai").source
    assert (source.table, source.row, source.cell) == (0, 3, 2)
    assert evidence(report, "staff_using_ai").text == "Số CBCC sử dụng AI trong công việc: 28"


def test_table_with_value_column_first() -> None:
    report = report_of(
        *table([["Số lượng", "Chỉ tiêu"], ["36", "Tổng số cán bộ, công chức"], ["5", "Số CBCC dùng AI"]])
    )
    assert report.indicators.staff_total == 36
    assert report.indicators.staff_using_ai == 5


def test_table_with_indicators_as_column_headers() -> None:
    report = report_of(*table([["Tổng số CBCC", "Số CBCC sử dụng AI", "Số lớp tập huấn"], ["36", "28", "2"]]))
    assert (report.indicators.staff_total, report.indicators.staff_using_ai, report.indicators.trainings) == (
        36,
        28,
        2,
    )


def test_table_wins_over_text_and_the_conflict_is_reported() -> None:
    report = report_of(
        "- 28/35 cán bộ, công chức đã sử dụng AI.",
        *table([["Chỉ tiêu", "Số lượng"], ["Tổng số cán bộ, công chức", "36"], ["Số CBCC sử dụng AI", "28"]]),
    )
    assert report.indicators.staff_total == 36
    assert report.indicators.staff_using_ai == 28
    conflicts = [w for w in report.warnings if w.code == "indicator_conflict"]
    assert len(conflicts) == 1
    assert FILE in conflicts[0].message and "36" in conflicts[0].message and "35" in conflicts[0].message
    assert "Tổng số cán bộ, công chức" in conflicts[0].message


def test_header_table_numbers_are_not_indicators() -> None:
    header_cells = [
        {"text": "UBND XÃ B", "table": 0, "row": 0, "cell": 0, "in_header_table": True},
        {
            "text": "Số: 36/BC-UBND",
            "table": 0,
            "row": 1,
            "cell": 0,
            "in_header_table": True,
            "same_index": True,
        },
    ]
    report = report_of("- Cán bộ dùng AI.", header=(*header_cells, "BÁO CÁO", "Ứng dụng AI"))  # type: ignore[arg-type]
    assert report.indicators.model_dump(exclude_none=True) == {}


def test_vietnamese_number_formats() -> None:
    assert parse_int("1.234") == 1234
    assert parse_int("02") == 2
    assert parse_int("hai") == 2
    assert parse_int("77,8") is None
    assert parse_words("hai mươi lăm") == 25
    assert parse_words("một trăm linh năm") == 105
    assert parse_words("cán bộ") is None
    assert parse_decimal("77,8") == pytest.approx(77.8)
    assert parse_decimal("90.91") == pytest.approx(90.91)
    assert parse_decimal("1.234,5") == pytest.approx(1234.5)
    assert format_decimal(77.777) == "77,8"
    assert format_decimal(100.0) == "100"
