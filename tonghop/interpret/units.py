"""Which unit issued the document, as written: `xã Kẽ Sắt`, `huyện Đắk Glei`, and the province it names.

The roster resolves these phrases later (typos included); here we only find them, best source first:
the header, the title (`… tại UBND xã Diễn Châu`), the opening and closing sentences (`Ủy ban nhân dân
huyện Đắk Glei báo cáo…`), the signature, then the whole body by frequency, and the place line last.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from vietnam_provinces import Province

from tonghop.interpret.lines import is_upper
from tonghop.interpret.vocabulary import Vocabulary
from tonghop.text import ascii_key, fold

COMMUNE, DISTRICT, PROVINCE = 0, 1, 2
MAX_NAME_WORDS = 4
MAX_HINTS = 6

_BODY_BEFORE = re.compile(r"(?i:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+$")
_STOP = set(",.;:()“”\"'!?")


@dataclass(frozen=True)
class Mention:
    text: str
    name: str
    level: int
    position: int
    with_body: str | None = None


@dataclass
class UnitFields:
    unit_text: str | None = None
    unit_hints: list[str] = field(default_factory=list)
    province_text: str | None = None
    issuing_body: str | None = None


@lru_cache(maxsize=1)
def _province_keys() -> frozenset[str]:
    """Province names of the 2025 roster without `Thành phố`: `ha noi`, `hai phong`…"""
    return frozenset(ascii_key(re.sub(r"^Thành phố\s+", "", p.name)) for p in Province.iter_all())


@lru_cache(maxsize=8)
def _mention_re(vocab: Vocabulary) -> re.Pattern[str]:
    words = {*vocab.commune_divisions, *vocab.district_divisions, *vocab.province_divisions}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?P<div>(?i:{alternatives}|tp\.|tp(?!\w)))\s+(?=(?P<rest>[^\n]+))")


def _name_words(rest: str, upper_context: bool) -> list[str]:
    words: list[str] = []
    for raw in rest.split():
        word = raw.rstrip("".join(_STOP))
        ends = word != raw
        if not word or word[0] in _STOP:
            break
        if word.isdigit():
            if words:
                break
            words.append(word)
        elif upper_context:
            if not word[0].isalpha():
                break
            words.append(word.title() if word.isupper() else word)
        elif word[0].isupper() and not (len(word) > 1 and word.isupper()):
            words.append(word)
        else:
            break
        if ends or len(words) == MAX_NAME_WORDS:
            break
    return words


@lru_cache(maxsize=4096)
def _mentions(text: str, vocab: Vocabulary) -> tuple[Mention, ...]:
    return tuple(_find(text, vocab))


def find_mentions(text: str, vocab: Vocabulary) -> list[Mention]:
    """Every `division Name` in `text`; an upper-case header line is read in title case."""
    return list(_mentions(text, vocab))


def _find(text: str, vocab: Vocabulary) -> list[Mention]:
    mentions = []
    upper_context: bool | None = None
    for match in _mention_re(vocab).finditer(text):
        if upper_context is None:
            upper_context = is_upper(text)
        words = _name_words(match.group("rest"), upper_context)
        if not words:
            continue
        division = fold(match.group("div"))
        division = "thành phố" if division.rstrip(".") == "tp" else division
        name = " ".join(words)
        if division in vocab.commune_divisions:
            level = COMMUNE
        elif division == "tỉnh" or (division == "thành phố" and ascii_key(name) in _province_keys()):
            level = PROVINCE
        else:
            level = DISTRICT
        written = f"{division} {name}"
        body_match = _BODY_BEFORE.search(text, max(0, match.start() - 30), match.start())
        body = body_match.group(0) if body_match else None
        with_body = None
        if body:
            as_written = " ".join(match.group("rest").split()[: len(words)])
            with_body = f"{body.strip()} {match.group('div')} {as_written}".strip(" ,.;:")
        mentions.append(Mention(written, name, level, match.start("div"), with_body))
    return mentions


def _ordered(texts: Iterable[str], vocab: Vocabulary, *, provinces: bool) -> list[Mention]:
    found = [m for text in texts for m in find_mentions(text, vocab) if provinces or m.level < PROVINCE]
    return sorted(found, key=lambda m: m.level)


def unit_fields(
    *,
    issuer: str | None,
    header_lines: list[str],
    title: str | None,
    opening: list[str],
    signature: list[str],
    body: list[str],
    place: str | None,
    elsewhere: list[str],
    vocab: Vocabulary,
) -> UnitFields:
    """unit_text, hints, the province named and a guessed issuing body, from the document's parts.

    `issuer` is the issuing body from the header; when it names no division (`SỞ CÔNG THƯƠNG`) it is the
    unit as written, and the places found elsewhere are only hints.
    """
    counts = Counter(m.text for text in body for m in find_mentions(text, vocab) if m.level < PROVINCE)
    by_frequency = sorted(_ordered(body, vocab, provinces=False), key=lambda m: (m.level, -counts[m.text]))
    candidates = [
        *_ordered([issuer or ""], vocab, provinces=True),
        *_ordered(header_lines, vocab, provinces=True),
        *_ordered([title or ""], vocab, provinces=False),
        *_ordered(opening, vocab, provinces=False),
        *_ordered(signature, vocab, provinces=True),
        *by_frequency,
    ]
    fields = UnitFields()
    if issuer and not find_mentions(issuer, vocab):
        fields.unit_text = issuer  # a body above the commune (`SỞ CÔNG THƯƠNG`), named as written
    seen: set[str] = set()
    names: set[str] = set()
    for mention in candidates:
        k = fold(mention.text)
        if k in seen:
            continue
        seen.add(k)
        names.add(fold(mention.name))
        if fields.unit_text is None:
            fields.unit_text = mention.text
        elif len(fields.unit_hints) < MAX_HINTS:
            fields.unit_hints.append(mention.text)
    if place and fold(place) not in names:
        if fields.unit_text is None:
            fields.unit_text = place
        else:
            fields.unit_hints.append(place)
    for mention in [
        *_ordered([title or ""], vocab, provinces=False),
        *_ordered(opening, vocab, provinces=False),
    ]:
        if mention.with_body:
            fields.issuing_body = mention.with_body
            break
    else:
        fields.issuing_body = next((m.with_body for m in by_frequency if m.with_body), None)
    for text in [*header_lines, title or "", *body, *elsewhere, *signature]:
        province = next((m for m in find_mentions(text, vocab) if m.level == PROVINCE), None)
        if province is not None:
            fields.province_text = province.text
            break
    return fields
