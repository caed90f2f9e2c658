"""STUB (replaced by the reader work): .docx bytes → ParsedDocument."""

from __future__ import annotations

import io

import docx

from schemas.document import Block, ParsedDocument
from tonghop.settings import Settings
from tonghop.text import nfc


def read_docx(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    document = docx.Document(io.BytesIO(data))
    blocks = [Block(index=i, text=nfc(p.text).strip()) for i, p in enumerate(document.paragraphs) if p.text.strip()]
    return ParsedDocument(file=name, format="docx", blocks=blocks)
