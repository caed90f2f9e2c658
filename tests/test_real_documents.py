"""Real Word documents written by commune and provincial bodies (`../shared/samples/real2/`, `real/`, each
with its PROVENANCE.md), read in place: who issued each one, for which commune, its type, Số, date and
status, as verified by reading the files themselves (python-docx) for issue #19."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES

from schemas.report import CommuneReport, Status
from tonghop.check.statuses import decide_statuses
from tonghop.intake import read_entry, scan_inbox

LM = ("Xã Lương Minh", "Tỉnh Quảng Ninh")

# file: issuer kind, parent kind, (unit, province) or None, doc type, Số, issued on, month of a blank-day
# date, status in a Quảng Ninh round on AI use.
REAL2: dict[str, tuple[Any, ...]] = {
    "bcr_kh_mttq_kiemtra_giamsat_2025.docx": (
        "mttq",
        None,
        ("Phường Bắc Cam Ranh", "Tỉnh Khánh Hòa"),
        "ke_hoach",
        None,
        None,
        "2025-11",
        Status.OUT_OF_SCOPE,
    ),
    "lm_hd_mttq_baucu_2025.docx": ("mttq", None, LM, "khac", None, None, "2025-11", Status.OTHER_ISSUER),
    "lm_hd_mttq_gioithieu_ungcu_2025.docx": (
        "mttq",
        None,
        LM,
        "khac",
        None,
        dt.date(2025, 12, 22),
        None,
        Status.OTHER_ISSUER,
    ),
    "lm_kh_mttq_baucu_16_2025.docx": (
        "mttq",
        None,
        LM,
        "ke_hoach",
        "16/KH-MTTQ-BTT",
        dt.date(2025, 11, 18),
        None,
        Status.OTHER_ISSUER,
    ),
    "lm_kh_mttq_hiepthuong2_2026.docx": (
        "mttq",
        None,
        LM,
        "ke_hoach",
        None,
        None,
        "2026-01",
        Status.OTHER_ISSUER,
    ),
    "lm_kh_mttq_hiepthuong_2025.docx": (
        "mttq",
        None,
        LM,
        "ke_hoach",
        None,
        dt.date(2025, 11, 25),
        None,
        Status.OTHER_ISSUER,
    ),
    "lm_kh_mttq_hn_cutri_2026.docx": (
        "mttq",
        None,
        LM,
        "ke_hoach",
        None,
        dt.date(2026, 1, 12),
        None,
        Status.OTHER_ISSUER,
    ),
    "lm_kh_mttq_kiemtra_giamsat_2025.docx": (
        "mttq",
        None,
        LM,
        "ke_hoach",
        None,
        dt.date(2025, 12, 10),
        None,
        Status.OTHER_ISSUER,
    ),
    "lm_kh_mttq_tiepcongdan_2025.docx": (
        "mttq",
        None,
        LM,
        "ke_hoach",
        None,
        dt.date(2025, 12, 10),
        None,
        Status.OTHER_ISSUER,
    ),
    "lm_qd_mttq_to_tiepcongdan_2026.docx": (
        "mttq",
        None,
        LM,
        "khac",
        None,
        dt.date(2026, 1, 12),
        None,
        Status.OTHER_ISSUER,
    ),
    "pb_kh_tieuban_tuyentruyen_01_2025.docx": (
        "committee",
        "committee",
        ("Xã Phố Bảng", "Tỉnh Tuyên Quang"),
        "ke_hoach",
        "01/KH-TBTTKT",
        dt.date(2025, 12, 10),
        None,
        Status.OUT_OF_SCOPE,
    ),
    "qn_hd_mttq_tinh_hiepthuong_2025.docx": (
        "mttq",
        None,
        None,
        "khac",
        None,
        None,
        "2025-11",
        Status.REJECTED,
    ),
}

# Provincial bodies of Lào Cai and Lâm Đồng: none is a commune's document, so all are rejected.
REAL: dict[str, tuple[Any, ...]] = {
    "lc_bc_doankt_vlncn_2026.docx": ("committee", "department", "bao_cao", "2026-04"),
    "lc_bc_sct_cl_hoachat_2026.docx": ("department", "ubnd", "bao_cao", "2026-01"),
    "lc_bc_sct_hoachat_2025.docx": ("department", "ubnd", "cong_van", "2026-06"),
    "lc_bc_ubnd_vlncn_2025.docx": ("ubnd", None, "bao_cao", None),
    "lc_kh_sct_kiemtra_2026.docx": ("department", "ubnd", "ke_hoach", "2026-04"),
    "lc_tb_sct_thamdinh_yenha.docx": ("department", "ubnd", "cong_van", None),
    "ld_bc_cchc_2025.docx": ("ubnd", None, "bao_cao", "2025-12"),
    "ld_bc_dean06_t11_2025.docx": ("committee", "ubnd", "bao_cao", "2025-11"),
    "ld_bc_hoi_2025.docx": ("ubnd", None, "bao_cao", "2025-12"),
    "ld_bc_snv_chiso_2025.docx": ("department", "ubnd", "bao_cao", "2025-11"),
    "ld_bc_ttpvhcc_766_2025.docx": ("department", "department", "bao_cao", "2025-11"),
    "ld_kh_cchc_2026.docx": ("ubnd", None, "ke_hoach", "2025-12"),
    "ld_kh_thidua_cchc_2026.docx": ("ubnd", None, "ke_hoach", None),
}


def _round(folder: Path, settings: Any) -> dict[str, CommuneReport]:
    entries, _ = scan_inbox(folder)
    reports = [read_entry(e, settings) for e in entries if e.name.endswith(".docx")]
    return {r.file: r for r in decide_statuses(reports, settings.province, settings)}


def _folder(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_dir():
        pytest.skip(f"thiếu thư mục văn bản thật {path} (shared/ phải nằm cạnh repo)")
    return path


def test_real2_commune_bodies_in_a_quang_ninh_ai_round(make_settings: Callable[..., Any]) -> None:
    folder = _folder("real2")
    settings = make_settings(province="Quảng Ninh", inbox=folder)
    reports = _round(folder, settings)
    assert sorted(reports) == sorted(REAL2)
    for file, (kind, parent, unit, doc_type, number, issued_on, month, status) in REAL2.items():
        report = reports[file]
        assert report.issuer is not None, file
        got = (
            report.issuer.kind.value,
            report.issuer.parent_kind.value if report.issuer.parent_kind else None,
            (report.unit.name, report.unit.province) if report.unit else None,
            report.doc_type.value,
            report.number,
            report.issued_on,
            report.issued_month,
            report.status,
        )
        assert got == (kind, parent, unit, doc_type, number, issued_on, month, status), file
        assert report.subjects == [], file  # election paperwork, not AI
        assert report.superseded_by is None and report.supersedes == [], file
    lm = reports["lm_kh_mttq_hn_cutri_2026.docx"]
    assert lm.issuer is not None
    assert lm.issuer.lines == ["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC"]
    assert lm.issuer.commune == "xã Lương Minh" and lm.unit_text == "xã Lương Minh"
    assert "ỦY BAN MTTQ VIỆT NAM / XÃ LƯƠNG MINH / BAN THƯỜNG TRỰC" in lm.reason()
    pb = reports["pb_kh_tieuban_tuyentruyen_01_2025.docx"]
    assert pb.issuer is not None and pb.issuer.commune == "xã Phố Bảng"
    assert reports["qn_hd_mttq_tinh_hiepthuong_2025.docx"].errors[0].code == "not_commune_document"


def test_real_provincial_bodies_are_not_commune_reports(make_settings: Callable[..., Any]) -> None:
    folder = _folder("real")
    settings = make_settings(province=None, inbox=folder)
    reports = _round(folder, settings)
    assert sorted(reports) == sorted(REAL)
    for file, (kind, parent, doc_type, month) in REAL.items():
        report = reports[file]
        assert report.issuer is not None, file
        got = (
            report.issuer.kind.value,
            report.issuer.parent_kind.value if report.issuer.parent_kind else None,
            report.doc_type.value,
            report.issued_month,
            report.status,
            report.issued_on,
            report.number,
        )
        assert got == (kind, parent, doc_type, month, Status.REJECTED, None, None), file
        assert report.unit is None and report.errors[0].code == "not_commune_document", file
