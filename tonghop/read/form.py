"""Structured submissions → ParsedDocument: the Excel form (`tonghop form`) and JSON from other systems.

Readers only read: values come out raw, as typed, with where they were (`fields["locations"]`: field →
cell), and `tonghop.interpret.structured` validates and interprets them. A form is found by its defined
names (`unit_code`, `staff_total`, `results`…), not by its layout, so a form another tool filled by name
reads the same. A workbook is untrusted input: the package is inflated once against the size cap
(`tonghop.read.safe_zip`) before openpyxl sees it, openpyxl parses with defusedxml, and only the rows
up to the last named cell are visited (capped), whatever size the sheet claims.
"""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from schemas.document import Block, ParsedDocument
from schemas.report import FIELD_LABELS_VI, INDICATOR_NAMES, SECTION_NAMES
from tonghop.errors import IntakeError
from tonghop.read.safe_zip import open_package
from tonghop.settings import Settings, round_period
from tonghop.text import nfc

SCALAR_FIELDS = tuple(FIELD_LABELS_VI)  # the form's own fields, as the form labels them
MAX_ROWS = 2000  # no real form is longer; a named range reaching further is cut here
MAX_ROWS_PER_SECTION = 200
MAX_JSON_DEPTH = 40


# What went wrong inside the workbook, in words a clerk can pass on (the exception's class is in the log).
_FAULTS_VI = {
    "BadZipFile": "tệp nén hỏng",
    "InvalidFileException": "không phải tệp Excel",
    "KeyError": "thiếu một phần của tệp",
    "ParseError": "XML bên trong bị hỏng",
    "XMLSyntaxError": "XML bên trong bị hỏng",
}
# How a JSON value's kind reads in a Vietnamese reason.
_JSON_KINDS_VI = {
    "list": "một danh sách",
    "str": "một chuỗi chữ",
    "int": "một số",
    "float": "một số",
    "bool": "giá trị đúng/sai",
    "NoneType": "giá trị rỗng (null)",
}


def _corrupt(name: str, fault: BaseException | str) -> IntakeError:
    """`fault`: the exception met, or what went wrong already in words."""
    detail = (
        fault if isinstance(fault, str) else _FAULTS_VI.get(type(fault).__name__, "nội dung không đọc được")
    )
    return IntakeError(
        f"Tệp {name}: biểu mẫu Excel bị hỏng hoặc không tải về trọn vẹn ({detail}). "
        "Hãy mở lại bằng Excel, lưu lại dạng .xlsx rồi gửi lại.",
        code="corrupt_xlsx",
    )


def _check_package(data: bytes, name: str, settings: Settings) -> None:
    """Inflate every part once against the cap: a bomb stops here, not inside openpyxl."""
    try:
        package = open_package(data, name, settings.max_uncompressed_mb)
    except IntakeError as exc:
        if exc.code == "corrupt_zip":
            raise _corrupt(name, "cấu trúc nén không hợp lệ") from exc
        raise
    for part in package.names():
        package.read(part)


def _destinations(wb: Any, field: str) -> list[tuple[str, str]]:
    defined = wb.defined_names.get(field)
    if defined is None:
        return []
    try:
        return [(sheet, ref.replace("$", "")) for sheet, ref in defined.destinations]
    except (ValueError, TypeError, AttributeError):  # a #REF! left by a deleted cell
        return []


def _cells(ref: str, limit: int) -> list[tuple[int, int]]:
    """(row, column) of every cell of `C7` or `C16:C23`, row by row, at most `limit`."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    if min_col is None or min_row is None:
        return []
    max_col = max_col or min_col
    max_row = min(max_row or min_row, min_row + limit - 1, MAX_ROWS)
    return [(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)][:limit]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = nfc(value).strip()
        return value or None
    return value


def _period_issue(period: Any, where: str, name: str, settings: Settings) -> dict[str, str] | None:
    """A warning when a submission states a period other than the round being consolidated."""
    if period is None:
        return None
    text = str(period).strip()
    try:
        start, end = round_period(text)
    except ValueError:
        return {
            "code": "period_invalid",
            "severity": "warning",
            "message": f'Tệp {name}: {where} (Kỳ báo cáo): "{text}" không đúng dạng 2026-H1, 2026-Q2, 2026.',
        }
    round_start, round_end = settings.period
    if start <= round_end and end >= round_start:
        return None
    return {
        "code": "date_outside_round",
        "severity": "warning",
        "message": (
            f"Tệp {name}: {where} (Kỳ báo cáo): kỳ {text} không thuộc kỳ đang tổng hợp {settings.round}."
        ),
    }


def read_xlsx_form(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    """The raw values of a filled form, with their cells; raises IntakeError when it is not our form."""
    _check_package(data, name, settings)
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        ParseError,
        OSError,
    ) as exc:
        raise _corrupt(name, exc) from exc
    try:
        wanted: dict[str, list[Cell]] = {}
        for field in (*SCALAR_FIELDS, *INDICATOR_NAMES, *SECTION_NAMES, "form_province"):
            limit = MAX_ROWS_PER_SECTION if field in SECTION_NAMES else 1
            wanted[field] = [
                (sheet, r, c) for sheet, ref in _destinations(wb, field) for r, c in _cells(ref, limit)
            ]
        if not wanted["unit_code"] or not any(wanted[n] for n in INDICATOR_NAMES):
            raise IntakeError(
                f"Tệp {name}: không phải biểu mẫu báo cáo của Sở (không có các ô đặt tên unit_code, "
                "staff_total…). Hãy dùng biểu mẫu tạo bằng lệnh `tonghop form`, hoặc gửi báo cáo dạng .docx.",
                code="form_unrecognised",
            )
        values = _read_cells(wb, [cell for cells in wanted.values() for cell in cells])
    except (KeyError, ValueError, TypeError, ParseError, zipfile.BadZipFile, OSError) as exc:
        raise _corrupt(name, exc) from exc
    finally:
        wb.close()
    return _document(name, wanted, values, settings)


Cell = tuple[str, int, int]  # sheet, row, column


def _read_cells(wb: Any, cells: list[Cell]) -> dict[Cell, Any]:
    """One streaming pass per sheet, stopping at the last wanted row: a huge sheet costs nothing more."""
    values: dict[Cell, Any] = {}
    for sheet in {s for s, _, _ in cells}:
        if sheet not in wb.sheetnames:
            continue
        needed = {(r, c) for s, r, c in cells if s == sheet}
        last_row, last_col = max(r for r, _ in needed), max(c for _, c in needed)
        rows = wb[sheet].iter_rows(min_row=1, max_row=last_row, max_col=last_col, values_only=True)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if (r, c) in needed:
                    values[(sheet, r, c)] = _clean(value)
    return values


_KEYS = {"signer_name": "signer.name", "signer_title": "signer.title", "form_province": "province_text"}


def _document(
    name: str, wanted: dict[str, list[Cell]], values: dict[Cell, Any], settings: Settings
) -> ParsedDocument:
    submission: dict[str, Any] = {"indicators": {}, "sections": {}, "signer": {}}
    locations: dict[str, str] = {}
    blocks: list[Block] = []

    def ref(cell: Cell) -> str:
        return f"{get_column_letter(cell[2])}{cell[1]}"

    for field in (*SCALAR_FIELDS, *INDICATOR_NAMES, "form_province"):
        if not wanted[field]:
            continue
        cell = wanted[field][0]
        key = f"indicators.{field}" if field in INDICATOR_NAMES else _KEYS.get(field, field)
        if field != "form_province":
            locations[key] = ref(cell)
        value = values.get(cell)
        if value is None:
            continue
        head, _, tail = key.partition(".")
        if tail:
            submission[head][tail] = value
        else:
            submission[head] = value
        if field == "unit_code":
            blocks.append(
                Block(index=len(blocks), text=str(value), row=cell[1] - 1, cell=cell[2] - 1, style=field)
            )
    for section in SECTION_NAMES:
        texts: list[str] = []
        for cell in wanted[section]:
            value = values.get(cell)
            if value is None:
                continue
            locations[f"sections.{section}.{len(texts)}"] = ref(cell)
            texts.append(value if isinstance(value, str) else str(value))
            blocks.append(
                Block(index=len(blocks), text=texts[-1], row=cell[1] - 1, cell=cell[2] - 1, style=section)
            )
        submission["sections"][section] = texts
    period = _period_issue(submission.get("period"), f"Ô {locations.get('period', '?')}", name, settings)
    return ParsedDocument(
        file=name,
        format="xlsx",
        blocks=blocks,
        fields={"submission": submission, "locations": locations, "issues": [period] if period else []},
    )


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def read_json_submission(data: bytes, name: str, settings: Settings) -> ParsedDocument:
    """A JSON report from another system; only its syntax is checked here, its content downstream."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IntakeError(
            f"Tệp {name}: tệp JSON phải dùng bảng mã UTF-8 (lỗi ở byte {exc.start}).", code="json_invalid"
        ) from exc
    try:
        payload = json.loads(nfc(text))
    except json.JSONDecodeError as exc:
        raise IntakeError(
            f"Tệp {name}: không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}: {exc.msg}).",
            code="json_invalid",
        ) from exc
    except RecursionError as exc:
        raise IntakeError(f"Tệp {name}: JSON lồng nhau quá sâu.", code="json_invalid") from exc
    if _depth(payload, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise IntakeError(f"Tệp {name}: JSON lồng nhau quá sâu.", code="json_invalid")
    if not isinstance(payload, dict):
        raise IntakeError(
            f"Tệp {name}: $ phải là một đối tượng JSON (các trường của báo cáo), không phải "
            f"{_JSON_KINDS_VI.get(type(payload).__name__, 'kiểu khác')}.",
            code="json_invalid",
        )
    blocks: list[Block] = []
    sections = payload.get("sections")
    if isinstance(sections, dict):
        for section in SECTION_NAMES:
            entries = sections.get(section)
            for entry in entries if isinstance(entries, list) else []:
                value = entry.get("text") if isinstance(entry, dict) else entry
                if isinstance(value, str) and value.strip():
                    blocks.append(Block(index=len(blocks), text=value.strip(), style=section))
    period_key = "period" if "period" in payload else "round"
    period = _period_issue(payload.get(period_key), f"$.{period_key}", name, settings)
    return ParsedDocument(
        file=name,
        format="json",
        blocks=blocks,
        fields={"submission": payload, "issues": [period] if period else []},
    )
