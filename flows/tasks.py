"""Prefect tasks: each calls one plain function of `tonghop`; Prefect adds caching, retries and the UI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext

from flows.runtime.gc_pause import collect_garbage
from schemas.report import CommuneReport
from tonghop.intake import InboxEntry, read_entry
from tonghop.render import OUTPUTS
from tonghop.render.view import Round
from tonghop.settings import PROJECT_ROOT, Settings, settings_from_json

# Below this many files per task, Prefect's own cost per task outweighs spreading the work finer.
_FILES_PER_BUCKET = 32

# Settings that change what is read out of a file; anything else (outbox, LLM…) must not invalidate parses.
_PARSE_SETTINGS = (
    "province",
    "round",
    "max_file_mb",
    "max_uncompressed_mb",
    "max_blocks_per_document",
    "max_document_xml_mb",
    "max_items_per_report",
    "max_item_chars",
    "max_figure",
    "commune_figure_warning",
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


def bucket_count(files: int, settings: Settings) -> int:
    """Enough tasks to keep every worker busy, never so many that Prefect's per-task cost shows.

    A task costs Prefect the same whatever it holds (API calls for its states, its result on disk), so a
    handful of new files go in one task, not one each. The count depends only on how many files are to be
    read, so the same inbox gives the same buckets (and cache keys) every time.
    """
    return min(settings.parse_buckets, max(settings.workers, -(-files // _FILES_PER_BUCKET)))


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


@task(
    name="doc-tep",
    description="Đọc, nhận diện đơn vị và kiểm tra một nhóm tệp.",
    cache_key_fn=_bucket_cache_key,
    persist_result=True,
    # The flow stores each batch in the registry as it arrives; Prefect's in-memory copy of every result
    # (its default) kept a national round's reports alive after the run, in a served process.
    cache_result_in_memory=False,
    retries=1,
)
def parse_bucket(entries: list[InboxEntry], settings_json: str, fingerprint: str) -> list[CommuneReport]:
    settings = settings_from_json(settings_json)
    return [read_entry(entry, settings) for entry in entries]


@task(
    name="xuat-tep",
    description="Ghi một tệp kết quả của kỳ tổng hợp.",
    task_run_name="xuat-{name}",
    cache_policy=NO_CACHE,
    persist_result=False,
)
def write_output(name: str, round: Round, round_dir: Path) -> Path:
    path = OUTPUTS[name](round, round_dir / name)
    collect_garbage()
    return path
