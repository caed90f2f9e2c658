"""Prefect tasks: each calls one plain function of `tonghop`; Prefect adds caching, retries and the UI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from prefect import task
from prefect.context import TaskRunContext

from schemas.report import CommuneReport
from tonghop.intake import InboxEntry, read_entry, scan_inbox
from tonghop.settings import PROJECT_ROOT, Settings, settings_from_json

# Settings that change what is read out of a file; anything else (outbox, LLM…) must not invalidate parses.
_PARSE_SETTINGS = (
    "province",
    "round",
    "max_file_mb",
    "max_uncompressed_mb",
    "unit_match_threshold",
    "overrides_file",
    "vocabulary_file",
)


def parse_fingerprint(settings: Settings) -> str:
    """What a cached parse depends on besides the file: our code, the parse settings, the analysts' data."""
    digest = hashlib.sha256()
    for package in ("tonghop", "schemas"):
        for path in sorted((PROJECT_ROOT / package).rglob("*")):
            if path.suffix in {".py", ".toml"} and path.is_file():
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    digest.update(
        json.dumps({k: str(getattr(settings, k)) for k in _PARSE_SETTINGS}, sort_keys=True).encode()
    )
    for extra in (settings.overrides_file, settings.vocabulary_file):
        if extra is not None and Path(extra).is_file():
            digest.update(Path(extra).read_bytes())
    return digest.hexdigest()


def bucket_of(entry: InboxEntry, buckets: int) -> int:
    """Stable bucket for a file: adding files to the inbox leaves the other buckets' cache keys intact."""
    key = hashlib.sha256(f"{entry.name}\0{entry.sha256}".encode()).hexdigest()
    return int(key[:8], 16) % buckets


def _bucket_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    entries: list[InboxEntry] = parameters["entries"]
    digest = hashlib.sha256(parameters["fingerprint"].encode())
    for entry in entries:
        digest.update(f"{entry.name}\0{entry.sha256}\n".encode())
    return f"parse-{digest.hexdigest()}"


@task(name="quet-hop-thu", description="Liệt kê và băm mọi tệp trong hộp thư đến.")
def scan_inbox_task(inbox: Path) -> tuple[list[InboxEntry], list[CommuneReport]]:
    return scan_inbox(inbox)


@task(
    name="doc-tep",
    description="Đọc, nhận diện đơn vị và kiểm tra một nhóm tệp.",
    cache_key_fn=_bucket_cache_key,
    persist_result=True,
    retries=1,
)
def parse_bucket(entries: list[InboxEntry], settings_json: str, fingerprint: str) -> list[CommuneReport]:
    settings = settings_from_json(settings_json)
    return [read_entry(entry, settings) for entry in entries]
