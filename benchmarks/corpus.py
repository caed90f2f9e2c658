"""Realistic commune documents, generated: for the bundled inbox and for the scale benchmarks.

Each document is a real .docx written with python-docx plus the raw parts python-docx lacks (footnotes),
with the layouts communes actually use: an ND30 header table or plain header paragraphs, Word automatic
numbering or typed numbering, an indicators table or figures in sentences, footnotes, blank draft numbers
and days. Seeded, so two runs of a benchmark read the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
from docx.table import _Cell

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

RESULTS = [
    "100% cán bộ, công chức của UBND xã đã được tiếp cận và tìm hiểu các ứng dụng AI phục vụ công việc.",
    "Cán bộ, công chức đã sử dụng AI hỗ trợ soạn thảo văn bản hành chính, xây dựng báo cáo, kế hoạch.",
    "Ứng dụng AI hỗ trợ tra cứu, tổng hợp thông tin phục vụ công tác tham mưu, "
    "giúp tiết kiệm thời gian xử lý.",
    "Sử dụng AI xây dựng nội dung tuyên truyền trên trang thông tin điện tử và mạng xã hội của xã.",
    "Thời gian soạn thảo một báo cáo định kỳ giảm từ 4 giờ xuống còn khoảng 1,5 giờ nhờ trợ lý AI.",
    "Bộ phận một cửa dùng trợ lý ảo AI để hướng dẫn người dân chuẩn bị hồ sơ thủ tục hành chính.",
    "Hình thành thói quen ứng dụng công cụ số trong hoạt động chuyên môn, phù hợp định hướng chuyển đổi số.",
]
RESULT_VARIANTS = [
    "Toàn bộ cán bộ, công chức xã đã được tiếp cận, làm quen với các công cụ trí tuệ nhân tạo.",
    "Nhiều công chức đã dùng AI để hỗ trợ soạn thảo văn bản, báo cáo và kế hoạch của UBND xã.",
    "AI được dùng để tra cứu, tổng hợp thông tin phục vụ tham mưu, rút ngắn thời gian xử lý công việc.",
    "Xã ứng dụng AI trong xây dựng tin bài tuyên truyền trên trang thông tin điện tử, mạng xã hội.",
]
DIFFICULTIES = [
    "Hạ tầng thiết bị và đường truyền Internet tại cơ sở chưa đồng bộ, nhiều máy tính đã cũ.",
    "Kỹ năng khai thác và sử dụng AI của một số cán bộ còn hạn chế, chủ yếu mới dừng ở mức tiếp cận.",
    "Chưa có chương trình đào tạo chuyên sâu về ứng dụng AI cho cán bộ, công chức cấp xã.",
    "Chưa có kinh phí để mua tài khoản AI bản quyền, chủ yếu sử dụng bản miễn phí có giới hạn.",
    "Lo ngại về an toàn thông tin, bảo mật dữ liệu khi đưa nội dung công việc lên nền tảng AI.",
]
DIFFICULTY_VARIANTS = [
    "Trang thiết bị, hạ tầng công nghệ thông tin của xã còn thiếu và chưa đồng bộ.",
    "Một bộ phận cán bộ còn hạn chế về kỹ năng sử dụng công cụ AI.",
    "Thiếu các lớp đào tạo chuyên sâu về AI dành cho cán bộ cấp xã.",
]
CAUSES = [
    "Lĩnh vực trí tuệ nhân tạo còn mới, cán bộ chưa được đào tạo bài bản.",
    "Nguồn kinh phí của xã hạn chế, chưa bố trí được ngân sách cho chuyển đổi số.",
    "Một số cán bộ lớn tuổi còn ngại thay đổi thói quen làm việc.",
]
DIRECTIONS = [
    "Tăng cường tuyên truyền, nâng cao nhận thức về ứng dụng AI trong hoạt động công vụ.",
    "Tổ chức tập huấn chuyên sâu về ứng dụng trí tuệ nhân tạo cho cán bộ, công chức, viên chức.",
    "Khuyến khích cán bộ, công chức chủ động tìm hiểu, sử dụng các công cụ AI hỗ trợ công việc chuyên môn.",
    "Xây dựng quy chế sử dụng AI bảo đảm an toàn thông tin, không đưa dữ liệu cá nhân lên nền tảng AI.",
    "Đăng ký tài khoản AI dùng chung cho các bộ phận chuyên môn của UBND xã.",
]
PROPOSALS = [
    "Đề nghị Sở Khoa học và Công nghệ tổ chức các lớp tập huấn về ứng dụng AI cho cán bộ cấp xã.",
    "Đề nghị tỉnh hỗ trợ kinh phí mua tài khoản AI bản quyền cho các xã, phường.",
    "Đề nghị ban hành hướng dẫn thống nhất về sử dụng AI an toàn trong cơ quan nhà nước.",
    "Đề nghị đầu tư nâng cấp trang thiết bị, đường truyền cho bộ phận một cửa cấp xã.",
]
PROPOSAL_VARIANTS = [
    "Kiến nghị Sở KH&CN mở lớp bồi dưỡng kỹ năng sử dụng AI cho cán bộ, công chức xã.",
    "Kiến nghị UBND tỉnh bố trí kinh phí cấp tài khoản AI có bản quyền cho cấp xã.",
]
SIGNERS = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Đình Phúc", "Phạm Minh Tuấn", "Hoàng Thị Mai", "Võ Văn Sơn"]


@dataclass
class DocSpec:
    """What one generated commune document says and how it is laid out."""

    unit_name: str
    province: str
    seed: int = 0
    doc_type: str = "bao_cao"
    number: int | None = None
    issued_on: dt.date | None = None
    blank_day: bool = False
    header_table: bool = True
    auto_numbering: bool = False
    footnote: bool = False
    indicators_table: bool = False
    staff_total: int = 30
    staff_using_ai: int = 20
    staff_trained: int = 15
    trainings: int = 2
    ai_accounts: int = 10
    replaces: str | None = None
    contact_line: bool = True
    results: list[str] = field(default_factory=list)
    difficulties: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    directions: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)


def _short_unit(unit_name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Huyện "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


def _kind(unit_name: str) -> str:
    return unit_name.split(" ", 1)[0].lower()


def _date_line(spec: DocSpec) -> str:
    place = _short_unit(spec.unit_name)
    if spec.issued_on is None:
        return f"{place}, ngày      tháng      năm 2026"
    day = "     " if spec.blank_day else f"{spec.issued_on.day:02d}"
    month = f"{spec.issued_on.month:02d}" if spec.issued_on.month <= 2 else str(spec.issued_on.month)
    return f"{place}, ngày {day} tháng {month} năm {spec.issued_on.year}"


def _number_line(spec: DocSpec) -> str:
    symbol = {"bao_cao": "BC-UBND", "ke_hoach": "KH-UBND", "cong_van": "UBND-VP"}[spec.doc_type]
    return f"Số: {spec.number:02d}/{symbol}" if spec.number else f"Số:      /{symbol}"


def _set_cell(cell: _Cell, lines: list[tuple[str, bool]]) -> None:
    paragraph = cell.paragraphs[0]
    for i, (text, bold) in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold


def _add_footnotes_part(document: docx.document.Document, notes: list[str]) -> None:
    """python-docx cannot write footnotes: add the part and its relationship by hand, as Word does."""
    body = "".join(
        f'<w:footnote w:id="{i + 1}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(notes)
    )
    xml = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:footnote>{body}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_reference(paragraph: object, note_id: int) -> None:
    paragraph._p.append(  # type: ignore[attr-defined]
        parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )
    )


def render_docx(spec: DocSpec) -> bytes:
    """The .docx bytes of one document (deterministic apart from python-docx's core properties)."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    short = _short_unit(spec.unit_name)
    kind = _kind(spec.unit_name)
    upper_unit = f"{kind.upper()} {short.upper()}"
    if spec.header_table:
        table = document.add_table(rows=2, cols=2)
        _set_cell(table.cell(0, 0), [("ỦY BAN NHÂN DÂN", False), (upper_unit, True)])
        _set_cell(
            table.cell(0, 1),
            [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)],
        )
        _set_cell(table.cell(1, 0), [(_number_line(spec), False)])
        _set_cell(table.cell(1, 1), [(_date_line(spec), False)])
    else:
        for line in (
            "ỦY BAN NHÂN DÂN",
            upper_unit,
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ):
            document.add_paragraph(line)
        document.add_paragraph(_number_line(spec))
        document.add_paragraph(_date_line(spec))
    title = {"bao_cao": "BÁO CÁO", "ke_hoach": "KẾ HOẠCH", "cong_van": ""}[spec.doc_type]
    if title:
        document.add_paragraph().add_run(title).bold = True
        document.add_paragraph().add_run(
            f"Kết quả ứng dụng trí tuệ nhân tạo (AI) trong giải quyết công việc tại UBND {kind} {short}"
        ).bold = True
    intro = document.add_paragraph(
        "Thực hiện Công văn số 1185/SKHCN-CĐS ngày 02/6/2026 của Sở Khoa học và Công nghệ; "
        f"UBND {kind} {short} "
        "báo cáo kết quả ứng dụng trí tuệ nhân tạo trong giải quyết công việc như sau:"
    )
    if spec.footnote:
        _footnote_reference(intro, 1)
    if spec.replaces:
        document.add_paragraph(f"Báo cáo này thay thế Báo cáo số {spec.replaces} của UBND {kind} {short}.")

    sections = [
        ("KẾT QUẢ ĐẠT ĐƯỢC", spec.results),
        ("KHÓ KHĂN, VƯỚNG MẮC", spec.difficulties),
        ("NGUYÊN NHÂN", spec.causes),
        ("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", spec.directions),
        ("ĐỀ XUẤT, KIẾN NGHỊ", spec.proposals),
    ]
    romans = ["I", "II", "III", "IV", "V"]
    for number, (heading, items) in enumerate(section for section in sections if section[1]):
        document.add_paragraph().add_run(f"{romans[number]}. {heading}").bold = True
        if number == 0:
            if spec.indicators_table:
                table = document.add_table(rows=1, cols=2)
                table.cell(0, 0).text, table.cell(0, 1).text = "Chỉ tiêu", "Số lượng"
                for label, value in (
                    ("Tổng số cán bộ, công chức", spec.staff_total),
                    ("Số cán bộ, công chức sử dụng AI trong công việc", spec.staff_using_ai),
                    ("Số cán bộ, công chức được tập huấn về AI", spec.staff_trained),
                    ("Số tài khoản AI", spec.ai_accounts),
                    ("Số lớp tập huấn", spec.trainings),
                ):
                    row = table.add_row()
                    row.cells[0].text, row.cells[1].text = label, str(value)
            else:
                share = f"{100 * spec.staff_using_ai / spec.staff_total:.1f}".replace(".", ",")
                document.add_paragraph(
                    f"- Có {spec.staff_using_ai}/{spec.staff_total} cán bộ, công chức (đạt {share}%) "
                    "đã sử dụng AI "
                    f"trong công việc; UBND {kind} đã tổ chức {spec.trainings:02d} lớp tập huấn cho "
                    f"{spec.staff_trained} cán bộ và đăng ký {spec.ai_accounts} tài khoản AI."
                )
        for item in items:
            if spec.auto_numbering:
                document.add_paragraph(item, style="List Bullet")
            else:
                document.add_paragraph(f"- {item}")
    document.add_paragraph(f"Trên đây là báo cáo của UBND {kind} {short}./.")
    if spec.contact_line:
        rng = random.Random(spec.seed)
        phone = f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        document.add_paragraph(f"Người liên hệ: {SIGNERS[spec.seed % len(SIGNERS)]}, điện thoại {phone}.")
    signature = document.add_table(rows=1, cols=2)
    _set_cell(
        signature.cell(0, 0),
        [("Nơi nhận:", True), ("- Sở KH&CN tỉnh;", False), (f"- Lưu: VT, VP UBND {kind}.", False)],
    )
    _set_cell(
        signature.cell(0, 1),
        [
            ("TM. ỦY BAN NHÂN DÂN", True),
            ("CHỦ TỊCH", True),
            ("", False),
            (SIGNERS[spec.seed % len(SIGNERS)], True),
        ],
    )
    if spec.footnote:
        _add_footnotes_part(
            document, ["Công văn số 1185/SKHCN-CĐS ngày 02/6/2026 của Sở Khoa học và Công nghệ."]
        )
    document.core_properties.created = dt.datetime(2026, 6, 1)
    document.core_properties.modified = dt.datetime(2026, 6, 1)
    document.core_properties.author = f"UBND {kind} {short}"
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Fixed timestamps in the zip entries, so the same spec always gives the same bytes (and hash)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 6, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def random_spec(unit_name: str, province: str, seed: int) -> DocSpec:
    rng = random.Random(seed)
    total = rng.randint(18, 60)
    using = rng.randint(5, total)
    return DocSpec(
        unit_name=unit_name,
        province=province,
        seed=seed,
        number=rng.choice([None, rng.randint(1, 99)]),
        issued_on=dt.date(2026, rng.randint(5, 6), rng.randint(1, 28)),
        blank_day=rng.random() < 0.2,
        header_table=rng.random() < 0.7,
        auto_numbering=rng.random() < 0.4,
        footnote=rng.random() < 0.3,
        indicators_table=rng.random() < 0.4,
        staff_total=total,
        staff_using_ai=using,
        staff_trained=rng.randint(0, using),
        trainings=rng.randint(1, 4),
        ai_accounts=rng.randint(0, total),
        results=rng.sample(RESULTS + RESULT_VARIANTS, rng.randint(2, 5)),
        difficulties=rng.sample(DIFFICULTIES + DIFFICULTY_VARIANTS, rng.randint(1, 3)),
        causes=rng.sample(CAUSES, rng.randint(0, 2)),
        directions=rng.sample(DIRECTIONS, rng.randint(2, 4)),
        proposals=rng.sample(PROPOSALS + PROPOSAL_VARIANTS, rng.randint(1, 2)),
    )


def ascii_slug(text: str) -> str:
    from tonghop.text import ascii_key

    return ascii_key(text).replace(" ", "-")


BAD_FILES: dict[str, bytes] = {
    "bao-cao-cu.doc": bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504,
    "bao-cao-scan.docx": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "tep-rong.docx": b"",
}


def generate_corpus(
    units: list[tuple[str, str]],
    *,
    seed: int = 2026,
    docs_per_unit: int = 1,
    bad_every: int = 50,
    duplicate_every: int = 40,
    resubmit_every: int = 30,
) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) for every unit, with bad files, duplicates and resubmissions mixed in."""
    rng = random.Random(seed)
    counter = 0
    for index, (unit_name, province) in enumerate(units):
        slug = ascii_slug(unit_name)
        for doc in range(docs_per_unit):
            counter += 1
            spec = random_spec(unit_name, province, seed + counter)
            if doc % 3 == 1:
                spec.doc_type = "ke_hoach"
            elif doc % 3 == 2:
                spec.doc_type = "cong_van"
            data = render_docx(spec)
            name = f"{index:05d}-{slug}-{doc}.docx"
            yield name, data
            if counter % duplicate_every == 0:
                yield f"{index:05d}-{slug}-{doc}-ban-sao.docx", data
            if counter % resubmit_every == 0 and spec.issued_on is not None:
                spec.issued_on = spec.issued_on + dt.timedelta(days=3)
                spec.blank_day = False
                spec.replaces = f"{spec.number or 1:02d}/BC-UBND"
                yield f"{index:05d}-{slug}-{doc}-bo-sung.docx", render_docx(spec)
        if bad_every and index % bad_every == bad_every - 1:
            bad_name, bad_data = rng.choice(sorted(BAD_FILES.items()))
            yield f"{index:05d}-{slug}-{bad_name}", bad_data
