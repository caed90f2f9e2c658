"""The reader on real provincial Word documents and on the five samples, read in place (never copied).

Facts checked here were verified by opening the files: python-docx serves as an independent witness for
"nothing lost, nothing read twice", and the spot checks name paragraphs a person can find in Word.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.table import Table

from schemas.document import Block, ParsedDocument
from tonghop.read.docx.reader import read_docx
from tonghop.settings import Settings

REAL = [
    "lc_bc_doankt_vlncn_2026",
    "lc_bc_sct_cl_hoachat_2026",
    "lc_bc_sct_hoachat_2025",
    "lc_bc_ubnd_vlncn_2025",
    "lc_kh_sct_kiemtra_2026",
    "lc_tb_sct_thamdinh_yenha",
    "ld_bc_cchc_2025",
    "ld_bc_dean06_t11_2025",
    "ld_bc_hoi_2025",
    "ld_bc_snv_chiso_2025",
    "ld_bc_ttpvhcc_766_2025",
    "ld_kh_cchc_2026",
    "ld_kh_thidua_cchc_2026",
]
SAMPLES = [
    "dak_glei_bao_cao",
    "dien_chau_bao_cao",
    "doan_hung_tin_bai",
    "ke_sat_cong_van",
    "nghia_dan_ke_hoach",
]
_cache: dict[Path, ParsedDocument] = {}


def parsed(path: Path) -> ParsedDocument:
    if path not in _cache:
        _cache[path] = read_docx(path.read_bytes(), path.name, Settings())
    return _cache[path]


def real(real_docx_dir: Path, stem: str) -> ParsedDocument:
    return parsed(real_docx_dir / f"{stem}.docx")


def sample(sample_docx_dir: Path, stem: str) -> ParsedDocument:
    return parsed(sample_docx_dir / f"{stem}.docx")


def key(text: str) -> str:
    """Letters and digits only: compares text whatever the spacing, dashes and labels."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", text).lower())


def find(doc: ParsedDocument, start: str) -> Block:
    matches = [b for b in doc.blocks if b.text.startswith(start)]
    assert len(matches) == 1, (start, len(matches))
    return matches[0]


def witness_tables(tables: list[Table]) -> Iterator[Table]:
    for table in tables:
        yield table
        for row in table.rows:
            for cell in row.cells:
                yield from witness_tables(cell.tables)


# --- every file, generic properties -------------------------------------------------------------------------


@pytest.mark.parametrize("stem", REAL)
def test_real_document_reads_completely_and_once(real_docx_dir: Path, stem: str) -> None:
    path = real_docx_dir / f"{stem}.docx"
    doc = parsed(path)
    witness = docx.Document(io.BytesIO(path.read_bytes()))
    ours = " ".join(" ".join(filter(None, (b.label, b.text))) for b in doc.blocks)
    ours_key = key(ours)
    for paragraph in witness.paragraphs:
        assert key(paragraph.text) in ours_key, paragraph.text
    # Each visible cell once: python-docx repeats a merged cell per grid column, so count distinct cells.
    cells = set()
    seen = set()
    for table in witness_tables(witness.tables):
        for row in table.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    if cell.text.strip():
                        cells.add(cell._tc)
    assert len({(b.table, b.row, b.cell) for b in doc.blocks if b.table is not None}) == len(cells)
    assert doc.blocks[0].in_header_table
    assert any(b.in_signature_table for b in doc.blocks)
    assert not any(b.text.startswith(("- ", "+ ")) for b in doc.blocks)  # typed dashes went to labels


@pytest.mark.parametrize("stem", SAMPLES)
def test_sample_reads(sample_docx_dir: Path, stem: str) -> None:
    doc = sample(sample_docx_dir, stem)
    assert len(doc.blocks) > 15
    assert not any("**" in b.text or b.text.startswith("#") for b in doc.blocks)


# --- numbering ----------------------------------------------------------------------------------------------


def test_auto_numbered_plan_headings_get_their_numbers(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_kh_cchc_2026")
    headings = [(b.label, b.text) for b in doc.blocks if b.auto_numbered and b.level == 1]
    assert headings == [
        ("1.", "Cải cách thể chế"),
        ("2.", "Cải cách thủ tục hành chính"),
        ("3.", "Cải cách tổ chức bộ máy hành chính nhà nước"),
        ("4.", "Cải cách chế độ công vụ"),
        ("5.", "Cải cách tài chính công"),
        ("6.", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
        ("7.", "Công tác chỉ đạo, điều hành"),
    ]
    assert sum(b.auto_numbered for b in doc.blocks) == 12
    assert [b.label for b in doc.blocks if b.auto_numbered and b.level == 4] == ["a)", "b)", "c)", "a)", "b)"]
    assert find(doc, "MỤC TIÊU, NHIỆM VỤ").label == "I."  # typed, next to automatic ones


def test_auto_numbered_table_column(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "lc_kh_sct_kiemtra_2026")
    assignment = doc.tables[2]
    assert assignment[0][:2] == ["TT", "Nhiệm vụ thực hiện"]
    assert [row[0] for row in assignment[1:]] == [f"{i}." for i in range(1, 10)]


def test_vietnamese_letter_sequence_is_read_as_labels(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_bc_dean06_t11_2025")
    letters = [b.label for b in doc.blocks if b.label and b.level == 4]
    assert "đ)" in letters
    assert letters[letters.index("đ)") - 1] == "d)"


# --- notes --------------------------------------------------------------------------------------------------


def test_seventeen_footnotes_are_notes_not_body_text(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_bc_cchc_2025")
    assert [n.id for n in doc.notes] == list(range(1, 18))
    assert all(n.kind == "footnote" and n.anchor_index is not None for n in doc.notes)
    body = key(" ".join(b.text for b in doc.blocks))
    for note in doc.notes:
        assert key(note.text) not in body, note.text
    first = doc.notes[0]
    anchor = [b for b in doc.blocks if b.index == first.anchor_index]
    assert anchor[0].text.startswith("Trong năm 2025, trước và sau khi sáp nhập tỉnh")
    assert first.text.startswith("Thường trực Tỉnh ủy và Ủy ban nhân dân tỉnh đã thành lập các đoàn công tác")


def test_sample_footnotes_stay_out_of_the_body(sample_docx_dir: Path) -> None:
    doc = sample(sample_docx_dir, "dak_glei_bao_cao")
    assert [(n.id, n.anchor_index) for n in doc.notes] == [(2, 3), (3, 3), (4, 3), (5, 9)]
    assert doc.notes[0].text.startswith("Công văn số 1944/UBND-KTHT ngày 18/8/2024")
    assert not any("1944/UBND-KTHT" in b.text for b in doc.blocks)


# --- tables -------------------------------------------------------------------------------------------------


def test_merged_header_cells_are_not_duplicated(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_bc_cchc_2025")
    statistics = doc.tables[2]
    assert statistics[0] == [
        "STT",
        "Chỉ tiêu thống kê\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
        "Kết quả thống kê",
        "",
        "Ghi chú",
    ]
    assert statistics[1] == ["", "", "Đơn vị tính", "Số liệu", ""]
    assert statistics[2] == [
        "1.",
        "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)",
        "Văn bản",
        "82",
        "",
    ]
    merged = [b for b in doc.blocks if b.table == 2 and b.text == "Kết quả thống kê"]
    assert len(merged) == 1


def test_header_and_signature_tables(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_bc_cchc_2025")
    assert [b.text for b in doc.blocks if b.in_header_table] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: /BC-UBND",
        "Lâm Đồng, ngày tháng 12 năm 2025",
    ]
    signature = [b.text for b in doc.blocks if b.in_signature_table]
    assert signature[0] == "Nơi nhận:"
    assert signature[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc"]


def test_signature_in_a_nested_table(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_bc_dean06_t11_2025")
    received = find(doc, "Nơi nhận:")
    signer = find(doc, "Nguyễn Ngọc Phúc")
    assert received.in_signature_table and signer.in_signature_table
    assert received.table == signer.table == 2  # a 1×2 table nested in the outer table 1
    assert received.index == signer.index == 128  # which is one top-level index
    assert doc.tables[1] == [["", ""]]  # the outer grid does not repeat what its nested table holds


def test_summary_line_in_its_own_table_is_not_header(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "ld_bc_hoi_2025")
    summary = find(doc, "Tổ chức, hoạt động và quản lý hội năm 2025")
    assert summary.table == 1 and not summary.in_header_table and summary.bold


def test_list_wrapped_with_spaces_in_a_narrow_cell_is_split(real_docx_dir: Path) -> None:
    doc = real(real_docx_dir, "lc_bc_sct_cl_hoachat_2026")
    assert find(doc, "Nơi nhận:").text == "Nơi nhận:\n- Như trên;"


# --- sentences, markup, typed headers -----------------------------------------------------------------------


def test_split_sentence_in_dak_glei_is_joined(sample_docx_dir: Path) -> None:
    doc = sample(sample_docx_dir, "dak_glei_bao_cao")
    item = find(doc, "Hiện tại, 100% các cơ quan chuyên môn thuộc huyện")
    assert item.label == "-"
    assert "tiếp tục triển khai các dịch vụ công trực tuyến ở mức độ 3, mức độ 4;" in item.text
    assert item.text.endswith("(trừ văn bản mật).")
    assert not any(b.text.startswith("dịch vụ công trực tuyến") for b in doc.blocks)


def test_split_summary_lines_are_joined(real_docx_dir: Path, sample_docx_dir: Path) -> None:
    report = real(real_docx_dir, "ld_bc_cchc_2025")
    assert find(report, "Công tác cải cách hành chính năm 2025").text == (
        "Công tác cải cách hành chính năm 2025 và phương hướng, nhiệm vụ năm 2026 của tỉnh Lâm Đồng"
    )
    letter = sample(sample_docx_dir, "ke_sat_cong_van")
    assert find(letter, "V/v").text == (
        "V/v triển khai Cuộc thi “Ứng dụng AI trong thực thi nhiệm vụ của các cơ quan hành chính”"
    )


def test_markdown_signature_of_nghia_dan(sample_docx_dir: Path) -> None:
    doc = sample(sample_docx_dir, "nghia_dan_ke_hoach")
    tail = [(b.text, b.bold) for b in doc.blocks[-4:]]
    assert tail == [
        ("TM. ỦY BAN NHÂN DÂN", True),
        ("KT. CHỦ TỊCH", True),
        ("PHÓ CHỦ TỊCH", True),
        ("Lê Thị Thu Hằng", True),
    ]
    received = find(doc, "Nơi nhận:")
    assert received.italic and received.bold
    assert [(b.label, b.text) for b in doc.blocks if b.upper and b.label] == [
        ("I.", "MỤC ĐÍCH, YÊU CẦU"),
        ("II.", "NỘI DUNG TRIỂN KHAI, TỔ CHỨC THỰC HIỆN"),
        ("III.", "LỘ TRÌNH THỰC HIỆN"),
        ("IV.", "KINH PHÍ THỰC HIỆN"),
        ("V.", "TỔ CHỨC THỰC HIỆN"),
    ]


def test_news_article_has_no_header(sample_docx_dir: Path) -> None:
    doc = sample(sample_docx_dir, "doan_hung_tin_bai")
    assert not any(b.in_header_table or b.table is not None for b in doc.blocks)
    assert [b.label for b in doc.blocks if b.label] == ["-", "-", "-", "-"]
