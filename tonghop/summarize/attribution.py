"""Exact attribution: a statement names only the communes whose own cited text carries its figures.

`attribution_gaps` is the one check both summarizers call: given a statement and, for each commune it
names, that commune's cited texts, every figure must be in each named commune's own text. Two ways of
writing are understood: a per-commune list (`xã A: 35/60 cán bộ; xã B: 28/36 cán bộ`), where a figure is
checked against the commune whose name opens its part, and an aggregated statement, which may carry the
count of the communes it names or of its citations, and — when it says so (`tổng cộng`, data in
`schemas/attribution.toml`) — the sum of a figure the named communes each gave. Anything else is a gap:
a figure absent from a named commune's cited text, unverified for that commune.

`exact_sentences` builds the statements of a theme so that they have no gap: the representative sentence
names only the communes that wrote its figures, and the other communes' figures follow in a per-commune
list. The LLM path calls `exact_theme` on each theme it builds, so a model's sentence that credits a
commune with another's figure is replaced by the same exact statements.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from schemas.summary import Citation, Sentence, Theme
from tonghop.settings import PROJECT_ROOT
from tonghop.summarize.grounding import (
    FLAG_BY_UNIT,
    FLAG_MISATTRIBUTED,
    NumberEvidence,
    citation_key,
    find_numbers,
    name_key,
    verify_sentence,
)
from tonghop.summarize.similarity import Idf, medoid
from tonghop.text import ascii_key

if TYPE_CHECKING:
    from tonghop.summarize.statements import Statement

ATTRIBUTION_FILE = PROJECT_ROOT / "schemas" / "attribution.toml"
LIST_LEAD_ALL = "Số liệu của từng đơn vị"
LIST_LEAD_OTHERS = "Các đơn vị khác cùng nội dung, số liệu của từng đơn vị"
MAX_PHRASE_WORDS = 3
UNIT_KINDS = frozenset({"xã", "phường", "huyện", "thị", "đặc", "thành", "quận", "tỉnh"})

_FIGURE_PHRASE_RE = re.compile(r"(?<![\w/])(\d+(?:[.,]\d+)*(?:\s?/\s?\d+)?(?:\s?%)?)(?![\w/])")
_WORD_RE = re.compile(r"\s*([^\s.,;:()!?\[\]\"“”]+)")


@dataclass(frozen=True)
class FigureGap:
    """A figure of a statement and the named communes whose cited text does not carry it."""

    figure: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class _Words:
    aggregate: tuple[re.Pattern[str], ...]
    counted: re.Pattern[str]
    stop: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = tomllib.loads(ATTRIBUTION_FILE.read_text(encoding="utf-8"))
    return _Words(
        aggregate=tuple(re.compile(rf"\b{re.escape(m)}\b") for m in data["aggregate_markers"]),
        counted=re.compile(rf"^(?:{'|'.join(re.escape(w) for w in data['count_words'])})\b"),
        stop=frozenset(unicodedata.normalize("NFC", w).casefold() for w in data["phrase_stop_words"]),
    )


def says_aggregated(text: str) -> bool:
    key = ascii_key(text)
    return any(p.search(key) for p in _words().aggregate)


def _name_spans(text: str, names: Sequence[str]) -> list[tuple[int, int, str]]:
    """Where each named commune's name is written in the text, longest names first, without overlaps."""
    folded = text.casefold()
    taken: list[tuple[int, int, str]] = []
    for name in sorted(names, key=len, reverse=True):
        needle = name.casefold()
        start = folded.find(needle)
        while needle and start >= 0:
            end = start + len(needle)
            if not any(s < end and start < e for s, e, _ in taken):
                taken.append((start, end, name))
            start = folded.find(needle, end)
    return sorted(taken)


def blank_names(text: str, names: Sequence[str]) -> str:
    """The text with each of `names` blanked out, so `Xã A Lưới 5` lends no figure `5` to a check."""
    blanked = list(text)
    for start, end, _ in _name_spans(text, names):
        blanked[start:end] = " " * (end - start)
    return "".join(blanked)


def verify_named(sentence: Sentence, aggregates: NumberEvidence) -> Sentence:
    """`grounding.verify_sentence` on the text without the names of the communes it cites."""
    names = list(cited_texts(sentence.citations))
    checked = verify_sentence(
        sentence.model_copy(update={"text": blank_names(sentence.text, names)}), aggregates
    )
    return sentence.model_copy(
        update={"unverified": checked.unverified, "unverified_numbers": checked.unverified_numbers}
    )


def _parts(text: str, names: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The text cut into (part, the communes its figures belong to), names blanked out.

    A name followed by `:` opens that commune's part of a per-commune list; every other figure belongs to
    all the named communes. Names are blanked so `Phường 3` lends no figure to the check.
    """
    spans = _name_spans(text, names)
    plain = blank_names(text, names)
    opens = [(start, end, name) for start, end, name in spans if text[end:].lstrip().startswith(":")]
    everyone = tuple(names)
    if not opens:
        return [(plain, everyone)]
    parts = [(plain[: opens[0][0]], everyone)]
    for i, (_, end, name) in enumerate(opens):
        stop = opens[i + 1][0] if i + 1 < len(opens) else len(plain)
        parts.append((plain[end:stop], (name,)))
    return parts


def _unit_word(text: str, end: int) -> str:
    match = _WORD_RE.match(text, end)
    return ascii_key(match.group(1)) if match else ""


def _counts_units(text: str, end: int) -> bool:
    """The figure ending at `end` counts communes or items: `5 xã, phường`, `3 đơn vị`."""
    return bool(_words().counted.match(ascii_key(text[end : end + 40])))


def _sums(part: str, cited: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """Per word after a figure (`lớp`, `cán`), the sum over the named communes of their first such figure."""
    sums: dict[str, float] = defaultdict(float)
    for texts in cited.values():
        seen: set[str] = set()
        for text in texts:
            for match in _FIGURE_PHRASE_RE.finditer(text):
                raw = match.group(1)
                if "/" in raw or "%" in raw:
                    continue
                word = _unit_word(text, match.end())
                if word and word not in seen:
                    seen.add(word)
                    values = NumberEvidence()
                    values.add_text(raw)
                    if values.values:
                        sums[word] += min(values.values)
    return dict(sums)


def attribution_gaps(text: str, cited: Mapping[str, Sequence[str]]) -> list[FigureGap]:
    """The figures of `text` that a named commune's own cited text does not carry (none: exact).

    `cited` maps each commune the statement names to the texts it cites of that commune.
    """
    names = list(cited)
    evidence: dict[str, NumberEvidence] = {}
    for name, texts in cited.items():
        evidence[name] = NumberEvidence()
        for source in texts:
            evidence[name].add_text(source)
    counts = NumberEvidence()
    counts.add_values([len(names), sum(len(t) for t in cited.values())])
    aggregated = says_aggregated(text)
    gaps: dict[str, list[str]] = {}
    for index, (part, owners) in enumerate(_parts(text, names)):
        shared = index == 0  # said of every named commune; the others are one commune's list entry
        sums = _sums(part, {o: cited[o] for o in owners}) if aggregated and shared else {}
        for match in _FIGURE_PHRASE_RE.finditer(part):
            word = _unit_word(part, match.end())
            for raw in find_numbers(match.group(1)):
                missing = [o for o in owners if not evidence[o].supports(raw)]
                if not missing or (shared and counts.supports(raw) and _counts_units(part, match.end())):
                    continue
                total = sums.get(word)
                if total is not None and NumberEvidence(values={round(total, 6)}).supports(raw):
                    continue
                listed = gaps.setdefault(raw, [])
                listed.extend(m for m in missing if m not in listed)
    return [FigureGap(figure, tuple(units)) for figure, units in gaps.items()]


def cited_texts(citations: Sequence[Citation]) -> dict[str, list[str]]:
    """The communes a statement names (through its citations) and the texts it cites of each."""
    texts: dict[str, list[str]] = {}
    for citation in citations:
        texts.setdefault(citation.unit_name, []).append(citation.text)
    return texts


def sentence_gaps(sentence: Sentence) -> list[FigureGap]:
    return attribution_gaps(sentence.text, cited_texts(sentence.citations))


def figure_phrases(text: str) -> list[str]:
    """Each figure of the text with the few words that say what it counts: `03 lớp tập huấn`, `58,3%`."""
    stop = _words().stop
    phrases: list[str] = []
    for match in _FIGURE_PHRASE_RE.finditer(text):
        words = [match.group(1).replace(" ", "")]
        position = match.end()
        while len(words) <= MAX_PHRASE_WORDS and not words[0].endswith("%"):
            word = _WORD_RE.match(text, position)
            folded = unicodedata.normalize("NFC", word.group(1)).casefold() if word else ""
            if word is None or word.start(1) - position > 1 or folded in stop:
                break
            if any(ch.isdigit() for ch in word.group(1)):
                break
            words.append(word.group(1))
            position = word.end()
        phrase = " ".join(words)
        if phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _by_unit(members: Sequence[Statement]) -> dict[str, list[Statement]]:
    units: dict[str, list[Statement]] = defaultdict(list)
    for member in members:
        units[member.unit.name].append(member)
    return dict(sorted(units.items(), key=lambda kv: name_key(kv[0])))


def _figures(member: Statement) -> tuple[str, ...]:
    return tuple(sorted(find_numbers(member.text)))


def exact_sentences(
    members: Sequence[Statement], sid: str, idf: Idf | None = None, flags: Sequence[str] = ()
) -> list[Sentence]:
    """A theme's statements, none crediting a commune with a figure it did not give.

    When every member gives the same figures (or none), the representative sentence cites them all.
    Otherwise the theme is named by a sentence without figures when a commune wrote one (citing all
    members: it carries no figure to misattribute), else by the representative sentence citing only the
    communes that wrote its figures; the figures of every other commune follow, per commune.
    """
    ordered = sorted(members, key=lambda s: citation_key(s.citation))
    texts = [s.text for s in ordered]
    if len({_figures(m) for m in ordered}) == 1:
        representative = ordered[medoid(texts, idf)]
        return [_sentence(f"{sid}-1", representative.text, ordered, flags)]
    plain = [m for m in ordered if not find_numbers(m.text)]
    if plain:
        head = plain[medoid([m.text for m in plain], idf)]
        head_members: list[Statement] = list(ordered)
    else:
        head = ordered[medoid(texts, idf)]
        head_members = [
            m
            for unit in _by_unit(ordered).values()
            if not attribution_gaps(head.text, {unit[0].unit.name: [s.text for s in unit]})
            for m in unit
        ]
    sentences = [_sentence(f"{sid}-1", head.text, head_members, flags)]
    listed = [
        (name, statements)
        for name, statements in _by_unit(ordered).items()
        if any(find_numbers(s.text) for s in statements) and (plain or statements[0] not in head_members)
    ]
    if listed:
        lead = LIST_LEAD_ALL if plain else LIST_LEAD_OTHERS
        entries = []
        for name, statements in listed:
            phrases: list[str] = []
            for statement in statements:
                phrases.extend(p for p in figure_phrases(statement.text) if p not in phrases)
            entries.append(f"{_in_sentence(name)}: {', '.join(phrases)}")
        cited = [s for _, statements in listed for s in statements]
        text = f"{lead}: {'; '.join(entries)}"
        sentences.append(_sentence(f"{sid}-2", text, cited, [*flags, FLAG_BY_UNIT]))
    return sentences


def _in_sentence(name: str) -> str:
    """`Xã Đô Lương` → `xã Đô Lương`: inside a sentence the kind of unit is written in lower case (ND30)."""
    return name[:1].lower() + name[1:] if name.split(" ")[0].lower() in UNIT_KINDS else name


def _sentence(sid: str, text: str, members: Sequence[Statement], flags: Sequence[str]) -> Sentence:
    citations = sorted((m.citation for m in members), key=citation_key)
    return Sentence(id=sid, text=text, origin="extracted", citations=citations, flags=list(flags))


def exact_theme(theme: Theme, statements: Sequence[Statement], idf: Idf | None = None) -> Theme:
    """The theme with every sentence (and the title) attributed exactly; the LLM path's one call.

    A sentence crediting a named commune with a figure another source gave is replaced by the exact
    statements of the items it cites, flagged `misattributed_replaced`; a title with a gap (it is printed
    before all the theme's communes) gives way to the name `exact_sentences` chooses for the whole theme.
    """
    by_citation = {citation_key(s.citation): s for s in statements}
    rebuilt: list[Sentence] = []
    changed = False
    for sentence in theme.sentences:
        gaps = sentence_gaps(sentence)
        if all(gap.figure in sentence.unverified_numbers for gap in gaps):
            # No gap, or only figures no source gives at all: those are `unverified` already, left for
            # an analyst to decide on (the publish gate waits for it) rather than quietly replaced.
            rebuilt.append(sentence)
            continue
        cited = [by_citation[k] for k in map(citation_key, sentence.citations) if k in by_citation]
        if not cited:
            rebuilt.append(sentence)
            continue
        changed = True
        flags = [f for f in sentence.flags if f != FLAG_BY_UNIT] + [FLAG_MISATTRIBUTED]
        rebuilt.extend(exact_sentences(cited, sentence.id, idf, flags))
    title = theme.title
    everyone = cited_texts([s.citation for s in statements])
    if statements and attribution_gaps(title, everyone):
        title = exact_sentences(statements, theme.id, idf)[0].text
        changed = True
    if not changed:
        return theme
    renumbered = [s.model_copy(update={"id": f"{theme.id}-{i + 1}"}) for i, s in enumerate(rebuilt)]
    return theme.model_copy(update={"title": title, "sentences": renumbered})
