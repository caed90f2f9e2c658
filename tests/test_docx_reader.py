"""The .docx reader on documents built here as real Word files: order, numbering, notes, tables, text."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable

import pytest
from docx_factory import DocxBuilder

from schemas.document import Block, ParsedDocument
from tonghop.read.docx.labels import split_label, strip_markdown
from tonghop.read.docx.reader import read_docx
from tonghop.settings import Settings


@pytest.fixture
def read(make_settings: Callable[..., Settings]) -> Callable[[DocxBuilder], ParsedDocument]:
    settings = make_settings()

    def run(builder: DocxBuilder, name: str = "bao-cao.docx") -> ParsedDocument:
        return read_docx(builder.build(), name, settings)

    return run


def texts(doc: ParsedDocument) -> list[str]:
    return [block.text for block in doc.blocks]


def find(doc: ParsedDocument, text: str) -> Block:
    matches = [block for block in doc.blocks if block.text == text]
    assert len(matches) == 1, (text, texts(doc))
    return matches[0]


def commune_report() -> DocxBuilder:
    return (
        DocxBuilder()
        .header(
            "UBND TỈNH NGHỆ AN",
            "UBND XÃ DIỄN CHÂU",
            "Số:      /BC-UBND",
            "Diễn Châu, ngày 05 tháng 6 năm 2026",
        )
        .title("BÁO CÁO", "Về việc ứng dụng trí tuệ nhân tạo trong giải quyết công việc")
        .paragraph("Thực hiện Công văn số 1185/SKHCN-CĐS của Sở Khoa học và Công nghệ.")
        .paragraph("I. KẾT QUẢ ĐẠT ĐƯỢC", bold=True)
        .table([["Chỉ tiêu", "Số lượng"], ["Tổng số cán bộ, công chức", "36"], ["Đã sử dụng AI", "28"]])
        .paragraph("- 28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI.")
        .signature(["Sở KH&CN (b/c);", "Lưu: VT."], "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A")
    )


# --- order and tables ---------------------------------------------------------------------------------------


def test_paragraphs_and_tables_keep_document_order(read: Callable[..., ParsedDocument]) -> None:
    doc = read(commune_report())
    order = [(b.index, b.table, b.text) for b in doc.blocks]
    heading = next(i for i, (_, _, text) in enumerate(order) if text == "KẾT QUẢ ĐẠT ĐƯỢC")
    assert order[heading + 1][1:] == (1, "Chỉ tiêu")  # the data table right after its heading
    assert order[heading + 1][0] == order[heading][0] + 1  # a table is one index
    after_table = find(doc, "28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI.")
    assert after_table.index == order[heading][0] + 2
    assert after_table.table is None
    cells = [(b.row, b.cell, b.text) for b in doc.blocks if b.table == 1]
    assert cells == [
        (0, 0, "Chỉ tiêu"),
        (0, 1, "Số lượng"),
        (1, 0, "Tổng số cán bộ, công chức"),
        (1, 1, "36"),
        (2, 0, "Đã sử dụng AI"),
        (2, 1, "28"),
    ]
    assert doc.tables[1] == [
        ["Chỉ tiêu", "Số lượng"],
        ["Tổng số cán bộ, công chức", "36"],
        ["Đã sử dụng AI", "28"],
    ]


def test_header_and_signature_tables_are_flagged(read: Callable[..., ParsedDocument]) -> None:
    doc = read(commune_report())
    header = [b.text for b in doc.blocks if b.in_header_table]
    assert header == [
        "UBND TỈNH NGHỆ AN",
        "UBND XÃ DIỄN CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: /BC-UBND",
        "Diễn Châu, ngày 05 tháng 6 năm 2026",
    ]
    signature = [b for b in doc.blocks if b.in_signature_table]
    assert signature[0].text == "Nơi nhận:"
    assert find(doc, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH").in_signature_table  # w:br kept between the two fields
    assert not find(doc, "Chỉ tiêu").in_header_table
    assert not find(doc, "Chỉ tiêu").in_signature_table


def test_header_typed_as_paragraphs_is_not_a_table(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .header(
            "UBND TỈNH NGHỆ AN",
            "UBND XÃ NAM ĐÀN",
            "Số: 07/BC-UBND",
            "Nam Đàn, ngày 02 tháng 6 năm 2026",
            plain=True,
        )
        .paragraph("Nội dung.")
    )
    assert texts(doc)[:4] == [
        "UBND TỈNH NGHỆ AN",
        "UBND XÃ NAM ĐÀN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert not any(b.in_header_table for b in doc.blocks)
    assert doc.tables == []


def test_merged_cells_are_read_once(read: Callable[..., ParsedDocument]) -> None:
    rows = [
        ["STT", "Chỉ tiêu", "Kết quả", ""],
        ["", "", "Đơn vị", "Số liệu"],
        ["1.", "Cán bộ đã tập huấn", "Người", "30"],
    ]
    doc = read(
        DocxBuilder()
        .paragraph("Bảng số liệu")
        .table(rows, merges=[((0, 2), (0, 3)), ((0, 0), (1, 0)), ((0, 1), (1, 1))])
    )
    cells = [b.text for b in doc.blocks if b.table is not None]
    assert cells.count("Kết quả") == 1
    assert cells.count("STT") == 1
    assert cells.count("Chỉ tiêu") == 1
    assert doc.tables[0] == [
        ["STT", "Chỉ tiêu", "Kết quả", ""],
        ["", "", "Đơn vị", "Số liệu"],
        ["1.", "Cán bộ đã tập huấn", "Người", "30"],
    ]
    assert find(doc, "Số liệu").cell == 3  # grid column, not the position among merged cells


def test_nested_table_shares_the_outer_index(read: Callable[..., ParsedDocument]) -> None:
    builder = DocxBuilder().paragraph("Trước bảng.")
    outer = builder.document.add_table(rows=1, cols=2)
    inner = outer.cell(0, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).paragraphs[0].add_run("Nơi nhận:")
    inner.cell(0, 0).add_paragraph("- Như trên;")
    outer.cell(0, 1).paragraphs[0].add_run("KT. CHỦ TỊCH")
    doc = read(builder.paragraph("Sau bảng."))
    nested = find(doc, "Nơi nhận:")
    beside = find(doc, "KT. CHỦ TỊCH")
    assert nested.index == beside.index == 1
    assert (nested.table, beside.table) == (1, 0)
    assert nested.in_signature_table and beside.in_signature_table
    assert find(doc, "Sau bảng.").index == 2
    assert texts(doc).count("Như trên;") == 1


# --- Word automatic numbering -------------------------------------------------------------------------------


def test_word_numbering_is_rebuilt_into_labels(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder().auto_list(
            [
                (0, "KẾT QUẢ ĐẠT ĐƯỢC"),
                (1, "Tuyên truyền"),
                (2, "Mục tiêu"),
                (2, "Nhiệm vụ"),
                (3, "Tổ chức hội nghị"),
                (4, "Hội nghị trực tuyến"),
                (1, "Ứng dụng AI"),
                (2, "Soạn thảo văn bản"),
                (0, "KHÓ KHĂN, HẠN CHẾ"),
                (1, "Hạ tầng"),
            ]
        )
    )
    assert [(b.label, b.level, b.text) for b in doc.blocks] == [
        ("I.", 0, "KẾT QUẢ ĐẠT ĐƯỢC"),
        ("1.", 1, "Tuyên truyền"),
        ("a)", 4, "Mục tiêu"),
        ("b)", 4, "Nhiệm vụ"),
        ("-", 5, "Tổ chức hội nghị"),
        ("+", 6, "Hội nghị trực tuyến"),
        ("2.", 1, "Ứng dụng AI"),
        ("a)", 4, "Soạn thảo văn bản"),
        ("II.", 0, "KHÓ KHĂN, HẠN CHẾ"),
        ("1.", 1, "Hạ tầng"),
    ]
    assert all(b.auto_numbered for b in doc.blocks)


def test_multilevel_numbering_joins_parent_numbers(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder().auto_list(
            [
                (0, "Kết quả"),
                (1, "Tập huấn"),
                (1, "Tài khoản"),
                (2, "Cấp mới"),
                (0, "Khó khăn"),
                (1, "Thiết bị"),
            ],
            kind="decimal",
        )
    )
    assert [b.label for b in doc.blocks] == ["1.", "1.1.", "1.2.", "1.2.1.", "2.", "2.1."]
    assert [b.level for b in doc.blocks] == [1, 2, 2, 3, 1, 2]


def test_list_instances_share_or_restart_the_count(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .auto_list([(0, "Một"), (0, "Hai")], kind="paren")
        .paragraph("Đoạn xen giữa.")
        .auto_list([(0, "Ba")], kind="paren", restart=False)  # a second num on the same definition
        .auto_list([(0, "Lại từ đầu")], kind="paren")  # Word's "Restart numbering": startOverride
        .auto_list([(0, "Bắt đầu từ năm")], kind="paren", start=5)
    )
    labels = {b.text: b.label for b in doc.blocks}
    assert labels == {
        "Một": "1)",
        "Hai": "2)",
        "Đoạn xen giữa.": None,
        "Ba": "3)",
        "Lại từ đầu": "1)",
        "Bắt đầu từ năm": "5)",
    }


def test_numbering_inherited_from_a_paragraph_style(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .numbered_style("MucLon", "nd30", 0)
        .paragraph("MỤC ĐÍCH, YÊU CẦU", style="MucLon")
        .paragraph("Nội dung mục một.")
        .paragraph("NỘI DUNG", style="MucLon")
    )
    assert [(b.label, b.bold) for b in doc.blocks] == [("I.", True), (None, False), ("II.", True)]
    assert find(doc, "NỘI DUNG").style == "MucLon"


def test_symbol_font_bullets_become_bullets(read: Callable[..., ParsedDocument]) -> None:
    doc = read(DocxBuilder().auto_list([(0, "Chấm tròn"), (1, "Vòng tròn")], kind="bullet"))
    assert [(b.label, b.level) for b in doc.blocks] == [("•", 5), ("◦", 5)]


def test_auto_numbered_table_column_shows_its_numbers(read: Callable[..., ParsedDocument]) -> None:
    builder = DocxBuilder().paragraph("Phân công")
    builder.table([["TT", "Nhiệm vụ"], ["", "Rà soát"], ["", "Tập huấn"]])
    table = builder.document.tables[-1]
    num = builder._instance("decimal", 1)
    for row in (1, 2):
        builder._num_pr(table.cell(row, 0).paragraphs[0], num, 0)
    doc = read(builder)
    assert [row[0] for row in doc.tables[0]] == ["TT", "1.", "2."]


# --- typed numbering and chat-tool markup -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "label", "text", "level"),
    [
        ("I. MỤC ĐÍCH, YÊU CẦU", "I.", "MỤC ĐÍCH, YÊU CẦU", 0),
        ("IV. KINH PHÍ", "IV.", "KINH PHÍ", 0),
        ("1. Mục đích", "1.", "Mục đích", 1),
        ("2.1. Tồn tại, hạn chế", "2.1.", "Tồn tại, hạn chế", 2),
        ("2.1 Tồn tại, hạn chế", "2.1", "Tồn tại, hạn chế", 2),
        ("3.2.1. Nguyên nhân chủ quan", "3.2.1.", "Nguyên nhân chủ quan", 3),
        ("1) Tập huấn", "1)", "Tập huấn", 1),
        ("a) Mục tiêu", "a)", "Mục tiêu", 4),
        ("đ) Tiếp tục đẩy mạnh", "đ)", "Tiếp tục đẩy mạnh", 4),
        ("- Hỗ trợ soạn thảo văn bản.", "-", "Hỗ trợ soạn thảo văn bản.", 5),
        ("– Hỗ trợ tra cứu.", "-", "Hỗ trợ tra cứu.", 5),
        ("-Hỗ trợ tra cứu.", "-", "Hỗ trợ tra cứu.", 5),
        ("+ Hội nghị trực tuyến", "+", "Hội nghị trực tuyến", 6),
        ("• Chấm đầu dòng", "•", "Chấm đầu dòng", 5),
    ],
)
def test_typed_numbering_moves_into_the_label(typed: str, label: str, text: str, level: int) -> None:
    assert split_label(typed) == (label, text)
    from tonghop.read.docx.labels import level_of

    assert level_of(label) == level


@pytest.mark.parametrize(
    "plain",
    [
        "1.234 người đã tham gia tập huấn.",
        "2025 là năm đầu tiên triển khai.",
        "28/36 cán bộ đã sử dụng AI.",
        "2.5 triệu đồng cho tài khoản AI.",
        "Q. CHỦ TỊCH",
        "V/v triển khai Cuộc thi",
        "-5% so với kế hoạch",
        "1.",
    ],
)
def test_figures_and_titles_are_not_numbering(plain: str) -> None:
    assert split_label(plain) == (None, plain)


def test_typed_numbering_in_a_document(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder().paragraph("II. KHÓ KHĂN, HẠN CHẾ", bold=True).paragraph("a) Thiết bị còn thiếu.")
    )
    assert [(b.label, b.text, b.auto_numbered) for b in doc.blocks] == [
        ("II.", "KHÓ KHĂN, HẠN CHẾ", False),
        ("a)", "Thiết bị còn thiếu.", False),
    ]
    assert doc.blocks[0].upper and doc.blocks[0].bold


def test_markdown_from_chat_tools_is_cleaned(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .paragraph("## KẾ HOẠCH")
        .paragraph("### **1. Tuyên truyền, quán triệt**")
        .paragraph("Nội dung có **chữ đậm** và *chữ nghiêng* ở giữa.")
        .paragraph("***Nơi nhận:***")
        .paragraph("**TM. ỦY BAN NHÂN DÂN")
        .paragraph("KT. CHỦ TỊCH")
        .paragraph("PHÓ CHỦ TỊCH**")
        .paragraph("Ghi chú (*) cuối trang.")
    )
    assert [(b.label, b.text, b.bold) for b in doc.blocks] == [
        (None, "KẾ HOẠCH", False),
        ("1.", "Tuyên truyền, quán triệt", True),
        (None, "Nội dung có chữ đậm và chữ nghiêng ở giữa.", False),
        (None, "Nơi nhận:", True),
        (None, "TM. ỦY BAN NHÂN DÂN", True),
        (None, "KT. CHỦ TỊCH", True),
        (None, "PHÓ CHỦ TỊCH", True),
        (None, "Ghi chú (*) cuối trang.", False),
    ]
    assert find(doc, "Nơi nhận:").italic


def test_markdown_marks_alone_do_not_count_as_text() -> None:
    assert strip_markdown("**").text == ""
    assert strip_markdown("Không có dấu").text == "Không có dấu"


# --- notes --------------------------------------------------------------------------------------------------


def test_footnotes_and_endnotes_are_notes_never_body_text(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .paragraph("Mở đầu.")
        .paragraph(
            "UBND xã đã ban hành kế hoạch triển khai.", footnote="Kế hoạch số 49/KH-UBND ngày 11/02/2026."
        )
        .paragraph("Đã tổ chức tập huấn.", endnote="Hai lớp, 60 lượt người.")
        .paragraph("Kết thúc.", footnote="Văn bản số 01/UBND.")
    )
    assert [(n.kind, n.id, n.text, n.anchor_index) for n in doc.notes] == [
        ("footnote", 1, "Kế hoạch số 49/KH-UBND ngày 11/02/2026.", 1),
        ("footnote", 2, "Văn bản số 01/UBND.", 3),
        ("endnote", 1, "Hai lớp, 60 lượt người.", 2),
    ]
    body = " ".join(texts(doc))
    assert "49/KH-UBND" not in body and "60 lượt" not in body and "01/UBND" not in body
    assert find(doc, "UBND xã đã ban hành kế hoạch triển khai.").index == 1


# --- sentences split by breaks ------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["page", "paragraph", "line", "blank"])
def test_sentence_split_over_a_break_is_joined(read: Callable[..., ParsedDocument], how: str) -> None:
    doc = read(
        DocxBuilder()
        .paragraph("2. Kết quả thực hiện")
        .split_sentence(
            "- Bộ phận một cửa huyện tiếp tục triển khai các",
            "dịch vụ công trực tuyến ở mức độ 3, mức độ 4.",
            how=how,  # type: ignore[arg-type]
        )
        .paragraph("- Công an huyện đã ứng dụng AI.")
    )
    assert [(b.label, b.text) for b in doc.blocks] == [
        ("2.", "Kết quả thực hiện"),
        ("-", "Bộ phận một cửa huyện tiếp tục triển khai các dịch vụ công trực tuyến ở mức độ 3, mức độ 4."),
        ("-", "Công an huyện đã ứng dụng AI."),
    ]


def test_separate_sentences_are_not_joined(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .paragraph("Kết quả đạt được như sau:")
        .paragraph("một số cán bộ đã dùng AI.")  # after final punctuation
        .paragraph("Khó khăn chính")
        .paragraph("Thiết bị còn thiếu.")  # upper case start
        .paragraph("Phương hướng")
        .paragraph("a) tiếp tục tập huấn.")  # numbered
    )
    assert len(doc.blocks) == 6


def test_line_breaks_separate_fields_but_not_sentences(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .lines(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"])
        .lines(
            [
                "Nội bộ đoàn kết, gương mẫu chấp hành tốt chủ trương, đường lối của",
                "Đảng, chính sách của Nhà nước.",
            ]
        )
        .lines(["Kết quả:", "- Đã tập huấn 02 lớp."])
    )
    assert texts(doc) == [
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "Nội bộ đoàn kết, gương mẫu chấp hành tốt chủ trương, đường lối của Đảng, chính sách của Nhà nước.",
        "Kết quả:\n- Đã tập huấn 02 lớp.",
    ]


# --- formatting and text normalisation ----------------------------------------------------------------------


def test_bold_means_every_text_run_bold(read: Callable[..., ParsedDocument]) -> None:
    builder = DocxBuilder().paragraph("Toàn bộ đậm", bold=True)
    mixed = builder.document.add_paragraph()
    mixed.add_run("Một phần ").bold = True
    mixed.add_run("thường")
    doc = read(builder.paragraph("Tiêu đề kiểu Heading", style="Heading 1").paragraph("Giữa", align="center"))
    assert find(doc, "Toàn bộ đậm").bold
    assert not find(doc, "Một phần thường").bold
    heading = find(doc, "Tiêu đề kiểu Heading")
    assert heading.bold and heading.style == "Heading 1"  # bold through the style only
    assert find(doc, "Giữa").align == "center"


def test_nfd_text_and_odd_spaces_are_normalised(read: Callable[..., ParsedDocument]) -> None:
    doc = read(DocxBuilder(nfd=True).paragraph("Ủy ban nhân dân xã Nghĩa Đàn\u00a0báo\u200bcáo   kết quả."))
    text = doc.blocks[0].text
    assert text == "Ủy ban nhân dân xã Nghĩa Đàn báocáo kết quả."
    assert unicodedata.is_normalized("NFC", text)


def test_field_codes_hidden_and_deleted_text_are_not_read(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder()
        .raw_paragraph(
            '<w:r><w:t xml:space="preserve">Trang </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        .raw_paragraph(
            '<w:r><w:t xml:space="preserve">Đã </w:t></w:r><w:del w:id="1" w:author="A"><w:r>'
            '<w:delText>không </w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r>'
            "<w:t>triển khai</w:t>"
            "</w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t> (ghi chú ẩn)</w:t></w:r>"
            '<w:hyperlink r:id="x" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            "<w:r><w:t> trên cổng</w:t></w:r></w:hyperlink>"
        )
    )
    assert texts(doc) == ["Trang 3", "Đã triển khai trên cổng"]


def test_text_box_is_read_once(read: Callable[..., ParsedDocument]) -> None:
    doc = read(DocxBuilder().paragraph("Trước.").textbox("Số: 15/BC-UBND").paragraph("Sau."))
    assert texts(doc) == ["Trước.", "Số: 15/BC-UBND", "Sau."]


def test_styles_shared_by_many_files_are_read_consistently(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    first = read_docx(DocxBuilder().paragraph("Tiêu đề", style="Heading 1").build(), "a.docx", settings)
    second = read_docx(DocxBuilder().paragraph("Tiêu đề", style="Heading 1").build(), "b.docx", settings)
    assert first.blocks == second.blocks
    assert first.blocks[0].bold


def test_tracked_changes_are_read_as_accepted_with_a_warning(read: Callable[..., ParsedDocument]) -> None:
    doc = read(
        DocxBuilder().raw_paragraph(
            '<w:r><w:t xml:space="preserve">Đã tập huấn </w:t></w:r><w:del w:id="1" w:author="A"><w:r>'
            '<w:delText>01</w:delText></w:r></w:del><w:ins w:id="2" w:author="A">'
            "<w:r><w:t>02</w:t></w:r></w:ins>"
            "<w:r><w:t> lớp.</w:t></w:r>"
        ),
        "bao cao nhap.docx",
    )
    assert texts(doc) == ["Đã tập huấn 02 lớp."]
    assert doc.warnings and doc.warnings[0].startswith("Tệp bao cao nhap.docx: văn bản còn thay đổi theo dõi")
    assert read(DocxBuilder().paragraph("Bản sạch.")).warnings == []


def test_strict_open_xml_document_is_read(make_settings: Callable[..., Settings]) -> None:
    """Word's "Strict Open XML Document": the same vocabulary under other namespace and relationship URIs."""
    built = DocxBuilder().paragraph("I. KẾT QUẢ", bold=True).auto_list([(1, "Tập huấn")]).build()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(built)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                data = data.replace(
                    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                ).replace(
                    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                )
            target.writestr(info, data)
    doc = read_docx(out.getvalue(), "strict.docx", make_settings())
    assert [(b.label, b.text, b.bold) for b in doc.blocks] == [
        ("I.", "KẾT QUẢ", True),
        ("1.", "Tập huấn", False),
    ]
