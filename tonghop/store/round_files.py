"""Reading a round back from `outbox/<round>/`: what publication and reminders work from, never the inbox."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.report import CommuneReport, ReportList
from schemas.summary import ProvincialSummary
from tonghop.errors import TonghopError

BASELINE = Path(".baseline") / "summary.json"


def read_summary(path: Path) -> ProvincialSummary:
    try:
        return ProvincialSummary.model_validate_json(path.read_bytes())
    except ValueError as exc:
        raise TonghopError(f"Tệp {path} không hợp lệ (có thể do sửa tay sai cú pháp): {exc}") from exc


def load_round(round_dir: Path) -> tuple[ProvincialSummary, list[CommuneReport]]:
    """The round as the last run (or a hand edit) left it; a clear message when there was no run."""
    summary_path = round_dir / "summary.json"
    if not summary_path.is_file():
        raise TonghopError(f"Chưa có {summary_path}: hãy chạy `tonghop run` cho kỳ này trước.")
    summary = read_summary(summary_path)
    reports_path = round_dir / "reports.json"
    reports: list[CommuneReport] = []
    if reports_path.is_file():
        try:
            reports = ReportList.model_validate(json.loads(reports_path.read_bytes())).reports
        except ValueError as exc:
            raise TonghopError(f"Tệp {reports_path} không hợp lệ: {exc}") from exc
    return summary, reports


def read_baseline(round_dir: Path) -> ProvincialSummary | None:
    path = round_dir / BASELINE
    return read_summary(path) if path.is_file() else None
