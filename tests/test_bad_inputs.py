"""Every bad input is rejected with a stable code and a Vietnamese reason naming the file; nothing crashes,
hangs or fills memory. Each bad file is made here as real bytes."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import struct
import threading
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bad_files import (
    decompression_bomb,
    good_report_docx,
    ole_container,
    replace_part,
    stored_zip,
    truncated,
    word_fib,
)
from docx_factory import DocxBuilder

from schemas.report import Status
from tonghop.errors import IntakeError
from tonghop.intake import InboxEntry, read_entry
from tonghop.read.document import read_document
from tonghop.read.sniff import sniff
from tonghop.settings import Settings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")


@pytest.fixture(scope="module")
def good_docx() -> bytes:
    return good_report_docx()


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


def rejected(data: bytes, name: str, settings: Settings) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        read_document(data, name, settings)
    error = caught.value
    assert error.message.startswith(f"Tệp {name}:"), error.message
    assert _VIETNAMESE.search(error.message), error.message
    return error


def document_xml(body: str, prolog: str = "") -> bytes:
    root = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}{root}'.encode()


# --- packages that are not (whole) zips ---------------------------------------------------------------------


def test_empty_file_is_rejected_as_empty(settings: Settings) -> None:
    assert rejected(b"", "bao-cao.docx", settings).code == "empty_file"


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.95])
def test_truncated_download_is_a_corrupt_zip(good_docx: bytes, settings: Settings, keep: float) -> None:
    error = rejected(truncated(good_docx, keep), "bao-cao.docx", settings)
    assert error.code == "corrupt_zip"
    assert "hỏng" in error.message


def test_damaged_member_data_is_a_corrupt_zip(good_docx: bytes, settings: Settings) -> None:
    info = zipfile.ZipFile(io.BytesIO(good_docx)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged = bytearray(good_docx)
    for offset in range(start + 20, start + info.compress_size - 4, 7):
        damaged[offset] ^= 0x5A
    assert rejected(bytes(damaged), "bao-cao.docx", settings).code == "corrupt_zip"


def test_zip_without_word_document_is_not_a_word_document(settings: Settings) -> None:
    data = stored_zip({"ghi-chu.txt": "Báo cáo gửi sau".encode(), "anh/scan.png": b"\x89PNG\r\n\x1a\n"})
    error = rejected(data, "bao-cao.docx", settings)
    assert error.code == "not_word_document"
    assert "word/document.xml" in error.message


def test_opendocument_and_powerpoint_are_not_word_documents(good_docx: bytes, settings: Settings) -> None:
    odt = stored_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert "OpenDocument" in rejected(odt, "bao-cao.docx", settings).message
    pptx = replace_part(
        good_docx,
        "[Content_Types].xml",
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
        b'PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'presentationml.presentation.main+xml"/></Types>',
        drop=("word/document.xml",),
    )
    error = rejected(pptx, "bao-cao.docx", settings)
    assert (error.code, "PowerPoint" in error.message) == ("not_word_document", True)


def test_malformed_xml_in_a_valid_package_is_reported(good_docx: bytes, settings: Settings) -> None:
    broken = replace_part(good_docx, "word/document.xml", document_xml("<w:p><w:r><w:t>Kết quả</w:r></w:p>"))
    error = rejected(broken, "bao-cao.docx", settings)
    assert error.code == "malformed_xml"
    assert "word/document.xml" in error.message
    broken_styles = replace_part(good_docx, "word/styles.xml", b"<w:styles xmlns:w='x'><w:style>")
    assert rejected(broken_styles, "bao-cao.docx", settings).code == "malformed_xml"


def test_deep_nesting_is_refused_not_recursed(good_docx: bytes, settings: Settings) -> None:
    body = "<w:sdt><w:sdtContent>" * 5000 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 5000
    started = time.perf_counter()
    error = rejected(replace_part(good_docx, "word/document.xml", document_xml(body)), "sau.docx", settings)
    assert error.code == "malformed_xml"
    assert time.perf_counter() - started < 10


# --- other formats behind a .docx name ----------------------------------------------------------------------

WRONG_CONTENT = [
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "là tệp PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "là ảnh PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "là ảnh JPEG"),
    ("Báo cáo kết quả ứng dụng AI của xã.\n".encode(), "là tệp văn bản thuần"),
    (b"<!DOCTYPE html><html><body>Bao cao</body></html>", "là trang web HTML"),
    (b"{\\rtf1\\ansi Bao cao}", "là tệp RTF"),
    (b'{"unit": "X\xc3\xa3 Nam \xc4\x90\xc3\xa0n"}', "là tệp văn bản JSON"),
]


@pytest.mark.parametrize(("content", "says"), WRONG_CONTENT)
def test_other_formats_renamed_docx_say_what_they_are(content: bytes, says: str, settings: Settings) -> None:
    error = rejected(content, "bao-cao-xa.docx", settings)
    assert error.code == "wrong_type"
    assert says in error.message


def test_word_lock_file_is_not_a_report(settings: Settings) -> None:
    lock = b"\x0bNguyen Van A" + b"\x00" * 150
    error = rejected(lock, "~$bao-cao.docx", settings)
    assert (error.code, "khóa tạm" in error.message) == ("wrong_type", True)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("ghi-chu.txt", "ghi chú".encode()),
        ("anh-chup.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
        ("ho-so.zip", b"PK\x05\x06" + b"\0" * 18),
        ("bao-cao", "không có đuôi".encode()),
        (".DS_Store", b"\x00\x00\x00\x01Bud1" + b"\0" * 40),
    ],
)
def test_other_extensions_are_unsupported(name: str, content: bytes, settings: Settings) -> None:
    error = rejected(content, name, settings)
    assert error.code == "unsupported_type"
    assert ".docx" in error.message


def test_submissions_are_routed_by_content(good_docx: bytes, settings: Settings) -> None:
    xlsx = stored_zip(
        {
            "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sheet.main+xml"/></Types>',
            "xl/workbook.xml": b"<workbook/>",
        }
    )
    assert sniff(xlsx, "bieu-mau.xlsx", settings) == "xlsx"
    assert sniff(b'{"unit_code": "17890"}', "bao-cao.json", settings) == "json"
    assert sniff(good_docx, "bao-cao.doc", settings) == "docx"  # a .docx renamed .doc is still read
    assert sniff(good_docx, "BAO CAO.DOCX", settings) == "docx"


# --- OLE: legacy .doc and password protection ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["bao-cao.doc", "bao-cao.docx"])
def test_legacy_doc_must_be_saved_again_as_docx(name: str, settings: Settings) -> None:
    doc = ole_container({"WordDocument": word_fib(), "1Table": b"\x00" * 600})
    error = rejected(doc, name, settings)
    assert error.code == "legacy_doc"
    assert "Word 97-2003" in error.message
    assert "lưu lại" in error.message and ".docx" in error.message


def test_any_ole_file_is_legacy(settings: Settings) -> None:
    xls = ole_container({"Workbook": b"\x09\x08" + b"\x00" * 700})
    assert "Excel 97-2003" in rejected(xls, "bieu-mau.xls", settings).message
    header_only = ole_container({})[:512]
    assert rejected(header_only, "bao-cao.doc", settings).code == "legacy_doc"


def test_password_protected_docx_is_recognised(settings: Settings) -> None:
    encrypted = ole_container(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 200, "EncryptedPackage": b"\x01" * 3000}
    )
    error = rejected(encrypted, "bao-cao-mat-khau.docx", settings)
    assert error.code == "password_protected"
    assert "mật khẩu" in error.message


def test_password_protected_legacy_doc_is_recognised(settings: Settings) -> None:
    doc = ole_container({"WordDocument": word_fib(encrypted=True), "1Table": b"\x00" * 600})
    assert rejected(doc, "bao-cao.doc", settings).code == "password_protected"


# --- macros and empty documents -----------------------------------------------------------------------------


def test_macro_enabled_document_is_refused(good_docx: bytes, settings: Settings) -> None:
    types = zipfile.ZipFile(io.BytesIO(good_docx)).read("[Content_Types].xml")
    macro_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert macro_types != types
    docm = replace_part(good_docx, "[Content_Types].xml", macro_types)
    error = rejected(docm, "bao-cao.docm", settings)
    assert error.code == "macro_enabled"
    assert "macro" in error.message
    with_vba = replace_part(good_docx, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0fake-vba")
    assert rejected(with_vba, "bao-cao.docx", settings).code == "macro_enabled"


def test_document_without_text_is_an_empty_document(settings: Settings) -> None:
    blank = DocxBuilder().paragraph("").paragraph("   ").table([["", ""], ["", ""]]).build()
    error = rejected(blank, "bao-cao-trong.docx", settings)
    assert error.code == "empty_document"


# --- resource exhaustion ------------------------------------------------------------------------------------


def test_decompression_bomb_stops_at_the_cap_without_filling_memory(
    good_docx: bytes, make_settings: Callable[..., Settings]
) -> None:
    bomb = decompression_bomb(good_docx, gigabytes=1.0)
    assert len(bomb) < 5 * 1024 * 1024
    declared = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size
    assert declared == 1 << 30
    settings = make_settings(max_uncompressed_mb=40)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = rejected(bomb, "bao-cao.docx", settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "decompression_bomb"
    assert "40 MB" in error.message
    assert peak < 120 * 1024 * 1024, peak
    assert time.perf_counter() - started < 20


def test_bomb_in_a_part_the_reader_never_needs_is_never_inflated(
    good_docx: bytes, settings: Settings
) -> None:
    with_media = decompression_bomb(good_docx, gigabytes=1.0, part="word/media/image1.png")
    started = time.perf_counter()
    doc = read_document(with_media, "co-anh.docx", settings)
    assert doc.blocks[0].text == "UBND TỈNH NGHỆ AN"
    assert time.perf_counter() - started < 5


def test_zip_declaring_thousands_of_parts_is_refused(settings: Settings) -> None:
    members = {f"word/media/p{i}.bin": b"" for i in range(6000)}
    members["word/document.xml"] = document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>")
    honest = stored_zip(members)
    assert rejected(honest, "bao-cao.docx", settings).code == "decompression_bomb"
    # The same directory behind an end record that claims a single entry.
    end = honest.rfind(b"PK\x05\x06")
    lying = honest[: end + 8] + struct.pack("<HH", 1, 1) + honest[end + 12 :]
    assert rejected(lying, "bao-cao.docx", settings).code == "decompression_bomb"


def test_hostile_sizes_inside_a_valid_document_stay_cheap(good_docx: bytes, settings: Settings) -> None:
    numbering = (
        f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
        '<w:start w:val="999999999"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="999999999"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%2)"/>'
        '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )
    numbered = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="{}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>{}</w:t></w:r></w:p>"
    )
    body = "".join(
        [
            numbered.format(0, "La Mã"),
            numbered.format(1, "Chữ cái"),
            '<w:tbl><w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr><w:tc><w:tcPr>'
            '<w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>Ô rộng</w:t></w:r></w:p></w:tc>'
            "</w:tr></w:tbl>",
            "<w:p><w:r>" + "<w:t>dòng</w:t><w:br/>" * 20000 + "</w:r></w:p>",
            "<w:p><w:r><w:t>tiếp tục câu</w:t></w:r></w:p>" * 5000,
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nơi nhận:</w:t>" + "<w:tab/> " * 20000,
            "<w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        ]
    )
    data = replace_part(good_docx, "word/document.xml", document_xml(body))
    data = replace_part(data, "word/numbering.xml", numbering.encode())
    started = time.perf_counter()
    doc = read_document(data, "bao-cao.docx", settings)
    assert time.perf_counter() - started < 10
    assert [b.label for b in doc.blocks[:2]] == ["999999999.", "999999999)"]
    assert len(doc.tables[0][0]) <= 128
    run_on = doc.blocks[3].text
    assert "\n" not in run_on  # a sentence running over 20,000 line breaks and 5,000 paragraphs
    assert run_on.count("dòng") == 20000 and run_on.count("tiếp tục câu") == 5000


def test_ole_with_looping_allocation_tables_is_still_legacy(settings: Settings) -> None:
    doc = bytearray(ole_container({"WordDocument": word_fib()}))
    struct.pack_into("<II", doc, 0x44, 1, 0xFFFFFF)  # DIFAT chain starting at the directory, endless count
    started = time.perf_counter()
    assert rejected(bytes(doc), "bao-cao.doc", settings).code == "legacy_doc"
    assert time.perf_counter() - started < 5


# --- XML attacks --------------------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def test_entity_expansion_is_refused(good_docx: bytes, settings: Settings) -> None:
    data = replace_part(
        good_docx,
        "word/document.xml",
        document_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", BILLION_LAUGHS),
    )
    started = time.perf_counter()
    error = rejected(data, "bao-cao.docx", settings)
    assert error.code == "xml_forbidden"
    assert "DOCTYPE" in error.message
    assert time.perf_counter() - started < 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_external_entity_is_never_opened(good_docx: bytes, settings: Settings, tmp_path: Path) -> None:
    """The entity names a named pipe: opening it for reading would block, so finishing proves it was not."""
    fifo = tmp_path / "secret"
    os.mkfifo(fifo)
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{fifo}">]>'
    data = replace_part(
        good_docx, "word/document.xml", document_xml("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog)
    )
    outcome: dict[str, Any] = {}

    def attempt() -> None:
        try:
            read_document(data, "bao-cao.docx", settings)
        except IntakeError as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the external entity was opened")
    assert outcome["error"].code == "xml_forbidden"


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE w:document [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/word.dtd">',
        "<!DOCTYPE w:document>",
    ],
)
def test_any_doctype_is_refused(good_docx: bytes, settings: Settings, prolog: str) -> None:
    data = replace_part(
        good_docx, "word/document.xml", document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>", prolog)
    )
    error = rejected(data, "bao-cao.docx", settings)
    assert error.code == "xml_forbidden"
    assert "root:" not in error.message


def test_doctype_in_utf16_part_is_refused(good_docx: bytes, settings: Settings) -> None:
    xml = document_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", BILLION_LAUGHS).decode()
    utf16 = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert (
        rejected(replace_part(good_docx, "word/document.xml", utf16), "a.docx", settings).code
        == "xml_forbidden"
    )


def test_doctype_in_content_types_is_refused(good_docx: bytes, settings: Settings) -> None:
    types = zipfile.ZipFile(io.BytesIO(good_docx)).read("[Content_Types].xml")
    hostile = types.replace(b"?>", b'?><!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    error = rejected(replace_part(good_docx, "[Content_Types].xml", hostile), "bao-cao.docx", settings)
    assert error.code == "xml_forbidden"


# --- names, reports, and robustness -------------------------------------------------------------------------

ODD_NAMES = [
    "Báo cáo, xã Nam Đàn.docx",
    'Bao cao "AI" 2026.docx',
    "bao cao  hai  khoang trang .docx",
    "Ba\u0301o ca\u0301o xa\u0303 Nghi\u0303a \u0110a\u0300n.docx",  # NFD as macOS writes names
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_reasons_keep_odd_file_names_intact(name: str, settings: Settings) -> None:
    error = rejected(b"%PDF-1.5\n%%EOF", name, settings)
    assert name in error.message


def _entry(tmp_path: Path, name: str, data: bytes) -> InboxEntry:
    path = tmp_path / name
    path.write_bytes(data)
    return InboxEntry.for_file(path, name, received=dt.datetime(2026, 6, 5, tzinfo=dt.UTC))


def test_bad_files_become_rejected_reports(good_docx: bytes, settings: Settings, tmp_path: Path) -> None:
    cases = {
        'Báo cáo, xã "Yên Thành".docx': (b"%PDF-1.4\n%%EOF", "wrong_type"),
        "xa-anh-son.doc": (ole_container({"WordDocument": word_fib()}), "legacy_doc"),
        "bao-cao-cut.docx": (truncated(good_docx), "corrupt_zip"),
        "trong.docx": (b"", "empty_file"),
        "xxe.docx": (
            replace_part(
                good_docx,
                "word/document.xml",
                document_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", BILLION_LAUGHS),
            ),
            "xml_forbidden",
        ),
    }
    for name, (data, code) in cases.items():
        report = read_entry(_entry(tmp_path, name, data), settings)
        assert report.status == Status.REJECTED
        assert report.file == name
        assert [issue.code for issue in report.errors] == [code]
        assert name in report.errors[0].message


def test_file_over_the_size_limit_is_rejected_before_reading(
    good_docx: bytes, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(max_file_mb=0.01)
    report = read_entry(_entry(tmp_path, "bao cao lon.docx", good_docx + b"\0" * 20000), settings)
    assert report.status == Status.REJECTED
    assert [issue.code for issue in report.errors] == ["file_too_large"]
    assert "bao cao lon.docx" in report.errors[0].message


def test_random_damage_never_escapes_as_another_exception(good_docx: bytes, settings: Settings) -> None:
    rng = random.Random(20260605)
    outcomes: set[str] = set()
    for _ in range(60):
        damaged = bytearray(good_docx)
        for _ in range(rng.randint(1, 12)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(len(damaged))]
        try:
            read_document(bytes(damaged), "hu-hong.docx", settings)
            outcomes.add("read")
        except IntakeError as exc:
            assert exc.message.startswith("Tệp hu-hong.docx:")
            outcomes.add(exc.code)
    assert "corrupt_zip" in outcomes
