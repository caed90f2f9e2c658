"""The LLM summary: map each report's items into themes, reduce each section's themes across communes.

Map: one call per report (small reports packed together, never more calls than reports) names and groups its
items; an item stays in a model's theme only when the theme's title speaks of it, so a model that puts every
item in every theme groups nothing. Reduce (reduce.py): the map themes of one section (per province in
national scope) are first grouped offline, then sent `themes_per_reduce_call` groups per call; the model
merges them and writes a short Vietnamese paragraph per theme, citing items and groups by the opaque ids it
was given. Everything the model returns is mapped back to real items here, checked (grounding.py), and
anything it got wrong or did not answer falls back to the offline result for that part, flagged. Replies are
bounded (`max_tokens`); a call cut off there, or too long for the server's context, is split and asked again
(calls.run_split). Coverage is counted from the text: how many items a checked statement of the model cites,
how many came back quoted, and why, go in the notes. No Prefect here: the caller passes an `execute`
function that runs the calls (flows/summarize.py runs them as cached, retried Prefect tasks).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from schemas.report import SECTION_NAMES, CommuneReport
from schemas.summary import Theme
from tonghop.check.coverage import compute_totals
from tonghop.settings import Settings
from tonghop.summarize.calls import (
    Call,
    CallResult,
    Draft,
    Executor,
    Scope,
    evidence_of,
    fits,
    reply_budget,
    run_split,
    supported_text,
)
from tonghop.summarize.grounding import (
    FLAG_INVALID_REPLY,
    FLAG_LLM_FALLBACK,
    FLAG_MISATTRIBUTED,
    FLAG_UNCOVERED,
    FLAG_UNSUPPORTED,
    citation_key,
    looks_like_instruction,
    totals_evidence,
    unverified_numbers,
)
from tonghop.summarize.offline import group_by_scope, idf_of, offline_themes, theme_order
from tonghop.summarize.privacy import Redactor, redaction_counts
from tonghop.summarize.prompts import LlmRequest, map_messages
from tonghop.summarize.reduce import apply_reduce, plan_reduce, reduce_call, split_reduce
from tonghop.summarize.similarity import medoid
from tonghop.summarize.statements import Statement, statements_of
from tonghop.summarize.support import clause_support, other_section_words

__all__ = ["CallResult", "Executor", "Outcome", "summarize_with_llm"]


@dataclass
class Outcome:
    """The summary and what the run should report about it (calls and tokens are counted by the caller)."""

    sections: dict[str, list[Theme]]
    cache_hits: int = 0
    fallbacks: int = 0
    notes: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    coverage: Coverage | None = None


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


def map_call(batch: list[Statement], settings: Settings) -> Call:
    redactor = Redactor(person_names=settings.llm.redact_person_names)
    items = {f"y{i + 1}": s for i, s in enumerate(batch)}
    rows = [(item_id, s.section, redactor.redact(s.text)) for item_id, s in items.items()]
    request = LlmRequest(
        kind="map",
        model=settings.llm_model or "",
        temperature=settings.llm.temperature,
        messages=map_messages(rows),
        max_tokens=reply_budget(settings.llm.map_tokens_per_item * len(batch), len(batch), settings),
    )
    return Call(request=request, redactor=redactor, items=items)


def split_map(batch: list[Statement]) -> list[list[Statement]]:
    if len(batch) < 2:
        return []
    middle = len(batch) // 2
    return [batch[:middle], batch[middle:]]


def apply_map(call: Call, result: CallResult, settings: Settings) -> list[Draft]:
    """Drafts per (province, section); items the model left out, or a failed call, give one draft each.

    An item joins a model's theme only when the theme's title speaks of it; the others stay alone and the
    offline grouping of the reduce step places them.
    """
    drafts: list[Draft] = []
    used: set[str] = set()
    threshold = settings.llm.citation_support
    if result.reply is not None:
        for theme in result.reply["themes"]:
            title = call.redactor.restore(theme["title"])
            member_ids = [
                i
                for i in dict.fromkeys(theme["item_ids"])
                if i in call.items
                and i not in used
                and call.items[i].section == theme["section"]
                and clause_support(title, [call.items[i].text]) >= threshold
            ]
            used.update(member_ids)
            members = [call.items[i] for i in member_ids]
            if not members:
                continue
            by_scope: dict[Scope, list[Statement]] = defaultdict(list)
            for statement in members:
                by_scope[(statement.province, statement.section)].append(statement)
            for group in by_scope.values():
                texts = [s.text for s in group]
                good = (
                    supported_text(title, group, settings)
                    and not other_section_words(title, group[0].section, texts)
                    and not unverified_numbers(title, evidence_of(group))
                )
                drafts.append(Draft(title if good else group[medoid(texts)].text, group))
    for item_id, statement in call.items.items():
        if item_id not in used:
            drafts.append(Draft(statement.text, [statement]))
    return drafts


def summarize_with_llm(
    accepted: list[CommuneReport], settings: Settings, execute: Executor, context: int | None = None
) -> Outcome:
    """The LLM summary of `accepted`; `context` is the server's context size in tokens, when known."""
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

    context = settings.llm.context_tokens or context

    def fitting(request: LlmRequest) -> bool:
        return fits(request, settings, context)

    batches = map_batches(sendable, settings.llm.batch_max_items)
    mapped = run_split(batches, lambda b: map_call(b, settings), split_map, execute, fitting)
    drafts: list[Draft] = []
    for call, result in mapped:
        drafts.extend(apply_map(call, result, settings))
    reduced = run_split(
        plan_reduce(drafts, settings, idf), lambda g: reduce_call(g, settings), split_reduce, execute, fitting
    )
    taken: set[str] = set()
    for call, result in reduced:
        assert call.section is not None
        outcome.sections[call.section].extend(apply_reduce(call, result, aggregates, idf, taken, settings))
    for (province, section), group in group_by_scope(withheld).items():
        outcome.sections[section].extend(
            offline_themes(group, section, province, settings.similarity_threshold, aggregates, idf)
        )
    for name in SECTION_NAMES:
        outcome.sections[name].sort(key=theme_order)

    map_calls, map_results = [c for c, _ in mapped], [r for _, r in mapped]
    reduce_calls, reduce_results = [c for c, _ in reduced], [r for _, r in reduced]
    outcome.cache_hits = sum(r.cached for r in [*map_results, *reduce_results])
    outcome.redactions = redaction_counts([c.redactor for c in [*map_calls, *reduce_calls]])
    coverage = count_coverage(outcome.sections, len(statements))
    outcome.coverage = coverage
    outcome.fallbacks = coverage.fallen_back
    outcome.notes = [
        coverage.note(),
        *_notes(map_calls, map_results, reduce_calls, reduce_results, withheld),
    ]
    return outcome


@dataclass
class Coverage:
    """How many items a statement written by the model cites, and why each other item came back quoted."""

    items: int = 0
    covered: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # flag -> items

    @property
    def fallen_back(self) -> int:
        return self.items - self.covered

    def note(self) -> str:
        text = f"Mô hình tổng hợp được {self.covered}/{self.items} ý"
        if not self.fallen_back:
            return text + "."
        labels = {
            FLAG_UNCOVERED: "mô hình không viết câu nào có căn cứ từ ý đó",
            FLAG_UNSUPPORTED: "câu của mô hình không khớp nguồn, đã thay bằng câu trích",
            FLAG_MISATTRIBUTED: "câu của mô hình gán số liệu cho xã không nêu, đã thay bằng câu trích",
            FLAG_LLM_FALLBACK: "lượt gọi mô hình không có kết quả",
            FLAG_INVALID_REPLY: "phản hồi sai định dạng",
            "withheld": "giống câu lệnh, không gửi cho mô hình",
        }
        why = "; ".join(f"{n} do {labels.get(flag, flag)}" for flag, n in sorted(self.reasons.items()))
        return (
            f"{text}; {self.fallen_back} ý chưa được tổng hợp, được giữ nguyên văn trong mục của mình và "
            f"đánh dấu để cán bộ kiểm tra ({why})."
        )


def count_coverage(sections: dict[str, list[Theme]], items: int) -> Coverage:
    """Coverage from the text: an item is covered when a sentence the model wrote, checked, cites it."""
    covered: set[tuple[str, str, str, int]] = set()
    reasons: dict[tuple[str, str, str, int], str] = {}
    for themes in sections.values():
        for theme in themes:
            for sentence in theme.sentences:
                keys = {citation_key(c) for c in sentence.citations}
                if sentence.origin == "llm":
                    covered.update(keys)
                    continue
                flag = next((f for f in _FALLBACK_ORDER if f in sentence.flags), "withheld")
                for key in keys:
                    reasons.setdefault(key, flag)
    counts: dict[str, int] = defaultdict(int)
    for key, flag in reasons.items():
        if key not in covered:
            counts[flag] += 1
    return Coverage(items=items, covered=min(len(covered), items), reasons=dict(counts))


_FALLBACK_ORDER = (
    FLAG_LLM_FALLBACK,
    FLAG_INVALID_REPLY,
    FLAG_UNSUPPORTED,
    FLAG_MISATTRIBUTED,
    FLAG_UNCOVERED,
)


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
