"""The reduce step: a section's map themes grouped offline, merged and written up by the model, checked.

Groups go `themes_per_reduce_call` per call; in national scope the groups of one section are packed across
provinces, each labelled with its province. What the model returns is mapped back to real items: a theme
whose citations resolve to nothing is dropped, a sentence its sources do not back is replaced by a quoted
statement, numbers are checked, and every group the model left out (or a call that failed) comes back as
an offline theme, flagged.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from schemas.report import SECTION_NAMES
from schemas.summary import Sentence, Theme
from tonghop.settings import Settings
from tonghop.summarize.attribution import exact_theme
from tonghop.summarize.calls import (
    Call,
    CallResult,
    Draft,
    Group,
    Scope,
    evidence_of,
    order_key,
    supported,
)
from tonghop.summarize.grounding import (
    FLAG_INVALID_REPLY,
    FLAG_LLM_FALLBACK,
    FLAG_UNCOVERED,
    FLAG_UNSUPPORTED,
    NumberEvidence,
    citation_key,
    unverified_numbers,
    verify_sentence,
)
from tonghop.summarize.offline import distinct_units, extracted_theme
from tonghop.summarize.privacy import Redactor
from tonghop.summarize.prompts import LlmRequest, reduce_messages
from tonghop.summarize.similarity import Idf, cluster, medoid
from tonghop.summarize.statements import Statement

MAX_ITEMS_SHOWN = 8  # items of one group quoted in a reduce prompt; the rest are cited through the group id


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
    if not supported(title, statements) or unverified_numbers(
        title, evidence.merged(evidence_of(statements))
    ):
        title = statements[medoid([s.text for s in statements], idf)].text
    tid = _theme_id((province, section), statements, title, taken)
    built: list[Sentence] = []
    seen: set[str] = set()
    for text, cited in sentences:
        if supported(text, cited):
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
    theme = Theme(
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
    # A sentence crediting a named commune with a figure it never gave is replaced by exact statements.
    return exact_theme(theme, statements, idf)
