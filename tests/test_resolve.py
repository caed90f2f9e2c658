"""Which commune sent a file: the name as clerks write it, resolved against the official roster."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from schemas.report import CommuneReport
from tonghop.units.matching import match_unit
from tonghop.units.resolve import resolve_unit
from tonghop.units.roster import load_roster

Settings = Any


def _report(**fields: Any) -> CommuneReport:
    fields.setdefault("file", "bao-cao.docx")
    fields.setdefault("sha256", hashlib.sha256(fields["file"].encode()).hexdigest())
    return CommuneReport(**fields)


def _codes(report: CommuneReport) -> tuple[list[str], list[str]]:
    return [e.code for e in report.errors], [w.code for w in report.warnings]


@pytest.fixture
def settings(make_settings: Callable[..., Any]) -> Settings:
    return make_settings(province="Nghệ An")


def test_exact_name_resolves_with_no_remark(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="UBND xã Diễn Châu"), settings)
    assert report.unit is not None
    assert (report.unit.code, report.unit.name, report.unit.province) == (
        17464,
        "Xã Diễn Châu",
        "Tỉnh Nghệ An",
    )
    assert report.unit.division_type == "xã" and not report.unit.legacy
    assert _codes(report) == ([], [])


def test_decomposed_unicode_resolves_like_composed(settings: Settings) -> None:
    nfd = unicodedata.normalize("NFD", "ỦY BAN NHÂN DÂN\nXÃ DIỄN CHÂU")
    report = resolve_unit(_report(unit_text=nfd), settings)
    assert report.unit is not None and report.unit.code == 17464
    assert _codes(report) == ([], [])


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("UBND phường Hòa Bình, thành phố Hải Phòng", 11533),  # roster spells it "Hoà Bình"
        ("xã Yên Hoà", 16909),  # roster: "Yên Hòa"; the configured province settles it
        ("UBND xã Đắk Mil, tỉnh Lâm Đồng", None),  # Đắk/Đăk: roster has "Đắk Mil"
        ("Xã Đăk Mil", None),
    ],
)
def test_tone_placement_and_dak_spellings_are_the_same_name(
    settings: Settings, written: str, code: int | None
) -> None:
    report = resolve_unit(_report(unit_text=written), settings)
    assert report.unit is not None, report.errors
    if code is not None:
        assert report.unit.code == code
    else:
        assert report.unit.name == "Xã Đắk Mil"
    assert _codes(report) == ([], [])


def test_misspelt_ke_sat_is_read_as_ke_sat_of_hai_phong_with_a_remark(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="ỦY BAN NHÂN DÂN\nXÃ KẼ SẮT", place="Kẻ Sắt"), settings)
    assert report.unit is not None
    assert (report.unit.code, report.unit.name, report.unit.province) == (
        10945,
        "Xã Kẻ Sặt",
        "Thành phố Hải Phòng",
    )
    assert _codes(report) == ([], ["unit_spelling"])
    assert "Kẻ Sặt" in report.warnings[0].message and "bao-cao.docx" in report.warnings[0].message


def test_missing_diacritic_dien_chau_is_xa_dien_chau(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="UBND xã Diên Châu"), settings)
    assert report.unit is not None and report.unit.name == "Xã Diễn Châu"
    assert _codes(report) == ([], ["unit_spelling"])


def test_a_typo_beyond_diacritics_is_matched_fuzzily(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="UBND xã Nghĩa Đàng"), settings)
    assert report.unit is not None and report.unit.name == "Xã Nghĩa Đàn"
    assert _codes(report) == ([], ["unit_spelling"])


def test_fuzzy_matching_respects_the_configured_threshold(make_settings: Callable[..., Any]) -> None:
    strict = make_settings(unit_match_threshold=99.0)
    report = resolve_unit(_report(unit_text="UBND xã Nghĩa Đàng"), strict)
    assert report.unit is None
    assert _codes(report)[0] == ["unit_not_found"]


def test_the_division_written_chooses_between_xa_and_phuong(make_settings: Callable[..., Any]) -> None:
    national = make_settings(province=None)
    roster = load_roster()
    both = [u for u in roster.units if u.words == "tân an" and u.province.short == "An Giang"]
    assert {u.division for u in both} >= {"xã"}
    phuong = resolve_unit(_report(unit_text="UBND phường Tân An", province_text="Đắk Lắk"), national)
    assert phuong.unit is not None and phuong.unit.division_type == "phường"


def test_a_name_in_several_provinces_without_context_is_ambiguous(make_settings: Callable[..., Any]) -> None:
    national = make_settings(province=None)
    report = resolve_unit(_report(file="tan-an.docx", unit_text="UBND xã Tân An"), national)
    assert report.unit is None
    assert _codes(report) == (["unit_ambiguous"], [])
    message = report.errors[0].message
    assert "tan-an.docx" in message
    assert (
        "Xã Tân An (Tỉnh Nghệ An, mã 17305)" in message and "Xã Tân An (Tỉnh An Giang, mã 30388)" in message
    )
    assert "overrides.toml" in message and '"tan-an.docx" = ' in message


def test_the_province_named_in_the_document_settles_an_ambiguous_name(
    make_settings: Callable[..., Any],
) -> None:
    national = make_settings(province=None)
    by_text = resolve_unit(_report(unit_text="UBND xã Tân An", province_text="tỉnh Nghệ An"), national)
    assert by_text.unit is not None and by_text.unit.code == 17305
    in_line = resolve_unit(_report(unit_text="UBND xã Tân An, tỉnh Tuyên Quang"), national)
    assert in_line.unit is not None and in_line.unit.code == 2320


def test_the_configured_province_settles_an_ambiguous_name(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="UBND xã Tân An"), settings)
    assert report.unit is not None and report.unit.code == 17305


def test_the_document_province_wins_over_the_configured_one(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="UBND xã Tân An", province_text="An Giang"), settings)
    assert report.unit is not None and report.unit.province == "Tỉnh An Giang"


def test_an_analyst_pin_in_the_overrides_file_settles_an_ambiguous_name(
    make_settings: Callable[..., Any], tmp_path: Path
) -> None:
    national = make_settings(province=None)
    first = resolve_unit(_report(file="ho-so/tan-an.docx", unit_text="UBND xã Tân An"), national)
    assert _codes(first)[0] == ["unit_ambiguous"]

    national.overrides_file.write_text(
        '[units]\n"tan-an.docx" = { unit = 30388, note = "Đã gọi điện xác nhận" }\n', encoding="utf-8"
    )
    pinned = resolve_unit(_report(file="ho-so/tan-an.docx", unit_text="UBND xã Tân An"), national)
    assert pinned.unit is not None and pinned.unit.code == 30388
    assert _codes(pinned) == ([], ["unit_pinned"])
    assert "Đã gọi điện xác nhận" in pinned.warnings[0].message


def test_a_pin_by_sha256_follows_the_content_whatever_the_name(
    make_settings: Callable[..., Any],
) -> None:
    national = make_settings(province=None)
    report = _report(file="renamed.docx", sha256="ab" * 32, unit_text="UBND xã Tân An")
    national.overrides_file.write_text(f'[units]\n"{"AB" * 32}" = 17305\n', encoding="utf-8")
    pinned = resolve_unit(report, national)
    assert pinned.unit is not None and pinned.unit.code == 17305


def test_a_pin_to_an_unknown_code_is_an_error(settings: Settings) -> None:
    settings.overrides_file.write_text('[units]\n"bao-cao.docx" = 99999\n', encoding="utf-8")
    report = resolve_unit(_report(unit_text="UBND xã Diễn Châu"), settings)
    assert _codes(report)[0] == ["override_invalid"]


def test_a_broken_overrides_file_warns_once_for_the_run_and_pins_nothing(settings: Settings) -> None:
    """The analysts' file, broken, is one warning for the run (`overrides_problem`), not one per report."""
    from tonghop.units.overrides import overrides_problem

    settings.overrides_file.write_text('[units]\n"bao-cao.docx" = \n', encoding="utf-8")
    report = resolve_unit(_report(unit_text="UBND xã Diễn Châu"), settings)
    assert report.unit is not None and report.unit.code == 17464
    assert _codes(report) == ([], [])
    problem = overrides_problem(settings.overrides_file)
    assert problem is not None and "cú pháp TOML ở dòng 2" in problem


def test_an_overrides_path_that_is_a_folder_rejects_nothing_and_is_not_remembered(settings: Settings) -> None:
    from tonghop.units.overrides import overrides_problem

    settings.overrides_file.mkdir()
    report = resolve_unit(_report(unit_text="UBND xã Diễn Châu"), settings)
    assert report.unit is not None and report.unit.code == 17464 and not report.errors
    assert "là một thư mục" in (overrides_problem(settings.overrides_file) or "")
    settings.overrides_file.rmdir()
    settings.overrides_file.write_text('[units]\n"bao-cao.docx" = 17305\n', encoding="utf-8")
    assert overrides_problem(settings.overrides_file) is None
    pinned = resolve_unit(_report(unit_text="UBND xã Diễn Châu"), settings)
    assert pinned.unit is not None and pinned.unit.code == 17305


def test_a_pin_can_name_a_pre_2025_district(make_settings: Callable[..., Any]) -> None:
    national = make_settings(province=None)
    ambiguous = resolve_unit(_report(unit_text="UBND huyện Châu Thành"), national)
    assert _codes(ambiguous)[0] == ["unit_ambiguous"]
    assert '"legacy-district:' in ambiguous.errors[0].message
    pin = next(
        u.pin
        for u in load_roster().legacy.lookup("district", "châu thành", loose=False)
        if u.province_key == "tinhlongan"
    )
    national.overrides_file.write_text(f'[units]\n"bao-cao.docx" = "{pin}"\n', encoding="utf-8")
    pinned = resolve_unit(_report(unit_text="UBND huyện Châu Thành"), national)
    assert pinned.unit is not None and pinned.unit.legacy
    assert (pinned.unit.legacy_province, pinned.unit.province) == ("Tỉnh Long An", "Tỉnh Tây Ninh")
    assert _codes(pinned) == ([], ["unit_pinned", "legacy_unit"])


def test_legacy_district_dak_glei_is_accepted_under_quang_ngai_with_a_warning(settings: Settings) -> None:
    report = resolve_unit(
        _report(
            unit_text=None,
            unit_hints=["Ủy ban nhân dân huyện Đắk Glei báo cáo kết quả triển khai thực hiện cụ thể như sau"],
            province_text="Kon Tum",
        ),
        settings,
    )
    assert report.unit is not None
    assert report.unit.model_dump() == {
        "code": None,
        "name": "Huyện Đắk Glei",
        "province": "Tỉnh Quảng Ngãi",
        "province_code": 51,
        "division_type": "huyện",
        "legacy": True,
        "legacy_province": "Tỉnh Kon Tum",
    }
    assert _codes(report) == ([], ["legacy_unit"])
    assert "Tỉnh Kon Tum" in report.warnings[0].message and "Tỉnh Quảng Ngãi" in report.warnings[0].message


def test_a_2025_commune_wins_over_a_district_of_the_same_name_unless_huyen_is_written(
    settings: Settings,
) -> None:
    place_only = resolve_unit(_report(unit_text=None, place="Diễn Châu"), settings)
    assert place_only.unit is not None and place_only.unit.code == 17464
    district = resolve_unit(_report(unit_text="UBND HUYỆN DIỄN CHÂU"), settings)
    assert district.unit is not None and district.unit.legacy
    assert (district.unit.name, district.unit.province) == ("Huyện Diễn Châu", "Tỉnh Nghệ An")


def test_a_thi_tran_and_a_merged_xa_are_legacy_units(settings: Settings) -> None:
    town = resolve_unit(_report(unit_text="UBND thị trấn Đăk Glei"), settings)
    assert town.unit is not None and town.unit.legacy and town.unit.province == "Tỉnh Quảng Ngãi"
    merged = resolve_unit(_report(unit_text="UBND HUYỆN DIỄN CHÂU\nUBND XÃ DIỄN KỶ"), settings)
    assert merged.unit is not None and (merged.unit.name, merged.unit.legacy) == ("Xã Diễn Kỷ", True)


@pytest.mark.parametrize(
    ("unit_text", "issuing_body"),
    [
        ("SỞ CÔNG THƯƠNG", "UBND TỈNH LÀO CAI"),
        ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", None),
        ("BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ TỈNH LÂM ĐỒNG", None),
        ("UBND THÀNH PHỐ HẢI PHÒNG", None),
    ],
)
def test_a_province_level_body_is_not_a_commune_document(
    settings: Settings, unit_text: str, issuing_body: str | None
) -> None:
    report = resolve_unit(
        _report(unit_text=unit_text, issuing_body=issuing_body, unit_hints=["UBND xã Yên Hà"]), settings
    )
    assert report.unit is None
    assert _codes(report) == (["not_commune_document"], [])
    assert "không phải của một xã" in report.errors[0].message


def test_a_commune_body_other_than_the_ubnd_is_still_the_commune(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ XÃ DIỄN CHÂU"), settings)
    assert report.unit is not None and report.unit.code == 17464


def test_real_provincial_documents_are_not_commune_documents(real_docx_dir: Path, settings: Settings) -> None:
    """The header cell of each real Sở/UBND tỉnh document, as a reader would hand it over."""
    seen = 0
    for path in sorted(real_docx_dir.glob("*.docx")):
        document = docx.Document(str(path))
        if not document.tables:
            continue
        first_column = [row.cells[0].text for row in document.tables[0].rows[:3]]
        lines = [line for cell in dict.fromkeys(first_column) for line in cell.splitlines()]
        issuer = "\n".join(line for line in lines if not line.strip().startswith("Số"))
        report = resolve_unit(_report(file=path.name, unit_text=issuer), settings)
        assert _codes(report)[0] == ["not_commune_document"], (path.name, issuer, report.errors)
        seen += 1
    assert seen >= 10


def test_a_unit_found_nowhere_is_rejected_with_the_name_it_looked_for(settings: Settings) -> None:
    report = resolve_unit(_report(unit_text="UBND xã Xyzabc"), settings)
    assert _codes(report) == (["unit_not_found"], [])
    assert '"UBND xã Xyzabc"' in report.errors[0].message


def test_a_header_naming_an_unknown_commune_is_not_rescued_by_prose(settings: Settings) -> None:
    report = resolve_unit(
        _report(unit_text="UBND xã Xyzabc", unit_hints=["phối hợp với xã Diễn Châu"]), settings
    )
    assert _codes(report)[0] == ["unit_not_found"]


def test_without_a_header_the_hints_then_the_place_name_the_unit(settings: Settings) -> None:
    from_hint = resolve_unit(
        _report(unit_text=None, unit_hints=["Toàn cảnh buổi tập huấn AI tại xã Đoan Hùng"]), settings
    )
    assert from_hint.unit is not None and from_hint.unit.name == "Xã Đoan Hùng"
    assert from_hint.unit.province == "Tỉnh Phú Thọ"  # out of scope for Nghệ An, decided later
    from_place = resolve_unit(_report(unit_text=None, place="Nghĩa Đàn"), settings)
    assert from_place.unit is not None and from_place.unit.code == 16941


def test_a_place_line_naming_the_province_is_not_a_commune(settings: Settings) -> None:
    report = resolve_unit(
        _report(unit_text=None, place="Lâm Đồng", unit_hints=["Kết quả ứng dụng AI"]), settings
    )
    assert _codes(report)[0] == ["unit_not_found"]


def test_a_code_or_a_dropdown_entry_resolves_by_code(settings: Settings) -> None:
    for written in ("17464", "Xã Diễn Châu (17464)", "Xã Diễn Châu, Tỉnh Nghệ An (17464)"):
        report = resolve_unit(_report(unit_text=written), settings)
        assert report.unit is not None and report.unit.code == 17464
        assert _codes(report) == ([], [])
    mismatch = resolve_unit(_report(unit_text="Xã Nghĩa Đàn (17464)"), settings)
    assert mismatch.unit is not None and mismatch.unit.code == 17464
    assert _codes(mismatch) == ([], ["unit_name_mismatch"])
    unknown = resolve_unit(_report(unit_text="99999"), settings)
    assert _codes(unknown)[0] == ["unit_not_found"] and "99999" in unknown.errors[0].message


def test_a_report_already_rejected_with_nothing_to_resolve_gets_no_second_reason(settings: Settings) -> None:
    from schemas.report import Issue

    report = _report(errors=[Issue(code="form_value_invalid", message="Ô C3: chưa điền")])
    assert resolve_unit(report, settings).errors == report.errors


def test_a_merged_province_in_the_settings_is_reported_on_the_file(make_settings: Callable[..., Any]) -> None:
    from tonghop.errors import ConfigError

    with pytest.raises(ConfigError, match="Quảng Ngãi"):
        resolve_unit(_report(unit_text="UBND xã Diễn Châu"), make_settings(province="Kon Tum"))


@pytest.mark.parametrize(
    ("written", "name", "province"),
    [
        ("UBND xã Bạch Xa", "Xã Bạch Xa", "Tỉnh Tuyên Quang"),  # "Xa" is a name here, not "xã"
        ("UBND phường Phương Liệt", "Phường Phương Liệt", "Thành phố Hà Nội"),
        ("UBND xa Bach Xa", "Xã Bạch Xa", "Tỉnh Tuyên Quang"),
        ("UBND phuong Ba Dinh", "Phường Ba Đình", "Thành phố Hà Nội"),  # not Xã Ba Dinh of Quảng Ngãi
        ("UBND xa Krong Buk", "Xã Krông Búk", "Tỉnh Đắk Lắk"),  # not the shorter Xã Krong
        ("UBND xa Chan May – Lang Co", "Xã Chân Mây – Lăng Cô", "Thành phố Huế"),
        ("Phường Dak Cam", "Phường Đăk Cấm", "Tỉnh Quảng Ngãi"),
    ],
)
def test_names_typed_without_diacritics_or_sharing_syllables_with_division_words(
    make_settings: Callable[..., Any], written: str, name: str, province: str
) -> None:
    report = resolve_unit(_report(unit_text=written), make_settings(province=None))
    assert report.unit is not None, report.errors
    assert (report.unit.name, report.unit.province) == (name, province)


def test_without_diacritics_two_communes_of_one_province_stay_ambiguous(
    make_settings: Callable[..., Any],
) -> None:
    report = resolve_unit(_report(unit_text="UBND xa Son Ha"), make_settings(province="Quảng Ngãi"))
    assert _codes(report)[0] == ["unit_ambiguous"]
    assert "Xã Sơn Hà" in report.errors[0].message and "Xã Sơn Hạ" in report.errors[0].message


@pytest.mark.parametrize(
    ("written", "province_text", "name", "old", "new"),
    [
        ("UBND thành phố Hà Giang", None, "Thành phố Hà Giang", "Tỉnh Hà Giang", "Tỉnh Tuyên Quang"),
        ("UBND thị xã Kỳ Anh", None, "Thị xã Kỳ Anh", "Tỉnh Hà Tĩnh", "Tỉnh Hà Tĩnh"),
        ("UBND huyện Kỳ Anh", None, "Huyện Kỳ Anh", "Tỉnh Hà Tĩnh", "Tỉnh Hà Tĩnh"),
        ("UBND Quận 1", None, "Quận 1", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("UBND huyện Châu Thành", "tỉnh Tây Ninh", "Huyện Châu Thành", "Tỉnh Tây Ninh", "Tỉnh Tây Ninh"),
        ("UBND huyện Châu Thành", "tỉnh Long An", "Huyện Châu Thành", "Tỉnh Long An", "Tỉnh Tây Ninh"),
    ],
)
def test_pre_2025_cities_towns_and_districts_map_to_their_2025_province(
    make_settings: Callable[..., Any], written: str, province_text: str | None, name: str, old: str, new: str
) -> None:
    report = resolve_unit(
        _report(unit_text=written, province_text=province_text), make_settings(province=None)
    )
    assert report.unit is not None, report.errors
    assert (report.unit.name, report.unit.legacy_province, report.unit.province) == (name, old, new)
    assert report.unit.legacy and report.unit.code is None


def test_every_pre_2025_district_resolves_from_its_name_and_old_province() -> None:
    roster = load_roster()
    districts = [u for u in roster.legacy.units if u.kind == "district"]
    wrong = [
        d.name
        for d in districts
        if (
            r := match_unit(
                roster, f"UBND {d.name}", province_text=roster.legacy.provinces[d.province_key].name
            )
        ).unit
        is None
        or r.unit.name != d.name
    ]
    assert wrong == []


def test_every_2025_commune_resolves_from_its_header() -> None:
    roster = load_roster()
    wrong = [
        u.name
        for u in roster.units
        if (r := match_unit(roster, f"ỦY BAN NHÂN DÂN\n{u.name.upper()}", province_hint=u.province.name)).unit
        is None
        or r.unit.code != u.code
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("UBND xã Lạng Giangg", "Xã Lạng Giang"),  # not Phường Láng from the first word
        ("UBND xã Thanh Oaii", "Xã Thanh Oai"),  # not the pre-2025 Xã Thanh from the first word
        ("UBND xã Tây Yên Tửử", "Xã Tây Yên Tử"),  # not Xã Tây Yên
    ],
)
def test_a_typo_in_a_long_name_is_not_taken_for_a_shorter_name(
    settings: Settings, written: str, name: str
) -> None:
    report = resolve_unit(_report(unit_text=written), settings)
    assert report.unit is not None and report.unit.name == name
    assert _codes(report) == ([], ["unit_spelling"])


def test_trailing_prose_after_the_name_does_not_matter(settings: Settings) -> None:
    report = resolve_unit(
        _report(unit_text=None, unit_hints=["UBND xã Diễn Châu báo cáo kết quả ứng dụng AI như sau"]),
        settings,
    )
    assert report.unit is not None and report.unit.code == 17464
    assert _codes(report) == ([], [])


def test_a_spelling_of_another_province_against_a_near_name_of_ours_is_for_the_analyst(
    make_settings: Callable[..., Any],
) -> None:
    # "Vinh Hưng" is a phường of Nghệ An; Hà Nội has "Vĩnh Hưng": in a Hà Nội round, ask.
    report = resolve_unit(_report(unit_text="UBND phường Vinh Hưng"), make_settings(province="Hà Nội"))
    assert _codes(report)[0] == ["unit_ambiguous"]
    message = report.errors[0].message
    assert "Phường Vinh Hưng (Tỉnh Nghệ An" in message and "Phường Vĩnh Hưng (Thành phố Hà Nội" in message
    national = resolve_unit(_report(unit_text="UBND phường Vinh Hưng"), make_settings(province=None))
    assert national.unit is not None and national.unit.province == "Tỉnh Nghệ An"


def test_a_national_inbox_sorted_by_province_settles_an_ambiguous_name(
    make_settings: Callable[..., Any],
) -> None:
    national = make_settings(province=None)

    for folder in ("Tỉnh Nghệ An", "nghe an", "2026-H1/Nghệ An"):
        report = resolve_unit(_report(file=f"{folder}/tan-an.docx", unit_text="UBND xã Tân An"), national)
        assert report.unit is not None and report.unit.code == 17305, folder
    in_tuyen_quang = resolve_unit(
        _report(file="Tuyên Quang/tan-an.docx", unit_text="UBND xã Tân An"), national
    )
    assert in_tuyen_quang.unit is not None and in_tuyen_quang.unit.code == 2320
    # A folder that is not a province's name, or the province the document itself names, decide otherwise.
    unsorted = resolve_unit(_report(file="Nghệ An moi/tan-an.docx", unit_text="UBND xã Tân An"), national)
    assert _codes(unsorted)[0] == ["unit_ambiguous"]
    assert (
        'hoặc đặt tệp vào thư mục mang tên tỉnh (ví dụ "Thành phố Hải Phòng/")' in unsorted.errors[0].message
    )
    named = resolve_unit(
        _report(file="Nghệ An/tan-an.docx", unit_text="UBND xã Tân An", province_text="tỉnh Tuyên Quang"),
        national,
    )
    assert named.unit is not None and named.unit.code == 2320


def test_a_provincial_round_does_not_suggest_province_folders(make_settings: Callable[..., Any]) -> None:
    """Two communes of Quảng Ngãi read alike without diacritics: a folder would not tell them apart."""
    report = resolve_unit(_report(unit_text="UBND xa Son Ha"), make_settings(province="Quảng Ngãi"))
    assert _codes(report)[0] == ["unit_ambiguous"]
    assert "thư mục" not in report.errors[0].message
