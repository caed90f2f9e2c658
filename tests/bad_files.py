"""Hostile and broken inputs, made as real bytes: for the reader's tests and the end-to-end runs.

    from bad_files import (
        decompression_bomb, ole_container, replace_part, stored_zip, truncated,
    )

- `replace_part(docx_bytes, "word/document.xml", b"...")`: the same package with one part's bytes replaced
  (or added), everything else copied as is; `drop=` removes parts.
- `truncated(data, keep=0.5)`: the first half of a file, as an interrupted download leaves it.
- `ole_container({"WordDocument": b"..."})`: a valid OLE compound file (512-byte sectors, FAT,
  directory) holding those streams; `word_fib(encrypted=True)` is a `WordDocument` stream whose FIB says
  the .doc is password protected; streams `EncryptionInfo` + `EncryptedPackage` make an encrypted .docx.
- `decompression_bomb(docx_bytes, gigabytes=1.0, part="word/document.xml")`: the package with `part`
  replaced (or added) by 1 GB of spaces deflated to about 1 MB, with true sizes and CRC in the headers
  (built in about a second by repeating one flushed deflate block, never holding the gigabyte).
- `stored_zip({name: bytes})`: a plain zip of those members.
- `many_paragraphs_docx(n)`: a báo cáo of `n` short list items (200,000 make a .docx of about 600 KB).
- `json_submission(**fields)`: a commune's JSON submission (Xã Hưng Nguyên) with `fields` replaced, as
  bytes: `text=` puts raw JSON text (a lone surrogate `"\\ud800"`) into the first result.
- `form_with(blank_form, staff_total=10**308)`: the Excel form with named cells filled.
- `hostile_inbox(inbox, outside, good)`: every hostile entry of issue #20 beside the `good` report in
  `inbox` (links out to `outside`, names that are not UTF-8 or differ by normalization, formulas,
  surrogates, figures of 309 digits, a link loop); returns what each entry is called in intake.csv.
"""

from __future__ import annotations

import io
import json
import os
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import Any

from docx_factory import DocxBuilder

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTOR = 512
_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def good_report_docx() -> bytes:
    """A small, valid báo cáo of xã Nam Đàn: the good file every hostile inbox is mixed with."""
    return (
        DocxBuilder()
        .header("UBND TỈNH NGHỆ AN", "UBND XÃ NAM ĐÀN", "Số: 12/BC-UBND", "Nam Đàn, ngày 05 tháng 6 năm 2026")
        .title("BÁO CÁO", "Về việc ứng dụng trí tuệ nhân tạo")
        .paragraph("I. KẾT QUẢ ĐẠT ĐƯỢC", bold=True)
        .paragraph("- 28/36 cán bộ, công chức đã sử dụng AI.")
        .build()
    )


def replace_part(
    data: bytes, part: str, content: bytes | None = None, *, drop: tuple[str, ...] = ()
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == part or info.filename in drop:
                continue
            target.writestr(info.filename, source.read(info.filename))
        if content is not None:
            target.writestr(part, content)
    return out.getvalue()


def stored_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


def word_fib(*, encrypted: bool = False, size: int = 4096) -> bytes:
    """A `WordDocument` stream starting with a FIB: wIdent 0xA5EC, flags with fEncrypted (0x0100)."""
    fib = bytearray(size)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", fib, 0x0A, 0x0100 if encrypted else 0x0000)
    return bytes(fib)


def ole_container(streams: dict[str, bytes]) -> bytes:
    """A compound file with `streams` in the root storage, every stream in regular sectors."""
    data_sectors: list[bytes] = []
    entries: list[tuple[str, int, int, int]] = []  # name, type, start sector, size
    next_sector = 2  # 0: FAT, 1: directory
    for name, content in streams.items():
        padded = (content + b"\0" * (-len(content) % _SECTOR)) or b"\0" * _SECTOR
        count = len(padded) // _SECTOR
        entries.append((name, 2, next_sector, len(content)))
        data_sectors.extend(padded[i * _SECTOR : (i + 1) * _SECTOR] for i in range(count))
        next_sector += count
    if len(entries) > 3 or next_sector > _SECTOR // 4:
        raise ValueError("keep test containers small: at most 3 streams in one FAT sector")
    fat = [_FATSECT, _END]
    for _, _, start, size in entries:
        count = max(1, -(-size // _SECTOR))
        fat.extend([*range(start + 1, start + count), _END])
    fat.extend([_FREE] * (_SECTOR // 4 - len(fat)))

    def entry(name: str, kind: int, start: int, size: int, child: int = _FREE, right: int = _FREE) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw = bytearray(128)
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 0x44, _FREE, right, child)
        struct.pack_into("<IQ", raw, 0x74, start, size)
        return bytes(raw)

    directory = entry("Root Entry", 5, _END, 0, child=1 if entries else _FREE)
    for i, (name, kind, start, size) in enumerate(entries):
        directory += entry(name, kind, start, size, right=i + 2 if i + 1 < len(entries) else _FREE)
    directory += b"\0" * (_SECTOR - len(directory))

    header = bytearray(_SECTOR)
    header[:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, _END, 0, _END)
    struct.pack_into("<I", header, 0x48, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 0x4C + 4 * i, _FREE)
    return bytes(header) + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + b"".join(data_sectors)


def _local_header(name: bytes, crc: int, compressed: int, size: int) -> bytes:
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, compressed, size, len(name), 0) + name


def _central_header(name: bytes, crc: int, compressed: int, size: int, offset: int) -> bytes:
    return (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            compressed,
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + name
    )


def decompression_bomb(docx_bytes: bytes, gigabytes: float = 1.0, part: str = "word/document.xml") -> bytes:
    """`docx_bytes` with `part` replaced (or added) by `gigabytes` GB of spaces, about 1 MB deflated."""
    if not 0 < gigabytes < 4:
        raise ValueError("between 0 and 4 GB: larger sizes would need zip64 records")
    chunk = b" " * (1 << 22)
    repeats = int(gigabytes * 256)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)  # independent of what precedes
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty final block
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    members: list[tuple[bytes, bytes, int, int]] = []  # name, deflated, crc, size
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
        for info in source.infolist():
            if info.filename == part:
                continue
            content = source.read(info.filename)
            deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append(
                (
                    info.filename.encode(),
                    deflater.compress(content) + deflater.flush(),
                    zlib.crc32(content),
                    len(content),
                )
            )
    out = io.BytesIO()
    central = b""
    for name, deflated, member_crc, size in members:
        central += _central_header(name, member_crc, len(deflated), size, out.tell())
        out.write(_local_header(name, member_crc, len(deflated), size))
        out.write(deflated)
    name = part.encode()
    size = len(chunk) * repeats
    compressed = len(block) * repeats + len(tail)
    central += _central_header(name, crc, compressed, size, out.tell())
    out.write(_local_header(name, crc, compressed, size))
    for _ in range(repeats):
        out.write(block)
    out.write(tail)
    start = out.tell()
    out.write(central)
    count = len(members) + 1
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0))
    return out.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def many_paragraphs_docx(good_docx: bytes, paragraphs: int) -> bytes:
    """`good_docx` (a báo cáo) whose body ends with `paragraphs` short list items under "I. KẾT QUẢ"."""
    with zipfile.ZipFile(io.BytesIO(good_docx)) as source:
        xml = source.read("word/document.xml").decode("utf-8")
    items = "".join(
        f"<w:p><w:r><w:t>- Xã đã dùng trợ lý ảo cho việc số {i} của bộ phận {i % 37}.</w:t></w:r></w:p>"
        for i in range(paragraphs)
    )
    heading = "<w:p><w:r><w:t>I. KẾT QUẢ ĐẠT ĐƯỢC</w:t></w:r></w:p>"
    at = xml.rindex("<w:sectPr") if "<w:sectPr" in xml else xml.rindex("</w:body>")
    return replace_part(good_docx, "word/document.xml", (xml[:at] + heading + items + xml[at:]).encode())


def json_submission(*, text: str | None = None, **fields: Any) -> bytes:
    data: dict[str, Any] = {
        "unit": {"code": 18001, "name": "Xã Hưng Nguyên", "province": "Tỉnh Nghệ An"},
        "doc_type": "bao_cao",
        "number": "33/BC-UBND",
        "issued_on": "2026-06-06",
        "title": "Báo cáo kết quả ứng dụng AI 6 tháng đầu năm 2026",
        "indicators": {"staff_total": 29, "staff_using_ai": 17},
        "sections": {"results": ["Cán bộ đã sử dụng AI hỗ trợ soạn thảo văn bản."]},
    }
    for key, value in fields.items():
        if key in ("staff_total", "staff_using_ai"):
            data["indicators"][key] = value
        else:
            data[key] = value
    encoded = json.dumps(data, ensure_ascii=False)
    if text is not None:
        encoded = encoded.replace("Cán bộ đã sử dụng AI hỗ trợ soạn thảo văn bản.", text)
    return encoded.encode("utf-8")


def form_with(blank_form: bytes, **values: Any) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(blank_form))
    for field, value in values.items():
        (sheet, ref), *_ = wb.defined_names[field].destinations
        wb[sheet][ref.replace("$", "").split(":")[0]].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def hostile_inbox(inbox: Path, outside: Path, good: dict[str, bytes], blank_form: bytes) -> dict[str, str]:
    """Writes the hostile entries; returns {case: the entry's name in intake.csv}. `good` is written too."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    secret = outside / "bi-mat.docx"
    secret.write_bytes(next(iter(good.values())))
    (outside / "thu-muc").mkdir(exist_ok=True)
    (outside / "thu-muc" / "bao-cao-ngoai.docx").write_bytes(next(iter(good.values())))
    for name, data in good.items():
        (inbox / name).write_bytes(data)
    names: dict[str, str] = {}
    raw = os.fsencode(inbox) + b"/bao-cao-\xff\xfe.docx"
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o644)  # a name Path cannot spell: bytes, not UTF-8
    os.write(fd, b"PK not really a zip")
    os.close(fd)
    names["not_utf8"] = "bao-cao-\\xff\\xfe.docx"
    nfc = unicodedata.normalize("NFC", "Báo cáo xã Diễn Châu.docx")
    nfd = unicodedata.normalize("NFD", nfc)
    (inbox / nfc).write_bytes(next(iter(good.values())))
    (inbox / nfd).write_bytes(b"not a docx at all")
    names["nfc"], names["nfd"] = nfc, nfd
    (inbox / "be-mat.json").write_bytes(json_submission(text="Ký tự hỏng \\ud800 ở đây"))
    names["surrogate"] = "be-mat.json"
    (inbox / "so-khong-lo.json").write_bytes(json_submission(staff_total=int("9" * 309)))
    names["huge_json"] = "so-khong-lo.json"
    (inbox / "bieu-mau-so-khong-lo.xlsx").write_bytes(
        form_with(blank_form, unit_code="Xã Diễn Châu (17464)", staff_total="9" * 309)
    )
    names["huge_form"] = "bieu-mau-so-khong-lo.xlsx"
    formula = '=HYPERLINK("http://example.invalid/x","bam vao")&".docx"'
    (inbox / formula.replace("/", "_")).write_bytes(b"not a docx")
    names["formula"] = formula.replace("/", "_")
    for lead in "+-@":
        (inbox / f"{lead}SUM(1+1).docx").write_bytes(b"x")
        names[f"formula{lead}"] = f"{lead}SUM(1+1).docx"
    (inbox / "x.docx").symlink_to("/etc/passwd")
    names["link_etc"] = "x.docx"
    (inbox / "ngoai.docx").symlink_to(secret)
    names["link_outside_docx"] = "ngoai.docx"
    (inbox / "tinh-khac").symlink_to(outside / "thu-muc")
    names["link_outside_dir"] = "tinh-khac"
    (inbox / "nghe-an").mkdir()
    (inbox / "nghe-an" / "vong").symlink_to(inbox / "nghe-an")
    names["link_loop"] = "nghe-an/vong"
    (inbox / "ban-sao-nghe-an").symlink_to(inbox / "nghe-an")
    first = next(iter(good))
    (inbox / "lien-ket-trong.docx").symlink_to(inbox / first)
    names["link_inside_file"] = "lien-ket-trong.docx"
    (inbox / "hong.docx").symlink_to(inbox / "khong-ton-tai.docx")
    names["link_broken"] = "hong.docx"
    return names
