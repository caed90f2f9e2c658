"""Rules that reject a report (errors) or flag it for the analyst (warnings), each with a stable code.

Errors reject the file: the commune is asked to fix and resend. Warnings keep the report, which is
summarized, and show on the review page. The line is drawn at what would make the consolidated figures or
the record wrong:

- errors: `field_required` (a required field is missing: the unit of a structured submission),
  `value_negative` (a figure below 0), `field_invalid` (any other value the report model refuses),
  `indicator_exceeds_total` (staff accessed/trained/using AI above `staff_total`: a rate above 100 %
  would enter the provincial totals), `date_in_future` (issued after today, Vietnam time: a wrong date
  would also win the "newest version" decision over the real latest report), `no_sections` for a báo cáo
  with no recognised section (nothing to consolidate), `form_empty` (a structured submission with
  neither a figure nor a sentence);
- warnings: `no_sections` for a kế hoạch, công văn, tin bài or other text (received and counted, it just
  adds nothing to the summary), `percentage_mismatch` (a stated percentage that does not match its
  fraction, `28/36 … 80%`: the count is kept, the analyst checks the wording), `date_outside_round`
  (issued before the round began or more than a month after it ended).

The model check re-validates the whole report with pydantic (extractors build reports with `model_copy`,
which skips validation) and turns pydantic's errors into Vietnamese ones with
`tonghop.errors.issues_from_validation_error`, which the structured-submission reader uses too, so a form
cell, a JSON path and a report field get the same wording.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from schemas.report import (
    DOC_TYPE_LABELS_VI,
    INDICATOR_LABELS_VI,
    INDICATOR_NAMES,
    RATE_INDICATOR_NAMES,
    SECTION_NAMES,
    CommuneReport,
    DocType,
    Issue,
    Item,
)
from tonghop.errors import issues_from_validation_error, shown
from tonghop.settings import Settings

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
# Reports on a period are written after it closes; one month of slack before calling a date odd.
ROUND_GRACE = dt.timedelta(days=31)
# Parts of staff_total: above it, a rate above 100 % would enter the provincial totals.
SHARE_INDICATORS = RATE_INDICATOR_NAMES


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _located(report: CommuneReport, indicator: str) -> str:
    """`Tổng số cán bộ, công chức (36, ô C7)`: the label, the value and where it was read."""
    value = getattr(report.indicators, indicator)
    source = next((e.source for e in report.indicator_evidence if e.indicator == indicator), None)
    where = f", {source.label()}" if source is not None and source.label() != "cả văn bản" else ""
    return f"{INDICATOR_LABELS_VI[indicator]} ({value}{where})"


def _model_issues(report: CommuneReport) -> list[Issue]:
    try:
        CommuneReport.model_validate(report.model_dump())
    except ValidationError as exc:

        def where(loc: tuple[int | str, ...]) -> str:
            if len(loc) >= 2 and loc[0] == "indicators" and str(loc[1]) in INDICATOR_LABELS_VI:
                return _located(report, str(loc[1]))
            return ".".join(str(p) for p in loc)

        return issues_from_validation_error(exc, where=where, code="field_invalid", file=report.file)
    return []


def _exceeding(report: CommuneReport) -> list[Issue]:
    total = report.indicators.staff_total
    if total is None:
        return []
    return [
        Issue(
            code="indicator_exceeds_total",
            message=(
                f"Tệp {report.file}: {_located(report, name)} lớn hơn {_located(report, 'staff_total')}; "
                "số cán bộ này không thể vượt tổng số cán bộ, công chức."
            ),
        )
        for name in SHARE_INDICATORS
        if (value := getattr(report.indicators, name)) is not None and value > total
    ]


_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%")
_FRACTION = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})*|\d+)\s*/\s*(\d{1,3}(?:\.\d{3})*|\d+)(?![\d/])")
_SHARE_WORDS = re.compile(r"(đạt|chiếm|tỷ lệ|tỉ lệ|bằng|khoảng)\s*(tỷ lệ\s*)?$", re.IGNORECASE)


def _percent(value: float) -> str:
    return f"{value:.1f}%".replace(".", ",")


def _count(text: str) -> int:
    return int(text.replace(".", ""))


def _percent_issues(report: CommuneReport) -> list[Issue]:
    found: dict[tuple[str, str], Issue] = {}
    total = report.indicators.staff_total
    for evidence in report.indicator_evidence:
        text = evidence.text
        fractions = list(_FRACTION.finditer(text))
        for match in _PERCENT.finditer(text):
            stated_text = match.group(1)
            stated = float(stated_text.replace(",", "."))
            decimals = len(re.split(r"[.,]", stated_text)[1]) if re.search(r"[.,]", stated_text) else 0
            before = [f for f in fractions if f.end() <= match.start() and match.start() - f.end() <= 60]
            if before:
                part, whole = _count(before[-1].group(1)), _count(before[-1].group(2))
                written = f"{before[-1].group(1)}/{before[-1].group(2)}"
            elif (
                evidence.indicator in SHARE_INDICATORS
                and total
                and _SHARE_WORDS.search(text[max(0, match.start() - 25) : match.start()])
            ):
                part, whole = evidence.value, total
                written = f"{part}/{total} ({INDICATOR_LABELS_VI[evidence.indicator].lower()} / tổng số)"
            else:
                continue
            if whole <= 0:
                continue
            actual = 100 * part / whole
            if abs(actual - stated) >= 10.0**-decimals:
                key = (text, match.group(0))
                found.setdefault(
                    key,
                    Issue(
                        code="percentage_mismatch",
                        message=(
                            f"Tệp {report.file} ({evidence.source.label()}): tỷ lệ {match.group(0)} "
                            f'không khớp với {written} = {_percent(actual)}; câu gốc: "{shown(text)}".'
                        ),
                    ),
                )
    return list(found.values())


def _date_issues(
    report: CommuneReport, settings: Settings, today: dt.date
) -> tuple[list[Issue], list[Issue]]:
    issued = report.issued_on
    if issued is None:
        return [], []
    if issued > today:
        return [
            Issue(
                code="date_in_future",
                message=(
                    f"Tệp {report.file}: ngày ban hành {_day(issued)} ở sau hôm nay ({_day(today)}); "
                    "hãy kiểm tra lại ngày của văn bản."
                ),
            )
        ], []
    start, end = settings.period
    last = max(end + ROUND_GRACE, settings.deadline or end)
    if start <= issued <= last:
        return [], []
    return [], [
        Issue(
            code="date_outside_round",
            message=(
                f"Tệp {report.file}: văn bản ngày {_day(issued)} nằm ngoài kỳ báo cáo {settings.round} "
                f"({_day(start)} – {_day(end)}); kiểm tra xem có đúng là báo cáo của kỳ này không."
            ),
        )
    ]


def _section_issues(report: CommuneReport) -> tuple[list[Issue], list[Issue]]:
    if not report.sections.is_empty():
        return [], []
    if report.format in ("xlsx", "json"):
        if all(getattr(report.indicators, name) is None for name in INDICATOR_NAMES):
            return [
                Issue(
                    code="form_empty",
                    message=f"Tệp {report.file}: chưa điền số liệu hay nội dung báo cáo nào.",
                )
            ], []
        return [], []
    if report.doc_type == DocType.BAO_CAO:
        return [
            Issue(
                code="no_sections",
                message=(
                    f"Tệp {report.file}: là báo cáo nhưng không tìm thấy mục nào về kết quả, khó khăn, "
                    "nguyên nhân, phương hướng hay đề xuất; hãy kiểm tra các đề mục của báo cáo."
                ),
            )
        ], []
    kind = DOC_TYPE_LABELS_VI[report.doc_type.value]
    return [], [
        Issue(
            code="no_sections",
            message=(
                f"Tệp {report.file}: văn bản loại {kind.lower()} không có mục kết quả, khó khăn hay đề xuất; "
                "được ghi nhận nhưng không góp nội dung vào báo cáo tổng hợp."
            ),
        )
    ]


def validate_report(
    report: CommuneReport, settings: Settings, *, today: dt.date | None = None
) -> tuple[list[Issue], list[Issue]]:
    """Returns (errors, warnings) to add; errors reject the report. `today` defaults to Vietnam's date."""
    today = today or dt.datetime.now(VIETNAM).date()
    errors = _model_issues(report) + _exceeding(report)
    warnings = _percent_issues(report)
    date_errors, date_warnings = _date_issues(report, settings, today)
    section_errors, section_warnings = _section_issues(report)
    return errors + date_errors + section_errors, warnings + date_warnings + section_warnings


# Shown where a statement was cut, so a reader of the report knows the text goes on in the source.
CUT_MARKER = " […]"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + CUT_MARKER


def _figure(value: int) -> str:
    """A figure as written, or its length when it is too long to print (Python refuses huge int to str)."""
    if value.bit_length() <= 64:
        return str(value)
    try:
        return f"một số có {len(str(value))} chữ số"
    except ValueError:  # longer than Python agrees to print
        return f"một số có khoảng {int(value.bit_length() * 0.30103) + 1} chữ số"


def bound_report(report: CommuneReport, settings: Settings) -> tuple[CommuneReport, list[Issue], list[Issue]]:
    """The report within the settings' bounds, and the (errors, warnings) that say what was bounded.

    Applied as soon as a file is read, so nothing later (the summary, the grounding of figures, the
    writers) ever holds more than the bounds allow: statements beyond `max_items_per_report` are dropped,
    a statement longer than `max_item_chars` is cut with a marker, and a figure above `max_figure` is
    refused (removed, and the file rejected) rather than carried into the provincial totals.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    budget = settings.max_items_per_report
    total = sum(len(getattr(report.sections, name)) for name in SECTION_NAMES)
    cut = 0
    sections: dict[str, list[Item]] = {}
    for name in SECTION_NAMES:
        kept = getattr(report.sections, name)[: max(budget, 0)]
        budget -= len(kept)
        sections[name] = []
        for item in kept:
            text = _cut(item.text, settings.max_item_chars)
            cut += text != item.text
            sections[name].append(item if text == item.text else item.model_copy(update={"text": text}))
    if total > settings.max_items_per_report:
        warnings.append(
            Issue(
                code="items_truncated",
                message=(
                    f"Tệp {report.file}: có {total} ý, vượt giới hạn "
                    f"{settings.max_items_per_report} ý mỗi báo cáo; chỉ "
                    f"{settings.max_items_per_report} ý đầu được đưa vào tổng hợp."
                ),
            )
        )
    if cut:
        warnings.append(
            Issue(
                code="item_truncated",
                message=(
                    f"Tệp {report.file}: {cut} ý dài quá {settings.max_item_chars} ký tự đã được cắt bớt "
                    f'(đánh dấu "{CUT_MARKER.strip()}"); xem đủ nội dung trong văn bản gốc.'
                ),
            )
        )
    indicators: dict[str, int | None] = {}
    limit = f"{settings.max_figure:,}".replace(",", ".")
    for name in INDICATOR_NAMES:
        value = getattr(report.indicators, name)
        if value is None:
            continue
        if value > settings.max_figure:
            indicators[name] = None
            errors.append(
                Issue(
                    code="figure_implausible",
                    message=(
                        f"Tệp {report.file}: {INDICATOR_LABELS_VI[name]} = {_figure(value)} "
                        f"vượt quá giới hạn hợp lý {limit} nên không được dùng; hãy kiểm tra lại số liệu."
                    ),
                )
            )
        elif value > settings.commune_figure_warning:
            warnings.append(
                Issue(
                    code="figure_large",
                    message=(
                        f"Tệp {report.file}: {INDICATOR_LABELS_VI[name]} = {value} lớn bất thường với một "
                        "xã/phường; hãy kiểm tra lại số liệu."
                    ),
                )
            )
    evidence = [
        e.model_copy(update={"text": _cut(e.text, settings.max_item_chars)})
        for e in report.indicator_evidence[: settings.max_items_per_report]
        if e.indicator not in indicators
    ]
    bounded = report.model_copy(
        update={
            "sections": report.sections.model_copy(update=sections),
            "indicators": report.indicators.model_copy(update=indicators),
            "indicator_evidence": evidence,
            "footnotes": [
                f.model_copy(update={"text": _cut(f.text, settings.max_item_chars)})
                for f in report.footnotes[: settings.max_items_per_report]
            ],
        }
    )
    return bounded, errors, warnings
