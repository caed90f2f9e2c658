"""Where the model runs, and whether commune data may go there.

Data may go to this machine (localhost, loopback) or to networks the Sở lists as its own
(`llm.private_networks`, e.g. a vLLM server in the provincial data centre). Anything else is an AI platform
outside the Sở and needs `llm.allow_remote = true`, written by a person in the config file.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

from tonghop.settings import Settings


def public_endpoint(url: str) -> str:
    """The URL without credentials, query or fragment: safe to write in summary.json and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def endpoint_slug(url: str) -> str:
    """A name for the endpoint's Prefect concurrency limits: `127-0-0-1-8000`."""
    parts = urlsplit(url)
    raw = f"{parts.hostname or 'local'}-{parts.port or ''}".strip("-")
    return re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def endpoint_refusal(settings: Settings) -> str | None:
    """Why data must not go to the configured endpoint (Vietnamese), or None when it may."""
    url = settings.llm_base_url or ""
    parts = urlsplit(url)
    host = parts.hostname
    shown = public_endpoint(url)
    if parts.scheme not in {"http", "https"} or not host:
        return (
            f"Địa chỉ mô hình ngôn ngữ '{shown}' không hợp lệ (cần dạng http://máy-chủ:cổng/v1); "
            "dùng tóm tắt ngoại tuyến."
        )
    if settings.llm.allow_remote:
        return None
    try:
        networks = [ipaddress.ip_network(n, strict=False) for n in settings.llm.private_networks]
    except ValueError as exc:
        return f"Cấu hình llm.private_networks không hợp lệ ({exc}); dùng tóm tắt ngoại tuyến."
    if host.lower() == "localhost":
        return None
    try:
        addresses = _addresses(host)
    except OSError as exc:
        return f"Không phân giải được máy chủ mô hình {host} ({exc}); dùng tóm tắt ngoại tuyến."
    outside = [a for a in addresses if not a.is_loopback and not any(a in n for n in networks)]
    if not addresses or outside:
        return (
            f"Máy chủ mô hình {shown} nằm ngoài máy này và ngoài mạng nội bộ đã khai báo "
            "(llm.private_networks); không gửi dữ liệu của các xã ra ngoài khi chưa đặt "
            "llm.allow_remote = true. Dùng tóm tắt ngoại tuyến."
        )
    return None


def is_loopback(url: str) -> bool:
    """Whether the endpoint runs on this machine (a local server: usually one slot, a CPU's speed)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def concurrency_for(settings: Settings, slots: int | None = None) -> int:
    """Calls at once: as set, else the server's own slot count, else 1 on this machine and 4 elsewhere."""
    if settings.llm.concurrency is not None:
        return settings.llm.concurrency
    if slots:
        return slots
    return 1 if is_loopback(settings.llm_base_url or "") else 4


@dataclass(frozen=True)
class ServerInfo:
    """What the server says of itself: its models, its context size and its parallel slots, where offered."""

    models: list[str] = field(default_factory=list)
    context: int | None = None
    slots: int | None = None
    error: str | None = None


def server_info(base_url: str, api_key: str | None, timeout: float) -> ServerInfo:
    """`/v1/models` (every OpenAI-compatible server; vLLM adds `max_model_len`), then llama-server's
    `/props` (its `n_ctx` and `total_slots`); a server that offers neither still gets the request."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    root = base_url.rstrip("/")
    models: list[str] = []
    context: int | None = None
    slots: int | None = None
    try:
        with httpx.Client(timeout=timeout, headers=headers) as client:
            answer = client.get(f"{root}/models")
            answer.raise_for_status()
            for entry in answer.json().get("data", []):
                if isinstance(entry, dict) and entry.get("id"):
                    models.append(str(entry["id"]))
                    context = context or _int(entry.get("max_model_len"))
            props_url = root[: -len("/v1")] + "/props" if root.endswith("/v1") else f"{root}/props"
            try:
                props = client.get(props_url)
                if props.status_code == 200:
                    data = props.json()
                    settings_ = data.get("default_generation_settings") or {}
                    context = _int(settings_.get("n_ctx")) or _int(data.get("n_ctx")) or context
                    slots = _int(data.get("total_slots"))
            except (httpx.HTTPError, ValueError):
                pass
    except (httpx.HTTPError, ValueError) as exc:
        return ServerInfo(error=f"{type(exc).__name__}: {exc}"[:300])
    return ServerInfo(models=models, context=context, slots=slots)


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def choose_model(settings: Settings, key: str | None) -> tuple[Settings, ServerInfo, str | None]:
    """The settings with the model to use, what the server says, and why no call can be made (or None)."""
    assert settings.llm_base_url is not None
    shown = public_endpoint(settings.llm_base_url)
    info = server_info(settings.llm_base_url, key, min(30.0, settings.llm.timeout_seconds or 30.0))
    if settings.llm_model:
        return settings, info, None
    if info.error:
        return (
            settings,
            info,
            (
                f"Chưa đặt tên mô hình (llm.model hoặc OPENAI_MODEL) và không hỏi được danh sách mô hình của "
                f"{shown} ({info.error}); dùng tóm tắt ngoại tuyến."
            ),
        )
    if len(info.models) != 1:
        listed = ", ".join(info.models[:10]) or "không có mô hình nào"
        return (
            settings,
            info,
            (
                f"Chưa đặt tên mô hình: máy chủ {shown} có {len(info.models)} mô hình ({listed}); ghi tên mô "
                "hình cần dùng vào llm.model (hoặc OPENAI_MODEL). Dùng tóm tắt ngoại tuyến."
            ),
        )
    chosen = settings.model_copy(update={"llm": settings.llm.model_copy(update={"model": info.models[0]})})
    return chosen, info, None
