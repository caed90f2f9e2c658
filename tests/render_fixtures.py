"""A realistic round for the renderers: Nghệ An communes, files, themes with citations, hostile text.

Built from the models (not from a run) so the renderers can be tested while the readers and summarizers are
still being written; the hostile strings are what a commune could type into a Word document.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from schemas.report import (
    CommuneReport,
    DocType,
    Indicators,
    Issue,
    Item,
    Sections,
    Source,
    Status,
    Unit,
)
from schemas.summary import (
    Citation,
    Coverage,
    IndicatorTotal,
    LlmStats,
    ProvincialSummary,
    Sentence,
    Theme,
    Totals,
    UnitRef,
)
from tonghop.check.coverage import compute_coverage, compute_totals

PROVINCE = "Nghệ An"
SCRIPT = "<script>alert('xã')</script>"
FORMULA = "=cmd|' /C calc'!A0"
HOSTILE_CELLS = (FORMULA, "+1", "-2", "@SUM(1)")

# code, name, staff_total, accessed, trained, using, accounts, trainings
COMMUNES: list[tuple[int, str, tuple[int | None, ...]]] = [
    (17464, "Xã Diễn Châu", (42, 40, 30, 28, 12, 2)),
    (16732, "Phường Cửa Lò", (55, 55, 41, 37, 20, 3)),
    (16941, "Xã Nghĩa Đàn", (38, 30, 25, None, 8, 1)),
    (17179, "Xã Quỳnh Lưu", (47, 45, 20, 19, None, 2)),
    (17662, "Xã Đô Lương", (50, 48, 48, 45, 30, 4)),
    (17971, "Xã Kim Liên", (None, None, None, None, None, None)),
]
REJECTED = (17254, "Xã Con Cuông")
MISSING = [
    UnitRef(code=18001, name="Xã Hưng Nguyên", province=PROVINCE),
    UnitRef(code=17266, name="Xã Tân Kỳ", province=PROVINCE),
    UnitRef(code=17920, name="Phường Vinh Hưng", province=PROVINCE),
    UnitRef(code=17506, name="Xã Yên Thành", province=PROVINCE),
]
DEADLINE = dt.date(2026, 6, 15)


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _unit(code: int, name: str, province: str = PROVINCE) -> Unit:
    return Unit(code=code, name=name, province=province, province_code=40, division_type=name.split(" ")[0])


RESULTS = {
    "Xã Diễn Châu": [
        "Cán bộ, công chức sử dụng AI hỗ trợ soạn thảo văn bản hành chính, báo cáo, kế hoạch",
        "Tra cứu, tổng hợp thông tin phục vụ công tác tham mưu",
    ],
    "Phường Cửa Lò": [
        "Ứng dụng AI soạn thảo văn bản, rút ngắn thời gian xử lý từ 4 giờ xuống còn 1,5 giờ",
        "Tổ chức 03 lớp tập huấn kỹ năng sử dụng AI cho 55 cán bộ, công chức",
    ],
    "Xã Nghĩa Đàn": ["Sử dụng AI hỗ trợ soạn thảo văn bản và tuyên truyền trên trang thông tin điện tử"],
    "Xã Quỳnh Lưu": [f"Tra cứu văn bản pháp luật bằng trợ lý ảo {SCRIPT}"],
    "Xã Đô Lương": ["100% cán bộ, công chức được tập huấn kỹ năng sử dụng AI", FORMULA],
}
DIFFICULTIES = {
    "Xã Diễn Châu": ["Hạ tầng máy tính cũ, đường truyền internet chưa ổn định"],
    "Phường Cửa Lò": ["Kỹ năng sử dụng AI của một số cán bộ còn hạn chế"],
    "Xã Đô Lương": ["Chưa có kinh phí mua tài khoản AI bản quyền"],
}
CAUSES = {"Xã Nghĩa Đàn": ["Chưa có hướng dẫn về bảo đảm an toàn dữ liệu khi sử dụng AI"]}
DIRECTIONS = {
    "Xã Diễn Châu": ["Tiếp tục tập huấn, bồi dưỡng kỹ năng sử dụng AI cho cán bộ, công chức"],
    "Xã Đô Lương": ["Xây dựng quy chế sử dụng AI bảo đảm an toàn thông tin"],
}
PROPOSALS = {
    "Phường Cửa Lò": ["Đề nghị tỉnh cấp tài khoản AI dùng chung cho cấp xã"],
    "Xã Quỳnh Lưu": ["Đề nghị Sở tổ chức tập huấn chuyên sâu về AI"],
}


def _sections(name: str) -> Sections:
    def items(source: dict[str, list[str]], start: int) -> list[Item]:
        return [
            Item(text=text, source=Source(file=_file(name), paragraph=start + i))
            for i, text in enumerate(source.get(name, []))
        ]

    return Sections(
        results=items(RESULTS, 10),
        difficulties=items(DIFFICULTIES, 20),
        causes=items(CAUSES, 25),
        directions=items(DIRECTIONS, 30),
        proposals=items(PROPOSALS, 35),
    )


def _file(name: str) -> str:
    slug = name.lower().replace(" ", "-")
    return f"{slug}-bao-cao-ai.docx"


def make_reports() -> list[CommuneReport]:
    received = dt.datetime(2026, 6, 10, 8, 0, tzinfo=dt.UTC)
    reports: list[CommuneReport] = []
    for i, (code, name, figures) in enumerate(COMMUNES):
        keys = (
            "staff_total",
            "staff_accessed_ai",
            "staff_trained",
            "staff_using_ai",
            "ai_accounts",
            "trainings",
        )
        indicators = Indicators(**dict(zip(keys, figures, strict=True)))
        late = name == "Xã Đô Lương"
        warnings = (
            [Issue(code="no_figures", message=f"Tệp {_file(name)}: không nêu số liệu.")]
            if not any(v is not None for v in figures)
            else []
        )
        reports.append(
            CommuneReport(
                file=_file(name),
                sha256=_sha(name),
                size=20_000 + i,
                received_at=received + dt.timedelta(days=10 if late else i),
                format="docx",
                status=Status.ACCEPTED,
                unit=_unit(code, name),
                unit_text=f"UBND {name.lower()}",
                doc_type=DocType.BAO_CAO,
                issued_on=dt.date(2026, 6, 1 + i),
                title=f"Báo cáo ứng dụng AI tại {name}",
                sections=_sections(name),
                indicators=indicators,
                warnings=warnings,
            )
        )
    code, name = REJECTED
    reports.append(
        CommuneReport(
            file="con-cuong.doc",
            sha256=_sha("con-cuong"),
            received_at=received,
            format="other",
            status=Status.REJECTED,
            unit=_unit(code, name),
            errors=[
                Issue(
                    code="legacy_doc",
                    message="Tệp con-cuong.doc: là tệp Word cũ (.doc); hãy lưu lại dưới dạng .docx",
                )
            ],
        )
    )
    reports.append(
        CommuneReport(
            file=f"{FORMULA}.docx",
            sha256=_sha("hostile"),
            received_at=received,
            format="docx",
            status=Status.REJECTED,
            unit_text=SCRIPT,
            errors=[
                Issue(
                    code="unit_unknown",
                    message=f"Tệp {FORMULA}.docx: không xác định được xã/phường {SCRIPT}.",
                )
            ],
        )
    )
    reports.append(
        CommuneReport(
            file="dien-chau-bao-cao-ai (ban sao).docx",
            sha256=_sha("Xã Diễn Châu"),
            received_at=received,
            format="docx",
            status=Status.DUPLICATE,
            unit=_unit(17464, "Xã Diễn Châu"),
            duplicate_of=_file("Xã Diễn Châu"),
        )
    )
    reports.append(
        CommuneReport(
            file="thach-ha.docx",
            sha256=_sha("thach-ha"),
            received_at=received,
            format="docx",
            status=Status.OUT_OF_SCOPE,
            unit=_unit(18406, "Xã Can Lộc", "Hà Tĩnh"),
            doc_type=DocType.BAO_CAO,
        )
    )
    return sorted(reports, key=lambda r: r.file)


def _unit_ref(report: CommuneReport) -> UnitRef:
    assert report.unit is not None
    return UnitRef(code=report.unit.code, name=report.unit.name, province=report.unit.province)


def _citations(reports: list[CommuneReport], section: str, texts: set[str]) -> list[Citation]:
    out = []
    for r in reports:
        if r.status != Status.ACCEPTED or r.unit is None:
            continue
        for i, item in enumerate(getattr(r.sections, section)):
            if item.text in texts:
                out.append(
                    Citation(
                        unit_code=r.unit.code,
                        unit_name=r.unit.name,
                        file=r.file,
                        sha256=r.sha256,
                        section=section,
                        item_index=i,
                        source=item.source,
                        text=item.text,
                    )
                )
    return out


def _theme(
    reports: list[CommuneReport],
    section: str,
    tid: str,
    title: str,
    statements: list[tuple[str, set[str], dict[str, object]]],
) -> Theme:
    sentences = []
    units: dict[int | None, UnitRef] = {}
    for j, (text, sources, extra) in enumerate(statements):
        citations = _citations(reports, section, sources)
        for c in citations:
            units[c.unit_code] = UnitRef(code=c.unit_code, name=c.unit_name, province=PROVINCE)
        sentences.append(Sentence(id=f"{tid}-{j + 1}", text=text, citations=citations, **extra))
    ordered = sorted(units.values(), key=lambda u: u.name)
    return Theme(
        id=tid,
        section=section,
        title=title,
        sentences=sentences,
        units=ordered,
        unit_count=len(ordered),
        item_count=sum(len(s.citations) for s in sentences),
    )


def make_summary(
    reports: list[CommuneReport] | None = None, *, province: str | None = PROVINCE
) -> ProvincialSummary:
    reports = reports if reports is not None else make_reports()
    expected = [_unit_ref(r) for r in reports if r.unit and r.unit.province == PROVINCE and r.unit.code]
    expected = list({u.code: u for u in expected}.values()) + MISSING
    coverage = compute_coverage(reports, expected, province=PROVINCE, deadline=DEADLINE)
    d = RESULTS
    results = [
        _theme(
            reports,
            "results",
            "results-1",
            "Sử dụng AI hỗ trợ soạn thảo văn bản, báo cáo",
            [
                (
                    "Các xã dùng AI soạn thảo văn bản hành chính, báo cáo, kế hoạch, nội dung tuyên truyền",
                    {d["Xã Diễn Châu"][0], d["Xã Nghĩa Đàn"][0]},
                    {},
                ),
                (
                    "Thời gian soạn thảo một báo cáo giảm từ 4 giờ xuống còn 1,5 giờ",
                    {d["Phường Cửa Lò"][0]},
                    {"origin": "llm"},
                ),
                (
                    "Khoảng 80% văn bản được soạn với sự hỗ trợ của AI",
                    {d["Phường Cửa Lò"][0]},
                    {"origin": "llm", "unverified": True, "unverified_numbers": ["80%"]},
                ),
            ],
        ),
        _theme(
            reports,
            "results",
            "results-2",
            "Tra cứu, tổng hợp thông tin",
            [
                (
                    f"Tra cứu văn bản pháp luật bằng trợ lý ảo {SCRIPT}",
                    {d["Xã Diễn Châu"][1], d["Xã Quỳnh Lưu"][0]},
                    {},
                )
            ],
        ),
        _theme(
            reports,
            "results",
            "results-3",
            "Tập huấn kỹ năng sử dụng AI",
            [
                ("100% cán bộ, công chức được tập huấn kỹ năng sử dụng AI", {d["Xã Đô Lương"][0]}, {}),
                (FORMULA, {d["Xã Đô Lương"][1]}, {}),
                (
                    "Tổ chức 7 lớp tập huấn cho 120 cán bộ, công chức",
                    {d["Phường Cửa Lò"][1]},
                    {"origin": "llm", "unverified": True, "unverified_numbers": ["7", "120"]},
                ),
            ],
        ),
    ]
    difficulties = [
        _theme(
            reports,
            "difficulties",
            "difficulties-1",
            "Hạ tầng, kinh phí còn hạn chế",
            [
                (
                    "Hạ tầng máy tính cũ, đường truyền chưa ổn định; chưa có kinh phí mua tài khoản AI",
                    {DIFFICULTIES["Xã Diễn Châu"][0], DIFFICULTIES["Xã Đô Lương"][0]},
                    {},
                )
            ],
        ),
        _theme(
            reports,
            "difficulties",
            "difficulties-2",
            "Kỹ năng sử dụng AI của một số cán bộ còn hạn chế",
            [("Kỹ năng sử dụng AI của một số cán bộ còn hạn chế", {DIFFICULTIES["Phường Cửa Lò"][0]}, {})],
        ),
    ]
    causes = [
        _theme(
            reports,
            "causes",
            "causes-1",
            "Chưa có hướng dẫn về an toàn dữ liệu",
            [
                (
                    "Chưa có hướng dẫn về bảo đảm an toàn dữ liệu khi sử dụng AI",
                    {CAUSES["Xã Nghĩa Đàn"][0]},
                    {},
                )
            ],
        )
    ]
    directions = [
        _theme(
            reports,
            "directions",
            "directions-1",
            "Tiếp tục tập huấn, xây dựng quy chế sử dụng AI",
            [
                (
                    "Tiếp tục tập huấn kỹ năng sử dụng AI và xây dựng quy chế bảo đảm an toàn thông tin",
                    {DIRECTIONS["Xã Diễn Châu"][0], DIRECTIONS["Xã Đô Lương"][0]},
                    {},
                )
            ],
        )
    ]
    proposals = [
        _theme(
            reports,
            "proposals",
            "proposals-1",
            "Cấp tài khoản AI dùng chung và tập huấn chuyên sâu",
            [
                ("Đề nghị tỉnh cấp tài khoản AI dùng chung cho cấp xã", {PROPOSALS["Phường Cửa Lò"][0]}, {}),
                ("Đề nghị Sở tổ chức tập huấn chuyên sâu về AI", {PROPOSALS["Xã Quỳnh Lưu"][0]}, {}),
            ],
        )
    ]
    totals = compute_totals(reports)
    return ProvincialSummary(
        round="2026-H1",
        province=province,
        generated_at=dt.datetime(2026, 6, 4, 20, 30, tzinfo=dt.UTC),  # 5 June in Vietnam
        coverage=coverage,
        sections={
            "results": results,
            "difficulties": difficulties,
            "causes": causes,
            "directions": directions,
            "proposals": proposals,
        },
        totals=totals,
        llm=LlmStats(mode="llm", model="qwen2.5-7b-instruct", calls=4),
    )


def make_national_summary(reports: list[CommuneReport]) -> ProvincialSummary:
    """The same round seen nationally: themes and coverage grouped by province."""
    summary = make_summary(reports, province=None)
    sections = {
        name: [t.model_copy(update={"province": PROVINCE}) for t in themes]
        for name, themes in summary.sections.items()
    }
    by_province: dict[str, Coverage] = {PROVINCE: summary.coverage}
    return summary.model_copy(update={"sections": sections, "by_province": by_province})


__all__ = [
    "FORMULA",
    "HOSTILE_CELLS",
    "SCRIPT",
    "IndicatorTotal",
    "Totals",
    "make_national_summary",
    "make_reports",
    "make_summary",
]
