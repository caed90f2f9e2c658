"""One structured call to an OpenAI-compatible endpoint: send, validate, ask once more, classify failures.

The `openai` client is created with `max_retries=0`: retries with backoff belong to the Prefect task that
wraps a call (flows/summarize.py), so they are visible, configurable and not stacked on a second,
invisible retry loop. What this module decides is only *whether* a failure is worth retrying
(`TransientLlmError`: 429, 5xx, 408/409, timeouts, connection errors) or not (`LlmUnavailable`: a 4xx
refusal, a server that cannot do what is asked, an open circuit), and it counts every request in a `Meter`.
A reply cut off at `max_tokens` or a prompt beyond the server's context is neither: the call is asked again
on a smaller part of its items (`TooLong`), never by sending the cut-off text back, which would only make the
next prompt longer still.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import ValidationError

from tonghop.errors import TonghopError
from tonghop.settings import Settings
from tonghop.summarize.prompts import (
    CONTEXT_MARKERS,
    REPLY_MODELS,
    UNSUPPORTED_MARKERS,
    LlmRequest,
    repair_message,
    response_format,
)


class LlmError(TonghopError):
    code = "llm_error"


class TransientLlmError(LlmError):
    """Worth another try after a pause: rate limited, server busy or down for a moment, too slow."""

    code = "llm_transient"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LlmUnavailable(LlmError):
    """Not worth retrying: the endpoint refuses the request, or has failed too often in a row."""

    code = "llm_unavailable"


class TooLong(LlmError):
    """The reply was cut off at `max_tokens`, or the prompt does not fit the context: split the call."""

    code = "llm_too_long"


class InvalidReply(LlmError):
    """The reply did not validate against the schema, twice."""

    code = "llm_invalid_reply"


@dataclass
class Meter:
    """Counts of one run's requests, shared by the threads that make them; opens a circuit after a streak.

    The streak counts *calls* that failed for good (after their retries), not requests: requests that time
    out together because they queued behind each other say nothing more than one does, and one call slower
    than the timeout must not stop the others. After `breaker` such calls in a row, with no reply between
    them, the endpoint is taken as down and further calls fail at once.
    """

    breaker: int = 3
    calls: int = 0
    failures: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    streak: int = 0
    last_error: str = ""
    stopped: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def open(self) -> bool:
        return self.streak >= self.breaker

    def stop(self) -> None:
        """The run is stopping: no further request."""
        with self._lock:
            self.stopped = True

    def request(self) -> None:
        with self._lock:
            if self.stopped:
                raise LlmUnavailable("Lượt chạy đã dừng; không gọi mô hình nữa.")
            if self.streak >= self.breaker:
                raise LlmUnavailable(
                    f"Mô hình lỗi liên tiếp {self.streak} lần ({self.last_error}); ngừng gọi."
                )
            self.calls += 1

    def success(self, tokens_in: int, tokens_out: int) -> None:
        with self._lock:
            self.streak = 0
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out

    def failure(self, reason: str) -> None:
        with self._lock:
            self.failures += 1
            self.last_error = reason

    def call_failed(self) -> None:
        """One call has failed for good (its last attempt)."""
        with self._lock:
            self.streak += 1


class Pacer:
    """Requests per minute in this process: a token bucket, the same rule as a Prefect limit with slot decay.

    `burst` requests may go at once; after that one token comes back every 60/rpm seconds.
    """

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(1, burst))
        self.tokens = self.burst
        self.stamp = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return
                wait = (1.0 - self.tokens) / self.rate
            if deadline is not None and time.monotonic() + wait > deadline:
                raise TimeoutError("Chờ lượt gọi mô hình quá lâu (giới hạn số lượt mỗi phút).")
            time.sleep(wait)


def _retry_after(headers: Any) -> float | None:
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


def _server_text(exc: openai.APIStatusError) -> str:
    """The server's own error message, which says what is wrong far better than the status code."""
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return " ".join(str(message).split())[:300]
    try:
        return " ".join(exc.response.text.split())[:300]
    except Exception:  # noqa: BLE001 - a streamed or closed body: the SDK's message will do
        return str(exc.message)[:300]


def _send(
    client: openai.OpenAI,
    request: LlmRequest,
    messages: list[dict[str, str]],
    meter: Meter,
    timeout: float | None = None,
) -> tuple[str, int, int]:
    meter.request()
    extra: dict[str, Any] = {}
    if request.max_tokens:
        extra["max_tokens"] = request.max_tokens
    if timeout is not None:
        extra["timeout"] = timeout
    try:
        completion = client.chat.completions.create(
            model=request.model,
            messages=cast("list[ChatCompletionMessageParam]", messages),
            response_format=cast("ResponseFormatJSONSchema", response_format(request.kind)),
            temperature=request.temperature,
            **extra,
        )
    except openai.APITimeoutError as exc:
        meter.failure("quá thời gian chờ")
        waited = f" {timeout:g} giây" if timeout is not None else ""
        raise TransientLlmError(
            f"Mô hình không trả lời trong thời gian chờ{waited}: tăng llm.timeout_seconds (hoặc hạ "
            "llm.tokens_per_second), hoặc giảm llm.concurrency nếu máy chủ chỉ có một lượt xử lý."
        ) from exc
    except openai.APIConnectionError as exc:
        meter.failure("không kết nối được")
        raise TransientLlmError(f"Không kết nối được máy chủ mô hình ({exc}).") from exc
    except openai.APIStatusError as exc:
        status = exc.status_code
        text = _server_text(exc)
        meter.failure(f"lỗi {status}: {text[:120]}")
        if status in (400, 413) and any(m in text.lower() for m in CONTEXT_MARKERS):
            raise TooLong(f"Yêu cầu dài hơn ngữ cảnh của máy chủ mô hình (lỗi {status}: {text}).") from exc
        if any(m in text.lower() for m in UNSUPPORTED_MARKERS):
            raise LlmUnavailable(
                f"Máy chủ mô hình không hỗ trợ định dạng trả lời theo lược đồ JSON (response_format "
                f"json_schema) (lỗi {status}: {text}); dùng máy chủ khác (vLLM, llama-server, Ollama)."
            ) from exc
        if status == 429 or status >= 500 or status in (408, 409):
            raise TransientLlmError(
                f"Máy chủ mô hình trả lỗi {status}: {text}", retry_after=_retry_after(exc.response.headers)
            ) from exc
        raise LlmUnavailable(f"Máy chủ mô hình từ chối yêu cầu (lỗi {status}): {text}") from exc
    usage = completion.usage
    tokens_in = usage.prompt_tokens if usage else 0
    tokens_out = usage.completion_tokens if usage else 0
    meter.success(tokens_in, tokens_out)
    choice = completion.choices[0] if completion.choices else None
    if choice is not None and choice.finish_reason == "length":
        raise TooLong(
            f"Phản hồi của mô hình bị cắt ở giới hạn {request.max_tokens or '?'} token "
            f"({tokens_out} token đã viết)."
        )
    content = choice.message.content if choice is not None else None
    return content or "", tokens_in, tokens_out


def complete(
    client: openai.OpenAI,
    request: LlmRequest,
    meter: Meter,
    before_request: Callable[[], None] = lambda: None,
    timeout: float | None = None,
) -> dict[str, Any]:
    """The validated reply as plain data, plus the tokens spent: `{"reply": …, "tokens_in": …, …}`.

    A reply that does not validate is sent back once with the validation error; a second bad reply raises
    `InvalidReply`. A reply cut off at `max_tokens` raises `TooLong` at once (see the module docstring).
    `before_request` runs before every request (the rate limit); `timeout` is this request's own.
    """
    model = REPLY_MODELS[request.kind]
    messages = list(request.messages)
    spent_in = spent_out = 0
    for attempt in (1, 2):
        before_request()
        content, tokens_in, tokens_out = _send(client, request, messages, meter, timeout)
        spent_in += tokens_in
        spent_out += tokens_out
        try:
            reply = model.model_validate_json(content)
        except ValidationError as exc:
            if attempt == 2:
                raise InvalidReply(
                    f"Phản hồi của mô hình không đúng lược đồ sau hai lần: {_short(exc)}"
                ) from exc
            messages = [
                *messages,
                {"role": "assistant", "content": content[:4000]},
                repair_message(_short(exc)),
            ]
            continue
        return {"reply": reply.model_dump(mode="json"), "tokens_in": spent_in, "tokens_out": spent_out}
    raise AssertionError("unreachable")


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'gốc'}: {e['msg']}" for e in exc.errors()[:5])


def make_client(base_url: str, api_key: str | None, timeout: float | None) -> openai.OpenAI:
    """A client with our timeout and no retries of its own (Prefect retries the task)."""
    return openai.OpenAI(
        base_url=base_url, api_key=api_key or "khong-can-khoa", timeout=timeout, max_retries=0
    )


def request_timeout(settings: Settings) -> Callable[[LlmRequest], float]:
    """`llm.timeout_seconds`, else the time the slowest expected server needs to read the prompt and write
    the longest reply allowed, plus a margin: a timeout that counts generation, not a guess for every call."""
    llm = settings.llm

    def timeout(request: LlmRequest) -> float:
        if llm.timeout_seconds is not None:
            return llm.timeout_seconds
        prompt = request.prompt_chars() / llm.chars_per_token
        reply = request.max_tokens or llm.reply_tokens_base
        return round(prompt / llm.prompt_tokens_per_second + reply / llm.tokens_per_second, 1) + (
            llm.timeout_margin_seconds
        )

    return timeout
