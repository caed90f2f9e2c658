"""Commune paperwork as offices write it, for the issuer, subject and supersession tests: a header block
of any body (one to three lines above the Số), a title, a body and a signature, read through the real
intake path (read → interpret → units) and the round's status decisions.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from docx_factory import DocxBuilder

from schemas.report import CommuneReport
from tonghop.check.statuses import decide_statuses
from tonghop.intake import read_entry, scan_inbox

AI_BODY = (
    "I. KẾT QUẢ ĐẠT ĐƯỢC",
    "- 36 cán bộ, công chức đã được tập huấn sử dụng trợ lý ảo AI trong soạn thảo văn bản.",
    "- Triển khai chatbot trả lời thủ tục hành chính cho người dân.",
    "II. KHÓ KHĂN, VƯỚNG MẮC",
    "- Hạ tầng mạng còn yếu.",
)


def commune_doc(
    block: list[str],
    number: str,
    place_date: str,
    kind: str,
    title: str,
    body: tuple[str, ...] = AI_BODY,
    *,
    authority: str = "TM. ỦY BAN NHÂN DÂN",
) -> DocxBuilder:
    """A document whose header table holds `block` (each line its own paragraph) over `number`."""
    builder = DocxBuilder()
    table = builder.document.add_table(rows=2, cols=2)
    builder._fill(table.cell(0, 0), [(line, True) for line in block])
    builder._fill(
        table.cell(0, 1),
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)],
    )
    builder._fill(table.cell(1, 0), [(number, False)])
    builder._fill(table.cell(1, 1), [(place_date, False)], italic=True)
    builder.title(kind, title)
    for text in body:
        builder.paragraph(text, bold=text.isupper())
    builder.signature(["UBND tỉnh (b/c);", "Lưu: VT."], authority, "CHỦ TỊCH", "Nguyễn Văn An")
    return builder


def save(builder: DocxBuilder, inbox: Path, name: str, received: int = 0) -> Path:
    """Writes the file; `received` orders the files' arrival (their modification times)."""
    path = inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(path)
    stamp = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC).timestamp() + received * 3600
    os.utime(path, (stamp, stamp))
    return path


def run_round(settings: Any) -> dict[str, CommuneReport]:
    """Every inbox file read and given its status, by file name."""
    entries, unreadable = scan_inbox(settings.inbox)
    reports = [read_entry(entry, settings) for entry in entries] + unreadable
    decided = decide_statuses(reports, settings.province, settings)
    return {r.file: r for r in decided}
