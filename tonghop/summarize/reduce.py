"""The reduce step: a section's map themes grouped offline, merged and written up by the model, checked.

Groups go `themes_per_reduce_call` per call; in national scope the groups of one section are packed across
provinces, each labelled with its province. A group larger than `llm.max_items_per_group` is split: the
model sees every item it is asked to cover, never a sample standing for the rest. What the model returns
is mapped back to real items and checked sentence by sentence and citation by citation (grounding.py):
a citation stays only when its item backs the sentence, a sentence with words none of its remaining items
has is replaced by a quoted statement citing that statement alone, and an item ends covered only when a
statement the analyst reads cites it. Every other item of the call comes back quoted, flagged as not
summarized ("chưa được tổng hợp").
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
    reply_budget,
    supported_text,
)
from tonghop.summarize.grounding import (
    FLAG_FIGURES_DIFFER,
    FLAG_INVALID_REPLY,
    FLAG_LLM_FALLBACK,
    FLAG_UNCOVERED,
    FLAG_UNSUPPORTED,
    NumberEvidence,
    citation_key,
    find_numbers,
    unverified_numbers,
    verify_sentence,
)
from tonghop.summarize.offline import distinct_units, extracted_theme
from tonghop.summarize.privacy import Redactor
from tonghop.summarize.prompts import LlmRequest, reduce_messages
from tonghop.summarize.similarity import Idf, cluster, medoid
from tonghop.summarize.statements import Statement
from tonghop.summarize.support import citation_supports, clauses, other_section_words


def plan_reduce(drafts: list[Draft], settings: Settings, idf: Idf) -> list[list[Group]]:
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
            part
            for members in cluster(texts, settings.similarity_threshold, idf)
            for part in Group([scoped[i] for i in members]).chunks(settings.llm.max_items_per_group)
        ]
        by_section[scope[1]].extend(sorted(groups, key=lambda g: g.anchor))
    plans: list[list[Group]] = []
    size = settings.llm.themes_per_reduce_call
    for section in SECTION_NAMES:
        groups = by_section.get(section, [])
        for start in range(0, len(groups), size):
            plans.append(groups[start : start + size])
    return plans


def split_reduce(groups: list[Group]) -> list[list[Group]]:
    """Two smaller calls for one cut off or too long for the context; [] when it has one item."""
    if len(groups) > 1:
        middle = len(groups) // 2
        return [groups[:middle], groups[middle:]]
    statements = groups[0].statements
    if len(statements) < 2:
        return []
    return [[part] for part in groups[0].chunks((len(statements) + 1) // 2)]


def reduce_call(groups: list[Group], settings: Settings) -> Call:
    section = groups[0].drafts[0].scope[1]
    redactor = Redactor(person_names=settings.llm.redact_person_names)
    items: dict[str, Statement] = {}
    named: dict[str, Group] = {}
    payload: list[dict[str, Any]] = []
    for g, group in enumerate(groups):
        group_id = f"n{g + 1}"
        named[group_id] = group
        statements = group.statements
        shown = []
        for statement in statements:
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
        )
        payload.append(entry)
    llm = settings.llm
    request = LlmRequest(
        kind="reduce",
        model=settings.llm_model or "",
        temperature=llm.temperature,
        messages=reduce_messages(section, payload),
        max_tokens=reply_budget(llm.reduce_tokens_per_group * len(groups), len(items), settings),
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
    call: Call,
    result: CallResult,
    aggregates: NumberEvidence,
    idf: Idf,
    taken: set[str],
    settings: Settings,
) -> list[Theme]:
    """Themes written by the model, mapped back to items and checked; items no checked statement cites come
    back quoted and flagged.

    A theme stays within one province: statements of other provinces it cites are left out of it (they
    come back with the items the model did not cover).
    """
    assert call.section is not None
    section = call.section
    threshold = settings.llm.citation_support
    themes: list[Theme] = []
    covered: set[str] = set()
    for raw in (result.reply or {"themes": []})["themes"]:
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
        if not sentences:
            continue  # nothing resolves to a real item: its items come back below
        province = _main_province([s for _, cited in sentences for s in cited])
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
        theme = _llm_theme(call, province, raw["title"], kept, aggregates, idf, taken, threshold, settings)
        covered.update(k for sentence in theme.sentences for k in _keys(call, sentence))
        themes.append(theme)
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


def _keys(call: Call, sentence: Sentence) -> set[str]:
    wanted = {citation_key(c) for c in sentence.citations}
    return {s.key for s in call.items.values() if citation_key(s.citation) in wanted}


def _main_province(statements: list[Statement]) -> str | None:
    counts: dict[str | None, int] = defaultdict(int)
    for statement in statements:
        counts[statement.province] += 1
    return min(counts, key=lambda p: (-counts[p], p or ""))


def supporting(text: str, cited: list[Statement], threshold: float) -> list[Statement]:
    """The cited statements that back at least one clause of `text` on their own."""
    parts = clauses(text)
    names = sorted({s.unit.name for s in cited})
    return [
        s for s in cited if any(citation_supports(part, s.text, names, threshold=threshold) for part in parts)
    ]


def attribution_flags(text: str, cited: list[Statement]) -> list[str]:
    """The attribution rule for a model's sentence: its figures must be those of every item it cites.

    The single place where the LLM path asks whether a sentence's figures belong to all its communes; the
    offline path applies the same rule to its quoted statements (offline.extracted_theme).
    """
    figures = sorted(find_numbers(text))
    if figures and len(cited) > 1 and any(not set(figures) <= set(find_numbers(s.text)) for s in cited):
        return [FLAG_FIGURES_DIFFER]
    return []


def _llm_theme(
    call: Call,
    province: str | None,
    raw_title: str,
    sentences: list[tuple[str, list[Statement]]],
    aggregates: NumberEvidence,
    idf: Idf,
    taken: set[str],
    threshold: float,
    settings: Settings,
) -> Theme:
    assert call.section is not None
    section = call.section
    built: list[Sentence] = []
    seen: set[str] = set()
    members: dict[str, Statement] = {}
    for text, cited in sentences:
        backing = supporting(text, cited, threshold)
        if backing and supported_text(text, backing, settings):
            origin, flags, quoted = "llm", attribution_flags(text, backing), backing
        else:
            quote = cited[medoid([s.text for s in cited], idf)]
            text, origin, flags, quoted = quote.text, "extracted", [FLAG_UNSUPPORTED], [quote]
        if text in seen:
            continue
        seen.add(text)
        members.update((s.key, s) for s in quoted)
        built.append(
            Sentence(id="", text=text, origin=origin, citations=[s.citation for s in quoted], flags=flags)
        )
    statements = sorted(members.values(), key=lambda s: citation_key(s.citation))
    units = distinct_units(statements)
    groups = [g for g in call.groups.values() if any(s.key in members for s in g.statements)]
    counts = NumberEvidence()
    counts.add_values([len(units), len(statements), *(len(distinct_units(g.statements)) for g in groups)])
    evidence = aggregates.merged(counts)
    title = call.redactor.restore(raw_title)
    if (
        not supported_text(title, statements, settings)
        or other_section_words(title, section, [s.text for s in statements])
        or unverified_numbers(title, evidence.merged(evidence_of(statements)))
    ):
        title = statements[medoid([s.text for s in statements], idf)].text
    tid = _theme_id((province, section), statements, title, taken)
    checked = [
        verify_sentence(sentence, evidence).model_copy(update={"id": f"{tid}-{n + 1}"})
        for n, sentence in enumerate(built)
    ]
    theme = Theme(
        id=tid,
        section=section,
        title=title,
        sentences=checked,
        units=units,
        unit_count=len(units),
        item_count=len(statements),
        origin="llm" if any(s.origin == "llm" for s in checked) else "extracted",
        province=province,
    )
    # A sentence crediting a named commune with a figure it never gave is replaced by exact statements.
    return exact_theme(theme, statements, idf)
