"""Where the model runs, and whether commune data may go there.

Data may go to this machine (localhost, loopback) or to networks the Sở lists as its own
(`llm.private_networks`, e.g. a vLLM server in the provincial data centre). Anything else is an AI platform
outside the Sở and needs `llm.allow_remote = true`, written by a person in the config file.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit, urlunsplit

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
