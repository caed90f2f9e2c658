"""Per-file isolation is a property of the pipeline: a failure injected into any stage for one file rejects
that file with a Vietnamese reason, and the round completes with every output and the other files.

The failure is injected where the stage's code is called, keyed on the file (or its content), as a bug
triggered by one document's content would be; a quarantined report holds none of that content, so the
injected failure no longer fires for it, as a real one would not.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schemas.report import CommuneReport, Status
from schemas.run import RunResult
from tonghop.render import OUTPUTS
from tonghop.settings import Settings

pytestmark = pytest.mark.slow

POISON = "xa-nam-dan-bao-cao.docx"
GOOD = ("dien_chau_bao_cao.docx", "phuong-vinh-hung-bao-cao.docx")
_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")


def run_round(settings: Settings) -> RunResult:
    from flows.consolidate import consolidate

    return consolidate(settings.model_dump_json(exclude={"openai_api_key"}))


def _poisoned(report: CommuneReport) -> bool:
    """The poison file while it still carries its content (a quarantined report carries none)."""
    return report.file == POISON and report.status != Status.REJECTED


def _boom(exc: type[BaseException] = RuntimeError) -> BaseException:
    return exc("lỗi cài vào cho phép thử")


def _on_file(
    module: Any, name: str, pick: Callable[..., bool], exc: type[BaseException]
) -> Callable[..., Any]:
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if pick(*args, **kwargs):
            raise _boom(exc)
        return original(*args, **kwargs)

    return wrapper


def inject(stage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.consolidate
    import tonghop.check.validate
    import tonghop.interpret
    import tonghop.read.document
    import tonghop.units.resolve
    from tonghop.store.registry import Registry

    if stage == "intake":
        import tonghop.intake

        listed = tonghop.intake.InboxEntry.for_file

        def for_file(path: Path, name: str | None = None, **kwargs: Any) -> Any:
            if name == POISON:
                raise _boom(LookupError)
            return listed(path, name, **kwargs)

        monkeypatch.setattr(tonghop.intake.InboxEntry, "for_file", for_file)
    elif stage == "task":  # a failure that escapes the per-file job: the whole batch's task fails
        import flows.tasks

        monkeypatch.setattr(
            flows.tasks,
            "read_entry",
            _on_file(flows.tasks, "read_entry", lambda e, *a: e.name == POISON, SystemError),
        )
    elif stage == "read":
        pick: Callable[..., bool] = lambda data, name, *a, **k: name == POISON  # noqa: E731
        monkeypatch.setattr(
            tonghop.read.document,
            "read_document",
            _on_file(tonghop.read.document, "read_document", pick, ValueError),
        )
    elif stage == "interpret":
        monkeypatch.setattr(
            tonghop.interpret,
            "fill_report",
            _on_file(
                tonghop.interpret, "fill_report", lambda doc, report, *a: report.file == POISON, KeyError
            ),
        )
    elif stage == "units":
        monkeypatch.setattr(
            tonghop.units.resolve,
            "resolve_unit",
            _on_file(
                tonghop.units.resolve, "resolve_unit", lambda report, *a: report.file == POISON, TypeError
            ),
        )
    elif stage == "check":
        monkeypatch.setattr(
            tonghop.check.validate,
            "validate_report",
            _on_file(
                tonghop.check.validate,
                "validate_report",
                lambda report, *a, **k: report.file == POISON,
                MemoryError,
            ),
        )
    elif stage == "registry":
        original = Registry.store_parses

        def store_parses(self: Registry, reports: Any, fingerprint: str) -> None:
            reports = list(reports)
            if any(_poisoned(r) for r in reports):
                raise _boom(UnicodeEncodeError.__base__)  # type: ignore[arg-type]
            original(self, reports, fingerprint)

        monkeypatch.setattr(Registry, "store_parses", store_parses)
    elif stage == "statuses":
        monkeypatch.setattr(
            flows.consolidate,
            "decide_statuses",
            _on_file(
                flows.consolidate,
                "decide_statuses",
                lambda reports, *a: any(map(_poisoned, reports)),
                ValueError,
            ),
        )
    elif stage == "summary":
        monkeypatch.setattr(
            flows.consolidate,
            "summarize_sections",
            _on_file(
                flows.consolidate,
                "summarize_sections",
                lambda accepted, *a: any(r.file == POISON for r in accepted),
                MemoryError,
            ),
        )
    elif stage.startswith("write:"):
        name = stage.removeprefix("write:")
        original_writer = OUTPUTS[name]

        def writer(round: Any, dest: Path) -> Path:
            if any(_poisoned(r) for r in round.reports):
                raise _boom(OverflowError)
            return original_writer(round, dest)

        monkeypatch.setitem(OUTPUTS, name, writer)
    else:
        raise AssertionError(stage)


STAGES = ["intake", "task", "read", "interpret", "units", "check", "registry", "statuses", "summary"] + [
    f"write:{name}" for name in OUTPUTS
]


@pytest.mark.parametrize("stage", STAGES)
def test_a_failure_in_any_stage_for_one_file_rejects_only_that_file(
    stage: str, make_settings: Callable[..., Settings], repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings()
    for name in (*GOOD, POISON):
        shutil.copy2(repo_root / "inbox" / name, settings.inbox / name)
    inject(stage, monkeypatch)

    result = run_round(settings)

    assert result.files == 3
    assert [file for file, _ in result.rejected] == [POISON], result.rejected
    reason = result.rejected[0][1]
    assert reason.startswith(f"Tệp {POISON}:") and _VIETNAMESE.search(reason), reason
    assert "Error" not in reason and "lỗi cài vào" not in reason, "the exception stays in the log"
    for name in OUTPUTS:
        assert (settings.round_dir / name).is_file(), name
    with (settings.round_dir / "intake.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {*GOOD, POISON}
    assert rows[POISON]["status"] == "rejected"
    assert all(rows[name]["status"] == "accepted" for name in GOOD), rows


def test_a_failure_with_every_file_set_aside_is_the_programs_and_fails_the_run(
    make_settings: Callable[..., Settings], repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Isolation must not hide a bug: a writer that fails whatever the files fails the run."""
    settings = make_settings()
    for name in GOOD:
        shutil.copy2(repo_root / "inbox" / name, settings.inbox / name)

    def broken(round: Any, dest: Path) -> Path:
        raise RuntimeError("lỗi của chương trình")

    monkeypatch.setitem(OUTPUTS, "intake.csv", broken)
    with pytest.raises(RuntimeError, match="lỗi của chương trình"):
        run_round(settings)
