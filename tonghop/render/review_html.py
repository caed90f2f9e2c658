"""`review.html`: one self-contained page where analysts check every statement against its sources.

One escaping path: the markup lives in `templates/review.html.j2`, Jinja2 autoescapes every value, and this
module hands the template plain data (strings, numbers, lists, the summary's models), never markup built
from what a commune wrote. Two insertions are left unescaped, both our own and both for the page's
`<script>` elements, where HTML escaping does not apply: the page's script (read from `templates/review.js`,
allowed by its hash in the Content-Security-Policy, so an injected script would not run even if escaping
failed) and the page data as JSON encoded for a `<script>` element (`<`, `>`, `&` and the JavaScript line
separators escaped).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from schemas.report import (
    INDICATOR_LABELS_VI,
    INDICATOR_NAMES,
    SECTION_LABELS_VI,
    SECTION_NAMES,
    STATUS_LABELS_VI,
    CommuneReport,
    Status,
)
from schemas.summary import Citation, ProvincialSummary
from tonghop.render.dates import VN_TZ, round_label, short_date
from tonghop.render.nd30 import sort_units, vn_number, vn_percent
from tonghop.render.view import MISSING_STATUS, CommuneRow, Round, file_rows, format_value
from tonghop.settings import PROJECT_ROOT, Settings
from tonghop.store.atomic import atomic_open
from tonghop.summarize.grounding import FLAG_LABELS_VI
from tonghop.summarize.review import review_reasons

INJECTION_CODE = "possible_injection"  # the interpreter's warning for a paragraph taken out of the sections

TEMPLATE_NAME = "review.html.j2"
SCRIPT_NAME = "review.js"
BUILTIN_TEMPLATES = PROJECT_ROOT / "templates"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(data: Any) -> Markup:
    """JSON that can sit inside `<script>…</script>`: no `</script>`, `<!--` or line separator can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text))


def split_numbers(text: str, numbers: list[str]) -> list[tuple[str, bool]]:
    """Text cut around the unverified numbers, so the template can mark them without building HTML."""
    wanted = sorted({n for n in numbers if n}, key=len, reverse=True)
    if not wanted:
        return [(text, False)]
    pattern = re.compile("|".join(rf"(?<![\d.,]){re.escape(n)}(?![\d])" for n in wanted))
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            parts.append((text[last : match.start()], False))
        parts.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def sources(citations: list[Citation]) -> list[tuple[str, str, str, str]]:
    """Each source of a sentence as (commune, file, place in the file, quoted text), for the template.

    Plain strings, which the template escapes. Unpacking a tuple in the loop spares Jinja an attribute
    lookup per field and a call of `Source.label` through its `Context.call` per source, which a national
    page repeats for every one of its citations.
    """
    return [(c.unit_name, c.file, c.source.label(), c.text) for c in citations]


@lru_cache(maxsize=4)
def _environment(directory: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader([directory, str(BUILTIN_TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["split_numbers"] = split_numbers
    env.filters["sources"] = sources
    return env


def _script(settings: Settings) -> str:
    own = Path(settings.templates_dir) / SCRIPT_NAME
    path = own if own.is_file() else BUILTIN_TEMPLATES / SCRIPT_NAME
    # A `</script>` inside the code would end the element early; our script never needs one.
    return path.read_text(encoding="utf-8").replace("</", "<\\/")


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@dataclass
class _Row:
    stt: str
    name: str
    province: str
    status: str
    values: list[str]
    warnings: list[str] = field(default_factory=list)
    css: str = ""


def _commune_table(
    reports: list[CommuneReport], summary: ProvincialSummary, communes: list[CommuneRow]
) -> list[_Row]:
    warnings: dict[int, list[str]] = {}
    for r in reports:
        if r.unit is not None and r.unit.code is not None and r.status == Status.ACCEPTED:
            warnings.setdefault(r.unit.code, []).extend(w.message for w in r.warnings)
    rows: list[_Row] = []
    seen: set[int | None] = set()
    for row in communes:
        if row.group:
            continue
        seen.add(row.code)
        rows.append(
            _Row(
                stt=row.stt,
                name=row.name,
                province=row.province or "",
                status=row.status,
                values=[format_value(row.values.get(n)) for n in INDICATOR_NAMES],
                warnings=warnings.get(row.code or -1, []),
                css="" if row.accepted else "rejected",
            )
        )
    for unit in sort_units(summary.coverage.missing):
        if unit.code in seen:
            continue
        rows.append(
            _Row(
                "",
                unit.name,
                unit.province or "",
                MISSING_STATUS,
                ["—"] * len(INDICATOR_NAMES),
                css="missing",
            )
        )
    return rows


def _injections(reports: list[CommuneReport]) -> list[dict[str, str]]:
    """Paragraphs the interpreter took out of the sections because they speak to the system, per file."""
    found = []
    for report in sorted(reports, key=lambda r: r.file):
        commune = report.unit.name if report.unit else (report.unit_text or "Chưa xác định đơn vị")
        for warning in report.warnings:
            if warning.code == INJECTION_CODE:
                found.append({"unit": commune, "file": report.file, "message": warning.message})
    return found


def _whole_percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def review_context(round: Round) -> dict[str, Any]:
    reports, summary, settings = round.reports, round.summary, round.settings
    cov = summary.coverage
    sentences = summary.all_sentences()
    review = {s.id: review_reasons(s) for s in sentences}
    script = _script(settings)
    sections = []
    names = [*SECTION_NAMES, *(n for n in summary.sections if n not in SECTION_NAMES)]
    for name in names:
        sections.append(
            {
                "name": name,
                "label": SECTION_LABELS_VI.get(name, name),
                "themes": summary.sections.get(name, []),
            }
        )
    by_status = {r.file: r for r in reports}
    files = []
    for row in file_rows(reports):
        report = by_status.get(row.file)
        status = report.status if report else Status.ACCEPTED
        files.append(
            {
                **vars(row),
                "warnings": [w.message for w in report.warnings]
                if report and status == Status.ACCEPTED
                else [],
                "css": "" if status == Status.ACCEPTED else "rejected",
            }
        )
    for entry in files:  # the warnings are listed separately on the page
        if entry["reason"].startswith("Lưu ý: "):
            entry["reason"] = ""
    data = {
        "round": summary.round,
        "province": summary.province,
        "summary_generated_at": summary.generated_at.isoformat().replace("+00:00", "Z")
        if summary.generated_at
        else None,
        # `unverified` is what the page counts as open: every statement that needs a decision.
        "sentences": [{"id": s.id, "text": s.text, "unverified": bool(review[s.id])} for s in sentences],
    }
    generated = (
        summary.generated_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y") if summary.generated_at else "—"
    )
    mode = (
        f"tóm tắt bằng mô hình {summary.llm.model or ''}".strip()
        if summary.llm.mode == "llm"
        else "tóm tắt ngoại tuyến (trích nguyên văn)"
    )
    rates = [
        (label, vn_percent(rate))
        for label, rate in (
            ("Tỷ lệ CBCC sử dụng AI", summary.totals.staff_using_ai_rate),
            ("Tỷ lệ CBCC được tập huấn", summary.totals.staff_trained_rate),
        )
        if rate is not None
    ]
    return {
        "summary": summary,
        "cov": cov,
        "missing": sort_units(cov.missing),
        "scope": round.scope.label,
        "scope_national": round.scope.national,
        "period": round_label(summary.round),
        "issuing_body": settings.report.issuing_body,
        "generated_at": generated,
        "mode": mode,
        "deadline": short_date(cov.deadline) if cov.deadline else "",
        "received_pct": _whole_percent(cov.received, cov.expected),
        "by_province": sorted(summary.by_province.items()),
        "totals": [
            {"label": t.label, "total": vn_number(t.total), "reporting_units": t.reporting_units}
            for t in summary.totals.indicators
        ],
        "rates": rates,
        "sections": sections,
        "sentence_count": len(sentences),
        "llm_count": sum(1 for s in sentences if s.origin == "llm"),
        "unverified_count": sum(1 for s in sentences if s.unverified),
        "review": review,
        "review_count": sum(1 for reasons in review.values() if reasons),
        "flag_labels": FLAG_LABELS_VI,
        "injections": _injections(reports),
        "indicator_labels": [INDICATOR_LABELS_VI[n] for n in INDICATOR_NAMES],
        "communes": _commune_table(reports, summary, round.communes),
        "files": files,
        "status_labels": STATUS_LABELS_VI,
        "data_json": json_for_script(data),
        "script": Markup(script),
        "script_hash": script_hash(script),
    }


def write_review_html(round: Round, dest: Path) -> Path:
    """Written as Jinja generates it, so the page never sits whole in memory."""
    env = _environment(str(Path(round.settings.templates_dir)))
    pieces = env.get_template(TEMPLATE_NAME).generate(review_context(round))
    with atomic_open(dest, "w", encoding="utf-8") as handle:
        handle.writelines(pieces)
    return dest
