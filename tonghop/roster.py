"""STUB (replaced by the roster work): the official 2025 roster and unit resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from vietnam_provinces import Province, Ward

from schemas.report import Unit
from schemas.summary import UnitRef


@dataclass
class Resolution:
    unit: Unit | None
    candidates: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Roster:
    def __init__(self) -> None:
        self.provinces = {p.code: p.name for p in Province.iter_all()}
        self.wards = list(Ward.iter_all())

    def province_name(self, name: str | None) -> str | None:
        return name

    def communes(self, province: str | None) -> list[UnitRef]:
        return [
            UnitRef(code=int(w.code), name=w.name, province=self.provinces[w.province_code])
            for w in self.wards
            if province is None or self.provinces[w.province_code].endswith(province)
        ]

    def resolve(self, unit_text: str | None, *, province_hint: str | None, place: str | None) -> Resolution:
        return Resolution(unit=None)


@lru_cache(maxsize=1)
def load_roster() -> Roster:
    return Roster()
