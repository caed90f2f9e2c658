"""Attach the roster unit to a report, honouring the analyst's overrides, and say why when it cannot.

The decisions and their codes:
- a 2025 xã/phường/đặc khu → `unit` set; a corrected spelling or a code whose name disagrees is a warning
  (`unit_spelling`, `unit_name_mismatch`) so the analyst can check it;
- a pre-2025 unit (huyện, thị xã, thị trấn, a merged xã) → accepted with the warning `legacy_unit`; it is
  mapped to its 2025 province and has no code, so it never counts toward commune coverage;
- several candidates the document's context cannot choose between → error `unit_ambiguous`, listing them
  with the value to write in the overrides file (`tonghop.units.overrides`);
- nothing matching → error `unit_not_found`; a header of a body above the commune (Sở, UBND tỉnh, Ban chỉ
  đạo tỉnh…) → error `not_commune_document`;
- a unit whose province is not the province folder the file sits in → warning `unit_folder_mismatch`
  naming both;
- a file pinned in the overrides file → that unit, with the warning `unit_pinned` recording it; a pin to
  an unknown code → error `override_invalid`; an unreadable overrides file → warning `overrides_invalid`
  on every report (the run goes on without the pins, so nothing is accepted on a guess).

A unit outside the configured province is resolved all the same: `tonghop.check.statuses` marks it out of
scope from `unit.province`.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from schemas.report import CommuneReport, Issue, Unit
from tonghop.errors import ConfigError
from tonghop.settings import Settings
from tonghop.text import province_key
from tonghop.units.matching import match_unit
from tonghop.units.overrides import Overrides, load_overrides
from tonghop.units.phrases import name_words
from tonghop.units.roster import Candidate, Resolution, Roster, load_roster


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _pin_example(file: str, candidate: Candidate) -> str:
    value = candidate.pin if candidate.pin.isdigit() else json.dumps(candidate.pin)
    return f"{json.dumps(file, ensure_ascii=False)} = {value}"


def _legacy_warning(report: CommuneReport, unit: Unit) -> Issue:
    moved = f", nay thuộc {unit.province}" if unit.province != unit.legacy_province else ""
    return Issue(
        code="legacy_unit",
        message=(
            f"Tệp {report.file}: {unit.name} ({unit.legacy_province}{moved}) là đơn vị hành chính trước "
            "sắp xếp ngày 01/7/2025; văn bản vẫn được tiếp nhận nhưng không tính vào số xã, phường "
            "đã báo cáo."
        ),
    )


def folder_province(file: str, roster: Roster) -> str | None:
    """The province a national inbox files this document under: `Tỉnh Cà Mau/bao-cao.docx`, `Ca Mau/…`.

    Seven communes are called Tân Thành; a commune's header rarely names its province, but whoever sorts a
    national inbox into one folder per province does. The whole folder name must be a province's.
    """
    for folder in reversed(PurePosixPath(file).parts[:-1]):
        found = roster.province_from_words(name_words(province_key(folder)), whole=True)
        if found is not None:
            return found.current.name
    return None


def _folder_advice(result: Resolution, settings: Settings) -> str:
    """In a national round the province folder is the other way out (a provincial round has its province)."""
    province = result.candidates[0].unit.province
    if settings.province or not province:
        return ""
    return f', hoặc đặt tệp vào thư mục mang tên tỉnh (ví dụ "{province}/")'


def _issues(
    report: CommuneReport, result: Resolution, roster: Roster, settings: Settings
) -> tuple[list[Issue], list[Issue]]:
    file = report.file
    if result.kind == "unit":
        if not result.note:
            return [], []
        code = "unit_name_mismatch" if result.method == "code" else "unit_spelling"
        return [], [Issue(code=code, message=f"Tệp {file}: {result.note}.")]
    if result.kind == "legacy" and result.unit is not None:
        return [], [_legacy_warning(report, result.unit)]
    if result.kind == "ambiguous":
        listed = "; ".join(c.describe() for c in result.candidates)
        return [
            Issue(
                code="unit_ambiguous",
                message=(
                    f'Tệp {file}: tên đơn vị "{result.text}" ứng với {len(result.candidates)} đơn vị: '
                    f"{listed}. Văn bản không ghi rõ tỉnh để phân biệt. Hãy ghi đơn vị đúng vào tệp "
                    f"{settings.overrides_file}, mục [units], ví dụ: "
                    f"{_pin_example(file, result.candidates[0])}"
                    f"{_folder_advice(result, settings)}, rồi chạy lại."
                ),
            )
        ], []
    if result.kind == "not_commune":
        return [
            Issue(
                code="not_commune_document",
                message=(
                    f'Tệp {file}: văn bản do "{result.text}" ban hành, không phải của một xã, phường hay '
                    "đặc khu; không đưa vào tổng hợp."
                ),
            )
        ], []
    roster_name = f"danh mục {_thousands(len(roster.units))} xã, phường, đặc khu"
    if result.method == "code":
        reason = f'mã đơn vị "{result.text}" không có trong {roster_name}'
    elif result.text:
        reason = (
            f'không tìm thấy "{result.text}" trong {roster_name} từ 01/7/2025 '
            "hay trong danh mục đơn vị hành chính trước đó"
        )
    else:
        reason = "không xác định được xã, phường ban hành văn bản (không thấy tên đơn vị ở phần đầu văn bản)"
    return [
        Issue(
            code="unit_not_found",
            message=(
                f"Tệp {file}: {reason}. Nếu đúng là văn bản của một xã, phường, hãy ghi mã đơn vị cho "
                f"tệp này vào tệp {settings.overrides_file}, mục [units]."
            ),
        )
    ], []


def _pinned(
    report: CommuneReport, overrides: Overrides, roster: Roster
) -> tuple[CommuneReport, list[Issue], list[Issue]] | None:
    pin = overrides.lookup(report.file, report.sha256)
    if pin is None:
        return None
    unit = roster.unit_for_pin(pin.unit)
    if unit is None:
        error = Issue(
            code="override_invalid",
            message=(
                f'Tệp {report.file}: đơn vị "{pin.unit}" ghi trong {overrides.path} không có trong danh mục; '
                "hãy sửa lại mã."
            ),
        )
        return report, [error], []
    note = f" ({pin.note})" if pin.note else ""
    warnings = [
        Issue(
            code="unit_pinned",
            message=f"Tệp {report.file}: đơn vị được chỉ định trong {overrides.path}: {unit.name}, "
            f"{unit.province}{note}.",
        )
    ]
    if unit.legacy:
        warnings.append(_legacy_warning(report, unit))
    return report.model_copy(update={"unit": unit}), [], warnings


def resolve_unit(report: CommuneReport, settings: Settings) -> CommuneReport:
    """Returns a copy of `report` with `unit` set, or with the error that explains why not."""
    roster = load_roster()
    errors: list[Issue] = []
    warnings: list[Issue] = []
    pinned = None
    try:
        pinned = _pinned(report, load_overrides(settings.overrides_file), roster)
    except ConfigError as exc:
        warnings.append(
            Issue(code=exc.code, message=f"Tệp {report.file}: chưa áp dụng chỉ định đơn vị: {exc.message}")
        )
    if pinned is not None:
        report, errors, more = pinned
        warnings += more
    elif report.errors and not (report.unit_text or report.unit_hints or report.place):
        pass  # already rejected upstream, and nothing names a unit: one reason is enough
    else:
        folder = folder_province(report.file, roster)
        result = match_unit(
            roster,
            report.unit_text,
            hints=report.unit_hints,
            place=report.place,
            province_text=report.province_text,
            # The folder the analyst sorted the file into speaks for this file; the configured province
            # for the whole round. The province the document names comes before both (in the matcher).
            province_hint=folder or roster.province_name(settings.province),
            issuing_body=report.issuing_body,
            threshold=settings.unit_match_threshold,
        )
        if result.unit is not None:
            report = report.model_copy(update={"unit": result.unit})
            if folder and province_key(result.unit.province or "") != province_key(folder):
                warnings.append(
                    Issue(
                        code="unit_folder_mismatch",
                        message=(
                            f"Tệp {report.file}: văn bản của {result.unit.name} ({result.unit.province}) "
                            f"nhưng nằm trong thư mục {folder}; hãy kiểm tra tệp đã xếp đúng thư mục chưa."
                        ),
                    )
                )
        errors, found = _issues(report, result, roster, settings)
        warnings += found
    return report.model_copy(
        update={"errors": [*report.errors, *errors], "warnings": [*report.warnings, *warnings]}
    )
