"""The LLM summary: map each report's items into themes, reduce each section's themes across communes.

Map: one call per report (small reports packed together, never more calls than reports) names and groups
its items. Reduce: the map themes of one section (per province in national scope) are first grouped
offline, then sent `themes_per_reduce_call` groups per call; the model merges them and writes a short
Vietnamese paragraph per theme, citing items and groups by the opaque ids it was given. Everything the
model returns is mapped back to real items here, checked (grounding.py), and anything it got wrong or
did not answer falls back to the offline result for that part, flagged. No Prefect here: the caller passes
an `execute` function that runs the calls (flows/summarize.py runs them as cached, retried Prefect tasks).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas.report import SECTION_NAMES, CommuneReport
from schemas.summary import Sentence, Theme
from tonghop.coverage import compute_totals
from tonghop.settings import Settings
from tonghop.summarize.grounding import (
    FLAG_INVALID_REPLY,
    FLAG_LLM_FALLBACK,
    FLAG_UNCOVERED,
    FLAG_UNSUPPORTED,
    NumberEvidence,
    citation_key,
    is_supported,
    looks_like_instruction,
    totals_evidence,
    unverified_numbers,
    verify_sentence,
)
from tonghop.summarize.offline import (
    Statement,
    distinct_units,
    extracted_theme,
    group_by_scope,
    idf_of,
    offline_themes,
    statements_of,
    theme_order,
)
from tonghop.summarize.privacy import Redactor, redaction_counts
from tonghop.summarize.prompts import LlmRequest, map_messages, reduce_messages
from tonghop.summarize.similarity import Idf, cluster, medoid

MAX_ITEMS_SHOWN = 8  # items of one group quoted in a reduce prompt; the rest are cited through the group id
Scope = tuple[str | None, str]


@dataclass(frozen=True)
class CallResult:
    """What became of one call: the validated reply, or why there is none."""

    reply: dict[str, Any] | None
    error: str | None = None  # "invalid_reply" or "failed"
    message: str = ""
    cached: bool = False


Executor = Callable[[Sequence[LlmRequest]], list[CallResult]]


@dataclass
class Draft:
    """A theme of one call's items: a title (original text, not redacted) and its statements."""

    title: str
    statements: list[Statement]

    @property
    def scope(self) -> Scope:
        first = self.statements[0]
        return (first.province, first.section)


@dataclass
class Group:
    drafts: list[Draft]

    @property
    def statements(self) -> list[Statement]:
        seen: dict[str, Statement] = {}
        for draft in self.drafts:
            for statement in draft.statements:
                seen.setdefault(statement.key, statement)
        return sorted(seen.values(), key=lambda s: citation_key(s.citation))

    @property
    def anchor(self) -> str:
        return min(order_key(s) for s in self.statements)

    @property
    def province(self) -> str | None:
        return self.drafts[0].scope[0]

    @property
    def title(self) -> str:
        return max(self.drafts, key=lambda d: (len(d.statements), -len(d.title))).title


@dataclass
class Call:
    request: LlmRequest
    redactor: Redactor
    items: dict[str, Statement]
    groups: dict[str, Group] = field(default_factory=dict)
    section: str | None = None  # reduce calls: the section all their groups belong to


@dataclass
class Outcome:
    """The summary and what the run should report about it (calls and tokens are counted by the caller)."""

    sections: dict[str, list[Theme]]
    cache_hits: int = 0
    fallbacks: int = 0
    notes: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)


# --- map ------------------------------------------------------------------------------------------------


def order_key(statement: Statement) -> str:
    """Orders statements by what they say and who said it, not by file hash: a resubmitted report with the
    same wording leaves every prompt (hence every cache entry) of the other sections unchanged."""
    return hashlib.sha256(f"{statement.unit.name}|{statement.section}|{statement.text}".encode()).hexdigest()


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
                good = _supported(title, group) and not unverified_numbers(title, _evidence_of(group))
                drafts.append(Draft(title if good else group[medoid(texts)].text, group))
    for item_id, statement in call.items.items():
        if item_id not in used:
            drafts.append(Draft(statement.text, [statement]))
    return drafts


def _evidence_of(statements: Sequence[Statement]) -> NumberEvidence:
    evidence = NumberEvidence()
    for statement in statements:
        evidence.add_text(statement.text)
    return evidence


# --- reduce ---------------------------------------------------------------------------------------------


def plan_reduce(drafts: list[Draft], settings: Settings, idf: Idf) -> list[Call]:
    """Drafts grouped offline per (province, section), then `themes_per_reduce_call` groups per call.

    In national scope the groups of one section are packed across provinces (each group says its
    province, and the model is told to merge only within one), so a section costs ceil(groups / N) calls
    however many provinces it spans.
    """
    by_scope: dict[Scope, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_scope[draft.scope].append(draft)
    by_section: dict[str, list[Group]] = defaultdict(list)
    for scope in sorted(by_scope, key=lambda s: s[0] or ""):
        scoped = sorted(by_scope[scope], key=lambda d: min(order_key(s) for s in d.statements))
        texts = [" ".join([d.title, *(s.text for s in d.statements[:3])]) for d in scoped]
        groups = [
            Group([scoped[i] for i in members])
            for members in cluster(texts, settings.similarity_threshold, idf)
        ]
        by_section[scope[1]].extend(sorted(groups, key=lambda g: g.anchor))
    calls: list[Call] = []
    size = settings.llm.themes_per_reduce_call
    for section in SECTION_NAMES:
        groups = by_section.get(section, [])
        for start in range(0, len(groups), size):
            calls.append(_reduce_call(section, groups[start : start + size], settings))
    return calls


def _reduce_call(section: str, groups: list[Group], settings: Settings) -> Call:
    redactor = Redactor(person_names=settings.llm.redact_person_names)
    items: dict[str, Statement] = {}
    named: dict[str, Group] = {}
    payload: list[dict[str, Any]] = []
    for g, group in enumerate(groups):
        group_id = f"n{g + 1}"
        named[group_id] = group
        statements = group.statements
        shown = []
        for statement in statements[:MAX_ITEMS_SHOWN]:
            item_id = f"y{len(items) + 1}"
            items[item_id] = statement
            shown.append(
                {"id": item_id, "commune": statement.unit.name, "text": redactor.redact(statement.text)}
            )
        entry: dict[str, Any] = {"id": group_id}
        if group.province is not None:
            entry["province"] = group.province
        entry.update(
            title=redactor.redact(group.title),
            communes=len(distinct_units(statements)),
            items=shown,
            more_items=len(statements) - len(shown),
        )
        payload.append(entry)
    request = LlmRequest(
        kind="reduce",
        model=settings.llm_model or "",
        temperature=settings.llm.temperature,
        messages=reduce_messages(section, payload),
    )
    return Call(request=request, redactor=redactor, items=items, groups=named, section=section)


def _theme_id(scope: Scope, statements: list[Statement], title: str, taken: set[str]) -> str:
    anchor = min(s.key for s in statements)
    material = f"llm|{scope[0] or ''}|{anchor}|{title}"
    base = f"{scope[1]}-{hashlib.sha256(material.encode()).hexdigest()[:10]}"
    tid, n = base, 1
    while tid in taken:
        n += 1
        tid = f"{base}-{n}"
    taken.add(tid)
    return tid


def _supported(text: str, statements: Sequence[Statement]) -> bool:
    return is_supported(text, [s.text for s in statements], sorted({s.unit.name for s in statements}))


def apply_reduce(
    call: Call, result: CallResult, aggregates: NumberEvidence, idf: Idf, taken: set[str]
) -> list[Theme]:
    """Themes written by the model, mapped back to items and checked; groups it dropped come back offline.

    A theme stays within one province: statements of other provinces it cites are left out of it (they
    come back with the groups the model did not cover).
    """
    assert call.section is not None
    section = call.section
    themes: list[Theme] = []
    covered: set[str] = set()
    for raw in (result.reply or {"themes": []})["themes"]:
        groups = [call.groups[g] for g in dict.fromkeys(raw["group_ids"]) if g in call.groups]
        sentences: list[tuple[str, list[Statement]]] = []
        for sentence in raw["sentences"]:
            cited: dict[str, Statement] = {}
            for source in sentence["source_ids"]:
                if source in call.items:
                    cited.setdefault(call.items[source].key, call.items[source])
                elif source in call.groups:
                    for statement in call.groups[source].statements:
                        cited.setdefault(statement.key, statement)
            if cited:
                sentences.append((call.redactor.restore(sentence["text"]), list(cited.values())))
        members: dict[str, Statement] = {}
        for group in groups:
            members.update((s.key, s) for s in group.statements)
        for _, cited_statements in sentences:
            members.update((s.key, s) for s in cited_statements)
        if not sentences or not members:
            continue  # nothing resolves to a real item: the theme is dropped, its groups come back below
        province = _main_province(list(members.values()))
        statements = sorted(
            (s for s in members.values() if s.province == province), key=lambda s: citation_key(s.citation)
        )
        kept = [
            (
                text,
                sorted((s for s in cited if s.province == province), key=lambda s: citation_key(s.citation)),
            )
            for text, cited in sentences
        ]
        kept = [(text, cited) for text, cited in kept if cited]
        if not kept:
            continue
        groups = [g for g in groups if g.province == province]
        themes.append(
            _llm_theme(call, province, raw["title"], kept, statements, groups, aggregates, idf, taken)
        )
        covered.update(s.key for s in statements)
    flag = (
        FLAG_LLM_FALLBACK if result.reply is None and result.error != "invalid_reply" else FLAG_INVALID_REPLY
    )
    leftover_flag = FLAG_UNCOVERED if result.reply is not None else flag
    for group in call.groups.values():
        missing = [s for s in group.statements if s.key not in covered]
        if missing:
            theme = extracted_theme(missing, section, group.province, aggregates, idf, flags=(leftover_flag,))
            themes.append(theme)
    return themes


def _main_province(statements: list[Statement]) -> str | None:
    counts: dict[str | None, int] = defaultdict(int)
    for statement in statements:
        counts[statement.province] += 1
    return min(counts, key=lambda p: (-counts[p], p or ""))


def _llm_theme(
    call: Call,
    province: str | None,
    raw_title: str,
    sentences: list[tuple[str, list[Statement]]],
    statements: list[Statement],
    groups: list[Group],
    aggregates: NumberEvidence,
    idf: Idf,
    taken: set[str],
) -> Theme:
    assert call.section is not None
    section = call.section
    units = distinct_units(statements)
    counts = NumberEvidence()
    counts.add_values([len(units), len(statements), *(len(distinct_units(g.statements)) for g in groups)])
    evidence = aggregates.merged(counts)
    title = call.redactor.restore(raw_title)
    if not _supported(title, statements) or unverified_numbers(
        title, evidence.merged(_evidence_of(statements))
    ):
        title = statements[medoid([s.text for s in statements], idf)].text
    tid = _theme_id((province, section), statements, title, taken)
    built: list[Sentence] = []
    seen: set[str] = set()
    for text, cited in sentences:
        if _supported(text, cited):
            sentence = Sentence(id="", text=text, origin="llm", citations=[s.citation for s in cited])
        else:
            text = cited[medoid([s.text for s in cited], idf)].text
            sentence = Sentence(
                id="",
                text=text,
                origin="extracted",
                citations=[s.citation for s in cited],
                flags=[FLAG_UNSUPPORTED],
            )
        if text in seen:
            continue
        seen.add(text)
        checked = verify_sentence(sentence, evidence)
        built.append(checked.model_copy(update={"id": f"{tid}-{len(built) + 1}"}))
    return Theme(
        id=tid,
        section=section,
        title=title,
        sentences=built,
        units=units,
        unit_count=len(units),
        item_count=len(statements),
        origin="llm",
        province=province,
    )


# --- the whole run --------------------------------------------------------------------------------------


def summarize_with_llm(accepted: list[CommuneReport], settings: Settings, execute: Executor) -> Outcome:
    national = settings.province is None
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
