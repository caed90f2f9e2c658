"""Dispatch a file's bytes to the reader for its real type (sniffed from content, not from the name)."""

from __future__ import annotations

from schemas.document import ParsedDocument
from tonghop.read.docx.reader import read_docx
from tonghop.read.form import read_json_submission, read_xlsx_form
from tonghop.read.sniff import sniff
from tonghop.settings import Settings


def read_document(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    """Raises `IntakeError` (with a Vietnamese reason naming the file) for anything we cannot read."""
    kind = sniff(data, name, settings)
    if kind == "docx":
        return read_docx(data, name, settings)
    if kind == "xlsx":
        return read_xlsx_form(data, name, settings)
    return read_json_submission(data, name, settings)
