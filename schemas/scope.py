"""What a round covers: one province, or the whole country grouped by province.

Decided once, from the settings for a run and from the summary when a round is read back, so that no
stage tests `province is None` on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    province: str | None

    @property
    def national(self) -> bool:
        return self.province is None

    @property
    def label(self) -> str:
        """The scope as the outputs name it: the province, or "toàn quốc"."""
        return self.province or "toàn quốc"
