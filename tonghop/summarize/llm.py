"""The LLM summary: map each report's items into themes, reduce each section's themes across communes.

Map: one call per report (small reports packed together, never more calls than reports) names and groups
its items. Reduce (reduce.py): the map themes of one section (per province in national scope) are first
grouped offline, then sent `themes_per_reduce_call` groups per call; the model merges them and writes a short
Vietnamese paragraph per theme, citing items and groups by the opaque ids it was given. Everything the
model returns is mapped back to real items here, checked (grounding.py), and anything it got wrong or
did not answer falls back to the offline result for that part, flagged. No Prefect here: the caller passes
an `execute` function that runs the calls (flows/summarize.py runs them as cached, retried Prefect tasks).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from schemas.report import SECTION_NAMES, CommuneReport
from schemas.summary import Theme
from tonghop.check.coverage import compute_totals
from tonghop.settings import Settings
from tonghop.summarize.calls import Call, CallResult, Draft, Executor, Scope, evidence_of, supported
from tonghop.summarize.grounding import looks_like_instruction, totals_evidence, unverified_numbers
from tonghop.summarize.offline import group_by_scope, idf_of, offline_themes, theme_order
from tonghop.summarize.privacy import Redactor, redaction_counts
from tonghop.summarize.prompts import LlmRequest, map_messages
from tonghop.summarize.reduce import apply_reduce, plan_reduce
from tonghop.summarize.similarity import medoid
from tonghop.summarize.statements import Statement, statements_of

__all__ = ["CallResult", "Executor", "Outcome", "summarize_with_llm"]


@dataclass
class Outcome:
    """The summary and what the run should report about it (calls and tokens are counted by the caller)."""

    sections: dict[str, list[Theme]]
    cache_hits: int = 0
    fallbacks: int = 0
    notes: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)


def _stable_hash(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def map_batches(statements: list[Statement], max_items: int) -> list[list[Statement]]:
    """Statements per call: a report alone, or small reports packed up to `max_items` items.

    Batch boundaries depend on each report's own name (content-defined), so a changed or added report
    leaves the other batches, hence their cache entries, as they were.
    """
    by_report: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_report[statement.citation.file].append(statement)
    batches: list[list[Statement]] = []
    current: list[Statement] = []
    for file in sorted(by_report):
        items = by_report[file]
        if len(items) * 2 >= max_items:
            batches.append(items)
            continue
        if current and len(current) + len(items) > max_items:
            batches.append(current)
            current = []
        current = current + items
        if _stable_hash(file) % 4 == 0:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def plan_map(statements: list[Statement], settings: Settings) -> list[Call]:
    calls = []
    for batch in map_batches(statements, settings.llm.batch_max_items):
        redactor = Redactor(person_names=settings.llm.redact_person_names)
        items = {f"y{i + 1}": s for i, s in enumerate(batch)}
        rows = [(item_id, s.section, redactor.redact(s.text)) for item_id, s in items.items()]
        request = LlmRequest(
            kind="map",
            model=settings.llm_model or "",
            temperature=settings.llm.temperature,
            messages=map_messages(rows),
        )
        calls.append(Call(request=request, redactor=redactor, items=items))
    return calls


def apply_map(call: Call, result: CallResult) -> list[Draft]:
    """Drafts per (province, section); items the model left out, or a failed call, give one draft each."""
    drafts: list[Draft] = []
    used: set[str] = set()
    if result.reply is not None:
        for theme in result.reply["themes"]:
            member_ids = [i for i in dict.fromkeys(theme["item_ids"]) if i in call.items and i not in used]
            used.update(member_ids)
            members = [call.items[i] for i in member_ids]
            if not members:
                continue
            title = call.redactor.restore(theme["title"])
            by_scope: dict[Scope, list[Statement]] = defaultdict(list)
            for statement in members:
                by_scope[(statement.province, statement.section)].append(statement)
            for group in by_scope.values():
                texts = [s.text for s in group]
                good = supported(title, group) and not unverified_numbers(title, evidence_of(group))
                drafts.append(Draft(title if good else group[medoid(texts)].text, group))
    for item_id, statement in call.items.items():
        if item_id not in used:
            drafts.append(Draft(statement.text, [statement]))
    return drafts


def summarize_with_llm(accepted: list[CommuneReport], settings: Settings, execute: Executor) -> Outcome:
    national = settings.scope.national
    statements = statements_of(accepted, national)
    idf = idf_of(statements)
    year = settings.period[0].year
    aggregates = totals_evidence(
        compute_totals(accepted),
        extra=[year, settings.period[1].year, len({(s.unit.code, s.unit.name) for s in statements})],
    )
    withheld = [s for s in statements if looks_like_instruction(s.text)]
    sendable = [s for s in statements if not looks_like_instruction(s.text)]
    outcome = Outcome(sections={name: [] for name in SECTION_NAMES})

    map_calls = plan_map(sendable, settings)
    map_results = execute([c.request for c in map_calls])
    drafts: list[Draft] = []
    map_failed = 0
    for call, result in zip(map_calls, map_results, strict=True):
        drafts.extend(apply_map(call, result))
        map_failed += result.reply is None
    reduce_calls = plan_reduce(drafts, settings, idf)
    reduce_results = execute([c.request for c in reduce_calls])
    taken: set[str] = set()
    reduce_failed = 0
    for call, result in zip(reduce_calls, reduce_results, strict=True):
        assert call.section is not None
        outcome.sections[call.section].extend(apply_reduce(call, result, aggregates, idf, taken))
        reduce_failed += result.reply is None
    for (province, section), group in group_by_scope(withheld).items():
        outcome.sections[section].extend(
            offline_themes(group, section, province, settings.similarity_threshold, aggregates, idf)
        )
    for name in SECTION_NAMES:
        outcome.sections[name].sort(key=theme_order)

    results = [*map_results, *reduce_results]
    outcome.cache_hits = sum(r.cached for r in results)
    outcome.fallbacks = map_failed + reduce_failed
    outcome.redactions = redaction_counts([c.redactor for c in [*map_calls, *reduce_calls]])
    outcome.notes = _notes(map_calls, map_results, reduce_calls, reduce_results, withheld)
    return outcome


def _notes(
    map_calls: list[Call],
    map_results: list[CallResult],
    reduce_calls: list[Call],
    reduce_results: list[CallResult],
    withheld: list[Statement],
) -> list[str]:
    notes: list[str] = []
    failed_map = [r for r in map_results if r.reply is None]
    if failed_map:
        notes.append(
            f"{len(failed_map)}/{len(map_calls)} lượt chuẩn hoá theo báo cáo không có kết quả từ mô hình "
            f"({_reasons(failed_map)}); các ý của những báo cáo đó được đưa thẳng vào bước tổng hợp."
        )
    failed_reduce = [r for r in reduce_results if r.reply is None]
    if failed_reduce:
        notes.append(
            f"{len(failed_reduce)}/{len(reduce_calls)} lượt tổng hợp theo mục không có kết quả từ mô hình "
            f"({_reasons(failed_reduce)}); phần đó dùng tóm tắt ngoại tuyến (câu trích từ văn bản)."
        )
    if withheld:
        files = sorted({s.citation.file for s in withheld})
        notes.append(
            f"{len(withheld)} ý giống câu lệnh gửi cho hệ thống (tệp {', '.join(files)}) không được gửi "
            "cho mô hình; chúng được trích nguyên văn và đánh dấu để cán bộ kiểm tra."
        )
    return notes


def _reasons(results: list[CallResult]) -> str:
    messages = list(dict.fromkeys(r.message for r in results if r.message))
    return "; ".join(messages[:3]) or "không rõ lỗi"
