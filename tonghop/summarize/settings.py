"""How to reach an OpenAI-compatible endpoint: the `[llm]` section of the settings, read by the summarizer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LlmSettings(BaseModel):
    """How to reach an OpenAI-compatible endpoint; with no base URL or model the offline summarizer runs."""

    base_url: str | None = None
    model: str | None = None
    allow_remote: bool = False
    private_networks: list[str] = Field(default_factory=list, description="CIDRs counted as on-premises.")
    concurrency: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Calls at once; unset: 1 for a server on this machine (one slot: a second call would only "
            "queue there and spend its timeout waiting), 4 for any other."
        ),
    )
    requests_per_minute: int = Field(default=60, ge=1)
    timeout_seconds: float | None = Field(
        default=None,
        gt=0,
        description=(
            "Longest wait for one reply; unset: sized per request from its prompt and `max_tokens` at the "
            "slowest speeds below, so a long reply of a slow CPU model is not cut short."
        ),
    )
    prompt_tokens_per_second: float = Field(
        default=50.0, gt=0, description="Slowest prompt reading speed the per-request timeout allows for."
    )
    tokens_per_second: float = Field(
        default=4.0, gt=0, description="Slowest generation speed the per-request timeout allows for."
    )
    timeout_margin_seconds: float = Field(default=30.0, ge=0, description="Added to every sized timeout.")
    reply_tokens_base: int = Field(default=160, ge=16, description="max_tokens of a reply before its items.")
    map_tokens_per_item: int = Field(
        default=24, ge=4, description="max_tokens per item of a map call (its id and a share of a title)."
    )
    reduce_tokens_per_group: int = Field(
        default=320, ge=32, description="max_tokens per group of a reduce call (a title and 1-3 sentences)."
    )
    context_tokens: int | None = Field(
        default=None,
        ge=512,
        description="The server's context size; unset: read from the server where it says, else not checked.",
    )
    chars_per_token: float = Field(
        default=3.0, gt=0, description="Prompt characters per token, to estimate whether a prompt fits."
    )
    max_items_per_group: int = Field(
        default=8, ge=1, description="Items of one reduce group; a larger group is split, never cut short."
    )
    sentence_support: float = Field(
        default=0.85,
        ge=0,
        le=1,
        description="Share of each clause's content words its cited items must have (1.0: every word).",
    )
    citation_support: float = Field(
        default=0.75,
        ge=0,
        le=1,
        description="Share of a clause's content words one cited item must have for its citation to stay.",
    )
    breaker_failures: int = Field(
        default=3, ge=1, description="Failed calls in a row (each after its retries) that stop the LLM step."
    )
    max_retries: int = Field(default=3, ge=0)
    themes_per_reduce_call: int = Field(default=10, ge=1)
    redact_person_names: bool = False
    temperature: float = 0.0
    retry_backoff_seconds: float = Field(
        default=2.0, ge=0, description="First retry delay after a 429/5xx/timeout; doubles on each retry."
    )
    max_retry_after_seconds: float = Field(
        default=60.0, ge=0, description="Longest wait honoured from a server's Retry-After header."
    )
    batch_max_items: int = Field(
        default=40, ge=1, description="Items per map call when small reports are packed together."
    )
    queue_timeout_seconds: float = Field(
        default=600.0, gt=0, description="Longest wait for the endpoint's Prefect concurrency or rate limit."
    )
    rate_limiter: Literal["auto", "prefect", "local"] = Field(
        default="auto",
        description=(
            "Pacing of requests per minute: 'prefect' (a Prefect global rate limit, shared by every run on "
            "one Prefect server), 'local' (in this process), 'auto' (prefect when PREFECT_API_URL is set)."
        ),
    )
