"""STUB (replaced by the reader work): decide what a file really is from its bytes."""

from __future__ import annotations

from typing import Literal

from tonghop.errors import IntakeError
from tonghop.settings import Settings


def sniff(data: bytes, name: str, settings: Settings) -> Literal["docx", "xlsx", "json"]:
    lower = name.lower()
    if not data:
        raise IntakeError(f"Tệp {name}: tệp rỗng.", code="empty_file")
    if lower.endswith(".docx") and data[:2] == b"PK":
        return "docx"
    if lower.endswith(".xlsx") and data[:2] == b"PK":
        return "xlsx"
    if lower.endswith(".json"):
        return "json"
    raise IntakeError(f"Tệp {name}: định dạng không được hỗ trợ.", code="unsupported_type")
