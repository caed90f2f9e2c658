"""The consolidation run end to end, in process, on real .docx files on disk.

These start Prefect's ephemeral API once per test process; everything else is real: files, SQLite, outputs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from prefect_runs import task_runs_named

from schemas.report import CommuneReport, ReportList
from schemas.run import RunResult
from tonghop.settings import Settings
from tonghop.store.registry import Registry

pytestmark = pytest.mark.slow


def run_round(settings: Settings) -> RunResult:
    from flows.consolidate import consolidate

    return consolidate(settings.model_dump_json(exclude={"openai_api_key"}))


def run_round_state(settings: Settings) -> Any:
    from flows.consolidate import consolidate

    return consolidate(settings.model_dump_json(exclude={"openai_api_key"}), return_state=True)


def snapshot(directory: Path) -> dict[str, tuple[str, float, int]]:
    """Content hash, mtime and mode of every file: proof that a run only read the inbox."""
    result = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            info = path.stat()
            result[str(path.relative_to(directory))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                info.st_mtime,
                info.st_mode,
            )
    return result


def load_reports(settings: Settings) -> dict[str, CommuneReport]:
    data = ReportList.model_validate_json((settings.round_dir / "reports.json").read_text(encoding="utf-8"))
    return {r.file: r for r in data.reports}


def read_intake(settings: Settings) -> list[dict[str, str]]:
    with (settings.round_dir / "intake.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_samples(sample_docx_dir: Path, inbox: Path, names: list[str] | None = None) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for path in sorted(sample_docx_dir.glob("*.docx")):
        if names is None or path.stem in names:
            shutil.copy2(path, inbox / path.name)


BUNDLED_STATUSES = {
    "BC 21 xa Quynh Luu ung dung AI.docx": "accepted",
    "bieu-mau-xa-yen-thanh.xlsx": "accepted",
    "hung-nguyen-tu-cong-thong-tin.json": "accepted",
    "UBND xa Do Luong - bao cao AI (thay the).docx": "accepted",
    "UBND xa Do Luong - bao cao AI.docx": "superseded",
    "cua-lo-bao-cao-ai.docx": "accepted",
    "dak_glei_bao_cao.docx": "out_of_scope",
    "dien_chau_bao_cao.docx": "accepted",
    "doan_hung_tin_bai.docx": "out_of_scope",
    "huyen-thanh-chuong-bao-cao-2025.docx": "accepted",
    "ke_sat_cong_van.docx": "out_of_scope",
    "nghia_dan_ke_hoach.docx": "accepted",
    "phuong-vinh-hung-bao-cao.docx": "accepted",
    "vinh-hung-gui-lai-lan-2.docx": "duplicate",
    "xa-anh-son-bao-cao.doc": "rejected",
    "xa-nam-dan-bao-cao.docx": "accepted",
    "xa-tan-ky-scan.docx": "rejected",
}


def test_bundled_inbox_shows_every_status_with_its_reason(
    make_settings: Callable[..., Settings], repo_root: Path
) -> None:
    settings = make_settings()
    shutil.copytree(repo_root / "inbox", settings.inbox, dirs_exist_ok=True)
    before = snapshot(settings.inbox)

    result = run_round(settings)

    assert snapshot(settings.inbox) == before
    reports = load_reports(settings)
    assert {name: r.status.value for name, r in reports.items()} == BUNDLED_STATUSES
    assert (
        reports["UBND xa Do Luong - bao cao AI.docx"].superseded_by
        == "UBND xa Do Luong - bao cao AI (thay the).docx"
    )
    assert reports["vinh-hung-gui-lai-lan-2.docx"].duplicate_of == "phuong-vinh-hung-bao-cao.docx"
    assert reports["dak_glei_bao_cao.docx"].unit is not None
    assert reports["dak_glei_bao_cao.docx"].unit.legacy
    assert "Quảng Ngãi" in (reports["dak_glei_bao_cao.docx"].unit.province or "")
    legacy = reports["huyen-thanh-chuong-bao-cao-2025.docx"]
    assert legacy.unit is not None and legacy.unit.legacy
    assert "legacy_unit" in {w.code for w in legacy.warnings}
    assert {e.code for e in reports["xa-anh-son-bao-cao.doc"].errors} == {"legacy_doc"}
    assert ".docx" in reports["xa-anh-son-bao-cao.doc"].reason()
    assert result.by_status == {
        "accepted": 10,
        "rejected": 2,
        "duplicate": 1,
        "superseded": 1,
        "out_of_scope": 3,
        "other_issuer": 0,
        "off_topic": 0,
    }
    summary = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))
    coverage = summary["coverage"]
    # Nine current communes accepted; the former district is accepted but never counted as a commune.
    assert (coverage["expected"], coverage["accepted"]) == (130, 9)
    assert [u["name"] for u in coverage["legacy_units"]] == ["Huyện Thanh Chương"]
    assert len(coverage["missing"]) == 121
    themes = [t for section in summary["sections"].values() for t in section]
    assert themes and all(t["sentences"] and t["sentences"][0]["citations"] for t in themes)
    assert max(t["unit_count"] for t in themes) >= 3, "a theme shared by several communes"
    totals = {t["indicator"]: t for t in summary["totals"]["indicators"]}
    assert totals["staff_total"]["reporting_units"] >= 5


def test_samples_run_end_to_end_and_account_for_every_file(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings()
    copy_samples(sample_docx_dir, settings.inbox)
    (settings.inbox / "ghi-chu.txt").write_text("Đây không phải báo cáo.", encoding="utf-8")
    before = snapshot(settings.inbox)

    result = run_round(settings)

    assert snapshot(settings.inbox) == before, "the inbox must never be modified"
    assert result.files == 6
    for name in (
        "reports.json",
        "summary.json",
        "intake.csv",
        "bao-cao-tong-hop.docx",
        "review.html",
        "du-lieu.xlsx",
    ):
        assert (settings.round_dir / name).stat().st_size > 0, name
    reports = load_reports(settings)
    assert set(reports) == {p.name for p in settings.inbox.iterdir()}
    assert reports["ghi-chu.txt"].status == "rejected"
    assert reports["ghi-chu.txt"].errors and "ghi-chu.txt" in reports["ghi-chu.txt"].errors[0].message
    assert reports["dien_chau_bao_cao.docx"].status == "accepted"
    assert reports["dien_chau_bao_cao.docx"].unit is not None
    assert reports["dien_chau_bao_cao.docx"].unit.code == 17464
    assert reports["ke_sat_cong_van.docx"].status == "out_of_scope"
    assert reports["doan_hung_tin_bai.docx"].status == "out_of_scope"
    rows = read_intake(settings)
    assert [r["file"] for r in rows] == sorted(reports)
    summary = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["coverage"]["expected"] == 130
    assert summary["coverage"]["accepted"] >= 1
    assert "Xã Diễn Châu" not in {u["name"] for u in summary["coverage"]["missing"]}
    with Registry.for_round(settings.round_dir) as registry:
        assert {row.path for row in registry.rows()} == set(reports)


def test_rerun_gives_identical_outputs_and_reuses_every_parse(
    make_settings: Callable[..., Settings], sample_docx_dir: Path, tmp_path: Path
) -> None:
    settings = make_settings()
    copy_samples(sample_docx_dir, settings.inbox)
    run_round(settings)
    first = {n: (settings.round_dir / n).read_bytes() for n in ("reports.json", "intake.csv")}
    first_summary = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))

    state = run_round_state(settings)

    assert state.is_completed()
    for name, content in first.items():
        assert (settings.round_dir / name).read_bytes() == content, name
    second_summary = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))
    first_summary.pop("generated_at")
    second_summary.pop("generated_at")
    assert second_summary == first_summary
    assert task_runs_named(state, "doc-tep") == [], "every parse comes back from the round's registry"

    # A new outbox has no registry: Prefect's cache, keyed by content, answers for every file.
    elsewhere = settings.model_copy(update={"outbox": tmp_path / "another-outbox"})
    state = run_round_state(elsewhere)

    parse_runs = task_runs_named(state, "doc-tep")
    assert parse_runs, "the parse tasks must appear in Prefect"
    assert all(t.state is not None and t.state.name == "Cached" for t in parse_runs)
    assert (elsewhere.round_dir / "reports.json").read_bytes() == first["reports.json"]


def test_a_first_run_attaches_its_artifacts_linking_the_outputs_it_was_writing(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    """The artifacts are sent while the outputs are written, so on a first run nothing is on disk yet
    when the markdown is made: it must still link every output, and be attached to this flow run."""
    from prefect.client.orchestration import get_client

    settings = make_settings()
    copy_samples(sample_docx_dir, settings.inbox, ["dien_chau_bao_cao", "ke_sat_cong_van"])
    assert not settings.round_dir.exists()

    state = run_round_state(settings)

    assert state.is_completed()
    with get_client(sync_client=True) as client:
        response = client.request(
            "POST",
            "/artifacts/filter",
            json={
                "artifacts": {"flow_run_id": {"any_": [str(state.state_details.flow_run_id)]}},
                "limit": 50,
                "offset": 0,
                "sort": "CREATED_DESC",
            },
        )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for artifact in response.json():
        by_type.setdefault(artifact["type"], []).append(artifact)
    (markdown,) = by_type["markdown"]
    assert markdown["key"] == "tong-hop-nghe-an-2026-h1"
    for name in ("bao-cao-tong-hop.docx", "review.html", "du-lieu.xlsx", "summary.json", "intake.csv"):
        path = (settings.round_dir / name).resolve()
        assert f"({path.as_uri()})" in markdown["data"], name
        assert path.is_file(), name
    assert "audit.jsonl" not in markdown["data"], "nothing was published, so there is no log to link"
    assert {a["key"] for a in by_type["table"]} >= {"tong-hop-nghe-an-2026-h1-xa-phuong"}


def test_rerun_after_new_files_parses_only_those(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings(parse_buckets=64)
    first_three = ["dien_chau_bao_cao", "ke_sat_cong_van", "doan_hung_tin_bai"]
    copy_samples(sample_docx_dir, settings.inbox, first_three)
    run_round(settings)
    shutil.copy2(sample_docx_dir / "nghia_dan_ke_hoach.docx", settings.inbox / "nghia_dan_ke_hoach.docx")

    state = run_round_state(settings)

    (parse_run,) = task_runs_named(state, "doc-tep")
    assert parse_run.state is not None and parse_run.state.name == "Completed"
    reports = load_reports(settings)
    assert set(reports) == {
        "dien_chau_bao_cao.docx",
        "ke_sat_cong_van.docx",
        "doan_hung_tin_bai.docx",
        "nghia_dan_ke_hoach.docx",
    }
    assert reports["nghia_dan_ke_hoach.docx"].unit is not None


def test_a_rerun_from_the_stored_parses_gives_a_fresh_runs_outputs(
    make_settings: Callable[..., Settings], repo_root: Path, tmp_path: Path
) -> None:
    """A re-run reads the earlier files' parses from the registry and only the new files from the inbox:
    its themes, figures and `reports.json` must be a fresh run's."""
    from benchmarks.corpus import generate_corpus

    settings = make_settings()
    shutil.copytree(repo_root / "inbox", settings.inbox, dirs_exist_ok=True)
    run_round(settings)
    letters = generate_corpus([("Xã Diễn Châu", "Tỉnh Nghệ An")] * 2, seed=7, bad_every=0)
    for name, data in letters:
        (settings.inbox / f"moi-{name}").write_bytes(data)
    run_round(settings)
    fresh = settings.model_copy(update={"outbox": tmp_path / "fresh-outbox"})
    run_round(fresh)

    again = json.loads((settings.round_dir / "summary.json").read_text(encoding="utf-8"))
    expected = json.loads((fresh.round_dir / "summary.json").read_text(encoding="utf-8"))
    again.pop("generated_at")
    expected.pop("generated_at")
    assert again["sections"]["results"], "the summary must have statements to compare"
    assert again == expected
    assert (settings.round_dir / "reports.json").read_bytes() == (
        fresh.round_dir / "reports.json"
    ).read_bytes()


def test_new_and_changed_files_are_picked_up_and_old_versions_kept(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings()
    copy_samples(sample_docx_dir, settings.inbox, ["dien_chau_bao_cao"])
    run_round(settings)
    # A later round of mail: a new file, and a different content under the same name.
    shutil.copy2(sample_docx_dir / "nghia_dan_ke_hoach.docx", settings.inbox / "nghia_dan_ke_hoach.docx")
    shutil.copy2(sample_docx_dir / "ke_sat_cong_van.docx", settings.inbox / "dien_chau_bao_cao.docx")

    run_round(settings)

    reports = load_reports(settings)
    assert set(reports) == {"dien_chau_bao_cao.docx", "nghia_dan_ke_hoach.docx"}
    with Registry.for_round(settings.round_dir) as registry:
        rows = [r for r in registry.rows() if r.path == "dien_chau_bao_cao.docx"]
    assert len(rows) == 2, "the old version stays in the registry"
    assert sorted(r.present for r in rows) == [False, True]


def test_nfd_file_name_comes_out_in_nfc_and_intact(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    settings = make_settings()
    nfd_name = unicodedata.normalize("NFD", 'Báo cáo xã Diễn Châu, bản "chính thức".docx')
    shutil.copy2(sample_docx_dir / "dien_chau_bao_cao.docx", settings.inbox / nfd_name)

    run_round(settings)

    rows = read_intake(settings)
    assert [r["file"] for r in rows] == [unicodedata.normalize("NFC", nfd_name)]
    assert rows[0]["status"] == "accepted"


def test_read_only_inbox_is_enough(make_settings: Callable[..., Settings], sample_docx_dir: Path) -> None:
    """As root the permission bits do not stop writes, so the snapshot is what proves nothing was written."""
    settings = make_settings()
    copy_samples(sample_docx_dir, settings.inbox, ["dien_chau_bao_cao", "ke_sat_cong_van"])
    for path in settings.inbox.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    settings.inbox.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    before = snapshot(settings.inbox)
    try:
        result = run_round(settings)
    finally:
        settings.inbox.chmod(0o755)
    assert result.files == 2
    assert snapshot(settings.inbox) == before


def test_a_finished_run_leaves_no_report_in_memory(
    make_settings: Callable[..., Settings], sample_docx_dir: Path
) -> None:
    """`tonghop serve` runs the flow every night in one process: what a run read must not outlive it.

    Prefect keeps task results in an in-memory cache by default, which held every parsed report of every
    run (300 MB after a national round) until the parse task was told not to.
    """
    import gc

    settings = make_settings()
    marker = "giu-trong-bo-nho-"
    for path in sorted(sample_docx_dir.glob("*.docx"))[:3]:
        shutil.copy2(path, settings.inbox / f"{marker}{path.name}")

    result = run_round(settings)
    assert gc.isenabled() and gc.get_freeze_count() == 0, "the run gives the collector back as it found it"

    assert result.files == 3
    # A run this small leaves its few cycles to the collector's own schedule (`flows.runtime.gc_pause`); what
    # must not be is a reference that keeps the reports alive through any collection.
    gc.collect()
    alive = [o.file for o in gc.get_objects() if isinstance(o, CommuneReport) and marker in o.file]
    assert alive == []


def test_a_run_failing_in_the_summary_leaves_the_round_as_it_was(
    make_settings: Callable[..., Settings], repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.consolidate

    settings = make_settings()
    shutil.copytree(repo_root / "inbox", settings.inbox, dirs_exist_ok=True)
    run_round(settings)
    before = snapshot(settings.round_dir)
    (settings.inbox / "xa-nam-dan-bao-cao.docx").rename(settings.inbox / "xa-nam-dan-gui-lai.docx")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("máy chủ tóm tắt không trả lời")

    monkeypatch.setattr(flows.consolidate, "summarize_sections", broken)
    state = run_round_state(settings)

    assert state.is_failed()
    after = snapshot(settings.round_dir)
    outputs = {name: value for name, value in before.items() if not name.startswith("registry")}
    assert {name: after[name] for name in outputs} == outputs, "no output of the failed run replaced one"
