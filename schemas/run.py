"""What a run reports back to the CLI, a deployment or a test."""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.summary import LlmStats


class RunResult(BaseModel):
    round: str
    province: str | None
    round_dir: str
    files: int
    by_status: dict[str, int]
    rejected: list[tuple[str, str]] = Field(default_factory=list)
    missing: int = 0
    outputs: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    llm: LlmStats = Field(default_factory=LlmStats)
