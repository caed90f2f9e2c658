"""The roster is the published one (vietnam-provinces, vietnamadminunits), complete and correctly named."""

from __future__ import annotations

import pytest

from tonghop.errors import ConfigError
from tonghop.units.roster import collation_key, load_roster


def test_roster_has_every_2025_commune_of_every_province() -> None:
    roster = load_roster()
    assert len(roster.provinces) == 34
    everyone = roster.communes(None)
    assert len(everyone) == 3321
    assert len({u.code for u in everyone}) == 3321
    assert {u.province for u in everyone} == {p.name for p in roster.provinces}


def test_province_names_are_the_official_full_names() -> None:
    names = {p.name for p in load_roster().provinces}
    assert {"Tỉnh Nghệ An", "Thành phố Hải Phòng", "Thành phố Hồ Chí Minh", "Tỉnh Quảng Ngãi"} <= names
    assert "Tỉnh Kon Tum" not in names


def test_communes_of_a_province_accept_any_spelling_of_its_name() -> None:
    roster = load_roster()
    nghe_an = roster.communes("Nghệ An")
    assert nghe_an == roster.communes("tỉnh NGHỆ AN") == roster.communes("Nghe An")
    assert all(u.province == "Tỉnh Nghệ An" for u in nghe_an)
    assert {"Xã Diễn Châu", "Xã Nghĩa Đàn"} <= {u.name for u in nghe_an}
    assert len(roster.communes("TP. Hải Phòng")) > 100


def test_communes_are_in_vietnamese_alphabetical_order_of_their_names() -> None:
    names = [u.name.split(" ", 1)[1] for u in load_roster().communes("Nghệ An")]
    assert names == sorted(names, key=collation_key)
    # Vietnamese order: a < ă < â, d < đ; not the code-point order Python would use.
    assert sorted(["Đông", "Dương", "Ân", "Ăn", "An"], key=collation_key) == [
        "An",
        "Ăn",
        "Ân",
        "Dương",
        "Đông",
    ]


def test_a_merged_province_is_refused_as_configuration_with_its_new_name() -> None:
    roster = load_roster()
    with pytest.raises(ConfigError, match="Quảng Ngãi") as info:
        roster.communes("Kon Tum")
    assert info.value.code == "province_merged"
    with pytest.raises(ConfigError) as unknown:
        roster.communes("Narnia")
    assert unknown.value.code == "province_unknown"


def test_legacy_provinces_map_to_their_2025_province() -> None:
    roster = load_roster()
    kon_tum = roster.find_province("tỉnh Kon Tum")
    assert kon_tum is not None and kon_tum.legacy is not None
    assert (kon_tum.current.name, kon_tum.legacy.name) == ("Tỉnh Quảng Ngãi", "Tỉnh Kon Tum")
    hai_duong = roster.find_province("Hải Dương")
    assert hai_duong is not None and hai_duong.current.name == "Thành phố Hải Phòng"
    # Every one of the 63 old provinces lands in one of the 34.
    assert len(roster.legacy.provinces) == 63
    current = {p.compact for p in roster.provinces}
    assert {old.new_key for old in roster.legacy.provinces.values()} == current


def test_legacy_dataset_holds_districts_and_wards() -> None:
    legacy = load_roster().legacy
    districts = [u for u in legacy.units if u.kind == "district"]
    assert len(districts) == 696
    dak_glei = legacy.lookup("district", "đắk glei", loose=False)
    assert [(u.name, u.province_key) for u in dak_glei] == [("Huyện Đắk Glei", "tinhkontum")]


def test_unit_for_a_pin_reads_codes_and_legacy_units() -> None:
    roster = load_roster()
    unit = roster.unit_for_pin("17464")
    assert unit is not None and (unit.name, unit.province) == ("Xã Diễn Châu", "Tỉnh Nghệ An")
    dak_glei = roster.legacy.lookup("district", "đắk glei", loose=False)[0]
    legacy = roster.unit_for_pin(dak_glei.pin)
    assert legacy is not None and legacy.legacy and legacy.province == "Tỉnh Quảng Ngãi"
    assert roster.unit_for_pin("99999") is None
