"""What the consolidated report says, as plain data: the body outline, the appendix rows, the chart.

Pure functions of the round; `document` turns the result into docxtpl objects. The wording of fixed
sentences lives in the template, the wording of computed lines here.

Statements that need review are never printed silently: they keep their place but are highlighted and
followed by `[chưa kiểm chứng: …]` (a number that matches no cited source and no computed total) or
`[cần rà soát: …]` (a flag that doubts what the statement says, `summarize.review`), in the draft and —
only when an analyst forces publication — in the final report. Publication without `--force` refuses while
any remain undecided, so a clean final report has none. A theme's line names only the communes whose own
text carries the figures of its title (`summarize.attribution`): the others' figures follow per commune.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from schemas.report import INDICATORS, SECTION_LABELS_VI, SECTION_NAMES
from schemas.summary import ProvincialSummary, Theme, UnitRef
from tonghop.render.dates import short_date
from tonghop.render.nd30 import (
    clean,
    names_list,
    roman,
    sort_units,
    vn_letter,
    vn_number,
    vn_percent,
    vn_sort_key,
)
from tonghop.render.report_docx.chart import BarGroup
from tonghop.render.report_docx.marks import REVIEW_MARK, UNVERIFIED_MARK, head_units, review_mark
from tonghop.render.view import (
    UNKNOWN_PROVINCE,
    CommuneRow,
    FileRow,
    ProvinceFilesRow,
    Round,
    file_rows,
    per_unit_rates,
    province_files_rows,
    province_rows,
    rates_over,
)
from tonghop.summarize.review import review_reasons
from tonghop.text import ascii_key

UNIT_WORDS = {spec.name: spec.unit_vi for spec in INDICATORS}
STATUS_COUNT_WORDS = {
    "accepted": "hợp lệ",
    "rejected": "bị từ chối",
    "duplicate": "trùng lặp",
    "superseded": "đã được thay thế",
    "out_of_scope": "ngoài phạm vi tổng hợp",
    "other_issuer": "không phải của cơ quan báo cáo",
    "off_topic": "khác chủ đề của kỳ báo cáo",
}

Run = tuple[str, bool]  # text, highlighted as unverified


@dataclass
class Block:
    """One paragraph of the body: its level (`h1`, `h2`, `h3`, `bullet`, `body`, `note`, `figure`,
    `caption`) and its runs."""

    kind: str
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass
class ReportContent:
    """What the report's template is filled with.

    In national scope the appendices have a row per province rather than per commune and per file: the
    3,321 communes and the files they sent would be some two hundred pages of a report addressed to the
    Ministry's leaders, and they are in the workbook, `intake.csv` and `review.html` already. Phụ lục I's
    rows are what the chart's bars are numbered by.
    """

    body: list[Block]
    notes: list[str]
    communes: list[CommuneRow]
    totals: dict[str, int | None]
    rates: dict[str, float | None]
    accepted_units: int
    files: list[FileRow]
    chart: list[BarGroup]
    unverified: int
    province_files: list[ProvinceFilesRow] = field(default_factory=list)


def _line(kind: str, text: str, unverified: bool = False) -> Block:
    return Block(kind, [(clean(text), unverified)])


def units_phrase(units: list[UnitRef]) -> str:
    """`3 xã`, `2 phường`, `5 xã, phường`, `4 đơn vị`: the kind of units named by the count."""
    kinds = {u.name.split(" ")[0].lower() for u in units}
    if not kinds <= {"xã", "phường"}:
        return f"{len(units)} đơn vị"  # a former district or town among them
    return f"{len(units)} {kinds.pop() if len(kinds) == 1 else 'xã, phường'}"


def _strip_end(text: str) -> str:
    return clean(text).strip().rstrip(".;:")


def _same(a: str, b: str) -> bool:
    return ascii_key(a) == ascii_key(b)


def theme_blocks(theme: Theme, label: str, kind: str, child_kind: str, child_prefix: str) -> list[Block]:
    """A theme line with its communes, then one line per statement (unless it only repeats the title)."""
    units = sort_units(head_units(theme))
    names = names_list([u.name for u in units])
    count = units_phrase(units) if units else f"{theme.unit_count} xã, phường"
    head_text = f"{label} {_strip_end(theme.title)} ({count}{': ' + names if names else ''})."
    head = Block(kind, [(head_text, False)])
    blocks = [head]
    for index, sentence in enumerate(theme.sentences):
        mark = review_mark(sentence)
        if index == 0 and _same(sentence.text, theme.title):
            if mark:
                head.runs = [(head_text, True), (mark, True)]
            continue
        text = f"{child_prefix} {_strip_end(sentence.text)}."
        runs: list[Run] = [(text, bool(mark))]
        if mark:
            runs.append((mark, True))
        blocks.append(Block(child_kind, runs))
    return blocks


_LEVELS = ("h2", "h3", "bullet", "bullet")


def _label(level: int, index: int) -> str:
    return (f"{index + 1}.", f"{vn_letter(index)})", "-", "+")[level]


def _themes_at(themes: list[Theme], level: int, national: bool) -> list[Block]:
    """Themes numbered at `level` (0: `1.`, 1: `a)`, 2: `-`); in national scope grouped by province."""
    if not themes:
        return [_line("bullet" if level >= 2 else "body", "- Chưa có xã, phường nào nêu nội dung này.")]
    if national:
        grouped: dict[str, list[Theme]] = defaultdict(list)
        for theme in themes:
            grouped[theme.province or UNKNOWN_PROVINCE].append(theme)
        blocks: list[Block] = []
        for i, (province, group) in enumerate(sorted(grouped.items(), key=lambda kv: vn_sort_key(kv[0]))):
            blocks.append(_line(_LEVELS[level], f"{_label(level, i)} {province}"))
            blocks += _themes_at(group, level + 1, national=False)
        return blocks
    blocks = []
    for i, theme in enumerate(themes):
        child = 2 if level < 2 else 3  # statements are `-` items (`+` under a `-` theme)
        blocks += theme_blocks(theme, _label(level, i), _LEVELS[level], _LEVELS[child], _label(child, 0))
    return blocks


def coverage_blocks(summary: ProvincialSummary, files: int, area_word: str) -> list[Block]:
    cov = summary.coverage
    blocks = [_line("bullet", f"- Tổng số xã, phường {area_word} phải báo cáo: {vn_number(cov.expected)}.")]
    share = f" ({vn_percent(cov.received / cov.expected)})" if cov.expected else ""
    received = f"- Số xã, phường đã gửi báo cáo: {vn_number(cov.received)}/{vn_number(cov.expected)}{share}"
    if cov.deadline is not None and cov.on_time is not None and cov.late is not None:
        received += (
            f"; trong đó {vn_number(cov.on_time)} xã, phường gửi đúng hạn, {vn_number(cov.late)} xã, phường "
            f"gửi chậm so với thời hạn ngày {short_date(cov.deadline)}"
        )
    blocks.append(_line("bullet", received + "."))
    blocks.append(
        _line(
            "bullet", f"- Số xã, phường có báo cáo hợp lệ, được đưa vào tổng hợp: {vn_number(cov.accepted)}."
        )
    )
    order = list(STATUS_COUNT_WORDS)
    parts = [
        f"{vn_number(n)} {STATUS_COUNT_WORDS.get(s, s)}"
        for s, n in sorted(cov.by_status.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
        if n
    ]
    blocks.append(
        _line(
            "bullet",
            f"- Số văn bản đã tiếp nhận: {vn_number(files)}"
            + (f", trong đó: {', '.join(parts)}" if parts else "")
            + " (chi tiết tại Phụ lục II).",
        )
    )
    if cov.legacy_units:
        blocks.append(
            _line(
                "bullet",
                f"- Có {len(cov.legacy_units)} văn bản của đơn vị hành chính trước sắp xếp (trước ngày "
                f"01/7/2025): {names_list([u.name for u in cov.legacy_units])}; đã ghi nhận nhưng không tính "
                "vào số xã, phường.",
            )
        )
    if summary.scope.national and summary.by_province:
        blocks.append(_line("bullet", "- Tình hình theo tỉnh, thành phố:"))
        for province, pc in sorted(summary.by_province.items(), key=lambda kv: vn_sort_key(kv[0])):
            blocks.append(
                _line(
                    "bullet",
                    f"+ {province}: {vn_number(pc.received)}/{vn_number(pc.expected)} xã, phường đã gửi, "
                    f"{vn_number(pc.accepted)} hợp lệ, {vn_number(len(pc.missing))} chưa gửi.",
                )
            )
    if cov.missing:
        missing = sort_units(cov.missing)
        names = names_list([u.name for u in missing])
        if summary.scope.national:
            grouped: dict[str, list[str]] = defaultdict(list)
            for u in missing:
                grouped[u.province or "Chưa xác định"].append(u.name)
            blocks.append(
                _line("bullet", f"- Các xã, phường chưa gửi báo cáo ({vn_number(len(cov.missing))}):")
            )
            for province, group in sorted(grouped.items(), key=lambda kv: vn_sort_key(kv[0])):
                blocks.append(_line("bullet", f"+ {province} ({len(group)}): {names_list(group)}."))
        else:
            blocks.append(
                _line(
                    "bullet", f"- Các xã, phường chưa gửi báo cáo ({vn_number(len(cov.missing))}): {names}."
                )
            )
    else:
        blocks.append(_line("bullet", "- Tất cả các xã, phường đã gửi báo cáo."))
    return blocks


def indicator_blocks(summary: ProvincialSummary) -> list[Block]:
    blocks = []
    for total in summary.totals.indicators:
        if not total.reporting_units:
            continue
        unit = UNIT_WORDS.get(total.indicator, "người")
        blocks.append(
            _line(
                "bullet",
                f"- {total.label}: {vn_number(total.total)} {unit} ({vn_number(total.reporting_units)} xã, "
                "phường nêu số liệu).",
            )
        )
    rates = [
        (label, rate)
        for label, rate in (
            ("sử dụng AI trong công việc", summary.totals.staff_using_ai_rate),
            ("được tập huấn về AI", summary.totals.staff_trained_rate),
        )
        if rate is not None
    ]
    if rates:
        blocks.append(
            _line(
                "bullet",
                "- Tỷ lệ cán bộ, công chức "
                + "; tỷ lệ ".join(f"{label}: {vn_percent(rate)}" for label, rate in rates)
                + " (tính trên các xã, phường nêu đủ số liệu).",
            )
        )
    if not blocks:
        blocks.append(_line("bullet", "- Chưa có xã, phường nào nêu số liệu."))
    return blocks


def build_body(summary: ProvincialSummary, files: int, chart: list[BarGroup], area_word: str) -> list[Block]:
    national = summary.scope.national
    sections = summary.sections
    body: list[Block] = []
    heading = 0

    def h1(text: str) -> None:
        nonlocal heading
        heading += 1
        body.append(_line("h1", f"{roman(heading)}. {text.upper()}"))

    h1("Tình hình tiếp nhận báo cáo")
    body += coverage_blocks(summary, sum(summary.coverage.by_status.values()) or files, area_word)

    h1("Kết quả đạt được")
    body.append(_line("h2", "1. Các chỉ tiêu chủ yếu"))
    body += indicator_blocks(summary)
    if len(chart) >= 2:
        by = "tỉnh, thành phố" if national else "xã, phường"
        body.append(Block("figure"))
        body.append(
            _line(
                "caption",
                "Biểu đồ: Tỷ lệ cán bộ, công chức được tập huấn về AI (cột nhạt) và sử dụng AI trong "
                f"công việc (cột đậm) theo {by}; số dưới cột là số thứ tự của {by} tại Phụ lục I.",
            )
        )
    body.append(_line("h2", "2. Kết quả triển khai ứng dụng AI"))
    body += _themes_at(sections.get("results", []), 1, national)

    h1("Khó khăn, vướng mắc và nguyên nhân")
    body.append(_line("h2", "1. Khó khăn, vướng mắc, tồn tại, hạn chế"))
    body += _themes_at(sections.get("difficulties", []), 1, national)
    body.append(_line("h2", "2. Nguyên nhân"))
    body += _themes_at(sections.get("causes", []), 1, national)

    h1("Phương hướng, nhiệm vụ, giải pháp thời gian tới")
    body += _themes_at(sections.get("directions", []), 0, national)

    h1("Đề xuất, kiến nghị")
    body += _themes_at(sections.get("proposals", []), 0, national)

    for name, themes in sections.items():
        if name not in SECTION_NAMES and themes:
            h1(SECTION_LABELS_VI.get(name, name))
            body += _themes_at(themes, 0, national)
    return body


def draft_notes(summary: ProvincialSummary) -> list[str]:
    sentences = summary.all_sentences()
    unverified = sum(1 for s in sentences if s.unverified)
    flagged = sum(1 for s in sentences if review_reasons(s) and not s.unverified)
    written = sum(1 for s in sentences if s.origin == "llm")
    notes = [
        "Dự thảo do tonghop lập tự động từ văn bản của các xã, phường; số văn bản chưa ghi, "
        "chờ văn thư cấp số."
    ]
    if unverified:
        notes.append(
            f"Có {unverified} nội dung tô vàng, ghi “[{UNVERIFIED_MARK}]”: số liệu trong câu chưa đối "
            "chiếu được với văn bản của xã, phường; cần rà soát trên trang review.html trước khi ban hành."
        )
    if flagged:
        notes.append(
            f"Có {flagged} nội dung tô vàng, ghi “[{REVIEW_MARK}: …]”: nội dung cần người kiểm tra (lý do "
            "ghi trong ngoặc); phải có quyết định trên trang review.html trước khi ban hành."
        )
    if written:
        model = f" ({summary.llm.model})" if summary.llm.model else ""
        notes.append(
            f"Có {written} câu do mô hình ngôn ngữ{model} viết lại từ văn bản của các xã, phường; mỗi "
            "câu đều có trích dẫn nguồn trên trang review.html."
        )
    return notes


def _province_chart(provinces: list[CommuneRow], communes: list[CommuneRow]) -> list[BarGroup]:
    """A province's bars are its rates over its communes that gave both figures, as the totals' are."""
    accepted: dict[str | None, list[CommuneRow]] = defaultdict(list)
    for row in communes:
        if row.accepted:
            accepted[row.province or UNKNOWN_PROVINCE].append(row)
    chart = []
    for row in provinces:
        rates = rates_over(accepted[row.province])
        if rates["staff_trained"] is not None or rates["staff_using_ai"] is not None:
            chart.append(BarGroup(row.stt, (rates["staff_trained"], rates["staff_using_ai"])))
    return chart


def build_content(round: Round, *, draft: bool, area_word: str) -> ReportContent:
    summary, reports, communes = round.summary, round.reports, round.communes
    national = round.scope.national
    data_rows = [r for r in communes if not r.group]
    if national:
        appendix_rows = province_rows(communes, summary)
        chart = _province_chart(appendix_rows, data_rows)
    else:
        appendix_rows = data_rows
        chart = [
            BarGroup(r.stt, per_unit_rates(r.values))
            for r in data_rows
            if r.accepted and r.values.get("staff_total")
        ]
    totals: dict[str, int | None] = {
        t.indicator: (t.total if t.reporting_units else None) for t in summary.totals.indicators
    }
    body = build_body(summary, len(reports), chart, area_word)
    return ReportContent(
        body=body,
        notes=draft_notes(summary) if draft else [],
        communes=appendix_rows if national else communes,
        totals=totals,
        rates=rates_over([r for r in data_rows if r.accepted]),
        accepted_units=sum(1 for r in data_rows if r.accepted),
        files=[] if national else file_rows(reports),
        chart=chart,
        unverified=sum(1 for s in summary.all_sentences() if review_reasons(s)),
        province_files=province_files_rows(reports) if national else [],
    )
