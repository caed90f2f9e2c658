"""`docx_template`: what docxtpl must get right for the report and the reminder, checked on the package.

Each test names a case docxtpl handles in a pass of its own (values with tabs and line breaks, `{%tc %}`
column loops, picture ids), so a docxtpl upgrade, or a shortcut taken around one of those passes, shows
here first.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from tonghop.errors import ConfigError
from tonghop.render.docx_template import open_template, render_template
from tonghop.render.report_docx.chart import BarGroup, percent_bar_chart

W_T = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def _render(template: DocxTemplate, context: dict[str, object], out: Path) -> Path:
    return render_template(template, context, out, name="mau.docx")


def test_rows_are_repeated_and_values_escaped(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Kính gửi: {{ recipient }}.")
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "STT", "Xã, phường"
    table.cell(1, 0).text = "{%tr for r in rows %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ r.stt }}", "{{ r.name }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    source = tmp_path / "mau.docx"
    document.save(str(source))
    injected = "</w:t></w:r></w:p><w:p><w:r><w:t>chèn"
    context = {
        "recipient": injected,
        "rows": [{"stt": i, "name": f"Xã <Số {i}> & “ngoặc” {{{{ x }}}}"} for i in range(1, 300)],
    }

    rendered = docx.Document(str(_render(open_template(source), context, tmp_path / "ra.docx")))

    assert [p.text for p in rendered.paragraphs] == [f"Kính gửi: {injected}."]
    assert len(rendered.tables[0].rows) == 1 + 299
    assert rendered.tables[0].cell(299, 1).text == "Xã <Số 299> & “ngoặc” {{ x }}"


def test_tabs_and_line_breaks_in_values_become_word_tabs_and_breaks(tmp_path: Path) -> None:
    """A tab or newline left inside `<w:t>` shows as a space in Word; it must become `<w:tab/>`, `<w:br/>`."""
    document = docx.Document()
    document.add_paragraph("Ghi chú:\t{{ note }}")
    document.add_paragraph("{{ plain }}")
    source = tmp_path / "mau.docx"
    document.save(str(source))
    context = {"note": "dòng một\ndòng hai\tcột", "plain": "không có ký tự đặc biệt"}

    out = _render(open_template(source), context, tmp_path / "ra.docx")

    xml = _document_xml(out)
    assert all("\n" not in t and "\t" not in t for t in W_T.findall(xml))
    assert xml.count("<w:br/>") == 1 and xml.count("<w:tab/>") == 2
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs == ["Ghi chú:\tdòng một\ndòng hai\tcột", "không có ký tự đặc biệt"]


def test_column_loops_widen_the_table_grid(tmp_path: Path) -> None:
    """A Sở template with `{%tc %}` columns needs docxtpl's grid fix, even when Word split the tag."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=4)
    table.cell(0, 0).text = "Chỉ tiêu"
    loop = table.cell(0, 1).paragraphs[0]
    loop.add_run("{%")  # Word splits what was typed in two goes into two runs
    loop.add_run("tc for c in columns %}")
    table.cell(0, 2).text = "{{ c }}"
    table.cell(0, 3).text = "{%tc endfor %}"
    source = tmp_path / "cot.docx"
    document.save(str(source))
    context = {"columns": ["Tài khoản", "Lớp", "Người", "Công cụ"]}

    rendered = docx.Document(str(_render(open_template(source), context, tmp_path / "ra.docx")))

    grid = rendered.tables[0]._tbl.tblGrid
    assert len(grid.gridCol_lst) == 5
    assert [c.text for c in rendered.tables[0].rows[0].cells] == ["Chỉ tiêu", *context["columns"]]


def test_pictures_inserted_in_a_loop_get_distinct_ids(tmp_path: Path) -> None:
    """Word reports a document with two pictures of the same `wp:docPr` id as damaged."""
    document = docx.Document()
    document.add_paragraph("{% for image in images %}{{ image }}{% endfor %}")
    source = tmp_path / "hinh.docx"
    document.save(str(source))
    template = open_template(source)
    png = percent_bar_chart([BarGroup("1", (0.5, 0.25)), BarGroup("2", (1.0, None))], width=120, height=80)
    images = [InlineImage(template, io.BytesIO(png), width=Mm(20)) for _ in range(3)]

    xml = _document_xml(_render(template, {"images": images}, tmp_path / "ra.docx"))

    ids = re.findall(r'<wp:docPr id="(\d+)"', xml)
    assert len(ids) == 3 and len(set(ids)) == 3


def test_a_missing_template_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"build_templates\.py"):
        open_template(tmp_path / "khong-co.docx")
