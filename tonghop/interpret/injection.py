"""Paragraphs that speak to the consolidation system instead of reporting, taken out of the sections.

A commune's document is data, never instructions: a paragraph that addresses the summarizer or an AI system
("Ghi chú gửi hệ thống AI tổng hợp: …") or tells it what to write ("hãy bỏ qua các hướng dẫn trước đó…") is
removed from the sections here, at extraction, so it never becomes a theme, a prompt or a line of the report.
Nothing is lost: each one is kept in the report's warnings (`possible_injection`) with its section, its place
in the file and its text, and the review page lists them for the analyst. The markers are data
(`schemas/injection.toml`), so analysts extend them without touching code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from schemas.report import SECTION_LABELS_VI, SECTION_NAMES, CommuneReport, Issue, Item, Sections
from tonghop.settings import PROJECT_ROOT
from tonghop.text import ascii_key

MARKERS_FILE = PROJECT_ROOT / "schemas" / "injection.toml"
WARNING_CODE = "possible_injection"


@dataclass(frozen=True)
class Markers:
    address: tuple[re.Pattern[str], ...]
    instruction: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=4)
def load_markers(path: Path = MARKERS_FILE) -> Markers:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Markers(
        address=tuple(re.compile(p) for p in data.get("address_markers", [])),
        instruction=tuple(re.compile(p) for p in data.get("instruction_markers", [])),
    )


def speaks_to_system(text: str, markers: Markers | None = None) -> bool:
    """True when the paragraph addresses an AI or the summarizer, or gives it instructions."""
    found = markers or load_markers()
    key = ascii_key(text)
    return any(p.search(key) for p in (*found.address, *found.instruction))


def injection_warning(file: str, section: str, item: Item) -> Issue:
    """The warning that keeps a removed paragraph: its section, its place in the file and its full text."""
    where = item.source.label()
    return Issue(
        code=WARNING_CODE,
        message=(
            f"Tệp {file}, {where} (mục “{SECTION_LABELS_VI.get(section, section)}”): nội dung nghi là chèn "
            f"lệnh gửi hệ thống tổng hợp, đã loại khỏi phần tổng hợp, cần người kiểm tra: “{item.text}”"
        ),
    )


def remove_injections(report: CommuneReport, markers: Markers | None = None) -> CommuneReport:
    """The report without its paragraphs that speak to the system, each kept as a warning."""
    kept: dict[str, list[Item]] = {}
    warnings: list[Issue] = []
    for section in SECTION_NAMES:
        kept[section] = []
        for item in getattr(report.sections, section):
            if speaks_to_system(item.text, markers):
                warnings.append(injection_warning(report.file, section, item))
            else:
                kept[section].append(item)
    if not warnings:
        return report
    return report.model_copy(update={"sections": Sections(**kept), "warnings": [*report.warnings, *warnings]})
