"""Open an untrusted Office package (zip) without letting it crash, hang or exhaust memory.

Zip headers lie: a few megabytes can declare tiny sizes and inflate to gigabytes, or declare millions of
entries. So the entry count is checked from the end-of-central-directory record before `zipfile` builds
its index, and every member is inflated in chunks against one running budget for the whole package, never
trusting `file_size`. Only the parts the reader asks for are ever inflated.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from io import BytesIO

from tonghop.errors import IntakeError

_CHUNK = 1 << 16
# A real .docx has a few dozen parts; a few thousand would already be absurd (each costs memory to index).
MAX_ENTRIES = 5000
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


def corrupt(name: str, detail: str = "") -> IntakeError:
    reason = f" ({detail})" if detail else ""
    return IntakeError(
        f"Tệp {name}: tệp .docx bị hỏng hoặc không tải về trọn vẹn (cấu trúc nén không hợp lệ{reason}). "
        "Hãy mở lại bằng Word, lưu lại rồi gửi lại.",
        code="corrupt_zip",
    )


def _declared_entries(data: bytes) -> int | None:
    """Entry count from the end-of-central-directory record, or None when there is no such record."""
    start = max(0, len(data) - (1 << 16) - 22)
    pos = data.rfind(_EOCD, start)
    if pos < 0 or pos + 22 > len(data):
        return None
    (entries,) = struct.unpack_from("<H", data, pos + 10)
    if entries == 0xFFFF:
        locator = data.rfind(_EOCD64_LOCATOR, 0, pos)
        if locator >= 0 and locator + 20 <= len(data):
            (offset,) = struct.unpack_from("<Q", data, locator + 8)
            if offset + 40 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
                (entries,) = struct.unpack_from("<Q", data, offset + 32)
    return int(entries)


class SafePackage:
    """A zip opened for reading with a shared inflation budget.

    `limit_bytes` caps the sum of all inflated bytes read through `read`, so a bomb hidden in any part
    stops at the cap whatever its header claims.
    """

    def __init__(self, data: bytes, name: str, limit_bytes: int) -> None:
        self.name = name
        self.limit = limit_bytes
        self.used = 0
        self._data = data
        entries = _declared_entries(data)
        if entries is None:
            raise corrupt(name, "không tìm thấy mục lục của tệp nén")
        # The count in the end record can lie; zipfile trusts the directory itself, so count its records too.
        entries = max(entries, data.count(b"PK\x01\x02") if entries <= MAX_ENTRIES else entries)
        if entries > MAX_ENTRIES:
            raise IntakeError(
                f"Tệp {name}: tệp nén khai báo {entries} thành phần, vượt giới hạn {MAX_ENTRIES} "
                "của một văn bản Word; tệp không được đọc.",
                code="decompression_bomb",
            )
        try:
            self._zip = zipfile.ZipFile(BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error) as exc:
            raise corrupt(name, str(exc)) from exc
        except NotImplementedError as exc:
            raise corrupt(name, "kiểu nén không được hỗ trợ") from exc
        if len(infos) > MAX_ENTRIES:
            raise IntakeError(
                f"Tệp {name}: tệp nén có {len(infos)} thành phần, vượt giới hạn {MAX_ENTRIES}.",
                code="decompression_bomb",
            )
        # Part names are case-insensitive in OPC; keep the stored spelling for reading.
        self._names = {info.filename.lstrip("/").lower(): info.filename for info in infos}

    def fingerprint(self, part: str) -> bytes | None:
        """A key for the member's stored bytes, read without inflating them.

        Equal keys mean equal compressed data, CRC and sizes, hence equal content once inflated, so a
        cache keyed on this returns exactly what a fresh read would (including its failure).
        """
        stored = self._names.get(part.lstrip("/").lower())
        if stored is None:
            return None
        info = self._zip.getinfo(stored)
        start = info.header_offset
        header = self._data[start : start + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return None
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        begin = start + 30 + name_len + extra_len
        raw = self._data[begin : begin + info.compress_size]
        digest = hashlib.blake2b(raw, digest_size=16)
        digest.update(struct.pack("<QQIH", info.compress_size, info.file_size, info.CRC, info.compress_type))
        return digest.digest()

    def names(self) -> list[str]:
        return list(self._names.values())

    def has(self, part: str) -> bool:
        return part.lstrip("/").lower() in self._names

    def read(self, part: str) -> bytes | None:
        """The inflated bytes of `part`, or None when the package has no such part."""
        stored = self._names.get(part.lstrip("/").lower())
        if stored is None:
            return None
        chunks: list[bytes] = []
        try:
            with self._zip.open(stored) as stream:
                while chunk := stream.read(_CHUNK):
                    self.used += len(chunk)
                    if self.used > self.limit:
                        raise IntakeError(
                            f"Tệp {self.name}: nội dung giải nén vượt {self.limit // (1 << 20)} MB "
                            f"(phần {stored}); nghi là bom giải nén, tệp không được đọc.",
                            code="decompression_bomb",
                        )
                    chunks.append(chunk)
        except IntakeError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error, OSError) as exc:
            raise corrupt(self.name, f"phần {stored}: {exc}") from exc
        except NotImplementedError as exc:
            raise corrupt(self.name, f"phần {stored}: kiểu nén không được hỗ trợ") from exc
        except RuntimeError as exc:  # zipfile raises it for encrypted members
            raise corrupt(self.name, f"phần {stored} được mã hóa") from exc
        return b"".join(chunks)


def open_package(data: bytes, name: str, limit_mb: float) -> SafePackage:
    return SafePackage(data, name, int(limit_mb * (1 << 20)))
