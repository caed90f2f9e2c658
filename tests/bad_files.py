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
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTOR = 512
_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


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
