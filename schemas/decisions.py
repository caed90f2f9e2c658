"""The analysts' decisions on the statements of a summary: what the review page downloads, what
`tonghop publish --decisions` reads.

One decision per statement (`Sentence.id` of `summary.json`): accept it as written, replace its text, or
reject it. `original_text` is the wording the analyst saw, so publication can tell when the summary has
changed since the review. The JSON Schema is exported to `schemas/decisions.schema.json`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DECISIONS_FORMAT: Literal["tonghop-decisions/1"] = "tonghop-decisions/1"


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentence_id: str = Field(min_length=1)
    action: Literal["accept", "edit", "reject"]
    text: str | None = Field(default=None, description="The new wording; required when action is 'edit'.")
    original_text: str | None = Field(default=None, description="The wording the analyst reviewed.")
    note: str | None = None

    @model_validator(mode="after")
    def _edit_needs_text(self) -> Decision:
        if self.action == "edit" and not (self.text or "").strip():
            raise ValueError(f"Quyết định sửa câu {self.sentence_id} không có nội dung mới.")
        return self


class Decisions(BaseModel):
    """The root of a decisions file (`quyet-dinh-<round>.json`)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["tonghop-decisions/1"] = DECISIONS_FORMAT
    round: str
    province: str | None = None
    summary_generated_at: dt.datetime | None = Field(
        default=None, description="`generated_at` of the summary the decisions were made on."
    )
    reviewer: str | None = None
    decided_at: dt.datetime | None = None
    decisions: list[Decision] = Field(default_factory=list)
