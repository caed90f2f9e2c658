"""Whether a model's text stands on its sources, sentence by sentence and citation by citation.

Pooling the words of every cited item let a verbatim sentence carry an invented one, and a sentence pass with
the wrong commune's item among its citations. Thresholds are measured on a real small model's replies
(benchmarks/faithfulness_llm.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tonghop.summarize.grounding import SUPPORT_THRESHOLD, content_tokens, folded_terms, support_ratio
from tonghop.summarize.prompts import FOREIGN_WORDS, REGISTER, SECTION_MARKERS
from tonghop.text import ascii_key

_CLAUSE_RE = re.compile(r"(?<=[.!?;])\s+")
_WORD_RE = re.compile(r"[^\W\d_]+")
_VI_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)


def clauses(text: str) -> list[str]:
    """The sentences (and `;` clauses) of a model's text: each must stand on its own sources."""
    parts = [p.strip() for p in _CLAUSE_RE.split(text.strip())]
    return [p for p in parts if content_tokens(p, for_support=True)] or [text]


def unsupported_words(text: str, sources: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """Content syllables of `text` (folded) that none of `sources` has; commune names are neutral."""
    known: set[str] = set()
    for source in sources:
        known.update(folded_terms(source).split())
    for name in names:
        known.update(folded_terms(name).split())
    return [w for w in dict.fromkeys(content_tokens(text, for_support=True)) if w not in known]


def clause_support(text: str, sources: Iterable[str], names: Iterable[str] = ()) -> float:
    """Share of the clause's content syllables found in `sources` (1.0 when it has none)."""
    pool = list(sources)
    words = set(content_tokens(text, for_support=True))
    for name in names:
        words.difference_update(folded_terms(name).split())
    if not words:
        return 1.0
    return 1.0 - len(set(unsupported_words(text, pool, names)) & words) / len(words)


def sentence_supported(
    text: str, sources: Iterable[str], names: Iterable[str] = (), *, threshold: float = 1.0
) -> bool:
    """Every clause of `text` has at least `threshold` of its content syllables in its cited sources, and
    shares adjacent pairs with them (so a list of loose syllables drawn from several items does not pass)."""
    pool = list(sources)
    names = list(names)
    for clause in clauses(text):
        if clause_support(clause, pool, names) < threshold:
            return False
        if support_ratio(clause, pool, names) < SUPPORT_THRESHOLD:
            return False
    return True


def citation_supports(text: str, source: str, names: Iterable[str] = (), *, threshold: float) -> bool:
    """Whether one cited item backs the clause: enough of its content syllables are the item's own (the
    communes it names are neutral)."""
    return clause_support(text, [source], names) >= threshold


def foreign_words(text: str, sources: Iterable[str] = ()) -> list[str]:
    """Words of `text` outside Vietnamese spelling that no cited item uses (`Challenges`), lower-cased."""
    seen: set[str] = set()
    for source in sources:
        seen.update(w.lower() for w in _WORD_RE.findall(source))
    found: list[str] = []
    for word in _WORD_RE.findall(text):
        lower = word.lower()
        if lower in FOREIGN_WORDS or lower in seen or word.isupper():
            continue
        if not _VI_SYLLABLE_RE.match(ascii_key(lower)) and lower not in found:
            found.append(lower)
    return found


def other_section_words(title: str, section: str, sources: Iterable[str] = ()) -> list[str]:
    """Markers of another section in a model's title that none of its items use (`Đề xuất …` over
    difficulties): the title belongs elsewhere."""
    key = f" {ascii_key(title)} "
    seen = " ".join(f" {ascii_key(s)} " for s in sources)
    return [
        marker
        for other, markers in SECTION_MARKERS.items()
        if other != section
        for marker in markers
        if f" {marker} " in key and f" {marker} " not in seen
    ]


def off_register(text: str, sources: Iterable[str] = ()) -> list[str]:
    """Words of `text` outside an administrative report's register (`nhân viên` for `cán bộ, công chức`)
    that none of its cited items uses."""
    key = f" {ascii_key(text)} "
    seen = " ".join(f" {ascii_key(s)} " for s in sources)
    found = []
    for word in REGISTER:
        folded = f" {ascii_key(word)} "
        if folded in key and folded not in seen:
            found.append(word)
    return found
