"""Intake hashes only what changed: a re-run of a national inbox must not read 138 MB to find 10 new files."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from tonghop import intake
from tonghop.intake import scan_inbox
from tonghop.store.registry import Registry


def _counting_hasher(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hashed: list[str] = []
    real = intake.sha256_file

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(intake, "sha256_file", counting)
    return hashed


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "dot-2").mkdir(parents=True)
    (inbox / "xa-a.docx").write_bytes(b"PK report of xa A")
    (inbox / "xa-b.docx").write_bytes(b"PK report of xa B")
    (inbox / "dot-2" / "xa-c.json").write_bytes(b'{"don_vi": "Xa C"}')
    return inbox


def test_unchanged_files_keep_their_hash_through_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = _inbox(tmp_path)
    first, _ = scan_inbox(inbox)
    with Registry.for_round(tmp_path / "round") as registry:
        registry.store_stamps(first)
    (inbox / "xa-d.docx").write_bytes(b"PK a new report")
    hashed = _counting_hasher(monkeypatch)

    with Registry.for_round(tmp_path / "round") as registry:
        again, _ = scan_inbox(inbox, registry.known_hashes())

    assert hashed == ["xa-d.docx"], "only the new file is read"
    assert [(e.name, e.sha256) for e in again if e.name != "xa-d.docx"] == [(e.name, e.sha256) for e in first]
    assert {e.name: e.sha256 for e in again}["xa-d.docx"] == hashlib.sha256(b"PK a new report").hexdigest()


def test_a_rewritten_file_is_hashed_again_even_with_same_size_and_date(tmp_path: Path) -> None:
    """A clerk's corrected file copied over the old one with its date preserved (cp -p, some sync tools)."""
    inbox = _inbox(tmp_path)
    first, _ = scan_inbox(inbox)
    known = {(e.name, e.stamp): e.sha256 for e in first}
    target = inbox / "xa-a.docx"
    before = target.stat()
    time.sleep(0.01)  # the change time must be able to move on file systems with coarse clocks
    target.write_bytes(b"PK report of xa Z")  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))

    again, _ = scan_inbox(inbox, known)

    entry = {e.name: e for e in again}["xa-a.docx"]
    assert entry.size == before.st_size and entry.mtime == first[0].mtime
    assert entry.sha256 == hashlib.sha256(b"PK report of xa Z").hexdigest()


def test_a_stored_hash_is_only_used_for_the_same_name_and_stamp(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    first, _ = scan_inbox(inbox)
    stale = {(e.name, "0:0:0:0"): "0" * 64 for e in first}
    swapped = {("xa-b.docx", first[0].stamp): "1" * 64}

    again, _ = scan_inbox(inbox, {**stale, **swapped})

    assert [e.sha256 for e in again] == [e.sha256 for e in first]


def test_stamps_of_files_gone_from_the_inbox_are_forgotten(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    first, _ = scan_inbox(inbox)
    with Registry.for_round(tmp_path / "round") as registry:
        registry.store_stamps(first)
        registry.store_stamps([e for e in first if e.name != "xa-b.docx"])
        names = {name for name, _ in registry.known_hashes()}
    assert names == {"dot-2/xa-c.json", "xa-a.docx"}
