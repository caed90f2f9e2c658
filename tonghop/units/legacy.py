"""Units abolished by the July 2025 reorganisation (63 provinces, districts, thị trấn), and where they went.

Older reports and archives still come from a `huyện`, a `thị xã` or a `thị trấn`, or name a province that
was merged ("tỉnh Kon Tum", now part of Quảng Ngãi). The mapping is taken from the data files the
`vietnamadminunits` package ships (`data/dataset.db`, table `admin_units_legacy`, and
`data/converter_2025.json`, `DICT_PROVINCE`: new province key → old province keys), never typed by hand.
The files are located with `importlib.util.find_spec` and read directly: importing the package itself
costs seconds (it loads its geocoding parsers), and nothing of it but its data is needed.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from tonghop.errors import ConfigError
from tonghop.text import squash
from tonghop.units.phrases import loose_key, name_words

PIN_PREFIX = {"district": "legacy-district:", "ward": "legacy-ward:"}


@dataclass(frozen=True)
class LegacyProvince:
    key: str  # dataset key, e.g. "tinhkontum"
    name: str  # "Tỉnh Kon Tum"
    short: str  # "Kon Tum"
    keywords: tuple[str, ...]  # compact ASCII spellings: "tinhkontum", "kontum"
    new_key: str  # key of the 2025 province it became part of, e.g. "tinhquangngai"


@dataclass(frozen=True)
class LegacyUnit:
    """A pre-2025 district (huyện, quận, thị xã, thành phố thuộc tỉnh) or ward (thị trấn, xã, phường)."""

    kind: Literal["district", "ward"]
    code: str
    name: str
    short: str
    division: str
    province_key: str
    district: str | None = None
    words: str = ""  # folded name words, filled by load_legacy

    def __post_init__(self) -> None:
        if not self.words:
            object.__setattr__(self, "words", " ".join(name_words(self.short)))

    @property
    def pin(self) -> str:
        """How an analyst names this unit in the overrides file."""
        return PIN_PREFIX[self.kind] + self.code


@dataclass
class LegacyData:
    provinces: dict[str, LegacyProvince]
    units: list[LegacyUnit]
    by_folded: dict[tuple[str, str], list[LegacyUnit]] = field(default_factory=dict)
    by_ascii: dict[tuple[str, str], list[LegacyUnit]] = field(default_factory=dict)
    by_pin: dict[str, LegacyUnit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        folded: dict[tuple[str, str], list[LegacyUnit]] = defaultdict(list)
        loose: dict[tuple[str, str], list[LegacyUnit]] = defaultdict(list)
        for unit in self.units:
            words = unit.words
            folded[(unit.kind, words)].append(unit)
            loose[(unit.kind, loose_key(words))].append(unit)
            self.by_pin[unit.pin] = unit
        self.by_folded = dict(folded)
        self.by_ascii = dict(loose)

    def lookup(self, kind: str, words: str, *, loose: bool) -> list[LegacyUnit]:
        index = self.by_ascii if loose else self.by_folded
        return index.get((kind, loose_key(words) if loose else words), [])


def data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "Thiếu gói vietnamadminunits (danh mục đơn vị hành chính trước 2025): "
            "pip install vietnamadminunits",
            code="legacy_data_missing",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


# Division words of pre-2025 names, longest first; the dataset's own short names are not reliable
# ("Kỳ Anh (Huyện)", "Quận 1"), so the name is split from the full name.
_DIVISIONS = ("thành phố", "thị trấn", "thị xã", "huyện", "quận", "phường", "xã")


def split_name(full: str) -> tuple[str, str]:
    """`Huyện Đắk Glei` → (`huyện`, `Đắk Glei`); `Thành Phố Bắc Kạn` → (`thành phố`, `Bắc Kạn`)."""
    full = squash(full)
    lowered = full.lower()
    for division in _DIVISIONS:
        if lowered.startswith(division + " "):
            return division, full[len(division) :].strip()
    return "", full


@lru_cache(maxsize=1)
def load_legacy() -> LegacyData:
    """Read once per process and shared by every file: 63 provinces, 696 districts and 10,035 wards."""
    directory = data_dir()
    mapping = json.loads((directory / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    new_of_old = {old: new for new, olds in mapping.items() for old in olds}
    uri = f"file:{(directory / 'dataset.db').as_posix()}?mode=ro&immutable=1"
    with sqlite3.connect(uri, uri=True) as db:
        rows = db.execute(
            "SELECT province, provinceShort, provinceKey, provinceKeywords, district, districtCode, ward,"
            " wardCode FROM admin_units_legacy"
        ).fetchall()
    provinces: dict[str, LegacyProvince] = {}
    units: list[LegacyUnit] = []
    seen_districts: set[str] = set()
    for p_name, p_short, p_key, p_words, d_name, d_code, w_name, w_code in rows:
        if p_key not in provinces:
            provinces[p_key] = LegacyProvince(
                key=p_key,
                name=squash(p_name),
                short=squash(p_short),
                keywords=tuple(json.loads(p_words or "[]")),
                new_key=new_of_old[p_key],
            )
        if d_code and d_code not in seen_districts:
            seen_districts.add(d_code)
            division, short = split_name(d_name)
            units.append(LegacyUnit("district", d_code, squash(d_name), short, division, p_key))
        if w_code:
            division, short = split_name(w_name)
            units.append(
                LegacyUnit("ward", w_code, squash(w_name), short, division, p_key, district=squash(d_name))
            )
    return LegacyData(provinces=provinces, units=units)
