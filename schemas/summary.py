"""The consolidated, grounded summary: `summary.json`.

Every statement carries the citations (unit codes and `Source` references) it rests on, so analysts can
check it and renderers can name the communes behind it. Figures are computed in code (`Totals`), never by a
language model.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.report import Source
from schemas.scope import Scope


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitRef(_Model):
    code: int | None
    name: str
    province: str | None = None


class Citation(_Model):
    """One item of one report that a statement rests on."""

    unit_code: int | None
    unit_name: str
    file: str
    sha256: str
    section: str
    item_index: int = Field(description="Index of the item inside its section of that report.")
    source: Source
    text: str


class Sentence(_Model):
    """One statement of a theme, with its provenance.

    `origin` tells the analyst whether the words were taken from a commune document (`extracted`) or
    written by a model (`llm`); `unverified` is set when a number in the text matches no cited source and
    no computed total, so it cannot be published without a person looking at it.
    """

    id: str
    text: str
    origin: Literal["extracted", "llm"] = "extracted"
    citations: list[Citation] = Field(default_factory=list)
    unverified: bool = False
    unverified_numbers: list[str] = Field(default_factory=list)
    flags: list[str] = Field(
        default_factory=list,
        description=(
            "Why an analyst should look at it. `possible_injection` and `figures_differ` (like `unverified`) "
            "stop publication until the statement has a decision; `figures_by_unit` (figures listed per "
            "commune, each from its own text), `misattributed_replaced`, `unsupported_replaced`, "
            "`llm_fallback`, `invalid_reply` and `llm_uncovered` say where the words came from; "
            "`reviewer_accepted` and `reviewer_edited` record a decision."
        ),
    )


class Theme(_Model):
    id: str
    section: str
    title: str
    sentences: list[Sentence] = Field(default_factory=list)
    units: list[UnitRef] = Field(default_factory=list)
    unit_count: int = 0
    item_count: int = 0
    origin: Literal["extracted", "llm"] = "extracted"
    province: str | None = Field(
        default=None, description="Set in national scope, where themes are grouped by province."
    )


class IndicatorTotal(_Model):
    indicator: str
    label: str
    total: int
    reporting_units: int


class Totals(_Model):
    indicators: list[IndicatorTotal] = Field(default_factory=list)
    staff_using_ai_rate: float | None = Field(
        default=None, description="Sum of staff using AI / sum of staff, over the communes that gave both."
    )
    staff_trained_rate: float | None = None


class Coverage(_Model):
    expected: int
    received: int
    accepted: int
    on_time: int | None = None
    late: int | None = None
    deadline: dt.date | None = None
    by_status: dict[str, int] = Field(default_factory=dict)
    accepted_units: list[UnitRef] = Field(default_factory=list)
    missing: list[UnitRef] = Field(default_factory=list)
    legacy_units: list[UnitRef] = Field(default_factory=list)


class LlmStats(_Model):
    mode: Literal["offline", "llm"] = "offline"
    model: str | None = None
    endpoint: str | None = None
    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    fallbacks: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    redactions: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class ProvincialSummary(_Model):
    round: str
    province: str | None
    generated_at: dt.datetime | None = Field(
        default=None, description="The only field that changes between identical runs."
    )
    coverage: Coverage
    sections: dict[str, list[Theme]] = Field(default_factory=dict)
    totals: Totals = Field(default_factory=Totals)
    llm: LlmStats = Field(default_factory=LlmStats)
    by_province: dict[str, Coverage] = Field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return Scope(self.province)

    def all_sentences(self) -> list[Sentence]:
        return [s for themes in self.sections.values() for t in themes for s in t.sentences]
