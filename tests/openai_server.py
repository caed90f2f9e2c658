"""A real OpenAI-compatible chat-completions server on 127.0.0.1 for the LLM tests and benchmark.

It speaks `POST /v1/chat/completions` like OpenAI, vLLM or Ollama do, including `response_format` with a
`json_schema`, and answers as a small deterministic "model" reading the data block of our prompts (one map
theme per item; one reduce theme per group, quoting each of its distinct items, the first with the
computed commune count). Tests
script other replies, and faults: 429 with Retry-After, 503, slow answers, malformed JSON, every n-th
request failing, replies cut off at `max_tokens`. Like a local server it can have one slot (requests queue),
a context size (longer prompts get llama-server's 400) and `GET /v1/models` and `/props`. Every request body
is recorded, so tests can check what left the machine.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DATA_START = "<<<DU_LIEU>>>"
DATA_END = "<<<HET_DU_LIEU>>>"

Responder = Callable[[dict[str, Any]], Any]


@dataclass
class Reply:
    """A scripted reply with its own finish reason (`length`: cut off) and completion token count."""

    content: str
    finish_reason: str = "stop"
    completion_tokens: int | None = None


def prompt_tokens(body: dict[str, Any]) -> int:
    """The server's token count of a prompt: three characters a token, the rule tonghop estimates with."""
    return sum(len(m.get("content") or "") for m in body["messages"]) // 3


def data_payload(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON between the data markers of the request's prompt."""
    for message in body["messages"]:
        content = message.get("content") or ""
        if message.get("role") == "user" and content.startswith(DATA_START):
            inner = content.split(DATA_START, 1)[1].split(DATA_END, 1)[0]
            return dict(json.loads(inner))
    raise ValueError("no data block in the request")


def schema_name(body: dict[str, Any]) -> str:
    return str(body["response_format"]["json_schema"]["name"])


def echo_reply(body: dict[str, Any]) -> dict[str, Any]:
    """What a compliant model might answer, deterministically, from the data it was given."""
    payload = data_payload(body)
    if schema_name(body) == "tonghop_map":
        return {
            "themes": [
                {
                    "section": item["section"],
                    "title": " ".join(item["text"].split()[:12]),
                    "item_ids": [item["id"]],
                }
                for item in payload["items"]
            ]
        }
    themes = []
    for group in payload["groups"]:
        by_text: dict[str, list[str]] = {}
        for item in group["items"]:
            by_text.setdefault(item["text"], []).append(item["id"])
        sentences = [{"text": text, "source_ids": ids} for text, ids in by_text.items()]
        sentences[0]["text"] = f"{group['communes']} xã, phường nêu: {sentences[0]['text']}"
        themes.append({"title": group["title"], "group_ids": [group["id"]], "sentences": sentences})
    return {"themes": themes}


@dataclass
class Behaviour:
    """How the server answers; lists are consumed one entry per request, in order."""

    latency: float = 0.0
    fail_every: int = 0  # every n-th request (3: the 3rd, 6th…) gets `fail_status`
    fail_status: int = 503
    statuses: list[int] = field(default_factory=list)  # next requests' statuses (200: answer normally)
    retry_after: str | None = None  # Retry-After header sent with 429 answers
    latencies: list[float] = field(default_factory=list)  # next requests' delays, before `latency`
    malformed: list[str] = field(default_factory=list)  # next replies' raw content (not valid for the schema)
    responder: Responder = echo_reply
    slots: int = 0  # requests handled at once (0: any number); the others queue, as on llama-server -np 1
    context: int | None = None  # prompt tokens beyond this get llama-server's 400; offered at /props
    models: list[str] | None = None  # what GET /v1/models lists (None: the server's model)
    props: bool = True  # offer llama-server's /props (context size, slots) when `context` is set
    error_message: str | None = None  # the message of scripted error statuses


class OpenAIServer:
    """`with OpenAIServer() as server:` gives `server.base_url` (…/v1) and `server.requests`."""

    def __init__(self, behaviour: Behaviour | None = None, model: str = "qwen2.5-7b-instruct") -> None:
        self.behaviour = behaviour or Behaviour()
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.raw_bodies: list[bytes] = []
        self.arrivals: list[float] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(self.behaviour.slots) if self.behaviour.slots else None
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def all_bodies_text(self) -> str:
        """Every request body as the server received it, decoded (JSON escapes included)."""
        with self._lock:
            raw = list(self.raw_bodies)
        return "\n".join(json.dumps(json.loads(b), ensure_ascii=False) for b in raw)

    # --- request handling ------------------------------------------------------------------------------

    def _plan(self, body: dict[str, Any], raw: bytes) -> tuple[int, float, str | None]:
        """Records the request and decides its status, delay and malformed content."""
        b = self.behaviour
        with self._lock:
            self.requests.append(body)
            self.raw_bodies.append(raw)
            self.arrivals.append(time.monotonic())
            number = len(self.requests)
            status = b.statuses.pop(0) if b.statuses else 200
            if b.fail_every and number % b.fail_every == 0:
                status = b.fail_status
            delay = b.latencies.pop(0) if b.latencies else b.latency
            malformed = b.malformed.pop(0) if status == 200 and b.malformed else None
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        return status, delay, malformed

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _completion(
        self, body: dict[str, Any], raw: bytes, content: str, finish: str = "stop", tokens: int | None = None
    ) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": len(raw) // 4,
                "completion_tokens": tokens if tokens is not None else len(content) // 4,
                "total_tokens": len(raw) // 4 + (tokens if tokens is not None else len(content) // 4),
            },
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(
                self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout); nothing to answer

            def do_GET(self) -> None:
                path = self.path.rstrip("/")
                if path == "/v1/models":
                    names = server.behaviour.models if server.behaviour.models is not None else [server.model]
                    data = [{"id": name, "object": "model", "owned_by": "tonghop-test"} for name in names]
                    self._send(200, {"object": "list", "data": data})
                elif path == "/props" and server.behaviour.context and server.behaviour.props:
                    settings = {"n_ctx": server.behaviour.context}
                    slots = server.behaviour.slots or 1
                    self._send(200, {"default_generation_settings": settings, "total_slots": slots})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                try:
                    body = json.loads(raw)
                    assert body["response_format"]["type"] == "json_schema"
                except (ValueError, KeyError, AssertionError):
                    self._send(400, {"error": {"message": "expected json_schema response_format"}})
                    return
                context = server.behaviour.context
                if context and prompt_tokens(body) > context:
                    with server._lock:
                        server.requests.append(body)
                        server.raw_bodies.append(raw)
                    message = (
                        f"request ({prompt_tokens(body)} tokens) exceeds the available context size "
                        f"({context} tokens), try increasing it"
                    )
                    self._send(
                        400, {"error": {"code": 400, "message": message, "type": "exceed_context_size_error"}}
                    )
                    return
                if server._slots is not None:
                    server._slots.acquire()
                status, delay, malformed = server._plan(body, raw)
                try:
                    if delay:
                        time.sleep(delay)
                    if status != 200:
                        headers = {}
                        if status == 429 and server.behaviour.retry_after is not None:
                            headers["Retry-After"] = server.behaviour.retry_after
                        message = server.behaviour.error_message or f"simulated {status}"
                        error = {"message": message, "type": "server_error", "code": status}
                        self._send(status, {"error": error}, headers)
                        return
                    finish, tokens = "stop", None
                    if malformed is not None:
                        content = malformed
                    else:
                        reply = server.behaviour.responder(body)
                        if isinstance(reply, Reply):
                            content, finish, tokens = (
                                reply.content,
                                reply.finish_reason,
                                reply.completion_tokens,
                            )
                        else:
                            content = (
                                reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
                            )
                    self._send(200, server._completion(body, raw, content, finish, tokens))
                finally:
                    server._done()
                    if server._slots is not None:
                        server._slots.release()

        return Handler
