"""STUB (replaced by the summary work): one theme per item."""

from __future__ import annotations

from schemas.report import SECTION_NAMES, CommuneReport
from schemas.summary import Citation, Sentence, Theme, UnitRef
from tonghop.settings import Settings


def summarize_offline(accepted: list[CommuneReport], settings: Settings) -> dict[str, list[Theme]]:
    sections: dict[str, list[Theme]] = {name: [] for name in SECTION_NAMES}
    for report in accepted:
        assert report.unit is not None
        unit = UnitRef(code=report.unit.code, name=report.unit.name, province=report.unit.province)
        for name in SECTION_NAMES:
            for i, item in enumerate(getattr(report.sections, name)):
                cite = Citation(unit_code=unit.code, unit_name=unit.name, file=report.file, sha256=report.sha256,
                                section=name, item_index=i, source=item.source, text=item.text)
                tid = f"{name}-{len(sections[name]) + 1}"
                sections[name].append(Theme(id=tid, section=name, title=item.text, units=[unit], unit_count=1,
                                            item_count=1, sentences=[Sentence(id=f"{tid}-1", text=item.text,
                                                                              citations=[cite])]))
    return sections
