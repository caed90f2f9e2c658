"""The record of one inbox file, from intake to the consolidated outputs.

`CommuneReport` is the single contract between the readers (.docx, .xlsx form, .json), the status
decisions, the summarizers and the renderers: `reports.json` is a list of these, and its JSON Schema in
`schemas/report.schema.json` is exported from this module, never written by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SECTION_NAMES: tuple[str, ...] = ("results", "difficulties", "causes", "directions", "proposals")

SECTION_LABELS_VI: dict[str, str] = {
    "results": "Kết quả đạt được",
    "difficulties": "Khó khăn, vướng mắc, tồn tại, hạn chế",
    "causes": "Nguyên nhân",
    "directions": "Phương hướng, nhiệm vụ, giải pháp",
    "proposals": "Đề xuất, kiến nghị",
}


@dataclass(frozen=True)
class IndicatorSpec:
    """One figure a commune reports, with every word the products say about it.

    `unit_vi` counts the figure in the consolidated report (`36 người`). A figure with a `rate_label_vi`
    counts some of the staff, so it is a part of `staff_total`: the outputs also give it as a rate of
    that total, and a report where it exceeds the total is rejected.
    """

    name: str
    label_vi: str
    unit_vi: str = "người"
    rate_label_vi: str | None = None


# The one declaration of the indicators: the names, labels and rates below, the `Indicators` model, the
# form's rows and every output follow this order (tests hold the models to it).
INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("staff_total", "Tổng số cán bộ, công chức"),
    IndicatorSpec("staff_accessed_ai", "Số CBCC được tiếp cận AI", rate_label_vi="được tiếp cận AI"),
    IndicatorSpec("staff_trained", "Số CBCC được tập huấn về AI", rate_label_vi="được tập huấn về AI"),
    IndicatorSpec(
        "staff_using_ai", "Số CBCC sử dụng AI trong công việc", rate_label_vi="sử dụng AI trong công việc"
    ),
    IndicatorSpec("ai_accounts", "Số tài khoản AI", unit_vi="tài khoản"),
    IndicatorSpec("trainings", "Số lớp tập huấn", unit_vi="lớp"),
)
INDICATOR_NAMES: tuple[str, ...] = tuple(spec.name for spec in INDICATORS)
INDICATOR_LABELS_VI: dict[str, str] = {spec.name: spec.label_vi for spec in INDICATORS}
# The figures that are parts of `staff_total`, in table order.
RATE_INDICATOR_NAMES: tuple[str, ...] = tuple(s.name for s in INDICATORS if s.rate_label_vi is not None)

# A structured submission's own fields (the Excel form's cells, a JSON export's keys) besides the
# indicators and sections; the form prints these labels and the reader's errors name them.
FIELD_LABELS_VI: dict[str, str] = {
    "unit_code": "Đơn vị (xã, phường, đặc khu)",
    "period": "Kỳ báo cáo",
    "issued_on": "Ngày báo cáo",
    "signer_name": "Người ký báo cáo",
    "signer_title": "Chức vụ người ký",
}


class Status(StrEnum):
    """Where a file ended up; only `accepted` feeds the summary."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    SUPERSEDED = "superseded"
    OUT_OF_SCOPE = "out_of_scope"
    OTHER_ISSUER = "other_issuer"
    OFF_TOPIC = "off_topic"


STATUS_LABELS_VI: dict[str, str] = {
    "accepted": "Đã tiếp nhận",
    "rejected": "Bị từ chối",
    "duplicate": "Trùng lặp",
    "superseded": "Đã được thay thế",
    "out_of_scope": "Ngoài phạm vi",
    "other_issuer": "Không phải cơ quan báo cáo",
    "off_topic": "Khác chủ đề",
}


class IssuerKind(StrEnum):
    """The kind of body that issued a document, read from its header block."""

    UBND = "ubnd"
    HDND = "hdnd"
    MTTQ = "mttq"
    DANG_UY = "dang_uy"
    DOAN_THE = "doan_the"
    COMMITTEE = "committee"
    DEPARTMENT = "department"
    OTHER = "other"


ISSUER_KIND_LABELS_VI: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "mttq": "Ủy ban Mặt trận Tổ quốc",
    "dang_uy": "Đảng ủy",
    "doan_the": "tổ chức đoàn thể",
    "committee": "ban chỉ đạo, ủy ban hoặc tổ công tác",
    "department": "phòng, ban, văn phòng",
    "other": "cơ quan khác",
}


class DocType(StrEnum):
    BAO_CAO = "bao_cao"
    KE_HOACH = "ke_hoach"
    CONG_VAN = "cong_van"
    TIN_BAI = "tin_bai"
    KHAC = "khac"


DOC_TYPE_LABELS_VI: dict[str, str] = {
    "bao_cao": "Báo cáo",
    "ke_hoach": "Kế hoạch",
    "cong_van": "Công văn",
    "tin_bai": "Tin bài",
    "khac": "Văn bản khác",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Source(_Model):
    """Where a piece of text came from, precise enough for an analyst to find it in the original file.

    `paragraph` is the index of the block in document order (paragraphs and tables counted together,
    starting at 0). Text from a table also carries `table`, `row` and `cell`; text from a footnote carries
    `footnote`; a form cell carries `cell` as an Excel reference (`C7`); a JSON submission carries `path`.
    """

    file: str
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | str | None = None
    footnote: int | None = None
    path: str | None = None

    def label(self) -> str:
        """A short Vietnamese locator shown to analysts, e.g. `đoạn 12` or `bảng 2, dòng 3, ô 2`."""
        parts: list[str] = []
        if self.footnote is not None:
            parts.append(f"chú thích {self.footnote}")
        if self.table is not None:
            parts.append(f"bảng {self.table + 1}")
            if self.row is not None:
                parts.append(f"dòng {self.row + 1}")
            if self.cell is not None:
                parts.append(f"ô {self.cell + 1 if isinstance(self.cell, int) else self.cell}")
        elif isinstance(self.cell, str):
            parts.append(f"ô {self.cell}")
        if self.paragraph is not None and self.table is None:
            parts.append(f"đoạn {self.paragraph + 1}")
        if self.path:
            parts.append(self.path)
        return ", ".join(parts) or "cả văn bản"


class Item(_Model):
    """One statement of a section (a list item or a paragraph under a heading)."""

    text: str
    source: Source


class Sections(_Model):
    results: list[Item] = Field(default_factory=list)
    difficulties: list[Item] = Field(default_factory=list)
    causes: list[Item] = Field(default_factory=list)
    directions: list[Item] = Field(default_factory=list)
    proposals: list[Item] = Field(default_factory=list)

    def items(self) -> list[tuple[str, Item]]:
        return [(name, item) for name in SECTION_NAMES for item in getattr(self, name)]

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in SECTION_NAMES)


# Written out, not built from `INDICATORS`, so type checkers know its fields (and its docstring is the
# schema's description); tests/test_schemas.py holds the fields to the table's names, in order.
class Indicators(_Model):
    """The figures a commune reports; `None` means "not stated", never zero."""

    staff_total: int | None = Field(default=None, ge=0)
    staff_accessed_ai: int | None = Field(default=None, ge=0)
    staff_trained: int | None = Field(default=None, ge=0)
    staff_using_ai: int | None = Field(default=None, ge=0)
    ai_accounts: int | None = Field(default=None, ge=0)
    trainings: int | None = Field(default=None, ge=0)


class IndicatorEvidence(_Model):
    """Why an indicator has its value: the text it was read from."""

    indicator: str
    value: int
    text: str
    source: Source


class Issue(_Model):
    """An error (the file is rejected) or a warning (kept, shown to the analyst), with a stable code."""

    code: str
    message: str


class Unit(_Model):
    """The issuing unit resolved against the official roster.

    `code` is the 2025 roster code (xã/phường/đặc khu). A pre-2025 unit (huyện, thị trấn…) has
    `legacy=True`, no commune code, and is mapped to its current province.
    """

    code: int | None = None
    name: str
    province: str | None = None
    province_code: int | None = None
    division_type: str | None = None
    legacy: bool = False
    legacy_province: str | None = None


class Issuer(_Model):
    """Who issued the document, from the block of lines above its number (Nghị định 30's "tên cơ quan").

    `lines` are the block as written, in order ("ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG
    TRỰC"); `kind` is the body that speaks, and `parent_kind` the body it belongs to when the block names
    one above it (a Văn phòng of a UBND, a Tiểu ban of an Ủy ban bầu cử); `commune` is the xã/phường the
    block names, as written.
    """

    kind: IssuerKind = IssuerKind.OTHER
    parent_kind: IssuerKind | None = None
    name: str
    lines: list[str] = Field(default_factory=list)
    commune: str | None = None

    def describe(self) -> str:
        """`"ỦY BAN MTTQ VIỆT NAM / XÃ LƯƠNG MINH / BAN THƯỜNG TRỰC" (Ủy ban Mặt trận Tổ quốc)`."""
        return f"“{self.name}” ({ISSUER_KIND_LABELS_VI[self.kind.value]})"


class Signer(_Model):
    name: str | None = None
    title: str | None = None


class CommuneReport(_Model):
    """Everything read out of one inbox file, and what became of it."""

    file: str
    sha256: str
    size: int = 0
    received_at: dt.datetime | None = None
    format: Literal["docx", "xlsx", "json", "other"] = "other"
    status: Status = Status.ACCEPTED
    errors: list[Issue] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)
    unit: Unit | None = None
    unit_text: str | None = Field(default=None, description="The issuing unit as written in the document.")
    unit_hints: list[str] = Field(
        default_factory=list,
        description="Other phrases naming the unit (title, closing line, body), best first.",
    )
    province_text: str | None = Field(default=None, description="A province named in the document, if any.")
    issuing_body: str | None = None
    issuer: Issuer | None = Field(default=None, description="The issuing body as a record, from the header.")
    doc_type: DocType = DocType.KHAC
    number: str | None = None
    issued_on: dt.date | None = None
    issued_month: str | None = Field(
        default=None,
        description="Month of a date written with a blank day ('2026-01'), so drafts still order by date.",
    )
    subjects: list[str] | None = Field(
        default=None,
        description=(
            "Subjects of schemas/subjects.toml the title or body addresses; None when not assessed "
            "(a structured submission answers the round's own form)."
        ),
    )
    place: str | None = None
    title: str | None = None
    recipients: list[str] = Field(default_factory=list)
    signer: Signer = Field(default_factory=Signer)
    cc: list[str] = Field(default_factory=list)
    replaces: str | None = Field(default=None, description="Reference of the report this one replaces.")
    sections: Sections = Field(default_factory=Sections)
    indicators: Indicators = Field(default_factory=Indicators)
    indicator_evidence: list[IndicatorEvidence] = Field(default_factory=list)
    footnotes: list[Item] = Field(default_factory=list)
    duplicate_of: str | None = None
    superseded_by: str | None = None
    supersedes: list[str] = Field(default_factory=list)

    def reason(self) -> str:
        """The one-line Vietnamese reason shown in intake.csv and the CLI summary."""
        if self.errors:
            return "; ".join(e.message for e in self.errors)
        if self.status == Status.DUPLICATE and self.duplicate_of:
            return f"Trùng lặp hoàn toàn với tệp {self.duplicate_of}"
        if self.status == Status.SUPERSEDED and self.superseded_by:
            return f"Đã được thay thế bởi tệp {self.superseded_by}"
        if self.status == Status.OUT_OF_SCOPE and self.unit:
            return (
                f"Đơn vị {self.unit.name} thuộc {self.unit.province or 'tỉnh khác'}, ngoài phạm vi tổng hợp"
            )
        if self.status == Status.OTHER_ISSUER and self.issuer:
            return (
                f"Văn bản do {self.issuer.describe()} ban hành, không phải cơ quan báo cáo của kỳ này: "
                "đã tiếp nhận và đọc nhưng không tính là báo cáo của xã, phường"
            )
        if self.status == Status.OFF_TOPIC:
            title = f"“{self.title}”" if self.title else "không có trích yếu"
            return (
                f"Văn bản ({title}) không đề cập chủ đề của kỳ báo cáo: đã tiếp nhận nhưng không tính "
                "vào tổng hợp"
            )
        return ""


class ReportList(_Model):
    """The root of `reports.json`."""

    round: str
    province: str | None
    reports: list[CommuneReport]
