"""Just enough of the OLE compound-file format to tell a legacy .doc from a password-protected document.

Word encrypts a .docx by wrapping it in an OLE container with `EncryptionInfo` and `EncryptedPackage`
streams, and marks an encrypted .doc in the FIB of its `WordDocument` stream. Both need the directory, so
this walks the header, FAT and directory chain with every index bounds-checked and every loop capped:
a damaged or hostile container yields fewer names, never an exception or a hang.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FIB_MAGIC = 0xA5EC
_FIB_ENCRYPTED = 0x0100
_MAX_NAMES = 4096  # a Word file has a handful of streams


@dataclass
class OleInfo:
    names: list[str] = field(default_factory=list)
    encrypted: bool = False

    @property
    def protected(self) -> bool:
        return self.encrypted or "EncryptedPackage" in self.names or "EncryptionInfo" in self.names

    @property
    def kind(self) -> str:
        """What a clerk would call this file."""
        names = set(self.names)
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            return "văn bản Office được đặt mật khẩu"
        if "WordDocument" in names:
            return "văn bản Word 97-2003 (.doc)"
        if "Workbook" in names or "Book" in names:
            return "bảng tính Excel 97-2003 (.xls)"
        if "PowerPoint Document" in names:
            return "bản trình chiếu PowerPoint 97-2003 (.ppt)"
        return "tệp Office định dạng cũ (OLE)"


def _u32(data: bytes, offset: int) -> int:
    if offset < 0 or offset + 4 > len(data):
        return _END
    return int(struct.unpack_from("<I", data, offset)[0])


def read_ole(data: bytes) -> OleInfo:
    info = OleInfo()
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        return info
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return info
    size = 1 << shift
    max_sector = max(0, len(data) // size - 1)

    def offset(sector: int) -> int:
        return (sector + 1) * size

    # No file needs more FAT sectors than it has sectors to describe; a longer (or looping) DIFAT is hostile.
    needed = max_sector // (size // 4) + 1
    fat_sectors = [_u32(data, 0x4C + 4 * i) for i in range(109)][:needed]
    difat = _u32(data, 0x44)
    visited: set[int] = set()
    while len(fat_sectors) < needed and difat <= max_sector and difat not in visited:
        visited.add(difat)
        base = offset(difat)
        fat_sectors.extend(_u32(data, base + 4 * i) for i in range(size // 4 - 1))
        difat = _u32(data, base + size - 4)
    del fat_sectors[needed:]

    def next_sector(sector: int) -> int:
        per = size // 4
        index = sector // per
        if index >= len(fat_sectors) or fat_sectors[index] > max_sector:
            return _END
        return _u32(data, offset(fat_sectors[index]) + 4 * (sector % per))

    directory = _u32(data, 0x30)
    seen: set[int] = set()
    streams: dict[str, int] = {}
    while directory <= max_sector and directory not in seen and len(info.names) < _MAX_NAMES:
        seen.add(directory)
        base = offset(directory)
        for entry in range(size // 128):
            start = base + entry * 128
            if start + 128 > len(data):
                break
            length = struct.unpack_from("<H", data, start + 0x40)[0]
            kind = data[start + 0x42]
            if kind not in (1, 2, 5) or not 2 <= length <= 64:
                continue
            name = data[start : start + length - 2].decode("utf-16-le", "replace")
            info.names.append(name)
            if kind == 2:
                streams[name] = _u32(data, start + 0x74)
        directory = next_sector(directory)

    word = streams.get("WordDocument")
    if word is not None and word <= max_sector and word not in (_END, _FREE):
        base = offset(word)
        if base + 12 <= len(data):
            ident, flags = (
                struct.unpack_from("<H", data, base)[0],
                struct.unpack_from("<H", data, base + 0x0A)[0],
            )
            info.encrypted = ident == _FIB_MAGIC and bool(flags & _FIB_ENCRYPTED)
    if not info.names:
        # Directory unreadable: fall back to the raw stream names Office writes for encryption.
        for name in ("EncryptedPackage", "EncryptionInfo"):
            if name.encode("utf-16-le") in data:
                info.names.append(name)
    return info
