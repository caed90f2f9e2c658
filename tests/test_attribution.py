"""Exact attribution (#21): a figure is checked against each commune a statement names, not any source."""

from __future__ import annotations

from collections.abc import Callable

import docx
from commune_reports import make_report

from schemas.summary import Coverage, ProvincialSummary
from tonghop.render.report_docx.document import write_report_docx
from tonghop.render.view import Round
from tonghop.settings import Settings
from tonghop.summarize.attribution import FigureGap, attribution_gaps, figure_phrases
from tonghop.summarize.offline import summarize_offline

DO_LUONG = "Tổ chức 03 lớp tập huấn kỹ năng sử dụng AI cho 38 cán bộ, công chức."
NAM_DAN = "Tổ chức 02 lớp tập huấn kỹ năng sử dụng AI cho 25 cán bộ, công chức."
QUYNH_LUU = "Tổ chức lớp tập huấn kỹ năng sử dụng AI cho cán bộ, công chức."
CITED = {"Xã Đô Lương": [DO_LUONG], "Xã Nam Đàn": [NAM_DAN], "Xã Quỳnh Lưu": [QUYNH_LUU]}


def test_one_communes_figures_credited_to_others_are_gaps_for_each_of_them() -> None:
    gaps = attribution_gaps(DO_LUONG, CITED)
    assert gaps == [
        FigureGap("03", ("Xã Nam Đàn", "Xã Quỳnh Lưu")),
        FigureGap("38", ("Xã Nam Đàn", "Xã Quỳnh Lưu")),
    ]
    assert attribution_gaps(DO_LUONG, {"Xã Đô Lương": [DO_LUONG]}) == []
    # The old rule (any cited source) would have passed it: the figures are in one of the texts.
    assert all(any(g.figure in t for ts in CITED.values() for t in ts) for g in gaps)


def test_a_per_commune_list_checks_each_figure_against_its_own_commune() -> None:
    listed = "Số liệu của từng đơn vị: Xã Đô Lương: 03 lớp, 38 cán bộ; Xã Nam Đàn: 02 lớp, 25 cán bộ"
    assert attribution_gaps(listed, CITED) == []
    swapped = "Số liệu của từng đơn vị: Xã Đô Lương: 02 lớp, 25 cán bộ; Xã Nam Đàn: 03 lớp, 38 cán bộ"
    assert {(g.figure, g.units) for g in attribution_gaps(swapped, CITED)} == {
        ("02", ("Xã Đô Lương",)),
        ("25", ("Xã Đô Lương",)),
        ("03", ("Xã Nam Đàn",)),
        ("38", ("Xã Nam Đàn",)),
    }
    # Names in a running sentence are not a list: the figures are said of both communes.
    running = "Xã Đô Lương và Xã Nam Đàn tổ chức 03 lớp tập huấn."
    assert attribution_gaps(running, CITED) == [FigureGap("03", ("Xã Nam Đàn", "Xã Quỳnh Lưu"))]


def test_an_aggregated_statement_carries_only_sums_and_counts_of_its_communes_and_says_so() -> None:
    two = {"Xã Đô Lương": [DO_LUONG], "Xã Nam Đàn": [NAM_DAN]}
    assert attribution_gaps("Tổng cộng 05 lớp tập huấn cho 63 cán bộ tại 2 xã.", two) == []
    # A sum it does not announce is not a figure either commune gave.
    unsaid = attribution_gaps("Tổ chức 05 lớp tập huấn cho 63 cán bộ tại 2 xã.", two)
    assert [g.figure for g in unsaid] == ["05", "63"]
    wrong = attribution_gaps("Tổng cộng 06 lớp tập huấn tại 2 xã.", two)
    assert [g.figure for g in wrong] == ["06"]
    assert [g.figure for g in attribution_gaps("Tổng cộng 05 lớp tập huấn tại 3 xã.", two)] == ["3"]


def test_a_communes_own_name_lends_no_figure_and_rates_follow_its_fractions() -> None:
    cited = {"Phường 3": ["Có 21/33 cán bộ, công chức (đạt 63,6%) đã sử dụng AI."]}
    assert attribution_gaps("Phường 3: 21/33 cán bộ, 63,6%", cited) == []
    assert [g.figure for g in attribution_gaps("Phường 3: 21/33 cán bộ, 64,6%", cited)] == ["64,6%"]


def test_figure_phrases_keep_what_each_figure_counts() -> None:
    text = (
        "Có 21/33 cán bộ, công chức (đạt 63,6%) đã sử dụng AI trong công việc; UBND phường đã tổ chức "
        "02 lớp tập huấn cho 18 cán bộ và đăng ký 8 tài khoản AI."
    )
    assert figure_phrases(text) == ["21/33 cán bộ", "63,6%", "02 lớp tập huấn", "18 cán bộ", "8 tài khoản AI"]


def test_the_report_names_only_the_communes_that_gave_a_themes_figures(
    make_settings: Callable[..., Settings],
) -> None:
    """The bundled inbox's case: one commune's figures no longer printed after five communes' names."""
    figures = {
        "Huyện Thanh Chương": ("35/60", "58,3", "03", "40", "10"),
        "Phường Cửa Lò": ("21/33", "63,6", "02", "18", "8"),
        "Xã Đô Lương": ("32/42", "76,2", "03", "28", "12"),
    }
    reports = [
        make_report(
            name,
            17000 + i,
            results=[
                f"Có {f[0]} cán bộ, công chức (đạt {f[1]}%) đã sử dụng AI trong công việc; UBND đã tổ chức "
                f"{f[2]} lớp tập huấn cho {f[3]} cán bộ và đăng ký {f[4]} tài khoản AI."
            ],
        )
        for i, (name, f) in enumerate(figures.items())
    ]
    settings = make_settings()
    summary = ProvincialSummary(
        round=settings.round,
        province=settings.province,
        coverage=Coverage(expected=3, received=3, accepted=3),
        sections=summarize_offline(reports, settings),
    )
    path = write_report_docx(Round.build(settings, reports, summary), settings.outbox / "r.docx")
    lines = [p.text for p in docx.Document(str(path)).paragraphs if "tài khoản AI" in p.text]
    head, listed = lines
    [named] = [name for name in figures if name.lower() in head.lower()]
    assert "(1 " in head and figures[named][0] in head  # the sentence's own commune, alone
    others = [name for name in figures if name != named]
    assert listed.startswith("- Các đơn vị khác cùng nội dung, số liệu của từng đơn vị: ")
    for name in others:
        total, rate, classes = figures[name][:3]
        assert f"{name[0].lower()}{name[1:]}: {total} cán bộ, {rate}%, {classes} lớp" in listed
    assert all(name not in head and name.lower() not in head for name in others)


def test_a_numbered_communes_name_is_not_an_unverified_figure(make_settings: Callable[..., Settings]) -> None:
    reports = [
        make_report("Xã A Lưới 5", 46100, results=["Tổ chức 02 lớp tập huấn kỹ năng sử dụng AI cho cán bộ."]),
        make_report("Xã A Lưới 3", 46101, results=["Tổ chức 04 lớp tập huấn kỹ năng sử dụng AI cho cán bộ."]),
        make_report("Xã Hồng Hạ", 46102, results=["Tổ chức lớp tập huấn kỹ năng sử dụng AI cho cán bộ."]),
    ]
    [theme] = summarize_offline(reports, make_settings())["results"]
    listed = theme.sentences[1]
    assert (
        listed.text == "Số liệu của từng đơn vị: xã A Lưới 3: 04 lớp tập huấn; xã A Lưới 5: 02 lớp tập huấn"
    )
    assert not listed.unverified and listed.unverified_numbers == []
