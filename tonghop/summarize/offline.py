"""The offline summary: statements of all communes grouped into themes, each named by a real sentence.

Needs no network and no configuration, and gives the same output for the same input (ids are hashes of the
representative item, order is by number of communes, then items, then title), so the quick start and CI
use it, and the LLM summarizer falls back to it part by part.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from schemas.report import SECTION_NAMES, CommuneReport
from schemas.summary import Theme, UnitRef
from tonghop.check.coverage import compute_totals
from tonghop.settings import Settings
from tonghop.summarize.attribution import exact_sentences, verify_named
from tonghop.summarize.grounding import (
    FLAG_INJECTION,
    NumberEvidence,
    citation_key,
    looks_like_instruction,
    name_key,
    totals_evidence,
)
from tonghop.summarize.similarity import Idf, cluster, features, medoid
from tonghop.summarize.statements import UNKNOWN_PROVINCE, Statement, statements_of
from tonghop.text import ascii_key


def group_by_scope(statements: Iterable[Statement]) -> dict[tuple[str | None, str], list[Statement]]:
    """Statements per (province in national scope, section), provinces and sections in a fixed order."""
    groups: dict[tuple[str | None, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        groups[(statement.province, statement.section)].append(statement)
    order = {name: i for i, name in enumerate(SECTION_NAMES)}
    return dict(sorted(groups.items(), key=lambda kv: (ascii_key(kv[0][0] or ""), order[kv[0][1]])))


def idf_of(statements: list[Statement]) -> Idf:
    return Idf.of([features(s.text) for s in statements])


def distinct_units(statements: Iterable[Statement]) -> list[UnitRef]:
    units: dict[tuple[int | None, str], UnitRef] = {}
    for statement in statements:
        units.setdefault((statement.unit.code, statement.unit.name), statement.unit)
    return sorted(units.values(), key=lambda u: (name_key(u.name), u.code or 0))


def theme_id(section: str, anchor: str) -> str:
    return f"{section}-{hashlib.sha256(anchor.encode()).hexdigest()[:10]}"


def extracted_theme(
    members: list[Statement],
    section: str,
    province: str | None,
    aggregates: NumberEvidence,
    idf: Idf | None = None,
    flags: tuple[str, ...] = (),
) -> Theme:
    """A theme named by a real sentence of its group, citing every statement of the group.

    Its statements are exact (`attribution.exact_sentences`): one commune's figures are never printed
    after another commune's name; when the members' figures differ, they follow per commune.
    """
    members = sorted(members, key=lambda s: citation_key(s.citation))
    representative = members[medoid([s.text for s in members], idf)]
    tid = theme_id(section, f"{province or ''}|{representative.key}")
    sentence_flags = list(flags)
    if any(looks_like_instruction(s.text) for s in members) and FLAG_INJECTION not in sentence_flags:
        sentence_flags.append(FLAG_INJECTION)
    sentences = [
        verify_named(sentence, aggregates) for sentence in exact_sentences(members, tid, idf, sentence_flags)
    ]
    units = distinct_units(members)
    return Theme(
        id=tid,
        section=section,
        title=sentences[0].text,
        sentences=sentences,
        units=units,
        unit_count=len(units),
        item_count=len(members),
        origin="extracted",
        province=province,
    )


def theme_order(theme: Theme) -> tuple[str, int, int, str, str]:
    return (
        ascii_key(theme.province or ""),
        -theme.unit_count,
        -theme.item_count,
        ascii_key(theme.title),
        theme.id,
    )


def offline_themes(
    statements: list[Statement],
    section: str,
    province: str | None,
    threshold: float,
    aggregates: NumberEvidence,
    idf: Idf | None = None,
    flags: tuple[str, ...] = (),
) -> list[Theme]:
    groups = cluster([s.text for s in statements], threshold, idf)
    themes = [
        extracted_theme([statements[i] for i in group], section, province, aggregates, idf, flags)
        for group in groups
    ]
    return sorted(themes, key=theme_order)


def scope_of(report: CommuneReport) -> str:
    """The province a report's themes belong to in national scope."""
    return (report.unit.province if report.unit else None) or UNKNOWN_PROVINCE


def scope_themes(accepted: list[CommuneReport], settings: Settings, province: str | None) -> list[Theme]:
    """The themes of one scope: a provincial round, or one province of a national round.

    A province's themes in a national round are the ones its own provincial round gives (same IDF, same
    totals to check figures against), so the Ministry's report and the Sở's say the same thing, and a new
    file in one province leaves every other province's themes as they were.
    """
    statements = statements_of(accepted, province is not None)
    idf = idf_of(statements)
    aggregates = totals_evidence(compute_totals(accepted))
    themes: list[Theme] = []
    for (_, section), group in group_by_scope(statements).items():
        themes.extend(
            offline_themes(group, section, province, settings.similarity_threshold, aggregates, idf)
        )
    return themes


class ThemeMemo(Protocol):
    """Themes of a scope kept from an earlier run, keyed by everything they depend on (`memo_key`)."""

    def get(self, key: str) -> list[Theme] | None: ...

    def put(self, key: str, themes: list[Theme]) -> None: ...


def memo_key(accepted: list[CommuneReport], province: str | None, settings: Settings, code: str) -> str:
    """What a scope's themes depend on: which files were accepted, whose they are, the code and settings.

    A report's items are a function of its file (name and content hash) and `code`, the parse fingerprint
    (our code, the parse settings, the analysts' overrides and vocabulary), so they need not be hashed.
    """
    digest = hashlib.sha256(f"{code}\0{settings.similarity_threshold!r}\0{province or ''}\n".encode())
    for report in sorted(accepted, key=lambda r: (r.file, r.sha256)):
        unit = report.unit
        unit_part = f"{unit.code}\0{unit.name}\0{unit.province}" if unit else ""
        digest.update(f"{report.file}\0{report.sha256}\0{unit_part}\n".encode())
    return digest.hexdigest()


def summarize_offline(
    accepted: list[CommuneReport],
    settings: Settings,
    memo: ThemeMemo | None = None,
    code: str = "",
) -> dict[str, list[Theme]]:
    """Themes per section; in national scope (no province set) grouped by province, with `province` set.

    With a `memo`, a scope whose inputs are those of an earlier run takes that run's themes: a re-run after
    a few new files recomputes only the provinces they belong to.
    """
    if not settings.scope.national:
        scopes: list[tuple[str | None, list[CommuneReport]]] = [(None, accepted)]
    else:
        grouped: dict[str, list[CommuneReport]] = defaultdict(list)
        for report in accepted:
            grouped[scope_of(report)].append(report)
        scopes = sorted(grouped.items(), key=lambda kv: ascii_key(kv[0]))
    sections: dict[str, list[Theme]] = {name: [] for name in SECTION_NAMES}
    for province, reports in scopes:
        key = memo_key(reports, province, settings, code) if memo is not None else ""
        themes = memo.get(key) if memo is not None else None
        if themes is None:
            themes = scope_themes(reports, settings, province)
            if memo is not None:
                memo.put(key, themes)
        for theme in themes:
            sections[theme.section].append(theme)
    for name in SECTION_NAMES:
        sections[name].sort(key=theme_order)
    return sections
