"""The national report rendered by plain docxtpl and by the overrides tonghop once used to skip its passes.

`docx_template._Template` overrode five docxtpl methods so that a national report with a row per commune
in its appendices would not pay for docxtpl's whole-body passes. National appendices now have a row per
province, so the question (tonghop issue #22) is whether the overrides still save anything worth their
coupling to docxtpl's internals. This renders the national report both ways, alternating, and prints the
times and whether the two documents read the same.

The overrides are kept below, as they were in `tonghop/render/docx_template.py`, so the comparison can be
repeated against whatever docxtpl version is installed.

    .venv/bin/python benchmarks/bench_report_docx.py                      # builds a national round once
    .venv/bin/python benchmarks/bench_report_docx.py outbox/2026-H1 --repeat 7
"""

from __future__ import annotations

import argparse
import atexit
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import docx  # noqa: E402 - after the path above
from docx.oxml.ns import qn  # noqa: E402
from docx.oxml.parser import element_class_lookup  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402
from lxml import etree  # noqa: E402

OUT = REPO / "benchmarks" / "out"

_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", flags=re.DOTALL)
_MARKUP = re.compile(r"<[^>]*>")
_COLUMN_LOOP = re.compile(r"\{%-?\s*tc\b")
_BODY_OPENING = re.compile(r"<w:body\b[^>]*>")
_BODY = re.compile(r"<w:body\b.*</w:body>|<w:body\b[^>]*/>", flags=re.DOTALL)


def _body_parser() -> etree.XMLParser:
    parser = etree.XMLParser(recover=True, resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    return parser


class OverriddenTemplate(DocxTemplate):
    """The former `docx_template._Template`: docxtpl minus its listing pass on paragraphs without a tab
    or newline, minus its `{%tc %}` grid pass on templates without column loops, and with the rendered
    body parsed inside a copy of the document rather than moved into it."""

    def resolve_listing(self, xml: str) -> str:
        if not _LISTING_CHARACTERS.search(xml):
            return xml
        own = super().resolve_listing

        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return str(own(text)) if _LISTING_CHARACTERS.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml)

    def fix_tables(self, xml: str) -> Any:
        if self._column_loops:
            return super().fix_tables(xml)
        document = self.xml_to_string(self.docx.element)
        opening = _BODY_OPENING.match(xml)
        own = _BODY_OPENING.search(document)
        if opening and own:
            xml = own.group(0).removesuffix("/>").removesuffix(">") + ">" + xml[opening.end() :]
        return etree.fromstring(_BODY.sub(lambda _: xml, document, count=1).encode("utf-8"), _body_parser())

    def fix_docpr_ids(self, tree: Any) -> None:
        for element in tree.iter(qn("wp:docPr")):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        if tree.tag != self.docx.element.tag:
            super().map_tree(tree)
            return
        part = self.docx.part
        part._element = tree
        self.docx._element = tree
        self.docx._Document__body = None

    def build_xml(self, context: Any, jinja_env: Any = None) -> str:
        self._column_loops = bool(_COLUMN_LOOP.search(_MARKUP.sub("", self.get_xml())))
        return str(super().build_xml(context, jinja_env))


def national_round() -> Path:
    """A national round of the generated corpus (every commune of the roster), produced once and reused."""
    from benchmarks.bench_run import build_corpus

    inbox = build_corpus(None, 2026, 1)
    outbox = OUT / "report-docx" / "outbox"
    round_dir = outbox / "2026-H1"
    if not (round_dir / "summary.json").is_file():
        command = [sys.executable, "-m", "tonghop.cli", "run", "--national", "--round", "2026-H1"]
        command += ["--inbox", str(inbox), "--outbox", str(outbox), "--no-progress"]
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return round_dir


def document_text(path: Path) -> list[str]:
    """What a reader of the report sees: every paragraph and every table cell, in order."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend("\t".join(cell.text for cell in row.cells) for row in table.rows)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("round_dir", type=Path, nargs="?", help="a national round (default: built once)")
    parser.add_argument("--repeat", type=int, default=5, help="renders of each kind; the minimum counts")
    args = parser.parse_args()

    from tonghop.render.docx_template import render_template, template_path
    from tonghop.render.report_docx.document import TEMPLATE_NAME, template_context
    from tonghop.render.view import Round
    from tonghop.settings import Settings
    from tonghop.store.round_files import load_round

    round_dir = args.round_dir or national_round()
    summary, reports = load_round(round_dir)
    settings = Settings(province=summary.province, round=summary.round)
    round = Round.build(settings, reports, summary)
    print(f"Máy: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"Kỳ {summary.round}, {'toàn quốc' if summary.province is None else summary.province}: "
        f"{len(reports)} văn bản, {summary.coverage.expected} xã, phường phải báo cáo, "
        f"{len(summary.by_province)} tỉnh, thành phố, {len(summary.all_sentences())} câu"
    )
    out = Path(tempfile.mkdtemp(prefix="tonghop-report-docx-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)

    def render(kind: type[DocxTemplate], path: Path) -> tuple[float, float]:
        """Seconds for the whole report and for docxtpl's part alone (render and save)."""
        started = time.perf_counter()
        template = kind(str(template_path(settings, TEMPLATE_NAME)))
        context, _ = template_context(template, round, draft=True)
        middle = time.perf_counter()
        render_template(template, context, path, name=TEMPLATE_NAME)
        ended = time.perf_counter()
        return ended - started, ended - middle

    kinds: dict[str, type[DocxTemplate]] = {"docxtpl": DocxTemplate, "overrides": OverriddenTemplate}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    render(DocxTemplate, out / "warm-up.docx")  # imports, fonts, the template's first read
    for attempt in range(args.repeat):
        order = list(kinds) if attempt % 2 == 0 else list(reversed(kinds))
        for name in order:
            times[name].append(render(kinds[name], out / f"{name}.docx"))
    for name, measured in times.items():
        whole = [w for w, _ in measured]
        part = [p for _, p in measured]
        print(
            f"{name:10s} báo cáo: min {min(whole):.3f} s, trung vị {statistics.median(whole):.3f} s; "
            f"riêng docxtpl (render + lưu): min {min(part):.3f} s, trung vị {statistics.median(part):.3f} s"
        )
    saving = min(w for w, _ in times["docxtpl"]) - min(w for w, _ in times["overrides"])
    print(f"Các phương thức ghi đè tiết kiệm: {saving:.3f} s (ngưỡng giữ lại trong issue #22: 1 s)")
    same = document_text(out / "docxtpl.docx") == document_text(out / "overrides.docx")
    size = {name: (out / f"{name}.docx").stat().st_size for name in kinds}
    print(f"Nội dung hai văn bản giống nhau: {'có' if same else 'KHÔNG'}; kích thước (byte): {size}")


if __name__ == "__main__":
    main()
