"""Match what a document says about its issuer to the roster, the way an analyst would.

Order of the attempts, for each phrase naming a unit (`tonghop.units.phrases`):

1. A code (`17464`, or `Xã Diễn Châu (17464)` as chosen from the form's list) is taken as is.
2. The header (`unit_text`, `issuing_body`) decides first. Commune phrases (`xã …`, `phường …`) are tried
   before bare names and before pre-2025 levels (`huyện …`, `thị trấn …`). A header that names only a body
   above the commune (`SỞ …`, `UBND TỈNH …`, `BAN CHỈ ĐẠO … TỈNH`) makes a `not_commune` result. A header
   that names a commune the roster does not know is `not_found`: prose elsewhere is not allowed to guess.
3. With no usable header, the hints (title, closing line, body; best first), then the place line.

A name is looked up in the 2025 roster and in the pre-2025 lists (by folded words: tone placement, case,
NFD, `Đắk`/`Đăk`; then without diacritics), trying the longest leading run of words first so trailing
prose ("xã Diễn Châu báo cáo …") does not matter; the match that explains the most words wins, a 2025
commune on a tie. A match that leaves words over loses to a fuzzy match of more words (`Lạng Giangg` is
Lạng Giang, not Láng); with no match at all, the fuzzy search (rapidfuzz ratio on the ASCII name,
`unit_match_threshold`) is the last resort. Several hits are narrowed by the division written (xã vs
phường), then by the province the document names (`province_text`, a `tỉnh …` phrase, the place line, a
province in the hints) or else by the configured province; what is still several is ambiguous, and so is
a name spelt exactly like a commune elsewhere but almost like one of the province in question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from tonghop.units.legacy import LegacyUnit
from tonghop.units.phrases import Phrase, issuer_lines, loose_key, name_words, parse_phrases
from tonghop.units.roster import (
    Candidate,
    Commune,
    ProvinceMatch,
    Resolution,
    Roster,
)

# A best candidate must lead the next by this many points to win on spelling alone.
MARGIN = 3.0
_CODE_RE = re.compile(r"^\s*(?:mã\s*(?:số)?\s*:?\s*)?(\d{1,6})\s*$", re.IGNORECASE)
_TRAILING_CODE_RE = re.compile(r"^(?P<name>.*?)[\s\-–]*\(\s*(?:mã\s*)?(?P<code>\d{1,6})\s*\)\s*$", re.I)
_ORDER = {"commune": 0, "none": 1, "legacy_ward": 2, "legacy_district": 2, "city": 3}

Item = Commune | LegacyUnit


@dataclass(frozen=True)
class _Hit:
    item: Item
    score: float
    key: str  # the words of the document that matched


@dataclass(frozen=True)
class _Found:
    hits: list[_Hit]
    method: str
    ranked: bool
    near: list[_Hit] = field(default_factory=list)  # same letters, other diacritics (exact matches only)

    @property
    def words(self) -> int:
        """How many words of the phrase the match explains."""
        return len(self.hits[0].key.split()) if self.hits else 0


def _typed_plain(phrase: Phrase) -> bool:
    """True when the phrase was typed without any diacritic (its letters are all ASCII)."""
    return all(ch.isascii() for ch in phrase.raw if ch.isalpha())


def _first_resolved(results: Iterable[Resolution], not_found: Resolution) -> Resolution:
    """The first result that names a unit; else the first ambiguity; else `not_found`.

    `results` is consumed lazily, so later (costlier) attempts run only when earlier ones found nothing.
    """
    ambiguous: Resolution | None = None
    for result in results:
        if result.kind in ("unit", "legacy"):
            return result
        if result.kind == "ambiguous" and ambiguous is None:
            ambiguous = result
    return ambiguous if ambiguous is not None else not_found


def match_unit(
    roster: Roster,
    unit_text: str | None,
    *,
    province_hint: str | None = None,
    place: str | None = None,
    hints: tuple[str, ...] | list[str] = (),
    province_text: str | None = None,
    issuing_body: str | None = None,
    threshold: float = 85.0,
) -> Resolution:
    """Which unit of `roster` issued a document; see this module's docstring for the order of the attempts."""
    return Matcher(roster, threshold).resolve(
        unit_text,
        hints=tuple(hints),
        place=place,
        province_text=province_text,
        province_hint=province_hint,
        issuing_body=issuing_body,
    )


class Matcher:
    def __init__(self, roster: Roster, threshold: float) -> None:
        self.roster = roster
        self.threshold = threshold

    # --- entry point -----------------------------------------------------------------------------

    def resolve(
        self,
        unit_text: str | None,
        *,
        hints: tuple[str, ...],
        place: str | None,
        province_text: str | None,
        province_hint: str | None,
        issuing_body: str | None,
    ) -> Resolution:
        by_code = self._by_code(unit_text)
        if by_code is not None:
            return by_code
        header = parse_phrases(issuer_lines(unit_text)) + parse_phrases(issuer_lines(issuing_body))
        hint_phrases = [parse_phrases(h) for h in hints]
        place_phrases = parse_phrases(place)
        doc = self._document_province(header, province_text, place_phrases, hint_phrases)
        configured = self.roster.find_province(province_hint) if province_hint else None
        provinces = (doc, ProvinceMatch(configured.current) if configured else None)

        usable = self._usable(header)
        above = [p for p in header if p.level in ("non_commune", "province", "city") and p not in usable]
        if above:
            # A Sở or UBND tỉnh header: only an explicit "xã …"/"huyện …" may still make it a unit's.
            usable = [p for p in usable if p.level != "none"]
        if usable:
            result = self._first(usable, provinces)
            if result.kind != "not_found" or any(p.level != "none" for p in usable):
                return result
        if above:
            return Resolution("not_commune", text=above[0].raw)

        return _first_resolved(
            (self._first(self._usable(phrases), provinces) for phrases in [*hint_phrases, place_phrases]),
            Resolution("not_found", text=unit_text or next(iter(hints), None) or place),
        )

    # --- pieces ----------------------------------------------------------------------------------

    def _by_code(self, text: str | None) -> Resolution | None:
        if not text:
            return None
        plain = _CODE_RE.match(text)
        trailing = None if plain else _TRAILING_CODE_RE.match(text.strip())
        if plain:
            code = int(plain.group(1))
        elif trailing:
            code = int(trailing.group("code"))
        else:
            return None
        unit = self.roster.by_code.get(code)
        if unit is None:
            return Resolution("not_found", text=text.strip(), method="code")
        note = None
        if trailing and trailing.group("name").strip():
            written = {p.name for p in parse_phrases(trailing.group("name"))}
            if unit.words not in written and " ".join(name_words(unit.name)) not in written:
                note = (
                    f'tên "{trailing.group("name").strip()}" không khớp với mã {code} '
                    f"({unit.name}, {unit.province.name}); đã dùng theo mã"
                )
        return Resolution("unit", unit=unit.unit(), text=text.strip(), method="code", note=note)

    def _usable(self, phrases: list[Phrase]) -> list[Phrase]:
        """Phrases that can name a unit, communes first; a `thành phố` that is a province is left out."""
        usable = [
            p
            for p in phrases
            if p.level in _ORDER
            and not (p.level == "city" and self.roster.city_province(p.words))
            and not (p.level == "none" and self._is_province_name(p.words))
        ]
        return sorted(usable, key=lambda p: _ORDER[p.level])

    def _is_province_name(self, words: tuple[str, ...]) -> bool:
        """A place line such as "Lâm Đồng, ngày …" names the province, not a commune."""
        return self.roster.province_from_words(words, whole=True) is not None

    def _document_province(
        self,
        header: list[Phrase],
        province_text: str | None,
        place: list[Phrase],
        hints: list[list[Phrase]],
    ) -> ProvinceMatch | None:
        """The province the document itself names, most reliable source first."""
        for phrase in header:
            if found := self._named_province(phrase):
                return found
        if found := self.roster.find_province(province_text):
            return found
        for phrase in place:
            if phrase.level == "none" and (
                found := self.roster.province_from_words(phrase.words, whole=True)
            ):
                return found
        for phrases in hints:
            for phrase in phrases:
                if found := self._named_province(phrase):
                    return found
        return None

    def _named_province(self, phrase: Phrase) -> ProvinceMatch | None:
        if phrase.level == "province":
            return self.roster.province_from_words(phrase.words)
        if phrase.level == "city":
            return self.roster.city_province(phrase.words)
        return None

    def _first(self, phrases: list[Phrase], provinces: tuple[ProvinceMatch | None, ...]) -> Resolution:
        """The first phrase that resolves; else the first ambiguity; else not found."""
        return _first_resolved(
            (self._phrase(phrase, provinces) for phrase in phrases),
            Resolution("not_found", text=phrases[0].raw if phrases else None),
        )

    def _phrase(self, phrase: Phrase, provinces: tuple[ProvinceMatch | None, ...]) -> Resolution:
        """Exact and diacritic-free lookups in every list that fits the division written, then (2025
        communes only) the fuzzy search; a pre-2025 unit spelt right beats a 2025 one spelt almost."""
        attempts: list[Callable[[], _Found | None]] = []
        if phrase.level in ("commune", "none"):
            attempts.append(lambda: self._communes(phrase))
        if phrase.level in ("legacy_district", "city", "none"):
            attempts.append(lambda: self._legacy(phrase, "district"))
        if phrase.level in ("legacy_ward", "commune", "none"):
            attempts.append(lambda: self._legacy(phrase, "ward"))
        found: _Found | None = None
        for attempt in attempts:
            # The match that explains the most words wins; on a tie the earlier list (2025 first).
            candidate = attempt()
            if candidate is not None and (found is None or candidate.words > found.words):
                found = candidate
        fuzzy_ok = phrase.level in ("commune", "none")
        if found is not None and fuzzy_ok and found.words < len(phrase.words):
            # Words left over: a fuzzy match of more of them beats it (`Lạng Giangg` is not Láng).
            longer = [p for p in self._prefixes(phrase) if len(p.split()) > found.words]
            found = self._fuzzy(phrase, longer, min_words=found.words + 1) or found
        if found is None and fuzzy_ok:
            found = self._fuzzy(phrase, self._prefixes(phrase))
        if found is None:
            return Resolution("not_found", text=phrase.raw)
        return self._decide(found, phrase, provinces)

    def _decide(
        self, found: _Found, phrase: Phrase, provinces: tuple[ProvinceMatch | None, ...]
    ) -> Resolution:
        pool = self._narrow(found, phrase.division, provinces)
        near = [h for h in found.near if any(p and self._in_province(h.item, p) for p in provinces)]
        if near and not any(p and self._in_province(h.item, p) for h in pool for p in provinces):
            # Spelt exactly like a commune elsewhere, and almost like one of the province in question:
            # the spelling and the context disagree, so the analyst decides.
            pool = [*pool, *near]
        if len(pool) == 1:
            return self._resolved(pool[0], phrase, found.method)
        return Resolution(
            "ambiguous",
            candidates=tuple(self._candidate(h.item) for h in pool),
            text=phrase.raw,
            method=found.method,
        )

    def _prefixes(self, phrase: Phrase) -> list[str]:
        """Leading runs of the phrase's words, longest first; one word only when it is all there is or
        when a division word introduced it."""
        words = phrase.words
        shortest = 1 if len(words) == 1 or phrase.division else 2
        return [" ".join(words[:k]) for k in range(len(words), shortest - 1, -1)]

    def _communes(self, phrase: Phrase) -> _Found | None:
        """Longest run of words first, each with diacritics then without: `Krong Buk` must find Krông Búk
        before `Krong` finds Xã Krong. A text typed without diacritics skips the exact step (`Ba Dinh`
        is Ba Đình as much as Ba Dinh)."""
        plain = _typed_plain(phrase)
        for key in self._prefixes(phrase):
            found: _Found | None = None
            loose = self.roster.by_ascii.get(loose_key(key), [])
            if not plain and (hits := self.roster.by_folded.get(key)):
                near = [_Hit(c, 0.0, key) for c in loose if c not in hits]
                found = _Found([_Hit(c, 100.0, key) for c in hits], "exact", ranked=False, near=near)
            elif loose:
                scored = [_Hit(c, fuzz.ratio(key, c.words), key) for c in loose]
                found = _Found(scored, "ascii", ranked=not plain)
            if found is not None:
                return found
        return None

    def _fuzzy(self, phrase: Phrase, prefixes: list[str], min_words: int = 1) -> _Found | None:
        if phrase.level == "none" and len(phrase.words) > 4:
            return None  # prose, not a name: never guess from it
        best: dict[str, tuple[float, str]] = {}
        for key in prefixes:
            for choice, score, _ in process.extract(
                loose_key(key),
                self.roster.fuzzy_choices,
                scorer=fuzz.ratio,
                score_cutoff=self.threshold,
                limit=10,
            ):
                if len(choice.split()) >= min_words and float(score) > best.get(choice, (0.0, ""))[0]:
                    best[choice] = (float(score), key)
        if not best:
            return None
        # Rank with the diacritics too: "Nghĩa Đàng" is nearer Nghĩa Đàn than Nghĩa Dân.
        ranked = [
            _Hit(c, (score + fuzz.ratio(key, c.words)) / 2, key)
            for choice, (score, key) in best.items()
            for c in self.roster.by_ascii[choice]
        ]
        return _Found(ranked, "fuzzy", ranked=True)

    def _legacy(self, phrase: Phrase, kind: str) -> _Found | None:
        data = self.roster.legacy
        plain = _typed_plain(phrase)
        for key in self._prefixes(phrase):
            for loose in (False, True) if not plain else (True,):
                if hits := data.lookup(kind, key, loose=loose):
                    scored = [_Hit(u, 100.0, key) for u in hits]
                    return _Found(scored, "ascii" if loose else "exact", ranked=False)
        return None

    def _narrow(
        self, found: _Found, division: str | None, provinces: tuple[ProvinceMatch | None, ...]
    ) -> list[_Hit]:
        pool = found.hits
        if division:
            same = [h for h in pool if h.item.division == division]
            pool = same or pool
        for province in provinces:
            if province is None:
                continue
            inside = [h for h in pool if self._in_province(h.item, province)]
            if inside:
                pool = inside
                break
        if len(pool) > 1 and found.ranked:
            pool = sorted(pool, key=lambda h: -h.score)
            if pool[0].score - pool[1].score >= MARGIN:
                pool = pool[:1]
        return sorted(pool, key=lambda h: (h.item.name, self._candidate(h.item).unit.province or ""))

    def _in_province(self, item: Item, province: ProvinceMatch) -> bool:
        if isinstance(item, Commune):
            return item.province.code == province.current.code
        if province.legacy is not None:
            return item.province_key == province.legacy.key
        return self.roster.legacy.provinces[item.province_key].new_key == province.current.compact

    def _candidate(self, item: Item) -> Candidate:
        if isinstance(item, Commune):
            return Candidate(item.unit(), str(item.code))
        return Candidate(self.roster.legacy_unit(item), item.pin)

    def _resolved(self, hit: _Hit, phrase: Phrase, method: str) -> Resolution:
        candidate = self._candidate(hit.item)
        unit = candidate.unit
        note = None
        if method in ("ascii", "fuzzy") and hit.key != hit.item.words:
            where = f"{unit.province}, mã {unit.code}" if unit.code is not None else unit.legacy_province
            note = f'tên "{phrase.raw}" được hiểu là {unit.name} ({where})'
        return Resolution(
            "legacy" if unit.legacy else "unit", unit=unit, text=phrase.raw, method=method, note=note
        )
