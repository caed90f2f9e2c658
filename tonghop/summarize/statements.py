"""The statements a summary is made of: every item of every accepted report, with what a theme needs to
cite it. Both summarizers and the attribution check read them."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.report import SECTION_NAMES, CommuneReport
from schemas.summary import Citation, UnitRef
from tonghop.summarize.grounding import citation_for

UNKNOWN_PROVINCE = "Chưa xác định tỉnh, thành phố"


@dataclass(frozen=True)
class Statement:
    """One item of one accepted report, with what a theme needs to cite it."""

    key: str  # stable across runs: the report's content hash, the section and the position
    section: str
    province: str | None
    unit: UnitRef
    citation: Citation

    @property
    def text(self) -> str:
        return self.citation.text


def statements_of(accepted: list[CommuneReport], national: bool) -> list[Statement]:
    """Every section item of the accepted reports, in a fixed order (file, section, position)."""
    result: list[Statement] = []
    for report in sorted(accepted, key=lambda r: (r.file, r.sha256)):
        unit = report.unit
        ref = UnitRef(
            code=unit.code if unit else None,
            name=unit.name if unit else report.file,
            province=unit.province if unit else None,
        )
        province = (ref.province or UNKNOWN_PROVINCE) if national else None
        for section in SECTION_NAMES:
            for index, item in enumerate(getattr(report.sections, section)):
                if not item.text.strip():
                    continue
                result.append(
                    Statement(
                        key=f"{report.sha256[:16]}:{section}:{index}",
                        section=section,
                        province=province,
                        unit=ref,
                        citation=citation_for(report, section, index, item),
                    )
                )
    return result
