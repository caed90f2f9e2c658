"""`docx_template._Template` skips docxtpl passes for speed; its documents must stay docxtpl's documents.

The comparison is on the body's XML with namespace declarations removed: the fast path may repeat a
declaration on an inserted picture, which changes nothing for Word or LibreOffice.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docxtpl import DocxTemplate
from jinja2 import Environment

from tonghop.render.docx_template import open_template

XMLNS = re.compile(r' xmlns:\w+="[^"]*"')


def _body_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return XMLNS.sub("", xml[xml.index("<w:body") :])


def _row_loop_template(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Kính gửi: {{ recipient }}.")
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "STT", "Xã, phường"
    table.cell(1, 0).text = "{%tr for r in rows %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ r.stt }}", "{{ r.name }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("Ghi chú:\t{{ note }}")
    document.save(str(path))
    return path


def _render(template: DocxTemplate, context: dict[str, object], out: Path) -> Path:
    template.render(context, jinja_env=Environment(autoescape=True))
    template.save(str(out))
    return out


def test_fast_path_writes_the_body_docxtpl_writes(tmp_path: Path) -> None:
    source = _row_loop_template(tmp_path / "mau.docx")
    context = {
        "recipient": "Bộ Khoa học và Công nghệ",
        "rows": [{"stt": i, "name": f"Xã <Số {i}> & “ngoặc”"} for i in range(1, 300)],
        "note": "dòng một\ndòng hai\tcột",
    }
    ours = _render(open_template(source), context, tmp_path / "ours.docx")
    plain = _render(DocxTemplate(str(source)), context, tmp_path / "docxtpl.docx")

    assert _body_xml(ours) == _body_xml(plain)
    rendered = docx.Document(str(ours))
    assert len(rendered.tables[0].rows) == 1 + 299
    assert rendered.tables[0].cell(299, 1).text == "Xã <Số 299> & “ngoặc”"
    # The document element was replaced: python-docx must see the rendered body, not the template's.
    assert rendered.paragraphs[0].text == "Kính gửi: Bộ Khoa học và Công nghệ."


def test_column_loops_still_get_docxtpls_grid_fix(tmp_path: Path) -> None:
    """A Sở template with `{%tc %}` columns needs docxtpl's table pass; it must not be skipped there."""
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

    ours = _render(open_template(source), context, tmp_path / "ours.docx")
    plain = _render(DocxTemplate(str(source)), context, tmp_path / "docxtpl.docx")

    assert _body_xml(ours) == _body_xml(plain)
    grid = docx.Document(str(ours)).tables[0]._tbl.tblGrid
    assert len(grid.gridCol_lst) == 5
