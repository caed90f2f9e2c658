"""Prefect artifacts: the key figures, communes and rejected files of a round, visible in the Prefect UI."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from render_fixtures import FORMULA, SCRIPT, make_national_summary, make_reports, make_summary

from flows.artifacts import (
    artifact_key,
    communes_table,
    md,
    publish_artifacts,
    rejected_table,
    summary_markdown,
)
from tonghop.render import OUTPUTS, write_outputs
from tonghop.render.view import Round, commune_rows


def test_markdown_has_the_key_figures_and_links(tmp_path: Path, make_settings: Callable[..., Any]) -> None:
    settings = make_settings()
    reports = make_reports()
    summary = make_summary(reports)
    write_outputs(Round.build(settings, reports, summary), settings.round_dir)
    text = summary_markdown(summary, reports, settings.round_dir)
    assert "| Xã, phường phải báo cáo | 11 |" in text
    assert "| Hợp lệ, đã tổng hợp | 6 |" in text
    assert "| Đúng hạn / chậm hạn | 6 / 1 |" in text
    assert "| Câu chưa kiểm chứng | 2 |" in text
    assert "| Tổng số cán bộ, công chức | 232 | 5 |" in text
    assert "Xã Yên Thành" in text
    review = (settings.round_dir / "review.html").resolve()
    assert f"[Trang rà soát]({review.as_uri()})" in text


def test_commune_text_is_inert_in_markdown() -> None:
    escaped = md(f"{SCRIPT} [x](javascript:alert(1)) | *đậm*")
    assert "<" not in escaped.replace("\\<", "") and "](" not in escaped
    assert "\\|" in escaped and "\\*" in escaped


def test_tables_list_communes_and_unused_files(make_settings: Callable[..., Any]) -> None:
    reports = make_reports()
    summary = make_summary(reports)
    round = Round.build(make_settings(), reports, summary)
    communes = {row["Xã, phường"]: row for row in communes_table(round)}
    assert communes["Xã Diễn Châu"]["Tổng số cán bộ, công chức"] == "42"
    rejected = {row["Tệp"]: row for row in rejected_table(reports)}
    assert set(rejected) == {r.file for r in reports if r.status.value != "accepted"}
    assert rejected[f"{FORMULA}.docx"]["Đơn vị"] == SCRIPT
    assert artifact_key(summary) == "tong-hop-nghe-an-2026-h1"
    assert (
        artifact_key(summary.model_copy(update={"province": None}), "xa-phuong")
        == "tong-hop-toan-quoc-2026-h1-xa-phuong"
    )


def test_a_national_table_has_a_row_per_province_as_the_report_does(
    make_settings: Callable[..., Any],
) -> None:
    reports = make_reports()
    national = make_national_summary(reports)
    provincial = communes_table(Round.build(make_settings(), reports, make_summary(reports)))
    rows = communes_table(Round.build(make_settings(province=None), reports, national))
    assert [row["Tỉnh, thành phố"] for row in rows] == ["Nghệ An"]
    label = "Tổng số cán bộ, công chức"
    accepted = [row for row in provincial if row["Tình trạng"] == "Đã tiếp nhận"]
    assert int(rows[0][label]) == sum(int(row[label]) for row in accepted if row[label] != "—") == 232
    assert rows[0]["Xã, phường hợp lệ"] == f"{len(accepted)}/11 hợp lệ"


@pytest.mark.slow
def test_artifacts_are_stored_in_prefect_and_the_publication_flow_publishes(
    make_settings: Callable[..., Any],
) -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client

    from flows.publish import publish_flow

    settings = make_settings()
    reports = make_reports()
    summary = make_summary(reports)
    write_outputs(Round.build(settings, reports, summary), settings.round_dir)

    @flow(name="thu-artifact")
    def consolidation_end() -> int:
        return len(publish_artifacts(Round.build(settings, reports, summary), settings.round_dir))

    assert consolidation_end() == 3
    result = publish_flow(settings.model_dump_json(exclude={"openai_api_key"}), force=True, by="Kiểm thử")
    assert result["published"] and result["forced"]
    keys = [artifact_key(summary), artifact_key(summary, "xa-phuong"), artifact_key(summary, "ban-hanh")]
    with get_client(sync_client=True) as client:
        # The REST filter directly: this client version sends nulls that the server rejects.
        response = client.request(
            "POST",
            "/artifacts/filter",
            json={"artifacts": {"key": {"any_": keys}}, "limit": 50, "offset": 0, "sort": "CREATED_DESC"},
        )
    by_key: dict[str, Any] = {}
    for artifact in response.json():  # newest first: another test may have used the same round's keys
        by_key.setdefault(artifact["key"], artifact)
    assert set(keys) <= set(by_key)
    assert "| Hợp lệ, đã tổng hợp | 6 |" in str(by_key[artifact_key(summary)]["data"])
    assert "Báo cáo đã ban hành" in str(by_key[artifact_key(summary, "ban-hanh")]["data"])
    assert (settings.round_dir / "final" / "bao-cao-tong-hop.docx").is_file()


def test_the_report_page_workbook_and_table_show_the_commune_table_the_run_built_once(
    tmp_path: Path, make_settings: Callable[..., Any]
) -> None:
    """The run builds the commune table once and hands it to every output that shows it; an output that
    built its own would not carry the mark put on the handed table here."""
    settings = make_settings()
    reports = make_reports()
    summary = make_summary(reports)
    built = commune_rows(reports, summary)
    marked = [dataclasses.replace(row, name="Xã Đánh Dấu") if row.stt == "1" else row for row in built]
    assert marked != built
    round = Round(settings, reports, summary, marked)
    for name in ("bao-cao-tong-hop.docx", "review.html", "du-lieu.xlsx"):
        OUTPUTS[name](round, tmp_path / name)
    with zipfile.ZipFile(tmp_path / "bao-cao-tong-hop.docx") as docx:
        assert "Xã Đánh Dấu" in docx.read("word/document.xml").decode("utf-8")
    assert "Xã Đánh Dấu" in (tmp_path / "review.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "du-lieu.xlsx") as xlsx:
        assert "Xã Đánh Dấu" in xlsx.read("xl/worksheets/sheet1.xml").decode("utf-8")
    table = communes_table(round)
    assert table[0]["Xã, phường"] == "Xã Đánh Dấu"
