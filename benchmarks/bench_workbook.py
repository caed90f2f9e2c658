"""The workbook writer on a national round: the hand-written SpreadsheetML against XlsxWriter.

Issue #22 asked to benchmark XlsxWriter (`constant_memory`, `strings_to_formulas=False`) against
`tonghop/render/xlsx_stream.py` on the national workbook, and to keep the hand-written writer only if it is
more than 1.5 times faster. This builds a national-size round in memory (every commune of the roster with
one report, themes per province citing every paragraph: about as many rows on the items sheet as the
national run wrote) and writes `du-lieu.xlsx` with both, alternately:

    .venv/bin/pip install xlsxwriter   # this benchmark's own need; the project does not depend on it
    .venv/bin/python benchmarks/bench_workbook.py [--runs 5] [--check]

The XlsxWriter writer lives here (`XlsxWriterCandidate`): it writes the same `Sheet`s with the same styles,
so the two are compared on identical tables. Printed per writer: the median wall and CPU time of the
tables built and written (what `write_workbook` does) and of the writing alone, the peak of Python
allocations while writing (tracemalloc, a separate run), the file's size, and the ratio against the
issue's threshold. `--check` reads both files back with openpyxl and compares every cell.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpus import CAUSES, DIFFICULTIES, DIRECTIONS, PROPOSALS, RESULTS  # noqa: E402
from schemas.report import (  # noqa: E402
    SECTION_NAMES,
    CommuneReport,
    DocType,
    Indicators,
    Issue,
    Item,
    Sections,
    Source,
    Status,
)
from schemas.summary import Citation, ProvincialSummary, Sentence, Theme, UnitRef  # noqa: E402
from tonghop.check.coverage import compute_coverage, compute_totals  # noqa: E402
from tonghop.render import workbook  # noqa: E402
from tonghop.render.view import Round  # noqa: E402
from tonghop.render.xlsx_stream import CellStyle, Sheet, clean_text, is_formula_like, write_xlsx  # noqa: E402
from tonghop.settings import Settings  # noqa: E402
from tonghop.units.roster import load_roster  # noqa: E402

KEEP_IF_FASTER = 1.5  # issue #22: the hand-written writer stays only if it is this many times faster
TEXTS = dict(zip(SECTION_NAMES, (RESULTS, DIFFICULTIES, CAUSES, DIRECTIONS, PROPOSALS), strict=True))
# Paragraphs per report and section, about as many as the national corpus has.
PER_SECTION = {"results": 4, "difficulties": 2, "causes": 1, "directions": 2, "proposals": 1}
RECEIVED = dt.datetime(2026, 6, 10, 1, 0, tzinfo=dt.UTC)


def national_round(seed: int = 7) -> tuple[list[CommuneReport], ProvincialSummary]:
    """Every commune of the roster with one report; themes per province and section citing its paragraphs."""
    rng = random.Random(seed)
    roster = load_roster()
    expected = roster.communes(None)
    reports: list[CommuneReport] = []
    for i, ref in enumerate(expected):
        unit = roster.unit_for_code(ref.code) if ref.code is not None else None
        file = f"{i:04d}-bao-cao-ai-{ref.code}.docx"
        if i % 40 == 39:  # a few are rejected, as in a real round
            reports.append(
                CommuneReport(
                    file=file.replace(".docx", ".doc"),
                    sha256=f"{i:064x}",
                    received_at=RECEIVED,
                    format="other",
                    status=Status.REJECTED,
                    unit=unit,
                    errors=[Issue(code="legacy_doc", message=f"Tệp {file}: là tệp Word cũ (.doc)")],
                )
            )
            continue
        sections = {
            name: [
                Item(text=text, source=Source(file=file, paragraph=10 + 5 * j + k))
                for k, text in enumerate(rng.sample(TEXTS[name], PER_SECTION[name]))
            ]
            for j, name in enumerate(SECTION_NAMES)
        }
        staff = rng.randint(20, 60)
        using = rng.randint(0, staff)
        reports.append(
            CommuneReport(
                file=file,
                sha256=f"{i:064x}",
                size=20_000 + i,
                received_at=RECEIVED + dt.timedelta(minutes=i),
                format="docx",
                status=Status.ACCEPTED,
                unit=unit,
                unit_text=f"UBND {ref.name}",
                doc_type=DocType.BAO_CAO,
                number=f"{i}/BC-UBND",
                issued_on=dt.date(2026, 6, 1 + i % 9),
                title=f"Báo cáo ứng dụng AI tại {ref.name}",
                sections=Sections(**sections),
                indicators=Indicators(
                    staff_total=staff,
                    staff_accessed_ai=rng.randint(using, staff),
                    staff_trained=rng.randint(0, staff),
                    staff_using_ai=using,
                    ai_accounts=rng.randint(0, 30),
                    trainings=rng.randint(0, 5),
                ),
                warnings=[Issue(code="late", message=f"Tệp {file}: gửi muộn.")] if i % 17 == 0 else [],
            )
        )
    coverage = compute_coverage(reports, expected, province=None, deadline=dt.date(2026, 6, 15))
    return reports, ProvincialSummary(
        round="2026-H1",
        province=None,
        generated_at=RECEIVED,
        coverage=coverage,
        sections=_themes(reports, rng),
        totals=compute_totals(reports),
    )


def _themes(reports: list[CommuneReport], rng: random.Random) -> dict[str, list[Theme]]:
    """Per province and section, statements citing 1 to 16 paragraphs each, every paragraph once."""
    sections: dict[str, list[Theme]] = {name: [] for name in SECTION_NAMES}
    by_province: dict[str, list[CommuneReport]] = {}
    for r in reports:
        if r.status == Status.ACCEPTED and r.unit is not None and r.unit.province:
            by_province.setdefault(r.unit.province, []).append(r)
    for province, group in sorted(by_province.items()):
        for name in SECTION_NAMES:
            citations = [
                Citation(
                    unit_code=r.unit.code,
                    unit_name=r.unit.name,
                    file=r.file,
                    sha256=r.sha256,
                    section=name,
                    item_index=k,
                    source=item.source,
                    text=item.text,
                )
                for r in group
                if r.unit is not None
                for k, item in enumerate(getattr(r.sections, name))
            ]
            rng.shuffle(citations)
            sentences: list[Sentence] = []
            while citations:
                k = rng.randint(1, 16)
                cited, citations = citations[:k], citations[k:]
                n = len(sections[name]) + 1
                llm = rng.random() < 0.3
                sentences.append(
                    Sentence(
                        id=f"{name}-{n}-{len(sentences) + 1}",
                        text=cited[0].text,
                        origin="llm" if llm else "extracted",
                        citations=cited,
                        unverified=llm and rng.random() < 0.1,
                        unverified_numbers=["80%"] if llm else [],
                    )
                )
                if len(sentences) == 6 or not citations:
                    units = {
                        c.unit_code: UnitRef(code=c.unit_code, name=c.unit_name)
                        for s in sentences
                        for c in s.citations
                    }
                    sections[name].append(
                        Theme(
                            id=f"{name}-{n}",
                            section=name,
                            title=sentences[0].text[:60],
                            sentences=sentences,
                            units=list(units.values()),
                            unit_count=len(units),
                            item_count=sum(len(s.citations) for s in sentences),
                            province=province,
                        )
                    )
                    sentences = []
    return sections


class XlsxWriterCandidate:
    """The same sheets written with XlsxWriter as issue #22 proposed it: `constant_memory`, no formulas,
    no links, no numbers from text; the same styles, widths, frozen header, filters and quote prefix.

    It writes `xlsx_stream`'s `Sheet`s, so both writers get the very same tables.
    """

    OPTIONS: ClassVar[dict[str, bool]] = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }

    def __init__(self) -> None:
        import xlsxwriter  # only this benchmark needs it: `.venv/bin/pip install xlsxwriter`

        self._workbook_class = xlsxwriter.Workbook
        self._formats: dict[CellStyle, Any] = {}

    def write(self, path: Path, sheets: list[Sheet], *, title: str) -> None:
        self._formats = {}
        with self._workbook_class(str(path), self.OPTIONS) as workbook:
            workbook.set_properties({"title": title, "author": "tonghop"})
            for sheet in sheets:
                self._sheet(workbook, sheet)

    def _format(self, workbook: Any, style: CellStyle | None) -> Any:
        if style is None or style == CellStyle():
            return None
        found = self._formats.get(style)
        if found is None:
            properties: dict[str, Any] = {}
            if style.bold:
                properties["bold"] = True
            if style.fill:
                properties.update(bg_color=f"#{style.fill}", pattern=1)
            if style.wrap:
                properties.update(text_wrap=True, valign="vcenter" if style.wrap == "center" else style.wrap)
            if style.number_format:
                properties["num_format"] = style.number_format
            if style.quote_prefix:
                properties["quote_prefix"] = True
            found = self._formats[style] = workbook.add_format(properties)
        return found

    @staticmethod
    def _text(value: str) -> str:
        """As `xlsx_stream` cleans it; line breaks as Excel's (XlsxWriter would write CR as `_x000D_`);
        and text shaped `<r>…</r>`, which XlsxWriter would copy into the XML unescaped, as one escaped run."""
        text = clean_text(value)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("<r>") and text.endswith("</r>"):
            text = f'<r><t xml:space="preserve">{escape(text)}</t></r>'
        return text

    def _sheet(self, workbook: Any, sheet: Sheet) -> None:
        ws = workbook.add_worksheet(sheet.name)
        columns = len(sheet.headers)
        styles = [sheet.column_styles.get(c) or CellStyle() for c in range(columns)]
        plain = [self._format(workbook, s) for s in styles]
        quoted = [self._format(workbook, s._replace(quote_prefix=True)) for s in styles]
        for c, width in enumerate(sheet.widths):
            ws.set_column(c, c, width, plain[c])  # the column's format shows on its blank cells too
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(sheet.rows), max(columns - 1, 0))
        header = self._format(workbook, sheet.header_style)
        for c, text in enumerate(sheet.headers):
            ws.write_string(0, c, self._text(text), header)
        write_string, write_number, text_of = ws.write_string, ws.write_number, self._text
        for r, values in enumerate(sheet.rows, start=1):
            for c, value in enumerate(values):
                kind = type(value)
                if kind is str:
                    if value:
                        text = text_of(value)
                        write_string(r, c, text, quoted[c] if is_formula_like(text) else plain[c])
                elif value is None:
                    continue
                elif kind is int:
                    write_number(r, c, value, plain[c])
                elif kind is bool:
                    ws.write_boolean(r, c, value, plain[c])
                elif kind is float:
                    if math.isfinite(value):
                        write_number(r, c, value, plain[c])
                elif isinstance(value, dt.date):  # the workbook's date columns all name their format
                    ws.write_datetime(r, c, value, plain[c])
                else:
                    raise TypeError(type(value).__name__)


def _seconds(job: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU time of one run: the host may be shared, and CPU time is what a busy host spares."""
    wall, cpu = time.perf_counter(), time.process_time()
    job()
    return time.perf_counter() - wall, time.process_time() - cpu


def _peak_mb(job: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets
        }
    finally:
        workbook.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="compare every cell of the two files (slow)")
    args = parser.parse_args()

    started = time.perf_counter()
    reports, summary = national_round()
    settings = Settings(province=None, round=summary.round)
    round = Round.build(settings, reports, summary)
    communes = round.communes
    print(
        f"Kỳ toàn quốc dựng trong {time.perf_counter() - started:.1f} s: {len(reports)} báo cáo, "
        f"{len(summary.all_sentences())} câu tổng hợp"
    )
    candidate = XlsxWriterCandidate()
    out = Path(tempfile.mkdtemp(prefix="tonghop-bench-workbook-"))
    try:
        paths = {"xlsx_stream": out / "stream.xlsx", "xlsxwriter": out / "xlsxwriter.xlsx"}
        title = f"Dữ liệu tổng hợp kỳ {summary.round}"

        def tables() -> list[Sheet]:
            return [
                workbook._communes(reports, summary, communes),
                workbook._items(summary),
                workbook._intake(reports),
            ]

        sheets = tables()
        cells = sum(len(s.rows) * len(s.headers) for s in sheets)
        print(f"Bảng tính: {', '.join(f'{s.name} {len(s.rows)} dòng' for s in sheets)}; {cells} ô")
        # render: the tables built and written, as write_workbook does; write: the writing alone.
        jobs: dict[tuple[str, str], Callable[[], object]] = {
            ("xlsx_stream", "render"): lambda: workbook.write_workbook(round, paths["xlsx_stream"]),
            ("xlsxwriter", "render"): lambda: candidate.write(paths["xlsxwriter"], tables(), title=title),
            ("xlsx_stream", "write"): lambda: write_xlsx(
                out / "w1.xlsx", sheets, creator="tonghop", title=title
            ),
            ("xlsxwriter", "write"): lambda: candidate.write(out / "w2.xlsx", sheets, title=title),
        }
        for job in jobs.values():  # warm up: imports, caches
            job()
        times: dict[tuple[str, str], list[tuple[float, float]]] = {key: [] for key in jobs}
        for _ in range(args.runs):  # alternated, so a busy moment of the host weighs on both writers
            for key, job in jobs.items():
                times[key].append(_seconds(job))
        wall = {key: statistics.median(t[0] for t in values) for key, values in times.items()}
        cpu = {key: statistics.median(t[1] for t in values) for key, values in times.items()}
        peaks = {name: _peak_mb(jobs[name, "write"]) for name in paths}
        print(f"Trung vị của {args.runs} lần (thời gian thực / CPU):")
        for name, path in paths.items():
            print(
                f"  {name:11s}  write_workbook {wall[name, 'render']:5.2f} / {cpu[name, 'render']:5.2f} s   "
                f"chỉ ghi {wall[name, 'write']:5.2f} / {cpu[name, 'write']:5.2f} s   "
                f"đỉnh bộ nhớ khi ghi {peaks[name]:5.1f} MB   tệp {path.stat().st_size / 2**20:4.1f} MB"
            )
        for kind in ("render", "write"):
            by_wall = wall["xlsxwriter", kind] / wall["xlsx_stream", kind]
            by_cpu = cpu["xlsxwriter", kind] / cpu["xlsx_stream", kind]
            print(f"  {kind}: xlsx_stream nhanh hơn {by_wall:.2f} lần (CPU: {by_cpu:.2f} lần)")
        ratio = cpu["xlsxwriter", "render"] / cpu["xlsx_stream", "render"]
        verdict = "giữ xlsx_stream" if ratio > KEEP_IF_FASTER else "thay bằng XlsxWriter"
        print(f"  Ngưỡng của issue #22: {KEEP_IF_FASTER} lần -> {verdict}")
        if args.check:
            same = _cells(paths["xlsx_stream"]) == _cells(paths["xlsxwriter"])
            print("Mọi ô của hai tệp giống nhau." if same else "CÓ Ô KHÁC NHAU giữa hai tệp.")
            if not same:
                sys.exit(1)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
