"""Outputs are replaced whole, and readable by the other officers who share the outbox."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tonghop.store.atomic import atomic_open, write_json


def test_output_files_follow_the_umask_not_mkstemps_private_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_json(tmp_path / "summary.json", {"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "summary.json").stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "reports.json"
    target.write_text("cũ", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target, "w", encoding="utf-8") as handle:
        handle.write("mới, dở dang")
        raise RuntimeError("hỏng giữa chừng")
    assert target.read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["reports.json"]
