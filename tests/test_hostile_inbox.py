"""Issue #20's hostile corpus, mixed into one inbox with a good report: one run completes, accepts the good
report, lists every entry in intake.csv with a Vietnamese reason and reads nothing outside the inbox.

The settings and state cases run the real command line in a subprocess: a Vietnamese message, exit code 2,
and no traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_files import form_with, good_report_docx, hostile_inbox, json_submission, many_paragraphs_docx

from schemas.report import Status
from schemas.run import RunResult
from tonghop.intake import InboxEntry, read_entry, scan_inbox
from tonghop.render.data_files import intake_csv_text
from tonghop.render.form_template import form_bytes
from tonghop.settings import Settings
from tonghop.store.registry import Registry

_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")
GOOD = "xa-nam-dan-bao-cao.docx"


@pytest.fixture(scope="module")
def good_docx() -> bytes:
    return good_report_docx()


@pytest.fixture(scope="module")
def blank_form() -> bytes:
    return form_bytes("Nghệ An", "2026-H1")[0]


def run_round(settings: Settings) -> RunResult:
    from flows.consolidate import consolidate

    return consolidate(settings.model_dump_json(exclude={"openai_api_key"}))


def intake_rows(settings: Settings) -> dict[str, dict[str, str]]:
    with (settings.round_dir / "intake.csv").open(encoding="utf-8-sig") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def entry_for(path: Path) -> InboxEntry:
    return InboxEntry.for_file(path, received=dt.datetime(2026, 6, 6, tzinfo=dt.UTC))


# --- the crashing cases, one file at a time ----------------------------------------------------------------


def test_a_lone_surrogate_in_a_json_submission_rejects_that_file(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    path = tmp_path / "be-mat.json"
    path.write_bytes(json_submission(text="Ký tự hỏng \\ud800 ở đây"))
    report = read_entry(entry_for(path), make_settings())
    assert report.status == Status.REJECTED
    assert "ký tự không hợp lệ" in report.reason()
    report.model_dump_json()  # what the registry and the writers do with it


@pytest.mark.parametrize("where", ["json", "form"])
def test_a_figure_of_309_digits_is_refused_before_the_summary(
    where: str, make_settings: Callable[..., Settings], tmp_path: Path, blank_form: bytes
) -> None:
    huge = int("9" * 309)
    if where == "json":
        path = tmp_path / "so-khong-lo.json"
        path.write_bytes(json_submission(staff_total=huge))
    else:
        path = tmp_path / "bieu-mau.xlsx"
        path.write_bytes(form_with(blank_form, unit_code="Xã Diễn Châu (17464)", staff_total="9" * 309))
    report = read_entry(entry_for(path), make_settings())
    assert report.indicators.staff_total is None, "the figure never reaches the totals or the grounding"
    if where == "json":
        assert report.status == Status.REJECTED
        assert [e.code for e in report.errors] == ["figure_implausible"]
        assert "vượt quá giới hạn hợp lý 1.000.000" in report.reason()
        assert "309 chữ số" in report.reason()


def test_a_commune_sized_figure_is_kept_with_a_warning(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    path = tmp_path / "so-lon.json"
    path.write_bytes(json_submission(staff_total=12_000, staff_using_ai=17))
    report = read_entry(entry_for(path), make_settings())
    assert report.status == Status.ACCEPTED
    assert report.indicators.staff_total == 12_000
    assert [w.code for w in report.warnings] == ["figure_large"]


def test_statements_beyond_the_bounds_are_dropped_or_cut_with_a_marker(
    make_settings: Callable[..., Settings], tmp_path: Path, good_docx: bytes
) -> None:
    path = tmp_path / "rat-dai.docx"
    path.write_bytes(many_paragraphs_docx(good_docx, 300))
    settings = make_settings(max_items_per_report=50, max_item_chars=100)
    report = read_entry(entry_for(path), settings)
    assert report.status == Status.ACCEPTED
    assert len(report.sections.items()) == 50
    assert {w.code for w in report.warnings} >= {"items_truncated"}
    long_text = "Xã đã dùng trợ lý ảo " * 40
    json_path = tmp_path / "rat-dai.json"
    json_path.write_bytes(json_submission(text=long_text))
    cut = read_entry(entry_for(json_path), settings)
    (text,) = [item.text for _, item in cut.sections.items()]
    assert text.endswith(" […]") and len(text) <= 104
    assert "item_truncated" in {w.code for w in cut.warnings}


def test_200000_paragraphs_are_refused_before_their_xml_is_parsed(
    make_settings: Callable[..., Settings], tmp_path: Path, good_docx: bytes
) -> None:
    """A small zip of 200,000 short paragraphs holds some 20 MB of XML, whose tree would take tens of times
    that: refused by size, with what to do (memory: benchmarks/bench_hostile.py)."""
    path = tmp_path / "200k.docx"
    path.write_bytes(many_paragraphs_docx(good_docx, 200_000))
    report = read_entry(entry_for(path), make_settings())
    assert report.status == Status.REJECTED
    assert [e.code for e in report.errors] == ["document_too_large"]
    assert "quá lớn" in report.reason() and "tách thành nhiều văn bản" in report.reason()


def test_20000_paragraphs_under_the_text_cap_are_read_within_the_bounds(
    make_settings: Callable[..., Settings], tmp_path: Path, good_docx: bytes
) -> None:
    path = tmp_path / "20k.docx"
    path.write_bytes(many_paragraphs_docx(good_docx, 20_000))
    report = read_entry(entry_for(path), make_settings())
    assert report.status == Status.ACCEPTED
    assert len(report.sections.items()) == 1000
    assert {"document_truncated", "items_truncated"} <= {w.code for w in report.warnings}


def test_the_size_cap_holds_for_the_bytes_read_when_a_file_grows_after_listing(
    make_settings: Callable[..., Settings], tmp_path: Path, good_docx: bytes
) -> None:
    path = tmp_path / "dang-chep.docx"
    path.write_bytes(good_docx)
    entry = entry_for(path)
    with path.open("ab") as handle:  # the copy goes on after the inbox was listed
        handle.write(b"\0" * (2 * 1024 * 1024))
    report = read_entry(entry, make_settings(max_file_mb=1))
    assert [e.code for e in report.errors] == ["file_too_large"]
    assert "lớn lên trong khi đang đọc" in report.reason()


# --- the inbox boundary ------------------------------------------------------------------------------------


def test_links_out_of_the_inbox_are_listed_never_read(
    tmp_path: Path, good_docx: bytes, blank_form: bytes
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = hostile_inbox(inbox, tmp_path / "ngoai", {GOOD: good_docx}, blank_form)
    entries, rejected = scan_inbox(inbox)
    listed = {e.name: e for e in entries}
    refused = {r.file: r for r in rejected}
    for case in ("link_etc", "link_outside_docx", "link_outside_dir"):
        report = refused[names[case]]
        assert report.errors[0].code == "link_outside", case
        assert "ngoài hộp thư đến" in report.reason()
    assert refused[names["link_loop"]].errors[0].code == "link_loop"
    assert refused[names["link_broken"]].errors[0].code == "link_broken"
    assert not any("bao-cao-ngoai" in name for name in [*listed, *refused]), "a folder outside is not walked"
    # A link inside the inbox is followed once: to a file, and to a folder (its loop refused).
    assert listed[names["link_inside_file"]].sha256 == listed[GOOD].sha256
    assert "ban-sao-nghe-an/vong" in refused
    # Names as received: bytes that are not UTF-8 escaped, NFC and NFD kept apart.
    assert names["not_utf8"] in listed
    assert names["nfc"] in listed and names["nfd"] in listed and names["nfc"] != names["nfd"]
    for path in (e.path for e in entries):
        assert os.path.realpath(path).startswith(os.path.realpath(inbox) + os.sep), path


def test_cells_that_would_start_a_formula_in_excel_are_neutralised(tmp_path: Path) -> None:
    from schemas.report import CommuneReport, Issue

    names = ['=HYPERLINK("http://x.invalid","a")&".docx"', "+1.docx", "-1.docx", "@SUM(1).docx", "\tx.docx"]
    reports = [
        CommuneReport(file=n, sha256="", status=Status.REJECTED, errors=[Issue(code="x", message="=1+1")])
        for n in names
    ]
    rows = list(csv.reader(intake_csv_text(reports).splitlines()))[1:]
    assert sorted(row[0] for row in rows) == sorted("'" + n for n in names)
    assert all(row[3] == "'=1+1" for row in rows)


# --- one run over everything -------------------------------------------------------------------------------


@pytest.mark.slow
def test_one_run_over_the_hostile_inbox_completes_and_lists_every_entry(
    make_settings: Callable[..., Settings], tmp_path: Path, good_docx: bytes, blank_form: bytes
) -> None:
    settings = make_settings()
    settings.overrides_file.mkdir()  # a folder where the analysts' file should be
    outside = tmp_path / "ngoai"
    names = hostile_inbox(settings.inbox, outside, {GOOD: good_docx}, blank_form)
    (settings.inbox / "200k.docx").write_bytes(many_paragraphs_docx(good_docx, 200_000))
    before = {p: p.stat().st_atime_ns for p in outside.rglob("*") if p.is_file()}

    result = run_round(settings)

    rows = intake_rows(settings)
    # The good report, its copy under an NFC name (its NFD twin is another file, not a docx) and a link to
    # it inside the inbox: one of them is accepted, the others stand aside for it. Its long version is too
    # large to read, and says so.
    same = [rows[n]["status"] for n in (GOOD, names["nfc"], "lien-ket-trong.docx")]
    assert sorted(same) == ["accepted", "duplicate", "duplicate"], same
    assert rows["200k.docx"]["status"] == "rejected" and "quá lớn" in rows["200k.docx"]["reason"]
    assert rows[names["nfd"]]["status"] == "rejected"
    escaped = {("'" + n if n[0] in "=+-@" else n) for n in names.values()}
    assert escaped <= set(rows), escaped - set(rows)
    for name, row in rows.items():
        if row["status"] == "rejected":
            assert _VIETNAMESE.search(row["reason"]), (name, row["reason"])
            assert "Error" not in row["reason"], (name, row["reason"])
    assert rows["x.docx"]["status"] == "rejected" and "root:" not in rows["x.docx"]["reason"]
    assert result.files == len(rows)
    for path, atime in before.items():
        assert path.stat().st_atime_ns == atime or path.name == "passwd", f"{path} was read"
    with Registry.for_round(settings.round_dir) as registry:
        assert registry.last_run()["state"] == "completed"  # type: ignore[index]
    assert not list(settings.round_dir.glob(".*.tmp"))


# --- settings and state: the command line -------------------------------------------------------------------


def cli(args: list[str], cwd: Path, config: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TONGHOP_CONFIG": str(cwd / "tonghop.toml")}
    if config is not None:
        (cwd / "tonghop.toml").write_text(config, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tonghop.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


BASE = 'province = "Nghệ An"\nround = "2026-H1"\n'


@pytest.mark.parametrize(
    ("config", "args", "says"),
    [
        (BASE, ["status", "--round", "../../etc"], "Kỳ báo cáo '../../etc' không hợp lệ"),
        ('province = "Nghệ An\nround = "2026-H1"\n', ["status"], "sai cú pháp TOML ở dòng 1"),
        (BASE + 'workers = "hai"\n[llm]\nconcurrency = 0\n', ["status"], 'workers: "hai" không phải là số'),
    ],
)
def test_settings_errors_are_vietnamese_with_exit_code_2(
    config: str, args: list[str], says: str, tmp_path: Path
) -> None:
    done = cli(args, tmp_path, config)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_keys_are_warned_about_with_the_nearest_key(tmp_path: Path) -> None:
    done = cli(["status"], tmp_path, BASE + 'provinc = "x"\n[llm]\nmodle = "x"\n')
    assert 'khóa "provinc" không có trong cấu hình nên bị bỏ qua; có phải ý bạn là "province"?' in done.stderr
    assert 'có phải ý bạn là "llm.model"?' in done.stderr


@pytest.mark.parametrize("kind", ["garbage", "foreign"])
def test_a_registry_that_is_not_ours_is_named_not_overwritten(kind: str, tmp_path: Path) -> None:
    round_dir = tmp_path / "outbox" / "2026-H1"
    round_dir.mkdir(parents=True)
    path = round_dir / "registry.sqlite"
    if kind == "garbage":
        path.write_bytes(b"day khong phai SQLite" * 100)
    else:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE files (ten TEXT, gia INTEGER)")
    before = path.read_bytes()
    for command in (["status"], ["run", "--no-progress"]):
        done = cli(command, tmp_path, BASE + f'inbox = "{tmp_path}"\n')
        assert done.returncode == 2, done.stderr
        assert "không phải sổ tiếp nhận của tonghop" in done.stderr
        assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_status_reads_the_registry_without_writing(tmp_path: Path) -> None:
    round_dir = tmp_path / "outbox" / "2026-H1"
    with Registry.for_round(round_dir) as registry:
        registry.finish_run(registry.start_run(), "completed", 0)
    with Registry(round_dir / "registry.sqlite", read_only=True) as registry:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            registry.start_run()
        assert registry.last_run() is not None


def test_a_killed_runs_leftovers_are_removed_and_it_is_marked_interrupted(
    make_settings: Callable[..., Settings], repo_root: Path
) -> None:
    settings = make_settings()
    shutil.copy2(repo_root / "inbox" / "dien_chau_bao_cao.docx", settings.inbox)
    settings.round_dir.mkdir(parents=True)
    with Registry.for_round(settings.round_dir) as registry:
        killed = registry.start_run()  # and never finished: kill -9
    leftover = settings.round_dir / ".reports.json.k3j2h1.tmp"
    leftover.write_text("{", encoding="utf-8")

    run_round(settings)

    assert not leftover.exists()
    with Registry.for_round(settings.round_dir) as registry:
        states = dict(registry._conn.execute("SELECT id, state FROM runs"))
    assert states[killed] == "interrupted"
    assert list(states.values())[-1] == "completed"


@pytest.mark.parametrize(("code", "says"), [(28, "ổ đĩa đã đầy"), (30, "ổ đĩa chỉ cho đọc")])
def test_disk_errors_are_vietnamese_with_exit_code_2(
    code: int, says: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tonghop.commands.status as status
    from tonghop import cli as cli_module

    def failing(args: object) -> int:
        raise OSError(code, os.strerror(code), "outbox/2026-H1/reports.json")

    monkeypatch.setattr(status, "handle", failing)
    assert cli_module.main(["status"]) == 2
    err = capsys.readouterr().err
    assert says in err and "outbox/2026-H1/reports.json" in err and "Traceback" not in err


def test_a_bug_prints_its_traceback_and_asks_to_report_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tonghop.commands.status as status
    from tonghop import cli as cli_module

    def buggy(args: object) -> int:
        raise ZeroDivisionError("chia cho 0")

    monkeypatch.setattr(status, "handle", buggy)
    assert cli_module.main(["status"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "hãy báo cho bộ phận kỹ thuật".lower() in err.lower()


def test_prefects_log_of_a_fixable_failure_leaves_the_traceback_out() -> None:
    import logging
    import warnings

    from flows.runtime.prefect_env import quiet_fixable_errors
    from tonghop.errors import StateError

    quiet_fixable_errors()
    logger = logging.getLogger("prefect.flow_runs")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign,assignment]
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Prefect's API handler: no flow run here to send the logs to
            for exc in (StateError("sổ hỏng"), OSError(28, "No space left"), ZeroDivisionError("lỗi")):
                try:
                    raise exc
                except Exception:
                    logger.error("Encountered exception during execution: %r", exc, exc_info=True)
    finally:
        logger.removeHandler(handler)
    assert [r.exc_info is None for r in records] == [True, True, False], "a bug keeps its traceback"
    assert "No space" not in records[1].getMessage()
