"""The reminder letter: a công văn in the decree's format, naming every commune still missing."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree
from render_fixtures import MISSING, make_reports, make_summary

from schemas.summary import UnitRef
from tonghop.cli import main
from tonghop.errors import TonghopError
from tonghop.render.data_files import write_reports_json, write_summary_json
from tonghop.render.reminder import OUTPUT_NAME, write_reminder
from tonghop.render.view import Round

TODAY = dt.date(2026, 6, 8)


def _letter(tmp_path: Path, settings: Any, **summary_updates: Any) -> DocxDocument:
    reports = make_reports()
    summary = make_summary(reports)
    if summary_updates:
        summary = summary.model_copy(update={"coverage": summary.coverage.model_copy(update=summary_updates)})
    path = write_reminder(Round.build(settings, reports, summary), tmp_path / "cong-van.docx", today=TODAY)
    return docx.Document(str(path))


def _texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def test_letter_header_has_no_type_abbreviation_and_a_subject_line(
    tmp_path: Path, make_settings: Callable[..., Any]
) -> None:
    document = _letter(tmp_path, make_settings())
    header = document.tables[0]
    left = [p.text for p in header.cell(1, 0).paragraphs]
    assert left == ["Số:      /SKHCN-CĐS", "V/v đôn đốc gửi báo cáo kết quả ứng dụng AI 6 tháng đầu năm 2026"]
    assert header.cell(1, 1).paragraphs[0].text == "Nghệ An, ngày 08 tháng 6 năm 2026"
    assert header.cell(1, 1).paragraphs[0].style.font.italic
    subject = header.cell(1, 0).paragraphs[1]
    assert 12 <= subject.style.font.size.pt <= 13
    assert "BÁO CÁO" not in _texts(document)


def test_letter_is_addressed_to_each_missing_commune_by_name(
    tmp_path: Path, make_settings: Callable[..., Any]
) -> None:
    texts = _texts(_letter(tmp_path, make_settings(deadline=dt.date(2026, 6, 5))))
    start = texts.index("Kính gửi:")
    assert texts[start + 1 : start + 6] == [
        "- Ủy ban nhân dân phường Vinh Hưng;",
        "- Ủy ban nhân dân xã Con Cuông;",
        "- Ủy ban nhân dân xã Hưng Nguyên;",
        "- Ủy ban nhân dân xã Tân Kỳ;",
        "- Ủy ban nhân dân xã Yên Thành.",
    ]
    body = "\n".join(texts)
    assert "đã nhận được báo cáo hợp lệ của 6/11 xã, phường; còn 5 xã, phường" in body
    assert "gồm: phường Vinh Hưng, xã Con Cuông, xã Hưng Nguyên, xã Tân Kỳ, xã Yên Thành." in body
    assert "thời hạn gửi báo cáo trước ngày 15/6/2026" in body  # the round's deadline, from the summary
    assert "trước ngày 13 tháng 6 năm 2026" in body  # five days from the letter
    assert "xã Con Cuông (Tệp con-cuong.doc: là tệp Word cũ (.doc)" in body


def test_many_missing_communes_go_to_an_attached_list(
    tmp_path: Path, make_settings: Callable[..., Any]
) -> None:
    many = [UnitRef(code=20000 + i, name=f"Xã Thử {i:02d}", province="Nghệ An") for i in range(12)]
    document = _letter(tmp_path, make_settings(), missing=many)
    texts = _texts(document)
    assert "Kính gửi: Ủy ban nhân dân các xã, phường có tên tại danh sách kèm theo." in texts
    assert "DANH SÁCH CÁC XÃ, PHƯỜNG CHƯA GỬI BÁO CÁO" in texts
    table = document.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[1] for r in rows] == [u.name for u in many]
    assert rows[0][0] == "1" and rows[-1][0] == "12"


def test_a_single_missing_commune_is_named_on_the_recipient_line(
    tmp_path: Path, make_settings: Callable[..., Any]
) -> None:
    texts = _texts(_letter(tmp_path, make_settings(), missing=MISSING[:1]))
    assert "Kính gửi: Ủy ban nhân dân xã Hưng Nguyên." in texts
    assert not any(t.startswith("DANH SÁCH") for t in texts)


def test_nothing_to_remind_is_said_plainly(tmp_path: Path, make_settings: Callable[..., Any]) -> None:
    with pytest.raises(TonghopError, match="không cần đôn đốc"):
        _letter(tmp_path, make_settings(), missing=[])


def test_letter_uses_times_new_roman_everywhere(tmp_path: Path, make_settings: Callable[..., Any]) -> None:
    _letter(tmp_path, make_settings())
    with zipfile.ZipFile(tmp_path / "cong-van.docx") as package:
        for name in ("word/document.xml", "word/styles.xml"):
            for rfonts in etree.fromstring(package.read(name)).iter(qn("w:rFonts")):
                assert {rfonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {
                    "Times New Roman"
                }


def test_cli_writes_the_letter_into_the_round_folder(
    tmp_path: Path, make_settings: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings()
    reports = make_reports()
    round = Round.build(settings, reports, make_summary(reports))
    write_reports_json(round, settings.round_dir / "reports.json")
    write_summary_json(round, settings.round_dir / "summary.json")
    code = main(["remind", "--round", "2026-H1", "--outbox", str(settings.outbox), "--province", "Nghệ An"])
    assert code == 0
    letter = settings.round_dir / OUTPUT_NAME
    assert letter.is_file()
    assert str(letter) in capsys.readouterr().out
    assert "- Ủy ban nhân dân xã Tân Kỳ;" in _texts(docx.Document(str(letter)))


def test_cli_without_a_run_says_what_to_do(
    tmp_path: Path, make_settings: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings()
    code = main(["remind", "--round", "2026-H1", "--outbox", str(settings.outbox)])
    assert code == 2
    assert "tonghop run" in capsys.readouterr().err
