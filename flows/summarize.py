"""STUB (replaced by the summary work): choose the offline or the LLM summarizer."""

from __future__ import annotations

from schemas.report import CommuneReport
from schemas.summary import LlmStats, Theme
from tonghop.settings import Settings
from tonghop.summarize.offline import summarize_offline


def summarize_sections(accepted: list[CommuneReport], settings: Settings) -> tuple[dict[str, list[Theme]], LlmStats]:
    return summarize_offline(accepted, settings), LlmStats(mode="offline")
