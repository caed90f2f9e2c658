"""The official 2025 roster: 34 provinces and 3,321 xã/phường/đặc khu, from the `vietnam-provinces` package.

Never a hand-typed list: the package is the published roster, and a new release is a dependency bump. The
roster is built once per process (`load_roster`, cached) with the indexes every lookup needs: by code, by
folded name (tone placement, case, NFD, `Đắk`/`Đăk` made equal), by ASCII name (diacritics dropped) and by
province key. Resolving a file's unit is then a few dictionary lookups; only a misspelt name costs a fuzzy
search over the 3,321 names (rapidfuzz, in C). The matching itself (`match_unit`) lives in
`tonghop.units.matching`, which uses the roster; the roster knows nothing of it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from vietnam_provinces import Province, VietNamDivisionType, Ward

from schemas.report import Unit
from schemas.summary import UnitRef
from tonghop.errors import ConfigError
from tonghop.text import ascii_key, province_key, squash
from tonghop.units.legacy import LegacyData, LegacyProvince, LegacyUnit, load_legacy
from tonghop.units.phrases import loose_key, name_words

COMMUNE_DIVISIONS = ("xã", "phường", "đặc khu")


@dataclass(frozen=True)
class ProvinceInfo:
    code: int
    name: str  # official full name: "Tỉnh Nghệ An", "Thành phố Hải Phòng"
    short: str  # "Nghệ An"

    @property
    def compact(self) -> str:
        """The dataset's key style: "tinhnghean", "thanhphohaiphong"."""
        return ascii_key(self.name).replace(" ", "")


@dataclass(frozen=True)
class Commune:
    code: int
    name: str  # "Xã Kẻ Sặt"
    short: str  # "Kẻ Sặt"
    division: str  # "xã", "phường", "đặc khu"
    province: ProvinceInfo
    words: str  # folded name words: "kẻ sặt"

    def unit(self) -> Unit:
        return Unit(
            code=self.code,
            name=self.name,
            province=self.province.name,
            province_code=self.province.code,
            division_type=self.division,
        )

    def ref(self) -> UnitRef:
        return UnitRef(code=self.code, name=self.name, province=self.province.name)


@dataclass(frozen=True)
class ProvinceMatch:
    """A province named in a text: its 2025 province, and the pre-2025 one when the text used an old name."""

    current: ProvinceInfo
    legacy: LegacyProvince | None = None


@dataclass(frozen=True)
class Candidate:
    """One of several units a name could mean, with the value that pins it in the overrides file."""

    unit: Unit
    pin: str

    def describe(self) -> str:
        if self.unit.legacy:
            where = self.unit.legacy_province or ""
            if self.unit.province != where:
                where += f", nay thuộc {self.unit.province}"
            return f"{self.unit.name} ({where}; {self.pin})"
        return f"{self.unit.name} ({self.unit.province}, mã {self.unit.code})"


@dataclass(frozen=True)
class Resolution:
    """What the roster made of a document's unit.

    `kind`: `unit` (a 2025 commune), `legacy` (a pre-2025 unit), `ambiguous` (several candidates,
    `candidates` lists them), `not_found`, `not_commune` (a body above the commune). `text` is the phrase
    as written that decided; `note` a remark for the analyst (a spelling that was corrected).
    """

    kind: Literal["unit", "legacy", "ambiguous", "not_found", "not_commune"]
    unit: Unit | None = None
    candidates: tuple[Candidate, ...] = ()
    text: str | None = None
    method: str | None = None
    note: str | None = None


# Vietnamese alphabetical order: letters with a breve, circumflex or horn are letters of their own; tones
# only break ties.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=512)
def _collation_char(char: str) -> tuple[int, int]:
    parts = unicodedata.normalize("NFD", char)
    letter = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m in _LETTER_MARKS))
    rank = _ALPHABET.index(letter) + 32 if letter in _ALPHABET else ord(letter[0]) % 32
    return rank, max((_TONES.get(m, 0) for m in parts[1:]), default=0)


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key in Vietnamese alphabetical order (`Đ` after `D`, `Ơ` after `Ô`, tones as tie-breakers)."""
    pairs = [_collation_char(c) for c in squash(text).lower()]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


def _province_info(province: Province) -> ProvinceInfo:
    short = squash(province.name)
    if province.division_type == VietNamDivisionType.TINH and not short.lower().startswith("tỉnh"):
        name = f"Tỉnh {short}"
    else:
        name = short
    for prefix in ("Thành phố ", "Tỉnh "):
        short = short.removeprefix(prefix)
    return ProvinceInfo(code=int(province.code), name=name, short=short)


def _commune(ward: Ward, province: ProvinceInfo) -> Commune:
    name = squash(ward.name)
    division = str(ward.division_type.value)
    short = name[len(division) :].strip() if name.lower().startswith(division) else name
    return Commune(
        code=int(ward.code),
        name=name,
        short=short,
        division=division,
        province=province,
        words=" ".join(name_words(short)),
    )


@dataclass
class Roster:
    provinces: list[ProvinceInfo]
    units: list[Commune]
    by_code: dict[int, Commune] = field(default_factory=dict)
    by_folded: dict[str, list[Commune]] = field(default_factory=dict)
    by_ascii: dict[str, list[Commune]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        folded: dict[str, list[Commune]] = defaultdict(list)
        loose: dict[str, list[Commune]] = defaultdict(list)
        for unit in self.units:
            self.by_code[unit.code] = unit
            folded[unit.words].append(unit)
            loose[loose_key(unit.words)].append(unit)
        self.by_folded = dict(folded)
        self.by_ascii = dict(loose)
        self.fuzzy_choices: list[str] = sorted(self.by_ascii)
        self._sorted = sorted(self.units, key=lambda u: (collation_key(u.short), collation_key(u.name)))

    # --- provinces -------------------------------------------------------------------------------

    @cached_property
    def legacy(self) -> LegacyData:
        """Loaded on first use: a run that meets no pre-2025 unit never reads the legacy dataset."""
        return load_legacy()

    @cached_property
    def _province_keys(self) -> dict[str, ProvinceMatch]:
        keys: dict[str, ProvinceMatch] = {}
        by_compact = {p.compact: p for p in self.provinces}
        for old in self.legacy.provinces.values():
            match = ProvinceMatch(by_compact[old.new_key], old)
            for word in (*old.keywords, old.key, province_key(old.short).replace(" ", "")):
                keys[word] = match
        for province in self.provinces:
            # A province that kept its name (Tây Ninh) still means its old territory in an old text.
            match = ProvinceMatch(province, self.legacy.provinces.get(province.compact))
            for word in (province.compact, province_key(province.short).replace(" ", "")):
                keys[word] = match
        return keys

    def province_by_key(self, compact_key: str) -> ProvinceInfo:
        """The 2025 province from the dataset's key style ("tinhquangngai")."""
        return next(p for p in self.provinces if p.compact == compact_key)

    def find_province(self, text: str | None) -> ProvinceMatch | None:
        """`Nghệ An`, `tỉnh Kon Tum` (→ Quảng Ngãi, legacy Kon Tum), `TP. HCM`, `Thành phố Hải Phòng`."""
        if not text:
            return None
        return self.province_from_words(name_words(province_key(text)))

    def province_from_words(self, words: tuple[str, ...], *, whole: bool = False) -> ProvinceMatch | None:
        """The longest leading run of `words` that names a province (trailing prose is ignored), or with
        `whole` only all of them."""
        for k in range(min(len(words), 5), 0 if not whole else len(words) - 1, -1):
            found = self._province_keys.get(ascii_key(" ".join(words[:k])).replace(" ", ""))
            if found is not None:
                return found
        return None

    def city_province(self, words: tuple[str, ...]) -> ProvinceMatch | None:
        """The province a `thành phố …` phrase names, if it is a centrally-run city (Hải Phòng, Huế);
        `thành phố Hà Giang` or `thành phố Vinh` were cities of a province, hence pre-2025 districts."""
        found = self.province_from_words(words)
        if found is None:
            return None
        name = found.legacy.name if found.legacy is not None else found.current.name
        return found if name.startswith("Thành phố") else None

    def province_name(self, name: str | None) -> str | None:
        """The official 2025 name of a configured province; a merged pre-2025 name is a config error."""
        if not name:
            return None
        match = self.find_province(name)
        if match is None:
            raise ConfigError(
                f'Không có tỉnh/thành phố "{name}" trong danh mục 34 tỉnh, thành phố từ 01/7/2025.',
                code="province_unknown",
            )
        if match.legacy is not None and match.legacy.new_key != match.legacy.key:
            raise ConfigError(
                f'"{name}" là {match.legacy.name} trước sắp xếp ngày 01/7/2025, nay thuộc '
                f'{match.current.name}: hãy cấu hình province = "{match.current.short}".',
                code="province_merged",
            )
        return match.current.name

    # --- communes --------------------------------------------------------------------------------

    def communes(self, province: str | None) -> list[UnitRef]:
        """The communes a round expects: all 3,321 when `province` is None; sorted by commune name."""
        wanted = self.province_name(province)
        return [u.ref() for u in self._sorted if wanted is None or u.province.name == wanted]

    def commune_units(self, province: str | None) -> list[Commune]:
        wanted = self.province_name(province)
        return [u for u in self._sorted if wanted is None or u.province.name == wanted]

    def unit_for_code(self, code: int) -> Unit | None:
        found = self.by_code.get(code)
        return found.unit() if found else None

    def legacy_unit(self, unit: LegacyUnit) -> Unit:
        old = self.legacy.provinces[unit.province_key]
        current = self.province_by_key(old.new_key)
        return Unit(
            code=None,
            name=unit.name,
            province=current.name,
            province_code=current.code,
            division_type=unit.division,
            legacy=True,
            legacy_province=old.name,
        )

    def unit_for_pin(self, pin: str) -> Unit | None:
        """An overrides-file value: a 2025 code (`17464`) or a pre-2025 unit (`legacy-district:610`)."""
        pin = pin.strip()
        if pin.isdigit():
            return self.unit_for_code(int(pin))
        found = self.legacy.by_pin.get(pin)
        return self.legacy_unit(found) if found else None


@lru_cache(maxsize=1)
def load_roster() -> Roster:
    """Built once per process: every file of a run shares the indexes."""
    provinces = {int(p.code): _province_info(p) for p in Province.iter_all()}
    units = [_commune(w, provinces[int(w.province_code)]) for w in Ward.iter_all()]
    return Roster(provinces=sorted(provinces.values(), key=lambda p: p.code), units=units)
