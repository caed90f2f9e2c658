"""The consolidated report follows Decree 30/2020 rule by rule, says what the summary says, and escapes."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from render_fixtures import FORMULA, SCRIPT, make_national_summary, make_reports, make_summary

from schemas.report import CommuneReport, Status
from schemas.summary import ProvincialSummary, Totals, UnitRef
from tonghop.errors import ConfigError
from tonghop.render import nd30
from tonghop.render.dates import long_date, place_date, round_label, short_date
from tonghop.render.report_docx.document import write_report_docx
from tonghop.render.view import Round

CM = 360000  # EMU per cm


def _cm(length: Length | int | None) -> float:
    return (length or 0) / CM


@pytest.fixture
def round_data() -> tuple[list[CommuneReport], ProvincialSummary]:
    reports = make_reports()
    return reports, make_summary(reports)


@pytest.fixture
def render(
    tmp_path: Path,
    make_settings: Callable[..., Any],
    round_data: tuple[list[CommuneReport], ProvincialSummary],
) -> Callable[..., DocxDocument]:
    def go(summary: ProvincialSummary | None = None, draft: bool = True, **overrides: Any) -> DocxDocument:
        reports, default = round_data
        settings = make_settings(**overrides)
        round = Round.build(settings, reports, summary or default)
        path = write_report_docx(round, tmp_path / "bao-cao.docx", draft=draft)
        return docx.Document(str(path))

    return go


@pytest.fixture
def report(render: Callable[..., DocxDocument]) -> DocxDocument:
    return render()


def _style_value(paragraph: Paragraph, attribute: str) -> Any:
    """A font property as Word resolves it: the run, else the paragraph style chain."""
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attribute)
        if value is not None:
            return value
        style = style.base_style
    return None


def _format_value(paragraph: Paragraph, attribute: str) -> Any:
    direct = getattr(paragraph.paragraph_format, attribute)
    if direct is not None:
        return direct
    style = paragraph.style
    while style is not None:
        value = getattr(style.paragraph_format, attribute)
        if value is not None:
            return value
        style = style.base_style
    return None


def _style(item: Any) -> str:
    return item.style.name if item.style is not None else ""


def _body_paragraphs(document: DocxDocument) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.text.strip()]


def _find(document: DocxDocument, pattern: str) -> Paragraph:
    for paragraph in document.paragraphs:
        if re.search(pattern, paragraph.text):
            return paragraph
    raise AssertionError(f"no paragraph matches {pattern!r}")


def _appendix_table(document: DocxDocument, number: str) -> Table:
    """The table that follows the `Phụ lục <number>` heading."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and Paragraph(child, document._body).text.strip() == f"Phụ lục {number}":
            seen = True
        elif seen and child.tag == qn("w:tbl"):
            return Table(child, document._body)
    raise AssertionError(f"Phụ lục {number} has no table")


# --- page ----------------------------------------------------------------------------------------------


def test_page_is_a4_with_margins_inside_the_decree_ranges(report: DocxDocument) -> None:
    for section in report.sections:
        assert round(_cm(section.page_width), 1) == 21.0
        assert round(_cm(section.page_height), 1) == 29.7
        assert 2.0 <= _cm(section.top_margin) <= 2.5
        assert 2.0 <= _cm(section.bottom_margin) <= 2.5
        assert 3.0 <= _cm(section.left_margin) <= 3.5
        assert 1.5 <= _cm(section.right_margin) <= 2.0


def test_times_new_roman_on_all_four_slots_everywhere(
    tmp_path: Path, render: Callable[..., DocxDocument]
) -> None:
    render()
    with zipfile.ZipFile(tmp_path / "bao-cao.docx") as package:
        parts = [
            n for n in package.namelist() if re.match(r"word/(document|styles|header\d*|footer\d*)\.xml", n)
        ]
        checked = 0
        for name in parts:
            root = etree.fromstring(package.read(name))
            for rfonts in root.iter(qn("w:rFonts")):
                for slot in nd30.FONT_SLOTS:
                    assert rfonts.get(qn(f"w:{slot}")) == "Times New Roman", (name, slot)
                for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
                    assert rfonts.get(qn(f"w:{theme}")) is None, (name, theme)
                checked += 1
        styles = etree.fromstring(package.read("word/styles.xml"))
    assert checked > 20
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default is not None
    for style in styles.iter(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if style.get(qn("w:styleId"), "").startswith("ND30") and rpr is not None:
            assert rpr.find(qn("w:rFonts")) is not None, style.get(qn("w:styleId"))


def test_page_numbers_from_page_two_centred_in_the_header(report: DocxDocument) -> None:
    section = report.sections[0]
    assert section.different_first_page_header_footer
    header_xml = etree.tostring(section.header._element, encoding="unicode")
    assert "PAGE" in header_xml and "fldChar" in header_xml
    number = next(p for p in section.header.paragraphs if "PAGE" in etree.tostring(p._p, encoding="unicode"))
    assert _format_value(number, "alignment") == 1  # centre
    assert 13 <= _style_value(number, "size").pt <= 14
    first_xml = etree.tostring(section.first_page_header._element, encoding="unicode")
    assert "PAGE" not in first_xml


# --- header block --------------------------------------------------------------------------------------


def test_header_is_a_borderless_two_by_two_table(report: DocxDocument) -> None:
    table = report.tables[0]
    assert len(table.rows) == 2 and len(table.columns) == 2
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {b.get(qn("w:val")) for b in borders} <= {"nil", "none"}
    left_top = [p.text for p in table.cell(0, 0).paragraphs if p.text]
    right_top = [p.text for p in table.cell(0, 1).paragraphs if p.text]
    assert left_top == ["UBND TỈNH NGHỆ AN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert right_top == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    parent, body = (p for p in table.cell(0, 0).paragraphs if p.text)
    title, motto = (p for p in table.cell(0, 1).paragraphs if p.text)
    assert not _style_value(parent, "bold")
    for paragraph in (body, title, motto):
        assert _style_value(paragraph, "bold")
    for paragraph, low, high in ((parent, 12, 13), (body, 12, 13), (title, 12, 13), (motto, 13, 14)):
        assert low <= _style_value(paragraph, "size").pt <= high
    widths = [_cm(c.width) for c in table.rows[0].cells]
    assert 6.0 <= widths[0] <= 7.5 and 9.0 <= widths[1] <= 10.5


def _rule_after(cell_paragraphs: list[Paragraph], text: str) -> Paragraph:
    texts = [p.text for p in cell_paragraphs]
    return cell_paragraphs[texts.index(text) + 1]


def _border(paragraph: Paragraph) -> etree._Element | None:
    style = paragraph.style
    assert style is not None
    for source in (paragraph._p.pPr, style.element.pPr):
        if source is not None and source.find(qn("w:pBdr")) is not None:
            return source.find(qn("w:pBdr"))
    return None


def rule_length_cm(paragraph: Paragraph, cell_cm: float) -> float:
    left = _cm(_format_value(paragraph, "left_indent"))
    right = _cm(_format_value(paragraph, "right_indent"))
    return cell_cm - 2 * nd30.CELL_MARGIN_CM - left - right


def test_short_lines_are_paragraph_borders_not_underscores(report: DocxDocument) -> None:
    table = report.tables[0]
    left, right = table.cell(0, 0), table.cell(0, 1)
    for cell, text, low, high in (
        (left, "SỞ KHOA HỌC VÀ CÔNG NGHỆ", 2.0, 3.3),  # 1/3–1/2 of the 6.45 cm the name takes at 12 pt bold
        (right, "Độc lập - Tự do - Hạnh phúc", 5.3, 5.9),  # as long as the motto (5.6 cm at 13 pt bold)
    ):
        rule = _rule_after(cell.paragraphs, text)
        assert rule.text == ""
        border = _border(rule)
        assert border is not None
        edges = [b for b in border if b.get(qn("w:val")) == "single"]
        assert edges, "the line is a single solid border"
        length = rule_length_cm(rule, _cm(cell.width))
        assert low <= length <= high, (text, length)
    header_text = "".join(c.text for row in table.rows for c in row.cells)
    assert "___" not in header_text and "---" not in header_text


def test_number_line_is_left_blank_for_the_clerk(report: DocxDocument) -> None:
    number = report.tables[0].cell(1, 0).paragraphs[0]
    assert number.text == "Số:      /BC-SKHCN"
    assert _style_value(number, "size").pt == 13


def test_place_and_date_line_is_italic_and_padded(report: DocxDocument) -> None:
    line = report.tables[0].cell(1, 1).paragraphs[0]
    # generated 2026-06-04 20:30 UTC, that is 5 June in Vietnam
    assert line.text == "Nghệ An, ngày 05 tháng 6 năm 2026"
    assert _style_value(line, "italic")
    assert 13 <= _style_value(line, "size").pt <= 14


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 6, 5), "ngày 05 tháng 6 năm 2026"),
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 10, 10), "ngày 10 tháng 10 năm 2026"),
        (dt.date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    ],
)
def test_long_date_pads_days_below_ten_and_months_one_and_two(date: dt.date, expected: str) -> None:
    assert long_date(date) == expected
    assert "tháng 06" not in long_date(date)


@pytest.mark.parametrize(
    ("date", "expected"),
    [(dt.date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"), (dt.date(2026, 11, 3), "ngày 03 tháng 11 năm 2026")],
)
def test_issue_date_from_settings_is_printed_with_padding(
    render: Callable[..., DocxDocument], make_settings: Callable[..., Any], date: dt.date, expected: str
) -> None:
    from tonghop.settings import ReportSettings

    document = render(report=ReportSettings(issued_on=date))
    assert document.tables[0].cell(1, 1).paragraphs[0].text == f"Nghệ An, {expected}"
    assert f"(Kèm theo Báo cáo số      /BC-SKHCN {expected} của Sở Khoa học và Công nghệ)" in [
        p.text for p in document.paragraphs
    ]


def test_short_dates_and_round_labels() -> None:
    assert short_date(dt.date(2026, 6, 15)) == "15/6/2026"
    assert short_date(dt.date(2021, 1, 26)) == "26/01/2021"
    assert place_date("Nghệ An", dt.date(2026, 2, 1)) == "Nghệ An, ngày 01 tháng 02 năm 2026"
    assert round_label("2026-H1") == "6 tháng đầu năm 2026"
    assert round_label("2026-Q2") == "quý II năm 2026"
    assert round_label("2026-02") == "tháng 02 năm 2026"
    assert round_label("2026") == "năm 2026"


# --- title and body ------------------------------------------------------------------------------------


def test_title_summary_line_and_recipient(report: DocxDocument) -> None:
    texts = [p.text for p in _body_paragraphs(report)]
    i = texts.index("BÁO CÁO")
    title = _body_paragraphs(report)[i]
    assert _style_value(title, "bold") and 13 <= _style_value(title, "size").pt <= 14
    assert _format_value(title, "alignment") == 1
    summary_line = _body_paragraphs(report)[i + 1]
    assert summary_line.text.replace("\u00a0", " ") == (
        "Kết quả ứng dụng trí tuệ nhân tạo tại các xã, phường trên địa bàn tỉnh Nghệ An 6 tháng đầu năm 2026"
    )
    assert _style_value(summary_line, "bold")
    assert texts[i + 2] == "Kính gửi: Ủy ban nhân dân tỉnh Nghệ An."


def test_headings_are_numbered_upper_case_and_bold(report: DocxDocument) -> None:
    level1 = [p for p in report.paragraphs if _style(p) == "ND30 Heading 1"]
    assert [p.text.split(".")[0] for p in level1] == ["I", "II", "III", "IV", "V"]
    for paragraph in level1:
        assert re.fullmatch(r"[IVX]+\. \S.*", paragraph.text) and paragraph.text == paragraph.text.upper()
        assert _style_value(paragraph, "bold")
    level2 = [p for p in report.paragraphs if _style(p) == "ND30 Heading 2"]
    assert level2 and all(re.match(r"\d+\. \S", p.text) for p in level2)
    assert all(_style_value(p, "bold") for p in level2)
    level3 = [p.text for p in report.paragraphs if _style(p) == "ND30 Heading 3"]
    assert [t[:2] for t in level3[:3]] == ["a)", "b)", "c)"]
    bullets = [p.text for p in report.paragraphs if _style(p) == "ND30 Bullet"]
    assert bullets and all(t.startswith(("- ", "+ ")) for t in bullets)


def test_body_is_justified_indented_and_spaced(report: DocxDocument) -> None:
    for paragraph in report.paragraphs:
        if not _style(paragraph).startswith(("ND30 Body", "ND30 Bullet", "ND30 Heading")):
            continue
        if not paragraph.text:
            continue
        assert _format_value(paragraph, "alignment") == 3, paragraph.text  # justify
        assert 1.0 <= _cm(_format_value(paragraph, "first_line_indent")) <= 1.27
        spacing = (_format_value(paragraph, "space_before") or 0) + (
            _format_value(paragraph, "space_after") or 0
        )
        assert spacing >= Pt(6)
        assert 1.0 <= _format_value(paragraph, "line_spacing") <= 1.5
        assert 13 <= _style_value(paragraph, "size").pt <= 14


def test_coverage_names_the_missing_communes_and_counts_against_the_deadline(report: DocxDocument) -> None:
    text = "\n".join(p.text for p in report.paragraphs)
    assert "phải báo cáo: 11." in text
    assert "Số xã, phường đã gửi báo cáo: 7/11 (63,6%); trong đó 6 xã, phường gửi đúng hạn, 1 xã" in text
    assert "thời hạn ngày 15/6/2026" in text
    missing = _find(report, r"chưa gửi báo cáo \(5\)").text
    for name in ("phường Vinh Hưng", "xã Con Cuông", "xã Hưng Nguyên", "xã Tân Kỳ", "xã Yên Thành"):
        assert name in missing
    assert "Số văn bản đã tiếp nhận: 10, trong đó: 6 hợp lệ, 2 bị từ chối, 1 trùng lặp" in text
    assert "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh Nghệ An" in text


def test_each_theme_names_its_communes_and_totals_are_printed(report: DocxDocument) -> None:
    theme = _find(report, r"^a\) Sử dụng AI hỗ trợ soạn thảo").text
    assert "(3 xã, phường: phường Cửa Lò, xã Diễn Châu, xã Nghĩa Đàn)" in theme
    assert _find(report, r"^b\) Tra cứu").text.endswith("(2 xã: xã Diễn Châu, xã Quỳnh Lưu).")
    assert _find(report, r"Tổng số cán bộ, công chức: 232 người \(5 xã, phường").text
    assert _find(report, r"Tỷ lệ cán bộ, công chức sử dụng AI trong công việc: 66,5%").text
    sections = [p.text for p in report.paragraphs if _style(p) == "ND30 Heading 1"]
    assert sections == [
        "I. TÌNH HÌNH TIẾP NHẬN BÁO CÁO",
        "II. KẾT QUẢ ĐẠT ĐƯỢC",
        "III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]


def test_unverified_statements_are_highlighted_and_marked(report: DocxDocument) -> None:
    paragraph = _find(report, r"Khoảng 80% văn bản")
    assert paragraph.text.endswith("[chưa kiểm chứng: 80%]")
    styles = {_style(r) for r in paragraph.runs if r.text.strip()}
    assert styles == {"ND30 Unverified"}
    style = report.styles["ND30 Unverified"].element
    assert style.find(f"{qn('w:rPr')}/{qn('w:highlight')}") is not None
    verified = _find(report, r"^- Thời gian soạn thảo")
    assert "chưa kiểm chứng" not in verified.text
    assert all(_style(r) != "ND30 Unverified" for r in verified.runs)


def test_hostile_text_is_printed_literally(tmp_path: Path, report: DocxDocument) -> None:
    text = "\n".join(p.text for p in report.paragraphs)
    assert SCRIPT in text
    assert f"- {FORMULA}." in text
    with zipfile.ZipFile(tmp_path / "bao-cao.docx") as package:
        xml = package.read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_control_characters_from_a_commune_do_not_break_the_document(
    render: Callable[..., DocxDocument], round_data: tuple[list[CommuneReport], ProvincialSummary]
) -> None:
    _, summary = round_data
    theme = summary.sections["results"][0]
    odd = theme.model_copy(update={"title": "Soạn thảo\x0b văn bản\x01 bằng AI"})
    summary = summary.model_copy(update={"sections": {**summary.sections, "results": [odd]}})
    document = render(summary)
    assert _find(document, r"^a\) Soạn thảo văn bản bằng AI")


# --- closing and appendices ----------------------------------------------------------------------------


def test_signature_block_with_recipients_and_signer(render: Callable[..., DocxDocument]) -> None:
    from tonghop.settings import ReportSettings

    document = render(
        report=ReportSettings(
            signer_name="Nguyễn Văn A", extra_recipients=["Giám đốc Sở (b/c)", "UBND các xã"]
        )
    )
    table = document.tables[1]
    assert len(table.rows) == 1 and len(table.columns) == 2
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} <= {"nil", "none"}
    left = [p for p in table.cell(0, 0).paragraphs if p.text]
    assert [p.text for p in left] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Giám đốc Sở (b/c);",
        "- UBND các xã;",
        "- Lưu: VT, CĐS.",
    ]
    assert (
        _style_value(left[0], "bold")
        and _style_value(left[0], "italic")
        and _style_value(left[0], "size").pt == 12
    )
    assert all(_style_value(p, "size").pt == 11 for p in left[1:])
    right = [p for p in table.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in right] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert all(_style_value(p, "bold") for p in right)


def test_appendix_one_has_a_row_per_commune_with_figures_and_totals(
    report: DocxDocument, round_data: tuple[list[CommuneReport], ProvincialSummary]
) -> None:
    heading = _find(report, r"^Phụ lục I$")
    assert _style_value(heading, "bold") and _style_value(heading, "size").pt == 14
    assert _format_value(heading, "page_break_before")
    note = _find(report, r"^\(Kèm theo Báo cáo số")
    assert _style_value(note, "italic")
    table = _appendix_table(report, "I")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:2] == ["STT", "Xã, phường"]
    data = {r[1]: r for r in rows[1:] if r[0].isdigit()}
    assert set(data) == {
        "Phường Cửa Lò",
        "Xã Con Cuông",
        "Xã Diễn Châu",
        "Xã Đô Lương",
        "Xã Kim Liên",
        "Xã Nghĩa Đàn",
        "Xã Quỳnh Lưu",
    }
    assert data["Xã Diễn Châu"][2:8] == ["42", "40", "30", "28", "12", "2"]
    assert data["Xã Nghĩa Đàn"][5] == "—"
    assert data["Xã Con Cuông"][8] == "Bị từ chối, cần gửi lại"
    assert [r[0] for r in rows[1:] if r[0].isdigit()] == [str(i) for i in range(1, 8)]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    _, summary = round_data
    for i, indicator in enumerate(summary.totals.indicators):
        column = [int(r[2 + i]) for r in data.values() if r[2 + i].isdigit()]
        assert int(total[2 + i].replace(".", "")) == sum(column) == indicator.total
    tr_pr = table.rows[0]._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None  # header repeats on every page


def test_appendix_two_lists_every_file_with_status_and_reason(
    report: DocxDocument, round_data: tuple[list[CommuneReport], ProvincialSummary]
) -> None:
    reports, _ = round_data
    table = _appendix_table(report, "II")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[1] for r in rows] == sorted(r.file for r in reports)
    by_file = {r[1]: r for r in rows}
    assert by_file["con-cuong.doc"][4] == "Bị từ chối"
    assert "Word cũ (.doc)" in by_file["con-cuong.doc"][5]
    assert by_file["dien-chau-bao-cao-ai (ban sao).docx"][4] == "Trùng lặp"
    assert by_file["thach-ha.docx"][4] == "Ngoài phạm vi"
    assert by_file[f"{FORMULA}.docx"][2] == SCRIPT


def test_chart_of_rates_by_commune_is_embedded_as_png(tmp_path: Path, report: DocxDocument) -> None:
    with zipfile.ZipFile(tmp_path / "bao-cao.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media
        assert package.read(media[0]).startswith(b"\x89PNG\r\n\x1a\n")
    assert _find(report, r"^Biểu đồ: Tỷ lệ cán bộ, công chức")


# --- draft, final, national, templates -----------------------------------------------------------------


def test_draft_is_marked_and_final_is_not(render: Callable[..., DocxDocument]) -> None:
    draft = render(draft=True)
    mark = [p.text for p in draft.sections[0].first_page_header.paragraphs]
    assert "DỰ THẢO" in mark
    assert _find(draft, r"^Có 2 nội dung tô vàng")
    final = render(draft=False)
    assert "DỰ THẢO" not in "".join(p.text for p in final.sections[0].first_page_header.paragraphs)
    assert not any(_style(p) == "ND30 Note" and p.text for p in final.paragraphs)


def test_national_scope_groups_by_province_with_letterhead_from_settings(
    render: Callable[..., DocxDocument], round_data: tuple[list[CommuneReport], ProvincialSummary]
) -> None:
    from tonghop.settings import ReportSettings

    reports, _ = round_data
    national = make_national_summary(reports)
    document = render(
        national,
        province=None,
        report=ReportSettings(
            parent_body="Bộ Khoa học và Công nghệ", issuing_body="Cục Chuyển đổi số quốc gia"
        ),
    )
    header = document.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == [
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỤC CHUYỂN ĐỔI SỐ QUỐC GIA",
    ]
    assert header.cell(1, 1).paragraphs[0].text.startswith("Hà Nội, ngày 05 tháng 6 năm 2026")
    assert _find(document, r"^Kính gửi: Lãnh đạo Bộ Khoa học và Công nghệ\.$")
    assert _find(document, r"^a\) Nghệ An$")
    assert _find(document, r"^- Sử dụng AI hỗ trợ soạn thảo văn bản, báo cáo \(3 xã, phường")
    assert _find(document, r"^\+ Nghệ An: 7/11 xã, phường đã gửi")


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _number(text: str) -> int:
    return int(text.replace(".", "")) if text not in {"", "—"} else 0


def test_a_national_report_sums_its_appendices_by_province_and_lists_no_file(
    tmp_path: Path,
    make_settings: Callable[..., Any],
    render: Callable[..., DocxDocument],
    round_data: tuple[list[CommuneReport], ProvincialSummary],
) -> None:
    """3,321 commune rows and every received file would be some two hundred pages sent to a Ministry's
    leaders; the national appendices have a row per province, and the detail stays in the workbook."""
    reports, _ = round_data
    provincial = _rows(_appendix_table(render(), "I"))
    dien_chau = next(
        r
        for r in reports
        if r.unit is not None and r.unit.name == "Xã Diễn Châu" and r.status == Status.ACCEPTED
    )
    assert dien_chau.unit is not None
    hai_phong = dien_chau.model_copy(
        update={
            "file": "an-lao-bao-cao.docx",
            "sha256": "f" * 64,
            "unit": dien_chau.unit.model_copy(
                update={"code": 11000, "name": "Xã An Lão", "province": "Thành phố Hải Phòng"}
            ),
        }
    )
    both = [*reports, hai_phong]
    summary = make_national_summary(both)
    an_lao = UnitRef(code=11000, name="Xã An Lão", province="Thành phố Hải Phòng")
    summary.coverage.accepted_units.append(an_lao)  # the fixture's coverage is Nghệ An's roster
    path = write_report_docx(
        Round.build(make_settings(province=None), both, summary), tmp_path / "quoc-gia.docx"
    )
    document = docx.Document(str(path))

    assert _find(document, r"^SỐ LIỆU ỨNG DỤNG TRÍ TUỆ NHÂN TẠO THEO TỈNH, THÀNH PHỐ$")
    first = _rows(_appendix_table(document, "I"))
    assert first[0][:2] == ["STT", "Tỉnh, thành phố"]
    by_province = {r[1]: r for r in first[1:] if r[0].isdigit()}
    assert [r[0] for r in first[1:] if r[0].isdigit()] == ["1", "2"]
    assert list(by_province) == ["Nghệ An", "Thành phố Hải Phòng"]
    communes = [r for r in provincial[1:] if r[0].isdigit() and r[8] == "Đã tiếp nhận"]
    for column in range(2, 8):
        assert _number(by_province["Nghệ An"][column]) == sum(_number(r[column]) for r in communes), column
    assert by_province["Thành phố Hải Phòng"][2:8] == ["42", "40", "30", "28", "12", "2"]
    assert by_province["Nghệ An"][8] == f"{len(communes)}/11 hợp lệ"
    assert by_province["Thành phố Hải Phòng"][8] == "1/1 hợp lệ"  # no coverage of it: its own communes
    total = next(r for r in first if r[1] == "Tổng cộng")
    assert _number(total[2]) == _number(by_province["Nghệ An"][2]) + 42
    assert _find(document, r"Số liệu của từng xã, phường có trong trang “communes” của tệp du-lieu\.xlsx")
    assert _find(document, r"theo tỉnh, thành phố; số dưới cột là số thứ tự của tỉnh, thành phố tại Phụ lục")

    second = _rows(_appendix_table(document, "II"))
    assert second[0] == [
        "STT",
        "Tỉnh, thành phố",
        "Văn bản đã nhận",
        "Hợp lệ",
        "Bị từ chối",
        "Trùng lặp, đã thay thế",
        "Ngoài phạm vi",
    ]
    counts = {r[1]: [_number(x) for x in r[2:]] for r in second[1:] if r[0].isdigit()}
    in_nghe_an = [r for r in reports if r.unit is not None and r.unit.province == "Nghệ An"]
    statuses = [r.status.value for r in in_nghe_an]
    assert counts["Nghệ An"] == [
        len(in_nghe_an),
        statuses.count("accepted"),
        statuses.count("rejected"),
        statuses.count("duplicate") + statuses.count("superseded"),
        statuses.count("out_of_scope"),
    ]
    assert counts["Thành phố Hải Phòng"] == [1, 1, 0, 0, 0]
    unknown = [r for r in both if r.unit is None or not r.unit.province]
    assert unknown, "the fixture has a file of no known province"
    assert list(counts)[-1] == "Chưa xác định tỉnh, thành phố"  # after the provinces, not among them
    assert counts["Chưa xác định tỉnh, thành phố"][0] == len(unknown)
    assert _number(second[-1][2]) == len(both) and second[-1][1] == "Tổng cộng"
    text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert not any(r.file in text for r in both), "no file is listed one by one"
    assert _find(document, r"intake\.csv")


def test_a_restyled_template_from_the_settings_is_used(
    tmp_path: Path, repo_root: Path, render: Callable[..., DocxDocument]
) -> None:
    own = tmp_path / "mau"
    own.mkdir()
    restyled = docx.Document(str(repo_root / "templates" / "bao-cao-tong-hop.docx"))
    restyled.styles["ND30 Body"].font.size = Pt(13)
    restyled.save(str(own / "bao-cao-tong-hop.docx"))
    document = render(templates_dir=own)
    intro = _find(document, r"^Thực hiện chỉ đạo")
    assert _style_value(intro, "size").pt == 13


def test_a_broken_template_fails_with_its_name(
    tmp_path: Path, repo_root: Path, render: Callable[..., DocxDocument]
) -> None:
    own = tmp_path / "mau"
    own.mkdir()
    broken = docx.Document(str(repo_root / "templates" / "bao-cao-tong-hop.docx"))
    broken.add_paragraph("{{ khong_co_bien_nay }}")
    broken.save(str(own / "bao-cao-tong-hop.docx"))
    with pytest.raises(ConfigError, match=r"bao-cao-tong-hop\.docx"):
        render(templates_dir=own)


def test_empty_round_still_renders(
    tmp_path: Path,
    make_settings: Callable[..., Any],
    round_data: tuple[list[CommuneReport], ProvincialSummary],
) -> None:
    _, summary = round_data
    empty = summary.model_copy(update={"sections": {}, "totals": Totals()})
    path = write_report_docx(Round.build(make_settings(), [], empty), tmp_path / "rong.docx")
    document = docx.Document(str(path))
    assert _find(document, r"Chưa có xã, phường nào nêu số liệu")
    assert len(_appendix_table(document, "II").rows) == 1


def test_committed_templates_match_the_build_script(tmp_path: Path, repo_root: Path) -> None:
    """The .docx templates are generated; a change to the script without rebuilding them is caught here."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_templates", repo_root / "templates" / "build_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, build in (
        ("bao-cao-tong-hop.docx", module.build_report),
        ("cong-van-don-doc.docx", module.build_letter),
    ):
        fresh = build(tmp_path / name)
        with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(repo_root / "templates" / name) as b:
            for part in ("word/document.xml", "word/styles.xml"):
                assert a.read(part) == b.read(part), f"{name}: chạy python templates/build_templates.py"
    shutil.rmtree(tmp_path)


def test_names_follow_vietnamese_alphabetical_order() -> None:
    names = [
        "Xã Yên Thành",
        "Xã Đông Hiếu",
        "Xã Đại Huệ",
        "Xã Diễn Châu",
        "Xã Ân Phú",
        "Xã An Châu",
        "Xã Hưng Nguyên",
    ]
    assert sorted(names, key=nd30.vn_sort_key) == [
        "Xã An Châu",
        "Xã Ân Phú",
        "Xã Diễn Châu",
        "Xã Đại Huệ",
        "Xã Đông Hiếu",
        "Xã Hưng Nguyên",
        "Xã Yên Thành",
    ]


def test_unit_count_names_the_kind_of_units() -> None:
    from schemas.summary import UnitRef
    from tonghop.render.report_docx.narrative import units_phrase

    def refs(*names: str) -> list[UnitRef]:
        return [UnitRef(code=None, name=n) for n in names]

    assert units_phrase(refs("Xã A", "Xã B")) == "2 xã"
    assert units_phrase(refs("Phường A")) == "1 phường"
    assert units_phrase(refs("Xã A", "Phường B")) == "2 xã, phường"
    assert units_phrase(refs("Huyện Thanh Chương", "Xã B")) == "2 đơn vị"
