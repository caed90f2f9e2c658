"""The summary step of the consolidation flow: offline by default, or LLM calls as Prefect tasks.

Each model call is a Prefect task:
- cached by the request's content (hence the items' text), the prompt version and the model, with the
  result persisted, so an unchanged re-run makes no call and a changed report re-runs only its calls;
  answers already in that cache are read from the task's result store before any task run is started
  (`stored_replies`), as a cached task run costs more than the reading;
- retried by Prefect on 429/5xx/timeouts (`retry_condition_fn`) with exponential backoff from settings;
  the openai client itself never retries, and a server's Retry-After is honoured before the retry.
Before the first call the server is asked what it serves (`/v1/models`, llama-server's `/props`): with no
model set, its only model is used (several: the note says which to pick), and its context size and slot
count size the calls. Concurrency: the calls run on their own `ThreadPoolTaskRunner(max_workers=…)` with
`llm.concurrency`, else the server's slots, else 1 for a server on this machine (a request queued behind
another on a one-slot server would spend its timeout waiting) and 4 elsewhere; each request's timeout is
sized to its prompt and `max_tokens` unless `llm.timeout_seconds` is set. A failure counts towards the
circuit breaker once per call, after its retries. The run holds that many slots of
the endpoint's Prefect global concurrency limit for the whole LLM step, so runs sharing one endpoint
(deployments for several provinces on one Prefect server) never exceed it together.
Requests per minute: with a Prefect server (`PREFECT_API_URL`), every request takes a slot of the
endpoint's Prefect rate limit (`rate_limit`, slot decay rpm/60), shared by all runs. In local ephemeral mode
the same rule runs in process (`Pacer`): there the Prefect limit has no other user to coordinate with, and
each acquisition is slow, because it meets SQLite's "database is locked" while task runs are recorded and
Prefect's client waits before trying again (see `benchmarks/bench_llm.py` and docs/scaling.md).
`llm.rate_limiter` forces either.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import openai
from prefect import task
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from prefect.client.schemas.objects import State, TaskRun
from prefect.concurrency.sync import concurrency, rate_limit
from prefect.context import TaskRunContext
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound, PrefectException
from prefect.results import ResultStore, get_result_store
from prefect.settings import get_current_settings
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import Task, exponential_backoff

from schemas.report import CommuneReport
from schemas.summary import LlmStats, Theme
from tonghop.errors import TonghopError
from tonghop.settings import Settings
from tonghop.summarize.client import (
    InvalidReply,
    LlmUnavailable,
    Meter,
    Pacer,
    TooLong,
    TransientLlmError,
    complete,
    make_client,
    request_timeout,
)
from tonghop.summarize.endpoint import (
    choose_model,
    concurrency_for,
    endpoint_refusal,
    endpoint_slug,
    public_endpoint,
)
from tonghop.summarize.llm import CallResult, summarize_with_llm
from tonghop.summarize.offline import ThemeMemo, summarize_offline
from tonghop.summarize.prompts import LlmRequest


@dataclass
class _Run:
    """What the call tasks of one summary run share (in this process: the tasks run on threads)."""

    client: openai.OpenAI
    meter: Meter
    pace: Callable[[], None]
    backoff: float
    max_retry_after: float
    timeout_for: Callable[[LlmRequest], float]
    retries: int


_RUNS: dict[str, _Run] = {}


def _cache_key(context: Any, parameters: dict[str, Any]) -> str:
    request: LlmRequest = parameters["request"]
    return request.cache_key()


def _is_transient(task: Task[Any, Any], task_run: TaskRun, state: State[Any]) -> bool:
    return isinstance(state.result(raise_on_failure=False), TransientLlmError)


@task(
    name="goi-mo-hinh",
    description="Một lượt gọi mô hình ngôn ngữ (chuẩn hoá một báo cáo hoặc tổng hợp một mục).",
    task_run_name="goi-mo-hinh-{request.kind}",
    cache_key_fn=_cache_key,
    persist_result=True,
)
def call_model(run_token: str, request: LlmRequest) -> dict[str, Any]:
    run = _RUNS[run_token]
    context = TaskRunContext.get()
    attempt = context.task_run.run_count if context else 1
    try:
        return complete(run.client, request, run.meter, run.pace, timeout=run.timeout_for(request))
    except TransientLlmError as exc:
        if attempt > run.retries:
            run.meter.call_failed()
            raise
        # Honour the server's Retry-After beyond the backoff Prefect is about to apply.
        planned = run.backoff * 2 ** max(0, attempt - 1)
        if exc.retry_after:
            time.sleep(max(0.0, min(exc.retry_after, run.max_retry_after) - planned))
        raise
    except LlmUnavailable:
        if not run.meter.open:
            run.meter.call_failed()
        raise


def _ensure_limit(name: str, limit: int, decay: float) -> None:
    """Creates or updates a Prefect global concurrency limit to the values in settings."""
    with get_client(sync_client=True) as client:
        try:
            current = client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=limit, slot_decay_per_second=decay)
                )
                return
            except ObjectAlreadyExists:
                current = client.read_global_concurrency_limit_by_name(name)
        if current.limit != limit or current.slot_decay_per_second != decay or not current.active:
            client.update_global_concurrency_limit(
                name, GlobalConcurrencyLimitUpdate(limit=limit, slot_decay_per_second=decay, active=True)
            )


def _pacer(settings: Settings, name: str, slots: int) -> Callable[[], None]:
    """Requests per minute through Prefect's global rate limit, or in process (see the module docstring)."""
    llm = settings.llm
    mode = llm.rate_limiter
    if mode == "auto":
        mode = "prefect" if get_current_settings().api.url else "local"
    burst = max(1, min(slots, llm.requests_per_minute))
    if mode == "prefect":
        _ensure_limit(name, burst, llm.requests_per_minute / 60)
        return lambda: rate_limit(name, timeout_seconds=llm.queue_timeout_seconds)
    pacer = Pacer(llm.requests_per_minute, burst)
    return lambda: pacer.acquire(llm.queue_timeout_seconds)


def stored_replies(model_task: Task[Any, Any], requests: Sequence[LlmRequest]) -> list[CallResult | None]:
    """The answers Prefect's cache already holds for `requests`, read from the task's result store.

    A cached call still costs a task run (the engine and its states), which on an unchanged national re-run
    cost more than the summary itself; these are read by the key the task's cache policy gives
    (`LlmRequest.cache_key`) instead. `None`
    where the cache has no usable answer, and for every request when the officer asks Prefect to refresh
    its caches: those go to the task, whose engine then decides as before.
    """
    refresh = model_task.refresh_cache
    if refresh is None:
        refresh = get_current_settings().tasks.refresh_cache
    if refresh:
        return [None] * len(requests)
    store = get_result_store().update_for_task(model_task, _sync=True)  # type: ignore[call-arg]
    assert isinstance(store, ResultStore)
    found: list[CallResult | None] = []
    now = dt.datetime.now(dt.UTC)
    for request in requests:
        try:
            record = store.read(request.cache_key())
            expiration = record.metadata.expiration
            reply = record.result["reply"]
        except Exception:  # noqa: BLE001 - absent, unreadable or not an answer: the task looks again
            found.append(None)
            continue
        fresh = expiration is None or expiration > now
        found.append(CallResult(reply=reply, cached=True) if fresh else None)
    return found


def _executor(token: str, settings: Settings, workers: int) -> Any:
    configured = call_model.with_options(
        retries=settings.llm.max_retries,
        retry_delay_seconds=exponential_backoff(backoff_factor=settings.llm.retry_backoff_seconds),
        retry_jitter_factor=0.2,
        retry_condition_fn=_is_transient,
    )

    def execute(requests: list[LlmRequest]) -> list[CallResult]:
        results = stored_replies(configured, requests)
        missing = [i for i, result in enumerate(results) if result is None]
        if not missing:
            return [r for r in results if r is not None]
        runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(max_workers=workers)
        runner.__enter__()
        try:
            futures = {
                i: runner.submit(configured, {"run_token": token, "request": requests[i]}) for i in missing
            }
            for future in futures.values():
                future.wait()
        except BaseException:
            _abandon(runner, token)
            raise
        runner.__exit__(None, None, None)
        for i, future in futures.items():
            results[i] = _result_of(future.state)
        return [r for r in results if r is not None]

    return execute


def _abandon(runner: ThreadPoolTaskRunner[Any], token: str) -> None:
    """A signal (SIGTERM through Prefect's bridge, Ctrl+C) stops the run: no further request starts, and the
    calls in flight are left to end with the process instead of being waited for until their timeout."""
    run = _RUNS.get(token)
    if run is not None:
        run.meter.stop()
    executor = runner._executor
    runner._executor = None
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)


def _result_of(state: State[Any]) -> CallResult:
    if state.is_completed():
        value = state.result()
        return CallResult(reply=value["reply"], cached=state.name == "Cached")
    error = state.result(raise_on_failure=False)
    if isinstance(error, InvalidReply):
        return CallResult(reply=None, error="invalid_reply", message="phản hồi sai định dạng")
    if isinstance(error, TooLong):
        return CallResult(reply=None, error="too_long", message=error.message[:200])
    message = error.message if isinstance(error, TonghopError) else f"{type(error).__name__}: {error}"
    return CallResult(reply=None, error="failed", message=message[:200])


def _base_stats(settings: Settings, mode: str = "offline") -> LlmStats:
    return LlmStats(
        mode="llm" if mode == "llm" else "offline",
        model=settings.llm_model,
        endpoint=public_endpoint(settings.llm_base_url) if settings.llm_base_url else None,
    )


def summarize_llm(
    accepted: list[CommuneReport], settings: Settings
) -> tuple[dict[str, list[Theme]], LlmStats]:
    """The LLM summary with its statistics; falls back to the offline summary when the endpoint is refused."""
    started = time.perf_counter()
    stats = _base_stats(settings)
    refusal = endpoint_refusal(settings)
    if refusal:
        stats.notes.append(refusal)
        return summarize_offline(accepted, settings), stats
    assert settings.llm_base_url is not None
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    given_model = settings.llm_model
    settings, info, problem = choose_model(settings, key)
    stats.model = settings.llm_model
    if problem:
        stats.notes.append(problem)
        return summarize_offline(accepted, settings), stats
    if not given_model:
        stats.notes.append(
            f"Chưa đặt tên mô hình; dùng mô hình duy nhất của máy chủ: {settings.llm_model} "
            "(ghi vào llm.model để cố định)."
        )
    base_url = settings.llm_base_url
    assert base_url is not None
    slug = endpoint_slug(base_url)
    slots_name, rate_name = f"tonghop-llm-{slug}", f"tonghop-llm-rpm-{slug}"
    llm = settings.llm
    workers = concurrency_for(settings, info.slots)
    token = uuid.uuid4().hex
    meter = Meter(breaker=llm.breaker_failures)
    client = make_client(base_url, key, llm.timeout_seconds)
    try:
        _ensure_limit(slots_name, workers, 0.0)
        _RUNS[token] = _Run(
            client=client,
            meter=meter,
            pace=_pacer(settings, rate_name, workers),
            backoff=llm.retry_backoff_seconds,
            max_retry_after=llm.max_retry_after_seconds,
            timeout_for=request_timeout(settings),
            retries=llm.max_retries,
        )
        with concurrency(slots_name, occupy=workers, timeout_seconds=llm.queue_timeout_seconds, strict=True):
            outcome = summarize_with_llm(
                accepted, settings, _executor(token, settings, workers), context=info.context
            )
    except (TimeoutError, PrefectException, httpx.HTTPError) as exc:
        stats.notes.append(
            f"Không giữ được lượt dùng máy chủ mô hình trong Prefect ({type(exc).__name__}: {exc}); "
            "dùng tóm tắt ngoại tuyến."
        )
        return summarize_offline(accepted, settings), stats
    finally:
        _RUNS.pop(token, None)
        client.close()
    uses_llm = any(t.origin == "llm" for themes in outcome.sections.values() for t in themes)
    notes = [*stats.notes, *outcome.notes]
    if meter.open:
        notes.insert(
            0,
            f"Máy chủ mô hình lỗi liên tiếp ở {meter.streak} lượt gọi ({meter.last_error}); các phần còn lại "
            "dùng tóm tắt ngoại tuyến.",
        )
    context = llm.context_tokens or info.context
    notes.append(
        f"Lượt gọi mô hình: {meter.calls} yêu cầu, {meter.failures} lỗi, {outcome.cache_hits} dùng lại "
        f"từ bộ nhớ đệm; {workers} lượt cùng lúc" + (f", ngữ cảnh {context} token" if context else "") + "."
    )
    return outcome.sections, stats.model_copy(
        update={
            "mode": "llm" if uses_llm else "offline",
            "calls": meter.calls,
            "cache_hits": outcome.cache_hits,
            "failures": meter.failures,
            "fallbacks": outcome.fallbacks,
            "tokens_in": meter.tokens_in,
            "tokens_out": meter.tokens_out,
            "seconds": round(time.perf_counter() - started, 3),
            "redactions": outcome.redactions,
            "notes": notes,
        }
    )


def summarize_sections(
    accepted: list[CommuneReport],
    settings: Settings,
    memo: ThemeMemo | None = None,
    code: str = "",
) -> tuple[dict[str, list[Theme]], LlmStats]:
    """Themes per section and what the summarizer did; called inside the consolidation flow.

    The offline summary keeps its themes per scope in `memo` (`code`: the parse fingerprint); the LLM
    summary has Prefect's cache of each call instead.
    """
    if not settings.llm_base_url:
        return summarize_offline(accepted, settings, memo, code), _base_stats(settings)
    return summarize_llm(accepted, settings)
