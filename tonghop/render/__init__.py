"""Writers: every file a run writes into its round folder, each `write(round, dest) -> Path` from one `Round`.

Each writes one file atomically from the round and nothing else, so they can run in any order and side by
side (the flow runs them as Prefect tasks).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from tonghop.render.data_files import write_intake_csv, write_reports_json, write_summary_json
from tonghop.render.report_docx.document import write_report_docx
from tonghop.render.review_html import write_review_html
from tonghop.render.view import Round
from tonghop.render.workbook import write_workbook

Writer: TypeAlias = Callable[[Round, Path], Path]

# By file name, the slowest first, so that side by side they finish together.
OUTPUTS: dict[str, Writer] = {
    "du-lieu.xlsx": write_workbook,
    "review.html": write_review_html,
    "bao-cao-tong-hop.docx": write_report_docx,
    "reports.json": write_reports_json,
    "summary.json": write_summary_json,
    "intake.csv": write_intake_csv,
}


def write_outputs(round: Round, round_dir: Path, names: tuple[str, ...] = tuple(OUTPUTS)) -> list[Path]:
    """The outputs one after the other, for callers outside a flow (tests, scripts)."""
    return [OUTPUTS[name](round, round_dir / name) for name in names]
