"""Structured submissions (the Excel form, a JSON export from another system) → CommuneReport.

Both arrive as a `ParsedDocument` whose `fields` hold the raw values, exactly as typed:

```python
fields = {
    "submission": {"unit_code": "Xã Diễn Châu (17464)", "period": "2026-H1", "issued_on": ...,
                   "indicators": {"staff_total": 36, ...}, "sections": {"results": ["…", …], ...},
                   "signer": {"name": …, "title": …}},
    "locations": {"unit_code": "C3", "indicators.staff_total": "C7", "sections.results.0": "C16", …},
    "issues": [{"code": "date_outside_round", "severity": "warning", "message": "…"}],
}
```

`locations` maps a field to its cell (forms only; a JSON value is located by its JSON path). One pydantic
model, `Submission`, validates both, so a form and a JSON file are held to the same rules; its Vietnamese
errors name the cell (`Ô C7 (Tổng số cán bộ, công chức): "ba mươi" không phải là số`, code
`form_value_invalid`) or the path (`$.indicators.staff_total …`, code `json_invalid`); a negative figure is
`value_negative` either way. Values that fail are left unset: the report is rejected with every reason at
once, and never holds a value its own model would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from schemas.document import ParsedDocument
from schemas.report import (
    FIELD_LABELS_VI,
    INDICATOR_LABELS_VI,
    SECTION_LABELS_VI,
    CommuneReport,
    DocType,
    IndicatorEvidence,
    Indicators,
    Issue,
    Item,
    Sections,
    Signer,
    Source,
)
from tonghop.errors import issues_from_validation_error

_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^-?\d+(?:[.,]0+)?$")
_VN_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_count(value: Any) -> int | None:
    """A whole number ≥ 0 as a clerk or a system writes it: `36`, `36.0`, `"1.234"`, `" 02 "`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if _THOUSANDS.match(text):
            number = int(text.replace(".", ""))
        elif _DECIMAL.match(text):
            number = int(re.split(r"[.,]", text)[0])
    if number is None:
        shown = value if isinstance(value, str) else repr(value)
        if isinstance(value, float):
            raise PydanticCustomError("not_whole", '"{value}" không phải là số nguyên', {"value": shown})
        raise PydanticCustomError("not_a_number", '"{value}" không phải là số', {"value": shown})
    if number < 0:
        raise PydanticCustomError(
            "value_negative", "{value} là số âm; số liệu phải từ 0 trở lên", {"value": number}
        )
    return number


def parse_day(value: Any) -> dt.date | None:
    """A date typed in a cell (Excel gives a datetime), ISO text, or `05/6/2026`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
        match = _VN_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
    raise PydanticCustomError(
        "not_a_date", '"{value}" không phải ngày hợp lệ (ngày/tháng/năm)', {"value": str(value)}
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("string_type", "phải là chuỗi ký tự", {})
    text = " ".join(str(value).split())
    return text or None


def _entry(value: Any) -> str | None:
    """A section entry: a string, or an item object as `reports.json` writes it (`{"text": …}`)."""
    if isinstance(value, dict):
        if "text" not in value:
            raise PydanticCustomError("missing_text", 'thiếu trường "text"', {})
        value = value["text"]
    return _text(value)


def _unit(value: Any) -> Any:
    """`"unit": "Xã Diễn Châu"` or `"unit": 17464` is a unit too, not only `{"code": …, "name": …}`."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"code": value}
    if isinstance(value, str):
        return {"code": value} if value.strip().isdigit() else {"name": value}
    return value


Count = Annotated[int | None, BeforeValidator(parse_count)]
Day = Annotated[dt.date | None, BeforeValidator(parse_day)]
Text = Annotated[str | None, BeforeValidator(_text)]
Entry = Annotated[str | None, BeforeValidator(_entry)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmittedIndicators(_Strict):
    """The `INDICATORS` as submitted; written out for type checkers, a test holds it to the table."""

    staff_total: Count = None
    staff_accessed_ai: Count = None
    staff_trained: Count = None
    staff_using_ai: Count = None
    ai_accounts: Count = None
    trainings: Count = None


class SubmittedSections(_Strict):
    results: list[Entry] = Field(default_factory=list)
    difficulties: list[Entry] = Field(default_factory=list)
    causes: list[Entry] = Field(default_factory=list)
    directions: list[Entry] = Field(default_factory=list)
    proposals: list[Entry] = Field(default_factory=list)


class SubmittedUnit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: Text = None
    name: Text = None
    province: Text = None


class SubmittedSigner(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Text = None
    title: Text = None


class Submission(BaseModel):
    """What a structured submission may say; names follow `CommuneReport` (see report.schema.json).

    Fields of `CommuneReport` that the product itself decides (file, sha256, status, errors…) are
    accepted and ignored, so a `reports.json` entry from another tonghop can be sent as is.
    """

    model_config = ConfigDict(extra="allow")

    unit: Annotated[SubmittedUnit | None, BeforeValidator(_unit)] = None
    unit_code: Text = None
    unit_text: Text = None
    province_text: Text = None
    period: Text = None
    round: Text = None
    doc_type: DocType = DocType.BAO_CAO
    number: Text = None
    title: Text = None
    issued_on: Day = None
    place: Text = None
    signer: SubmittedSigner | None = None
    indicators: SubmittedIndicators = Field(default_factory=SubmittedIndicators)
    sections: SubmittedSections = Field(default_factory=SubmittedSections)


_IGNORED = set(CommuneReport.model_fields) | {"period", "round", "unit_code"}


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def json_path(loc: tuple[int | str, ...]) -> str:
    """`("sections", "results", 2)` → `$.sections.results[2]`."""
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def field_label(loc: tuple[int | str, ...]) -> str | None:
    names = [str(p) for p in loc if isinstance(p, str)]
    for name in reversed(names):
        label = INDICATOR_LABELS_VI.get(name) or SECTION_LABELS_VI.get(name) or FIELD_LABELS_VI.get(name)
        if label:
            return label
    return None


def _locator(doc: ParsedDocument) -> Callable[[tuple[int | str, ...]], str]:
    """How an error names where it is: `Ô C7 (label)` in a form, `$.path (label)` in JSON."""
    locations = doc.fields.get("locations")
    cells = locations if isinstance(locations, dict) else {}

    def where(loc: tuple[int | str, ...]) -> str:
        label = field_label(loc)
        suffix = f" ({label})" if label else ""
        if doc.format == "xlsx":
            cell = cells.get(_dotted(loc)) or cells.get(_dotted(loc[:-1])) or cells.get(_dotted(loc[:1]))
            return f"Ô {cell}{suffix}" if cell else f"Biểu mẫu{suffix}"
        return f"{json_path(loc)}{suffix}"

    return where


def _source(doc: ParsedDocument, loc: tuple[int | str, ...]) -> Source:
    if doc.format == "xlsx":
        locations = doc.fields.get("locations")
        cell = locations.get(_dotted(loc)) if isinstance(locations, dict) else None
        return Source(file=doc.file, cell=cell if isinstance(cell, str) else None)
    return Source(file=doc.file, path=json_path(loc))


def _validate(doc: ParsedDocument, raw: dict[str, Any]) -> tuple[Submission, list[Issue]]:
    """The submission with every invalid value removed, and one Issue per invalid value."""
    code = "form_value_invalid" if doc.format == "xlsx" else "json_invalid"
    issues: list[Issue] = []
    data = raw
    for _ in range(50):  # each pass removes at least one bad value
        try:
            return Submission.model_validate(data), issues
        except ValidationError as exc:
            found = issues_from_validation_error(exc, where=_locator(doc), code=code, file=doc.file)
            issues += found
            data = _without(data, [tuple(e["loc"]) for e in exc.errors()])
    return Submission(), issues


def _without(data: Any, locs: list[tuple[int | str, ...]]) -> Any:
    """A copy of `data` with the values at `locs` removed (list entries blanked, keeping indexes)."""
    if not isinstance(data, dict | list):
        return None
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    for loc in locs:
        if not loc:
            return {}
        head, rest = loc[0], loc[1:]
        if isinstance(copy, dict) and head in copy:
            copy[head] = _without(copy[head], [rest]) if rest else None
            if copy[head] is None:
                del copy[head]
        elif isinstance(copy, list) and isinstance(head, int) and 0 <= head < len(copy):
            copy[head] = _without(copy[head], [rest]) if rest else None
    return copy


def _unit_text(sub: Submission) -> tuple[str | None, str | None]:
    """(unit text for the resolver, province named); a code alone or `name (code)` resolves by code."""
    unit = sub.unit
    code = (unit.code if unit else None) or None
    name = (unit.name if unit else None) or sub.unit_text
    province = (unit.province if unit else None) or sub.province_text
    if sub.unit_code:
        return sub.unit_code, province
    if code and name:
        return f"{name} ({code})", province
    return code or name, province


def fill_from_fields(doc: ParsedDocument, report: CommuneReport) -> CommuneReport:
    """A copy of `report` with what a structured submission says, and an Issue for every bad value."""
    raw = doc.fields.get("submission")
    errors: list[Issue] = []
    warnings: list[Issue] = []
    noted = doc.fields.get("issues")
    for issue in noted if isinstance(noted, list) else []:
        target = errors if issue.get("severity") == "error" else warnings
        target.append(Issue(code=issue["code"], message=issue["message"]))
    if not isinstance(raw, dict):
        where = "biểu mẫu" if doc.format == "xlsx" else "$"
        errors.append(
            Issue(
                code="json_invalid" if doc.format == "json" else "form_value_invalid",
                message=f"Tệp {doc.file}: {where} phải là một đối tượng (các trường của báo cáo).",
            )
        )
        return report.model_copy(update={"errors": [*report.errors, *errors]})
    sub, problems = _validate(doc, raw)
    errors += problems
    unknown = sorted(set(sub.model_extra or {}) - _IGNORED)
    if unknown and doc.format == "json":
        warnings.append(
            Issue(
                code="json_unknown_field",
                message=(
                    f"Tệp {doc.file}: bỏ qua các trường không có trong mẫu báo cáo: {', '.join(unknown)}."
                ),
            )
        )

    unit_text, province_text = _unit_text(sub)
    if not unit_text:
        where = _locator(doc)(("unit_code",) if doc.format == "xlsx" else ("unit",))
        errors.append(
            Issue(
                code="field_required",
                message=f"Tệp {doc.file}: {where}: chưa ghi mã hoặc tên xã, phường gửi báo cáo.",
            )
        )

    sections = Sections()
    for name in SECTION_LABELS_VI:
        items = [
            Item(text=text, source=_source(doc, ("sections", name, i)))
            for i, text in enumerate(getattr(sub.sections, name))
            if text
        ]
        setattr(sections, name, items)
    values: dict[str, int | None] = {}
    evidence: list[IndicatorEvidence] = []
    raw_indicators = raw.get("indicators") if isinstance(raw.get("indicators"), dict) else {}
    for name, label in INDICATOR_LABELS_VI.items():
        value = getattr(sub.indicators, name)
        values[name] = value
        if value is not None:
            written = raw_indicators.get(name) if isinstance(raw_indicators, dict) else value
            evidence.append(
                IndicatorEvidence(
                    indicator=name,
                    value=value,
                    text=f"{label}: {written}",
                    source=_source(doc, ("indicators", name)),
                )
            )
    signer = sub.signer or SubmittedSigner()
    period = sub.period or sub.round
    title = sub.title or ("Biểu mẫu báo cáo ứng dụng AI" + (f" kỳ {period}" if period else ""))
    return report.model_copy(
        update={
            "doc_type": sub.doc_type,
            "unit_text": unit_text,
            "province_text": province_text,
            "number": sub.number,
            "title": title,
            "issued_on": sub.issued_on,
            "place": sub.place,
            "signer": Signer(name=signer.name, title=signer.title),
            "sections": sections,
            "indicators": Indicators(**values),
            "indicator_evidence": evidence,
            "errors": [*report.errors, *errors],
            "warnings": [*report.warnings, *warnings],
        }
    )
