"""Decide what a file really is from its bytes, and say plainly why it cannot be read when it cannot.

Clerks rename files (a scanned PDF saved as `.docx`), send the legacy `.doc`, or attach the Word lock
file; the extension alone would send these to the wrong reader and produce a confusing crash. The content
decides; the extension only tells accepted submissions (`.docx`, `.xlsx`, `.json`) from other files.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Literal

from tonghop.errors import IntakeError
from tonghop.read.ole import OLE_MAGIC, read_ole
from tonghop.read.safe_xml import parse_part
from tonghop.read.safe_zip import SafePackage, open_package
from tonghop.settings import Settings

Kind = Literal["docx", "xlsx", "json"]

# Extensions under which a commune may legitimately send a submission (the content still decides).
_OFFICE_EXT = {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".xlsx", ".xlsm", ".xls", ".json"}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_CT = "application/vnd.openxmlformats-officedocument."
_MAIN_TYPES: dict[str, str] = {
    _CT + "wordprocessingml.document.main+xml": "docx",
    _CT + "wordprocessingml.template.main+xml": "docx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "macro",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "macro",
    _CT + "spreadsheetml.sheet.main+xml": "xlsx",
    _CT + "spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "macro",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "macro",
    _CT + "presentationml.presentation.main+xml": "pptx",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "macro",
}

# (offset, magic, description): formats a clerk might send instead of a .docx.
_MAGIC: list[tuple[int, bytes, str]] = [
    (0, b"\x89PNG\r\n\x1a\n", "ảnh PNG"),
    (0, b"\xff\xd8\xff", "ảnh JPEG"),
    (0, b"GIF87a", "ảnh GIF"),
    (0, b"GIF89a", "ảnh GIF"),
    (0, b"II*\x00", "ảnh TIFF"),
    (0, b"MM\x00*", "ảnh TIFF"),
    (0, b"BM", "ảnh BMP"),
    (8, b"WEBP", "ảnh WEBP"),
    (4, b"ftypheic", "ảnh HEIC (ảnh chụp điện thoại)"),
    (4, b"ftypmif1", "ảnh HEIF (ảnh chụp điện thoại)"),
    (0, b"{\\rtf", "tệp RTF"),
    (0, b"Rar!", "tệp nén RAR"),
    (0, b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (0, b"\x1f\x8b", "tệp nén gzip"),
]


def _fail(code: str, message: str) -> IntakeError:
    return IntakeError(message, code=code)


def _text_kind(data: bytes) -> str | None:
    """A description when `data` looks like text, else None."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        if b"\x00" in head:
            return None
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the 4 KiB boundary
                return None
            text = head[: exc.start].decode("utf-8")
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("{", "[")):
        return "tệp văn bản JSON"
    if stripped.startswith(("<!doctype html", "<html")) or "<html" in stripped[:1024]:
        return "trang web HTML"
    if stripped.startswith("mime-version"):
        return "trang web lưu trữ (.mht)"
    if stripped.startswith("<?xml") and ("word.document" in stripped or "w:worddocument" in stripped):
        return "tệp Word XML 2003"
    if stripped.startswith("<?xml"):
        return "tệp XML"
    return "tệp văn bản thuần (không phải văn bản Word)"


def describe(data: bytes) -> str | None:
    """What a non-Office file is, in words a clerk knows; None when it is nothing recognisable."""
    if b"%PDF-" in data[:1024]:
        return "tệp PDF"
    for offset, magic, label in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return label
    return _text_kind(data)


def _advice(what: str) -> str:
    if what.startswith("ảnh"):
        return "hãy gửi tệp .docx gốc thay vì ảnh chụp hoặc bản quét"
    if what == "tệp PDF":
        return "hãy gửi tệp .docx gốc thay vì bản PDF"
    return "hãy mở bằng Word và lưu lại dưới dạng .docx (Word Document)"


def _sniff_ole(data: bytes, name: str) -> IntakeError:
    info = read_ole(data)
    if info.protected:
        return _fail(
            "password_protected",
            f"Tệp {name}: văn bản được đặt mật khẩu nên không đọc được; hãy gỡ mật khẩu "
            "(File > Info > Protect Document > Encrypt with Password, xóa mật khẩu), lưu lại rồi gửi lại.",
        )
    return _fail(
        "legacy_doc",
        f"Tệp {name}: là {info.kind}, định dạng cũ không được hỗ trợ; hãy mở bằng Word và lưu lại "
        "dưới dạng .docx (File > Save As > Word Document), rồi gửi lại.",
    )


def _main_kind(package: SafePackage, name: str) -> str | None:
    types = package.read("[Content_Types].xml")
    if types is None:
        return None
    root = parse_part(types, name, "[Content_Types].xml")
    kinds = {_MAIN_TYPES.get(el.get("ContentType", "")) for el in root if el.get("ContentType")}
    for kind in ("macro", "docx", "xlsx", "pptx"):
        if kind in kinds:
            return kind
    return None


def _sniff_zip(data: bytes, name: str, settings: Settings) -> Kind:
    package = open_package(data, name, settings.max_uncompressed_mb)
    if package.has("mimetype"):
        mimetype = (package.read("mimetype") or b"")[:200]
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            raise _fail(
                "not_word_document",
                f"Tệp {name}: là tệp OpenDocument (LibreOffice .odt/.ods), không phải văn bản Word; "
                "hãy lưu lại dưới dạng .docx (Word 2007-365) rồi gửi lại.",
            )
    kind = _main_kind(package, name)
    if kind == "macro" or package.has("word/vbaProject.bin") or package.has("xl/vbaProject.bin"):
        raise _fail(
            "macro_enabled",
            f"Tệp {name}: là văn bản có chứa macro (.docm/.xlsm), không được nhận vì lý do an toàn; "
            "hãy lưu lại dưới dạng .docx (Word Document, không macro) rồi gửi lại.",
        )
    if kind == "docx" or (kind is None and package.has("word/document.xml")):
        return "docx"
    if kind == "xlsx" or (kind is None and package.has("xl/workbook.xml")):
        return "xlsx"
    if kind == "pptx":
        raise _fail(
            "not_word_document",
            f"Tệp {name}: là bản trình chiếu PowerPoint, không phải văn bản Word; "
            "hãy gửi báo cáo dạng .docx.",
        )
    raise _fail(
        "not_word_document",
        f"Tệp {name}: là tệp nén nhưng không phải văn bản Word (không có phần word/document.xml); "
        "hãy gửi báo cáo dạng .docx.",
    )


def sniff(data: bytes, name: str, settings: Settings) -> Kind:
    """The reader to use for `data`; IntakeError with a Vietnamese reason naming the file otherwise."""
    path = PurePosixPath(name)
    ext = path.suffix.lower()
    if not data:
        raise _fail("empty_file", f"Tệp {name}: tệp rỗng (0 byte), không có nội dung để đọc.")
    if path.name.startswith("~$"):
        raise _fail(
            "wrong_type",
            f"Tệp {name}: là tệp khóa tạm do Word tạo khi đang mở văn bản, không phải báo cáo; "
            "hãy gửi tệp văn bản thật (tên không bắt đầu bằng ~$).",
        )
    if data.startswith(OLE_MAGIC):
        raise _sniff_ole(data, name)
    accepted_ext = ext in _OFFICE_EXT or not ext
    if data.startswith(_ZIP_MAGIC) and accepted_ext:
        return _sniff_zip(data, name, settings)
    what = "tệp nén ZIP" if data.startswith(_ZIP_MAGIC) else describe(data)
    if ext == ".json" and what in ("tệp văn bản JSON", "tệp văn bản thuần (không phải văn bản Word)"):
        return "json"
    if ext == ".json" and what is None and b"\x00" not in data[:4096]:
        return "json"  # text in another encoding (Latin-1, Windows-1258): the reader says to use UTF-8
    if ext not in _OFFICE_EXT or ext == ".json":
        shown = f"định dạng {ext}" if ext else "tệp không có phần mở rộng"
        content = f" ({what})" if what else ""
        raise _fail(
            "unsupported_type",
            f"Tệp {name}: {shown}{content} không được hỗ trợ; chỉ nhận báo cáo .docx, "
            "biểu mẫu .xlsx hoặc tệp .json theo mẫu.",
        )
    if what is None:
        raise _fail(
            "wrong_type",
            f"Tệp {name}: có đuôi {ext} nhưng nội dung không phải văn bản Word (định dạng không nhận ra); "
            "hãy mở bằng Word và lưu lại dưới dạng .docx.",
        )
    raise _fail("wrong_type", f"Tệp {name}: có đuôi {ext} nhưng thực chất là {what}; {_advice(what)}.")
