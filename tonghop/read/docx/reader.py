"""A .docx file's bytes → ParsedDocument, safely: the reader's edge for Word documents.

The package is opened with a capped inflation budget (tonghop.read.safe_zip) and every XML part is parsed
without DTDs or entities (tonghop.read.safe_xml), so a hostile file is rejected with a reason instead of
crashing, hanging or filling memory. Parts are found through the package relationships, not by fixed
names. `document.xml` is parsed once with lxml and walked directly: python-docx would parse it as well,
but its object layer costs more than the whole walk here and hides numbering, notes and merged cells.
"""

from __future__ import annotations

import posixpath
from typing import Literal

from lxml import etree

from schemas.document import Note, ParsedDocument
from tonghop.errors import IntakeError
from tonghop.read.docx import ns
from tonghop.read.docx.blocks import build, fill_tables, table_marks, to_blocks
from tonghop.read.docx.numbering import Numbering
from tonghop.read.docx.paragraph import note_text
from tonghop.read.docx.styles import Styles, cached_styles
from tonghop.read.docx.walk import Walker
from tonghop.read.safe_xml import parse_part
from tonghop.read.safe_zip import SafePackage, open_package
from tonghop.settings import Settings

_STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_RELATIONSHIP = f"{{{ns.REL_NS}}}Relationship"
_NOTE_KINDS: tuple[tuple[Literal["footnote", "endnote"], str, str], ...] = (
    ("footnote", "/footnotes", ns.w("footnote")),
    ("endnote", "/endnotes", ns.w("endnote")),
)
_INS, _DEL, _MOVE_FROM = ns.INS, ns.w("del"), ns.w("moveFrom")
_NOT_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


class _Parts:
    """The main document part and the parts it relates to, by relationship type."""

    def __init__(self, package: SafePackage, name: str) -> None:
        self.package = package
        self.name = name
        self.main = self._main()
        base = posixpath.dirname(self.main)
        rels_path = posixpath.join(base, "_rels", posixpath.basename(self.main) + ".rels")
        self.related = self._relationships(rels_path, base)

    def xml(self, path: str | None) -> etree._Element | None:
        data = self.raw(path)
        return None if data is None or path is None else self.parse(data, path)

    def raw(self, path: str | None) -> bytes | None:
        return None if path is None else self.package.read(path)

    def parse(self, data: bytes, path: str) -> etree._Element:
        if _STRICT_W in data[:4096]:  # Strict Open XML: same vocabulary, another namespace
            data = data.replace(_STRICT_W, ns.W_NS.encode())
        return parse_part(data, self.name, path)

    def _relationships(self, path: str, base: str) -> dict[str, str]:
        root = self.xml(path)
        found: dict[str, str] = {}
        if root is None:
            return found
        for rel in root.iter(_RELATIONSHIP):
            target = rel.get("Target")
            kind = rel.get("Type", "")
            if not target or rel.get("TargetMode") == "External":
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            found.setdefault("/" + kind.rsplit("/", 1)[-1], posixpath.normpath(resolved))
        return found

    def _main(self) -> str:
        main = self._relationships("_rels/.rels", "").get("/officeDocument")
        if main and self.package.has(main):
            return main
        if self.package.has("word/document.xml"):
            return "word/document.xml"
        raise IntakeError(
            f"Tệp {self.name}: không tìm thấy phần nội dung chính (word/document.xml); "
            "tệp không phải văn bản Word hợp lệ.",
            code="not_word_document",
        )

    def part(self, kind: str) -> str | None:
        path = self.related.get(kind)
        if path is None:
            fallback = posixpath.join(posixpath.dirname(self.main), kind.lstrip("/") + ".xml")
            return fallback if self.package.has(fallback) else None
        return path


def _notes(parts: _Parts, styles: Styles, anchors: dict[tuple[str, int], int]) -> list[Note]:
    notes: list[Note] = []
    for kind, rel, tag in _NOTE_KINDS:
        root = parts.xml(parts.part(rel))
        if root is None:
            continue
        for note in root.iter(tag):
            if note.get(ns.TYPE) in _NOT_NOTES:
                continue
            try:
                note_id = int(note.get(ns.ID, ""))
            except ValueError:
                continue
            text = note_text(note, styles)
            if text:
                notes.append(
                    Note(kind=kind, id=note_id, text=text, anchor_index=anchors.get((kind, note_id)))
                )
    return notes


def read_docx(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    """Raises IntakeError (Vietnamese reason naming the file) for anything that is not a readable .docx."""
    package = open_package(data, name, settings.max_uncompressed_mb)
    parts = _Parts(package, name)
    main_xml = parts.raw(parts.main)
    limit = settings.max_document_xml_mb * 1024 * 1024
    if main_xml is not None and len(main_xml) > limit:
        raise IntakeError(
            f"Tệp {name}: phần chữ của văn bản quá lớn ({len(main_xml) / 1048576:.0f} MB, giới hạn "
            f"{settings.max_document_xml_mb:g} MB); hãy tách thành nhiều văn bản rồi gửi lại.",
            code="document_too_large",
        )
    document = None if main_xml is None else parts.parse(main_xml, parts.main)
    body = document.find(ns.BODY) if document is not None else None
    if body is None:
        raise IntakeError(
            f"Tệp {name}: phần nội dung chính không có thân văn bản (w:body); "
            "tệp không phải văn bản Word hợp lệ.",
            code="malformed_xml",
        )
    styles_path = parts.part("/styles")
    styles = cached_styles(
        package.fingerprint(styles_path) if styles_path else None, lambda: parts.xml(styles_path)
    )
    numbering = Numbering(parts.xml(parts.part("/numbering")), styles.style_id_for_num)
    walker = Walker(name, styles, numbering)
    walker.walk_body(body)
    drafts, anchors = build(walker.items)
    header, signature = table_marks(walker.items)
    blocks = to_blocks(drafts, header, signature)
    if not blocks:
        raise IntakeError(
            f"Tệp {name}: văn bản không có nội dung chữ (trống hoặc chỉ có hình ảnh); "
            "hãy gửi báo cáo có nội dung dạng chữ.",
            code="empty_document",
        )
    fill_tables(walker.tables, drafts)
    warnings = []
    if next(body.iter(_INS, _DEL, _MOVE_FROM), None) is not None:
        warnings.append(
            f"Tệp {name}: văn bản còn thay đổi theo dõi (Track Changes) chưa chấp nhận; "
            "đã đọc theo nội dung sau chỉnh sửa (bỏ phần bị xóa)."
        )
    return ParsedDocument(
        file=name,
        format="docx",
        blocks=blocks,
        tables=walker.tables,
        notes=_notes(parts, styles, anchors),
        warnings=warnings,
    )
