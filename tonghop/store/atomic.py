"""Atomic writes: a reader (Excel, a browser, another run) never sees a half-written output."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yields a temporary path beside `target`; renames it over `target` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); outputs are meant for every officer who can read the outbox.
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)
    try:
        yield tmp
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Deletes the temporary files `atomic_path` left behind a killed run; call only under the outbox lock.

    A run killed with -9 never reaches `atomic_path`'s cleanup; under the lock no other run is writing,
    so every such file in the round's folder is a leftover.
    """
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for path in directory.glob(".*.tmp"):
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_open(target: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    with atomic_path(target) as tmp, tmp.open(mode, **kwargs) as handle:
        yield handle


def write_json(target: Path, data: Any) -> None:
    """UTF-8 JSON, human-readable diffs: Vietnamese kept as is, stable indentation."""
    with atomic_open(target, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def write_model_json(target: Path, model: BaseModel) -> None:
    """Same bytes as `write_json` of the model's JSON, but serialised by pydantic's Rust encoder.

    `json.dump` with `indent` falls back to the pure-Python encoder, several times slower on a round.
    """
    with atomic_open(target, "w", encoding="utf-8") as handle:
        handle.write(model.model_dump_json(indent=2))
        handle.write("\n")


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_open(target, "wb") as handle:
        handle.write(data)
