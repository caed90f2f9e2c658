"""STUB (replaced by the form work): structured submissions (.xlsx form, .json) → ParsedDocument."""

from __future__ import annotations

from schemas.document import ParsedDocument
from tonghop.errors import IntakeError
from tonghop.settings import Settings


def read_xlsx_form(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    raise IntakeError(f"Tệp {name}: chưa hỗ trợ biểu mẫu Excel.", code="unsupported_type")


def read_json_submission(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    raise IntakeError(f"Tệp {name}: chưa hỗ trợ tệp JSON.", code="unsupported_type")
