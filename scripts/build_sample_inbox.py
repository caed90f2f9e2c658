"""Rebuild the bundled `inbox/`: the five seed documents plus generated Nghệ An commune documents.

The five `.docx` in `../shared/samples/docx/` are copied as they are (real commune texts). Around them we
generate documents of other Nghệ An communes, so the first run shows themes shared by several communes and
every status: a resubmission that supersedes an earlier report, a byte-identical copy, a former district,
files from other provinces, and files that cannot be read. Run from the repository root:

    .venv/bin/python scripts/build_sample_inbox.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpus import BAD_FILES, DocSpec, render_docx  # noqa: E402
from benchmarks.corpus import CAUSES as C  # noqa: E402
from benchmarks.corpus import DIFFICULTIES as D  # noqa: E402
from benchmarks.corpus import DIRECTIONS as H  # noqa: E402
from benchmarks.corpus import PROPOSALS as P  # noqa: E402
from benchmarks.corpus import RESULTS as R  # noqa: E402

NGHE_AN = "Tỉnh Nghệ An"


def specs() -> dict[str, DocSpec]:
    return {
        "UBND xa Do Luong - bao cao AI.docx": DocSpec(
            unit_name="Xã Đô Lương",
            province=NGHE_AN,
            seed=1,
            number=15,
            issued_on=dt.date(2026, 6, 3),
            header_table=True,
            staff_total=42,
            staff_using_ai=30,
            staff_trained=25,
            trainings=2,
            ai_accounts=12,
            results=[R[0], R[1], R[4]],
            difficulties=[D[0], D[3]],
            causes=[C[1]],
            directions=[H[1], H[4]],
            proposals=[P[1]],
        ),
        "UBND xa Do Luong - bao cao AI (thay the).docx": DocSpec(
            unit_name="Xã Đô Lương",
            province=NGHE_AN,
            seed=1,
            number=18,
            issued_on=dt.date(2026, 6, 10),
            header_table=True,
            replaces="15/BC-UBND",
            staff_total=42,
            staff_using_ai=32,
            staff_trained=28,
            trainings=3,
            ai_accounts=12,
            results=[R[0], R[1], R[4], R[5]],
            difficulties=[D[0], D[3]],
            causes=[C[1]],
            directions=[H[1], H[4]],
            proposals=[P[1], P[0]],
        ),
        "phuong-vinh-hung-bao-cao.docx": DocSpec(
            unit_name="Phường Vinh Hưng",
            province=NGHE_AN,
            seed=2,
            number=7,
            issued_on=dt.date(2026, 6, 5),
            auto_numbering=True,
            footnote=True,
            indicators_table=True,
            staff_total=36,
            staff_using_ai=28,
            staff_trained=30,
            trainings=2,
            ai_accounts=20,
            results=[R[1], R[2], R[3]],
            difficulties=[D[1], D[4]],
            causes=[C[0]],
            directions=[H[0], H[3]],
            proposals=[P[0], P[2]],
        ),
        "xa-nam-dan-bao-cao.docx": DocSpec(
            unit_name="Xã Nam Đàn",
            province=NGHE_AN,
            seed=3,
            number=None,
            issued_on=dt.date(2026, 6, 8),
            blank_day=True,
            header_table=False,
            staff_total=25,
            staff_using_ai=12,
            staff_trained=10,
            trainings=1,
            ai_accounts=5,
            results=[R[0], R[2]],
            difficulties=[D[0], D[1], D[2]],
            causes=[C[0], C[2]],
            directions=[H[1], H[2]],
            proposals=[P[0], P[3]],
        ),
        "BC 21 xa Quynh Luu ung dung AI.docx": DocSpec(
            unit_name="Xã Quỳnh Lưu",
            province=NGHE_AN,
            seed=4,
            number=21,
            issued_on=dt.date(2026, 6, 2),
            header_table=True,
            auto_numbering=True,
            staff_total=51,
            staff_using_ai=40,
            staff_trained=35,
            trainings=4,
            ai_accounts=15,
            results=[R[1], R[3], R[6]],
            difficulties=[D[3], D[4]],
            directions=[H[3], H[4]],
            proposals=[P[1], P[2]],
        ),
        "cua-lo-bao-cao-ai.docx": DocSpec(
            unit_name="Phường Cửa Lò",
            province=NGHE_AN,
            seed=5,
            number=9,
            issued_on=dt.date(2026, 5, 28),
            header_table=True,
            footnote=True,
            staff_total=33,
            staff_using_ai=21,
            staff_trained=18,
            trainings=2,
            ai_accounts=8,
            results=[R[0], R[5]],
            difficulties=[D[1], D[2]],
            causes=[C[0]],
            directions=[H[0], H[1]],
            proposals=[P[0]],
        ),
        "huyen-thanh-chuong-bao-cao-2025.docx": DocSpec(
            unit_name="Huyện Thanh Chương",
            province=NGHE_AN,
            seed=6,
            number=112,
            issued_on=dt.date(2026, 6, 1),
            header_table=True,
            staff_total=60,
            staff_using_ai=35,
            staff_trained=40,
            trainings=3,
            ai_accounts=10,
            results=[R[1], R[2]],
            difficulties=[D[0]],
            directions=[H[1]],
            proposals=[P[0]],
        ),
    }


def filled_form() -> bytes:
    """The Sở's Excel form as Xã Yên Thành filled it in, cell by cell through the form's defined names."""
    import io

    from openpyxl import load_workbook

    from tonghop.render.form_template import form_bytes

    blank, _ = form_bytes("Nghệ An", "2026-H1")
    wb = load_workbook(io.BytesIO(blank))

    def cells(name: str) -> list[object]:
        (sheet, ref), *_ = wb.defined_names[name].destinations
        found = wb[sheet][ref.replace("$", "")]
        if isinstance(found, tuple):
            return [c for row in found for c in (row if isinstance(row, tuple) else (row,))]
        return [found]

    values: dict[str, object] = {
        "unit_code": "Xã Yên Thành (17506)",
        "issued_on": dt.datetime(2026, 6, 9),
        "staff_total": 40,
        "staff_accessed_ai": 40,
        "staff_trained": 26,
        "staff_using_ai": 24,
        "ai_accounts": 9,
        "trainings": 2,
        "signer_name": "Đặng Văn Quang",
        "signer_title": "Chủ tịch UBND xã",
    }
    for name, value in values.items():
        cells(name)[0].value = value  # type: ignore[attr-defined]
    texts = {
        "results": [R[1], R[2]],
        "difficulties": [D[1], D[3]],
        "directions": [H[1]],
        "proposals": [P[0], P[1]],
    }
    for name, lines in texts.items():
        for cell, text in zip(cells(name), lines, strict=False):
            cell.value = text  # type: ignore[attr-defined]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def json_submission() -> bytes:
    """What another system (a district portal) sends: the exported report schema, as JSON."""
    import json

    payload = {
        "unit": {"code": 18001, "name": "Xã Hưng Nguyên", "province": "Tỉnh Nghệ An"},
        "doc_type": "bao_cao",
        "number": "33/BC-UBND",
        "issued_on": "2026-06-06",
        "title": "Báo cáo kết quả ứng dụng AI 6 tháng đầu năm 2026",
        "signer": {"name": "Bùi Thị Hạnh", "title": "Chủ tịch"},
        "indicators": {"staff_total": 29, "staff_using_ai": 17, "staff_trained": 17, "trainings": 1},
        "sections": {
            "results": [R[0], R[1]],
            "difficulties": [D[2], D[0]],
            "proposals": [P[0]],
        },
    }
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build(inbox: Path, samples: Path) -> list[Path]:
    inbox.mkdir(parents=True, exist_ok=True)
    for old in inbox.iterdir():
        if old.is_file() and old.name != "README.md":
            old.unlink()
    written = []
    for sample in sorted(samples.glob("*.docx")):
        written.append(Path(shutil.copy2(sample, inbox / sample.name)))
    for name, spec in specs().items():
        path = inbox / name
        path.write_bytes(render_docx(spec))
        written.append(path)
    for name, data in (
        ("bieu-mau-xa-yen-thanh.xlsx", filled_form()),
        ("hung-nguyen-tu-cong-thong-tin.json", json_submission()),
    ):
        path = inbox / name
        path.write_bytes(data)
        written.append(path)
    # A commune that sent the same file twice under another name.
    duplicate = inbox / "vinh-hung-gui-lai-lan-2.docx"
    duplicate.write_bytes((inbox / "phuong-vinh-hung-bao-cao.docx").read_bytes())
    written.append(duplicate)
    # Files a Sở really receives that cannot be read as they are.
    for name, target in (
        ("bao-cao-cu.doc", "xa-anh-son-bao-cao.doc"),
        ("bao-cao-scan.docx", "xa-tan-ky-scan.docx"),
    ):
        path = inbox / target
        path.write_bytes(BAD_FILES[name])
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(REPO / "inbox", REPO.parent / "shared" / "samples" / "docx"):
        print(path.relative_to(REPO))
