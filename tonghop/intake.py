"""Intake: list every file of the inbox with its fingerprint, and turn one file into a CommuneReport.

The inbox is only ever read. Every regular file is listed, whatever its name or type (Word lock files and
hidden files included): a file the product cannot use is rejected with a reason, never skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from schemas.report import CommuneReport, Issue, Status
from tonghop.errors import IntakeError, TonghopError
from tonghop.text import nfc

_CHUNK = 1 << 20


class InboxEntry(BaseModel):
    """One file found in the inbox. `name` is the NFC path relative to the inbox, as shown to people."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: str
    sha256: str
    size: int
    mtime: dt.datetime
    stamp: str = ""

    @classmethod
    def for_file(
        cls,
        path: Path,
        name: str | None = None,
        *,
        received: dt.datetime | None = None,
        known: Mapping[tuple[str, str], str] | None = None,
    ) -> InboxEntry:
        """Stats and hashes one regular file; `name` defaults to its file name, `received` to its mtime.

        `known` maps (name, stamp) to the sha256 an earlier scan computed: a file whose stamp is unchanged
        is not read again, which is most of the inbox on a re-run.
        """
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise OSError("không phải tệp thông thường")
        name = nfc(name or path.name)
        stamp = file_stamp(info)
        sha256 = (known or {}).get((name, stamp)) or sha256_file(path)
        return cls(
            name=name,
            path=str(path),
            sha256=sha256,
            size=info.st_size,
            mtime=received or dt.datetime.fromtimestamp(info.st_mtime, dt.UTC).replace(microsecond=0),
            stamp=stamp,
        )


def file_stamp(info: os.stat_result) -> str:
    """What tells a file unchanged without reading it, as git's index does.

    The change time (ctime) moves on every write, rename or copy into place and cannot be set back by
    `touch` or a copy that preserves dates, so a new version under the same name always gets a new stamp.
    """
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan_inbox(
    inbox: Path, known: Mapping[tuple[str, str], str] | None = None
) -> tuple[list[InboxEntry], list[CommuneReport]]:
    """Every file under `inbox`, sorted by name; unreadable entries come back as rejected reports.

    `known` (from the registry) spares hashing the files whose stamp has not changed since the last scan.
    """
    if not inbox.is_dir():
        raise IntakeError(f"Không tìm thấy thư mục hộp thư đến: {inbox}", code="inbox_missing")
    entries: list[InboxEntry] = []
    unreadable: list[CommuneReport] = []
    for root, dirs, files in os.walk(inbox):
        dirs.sort()
        for filename in sorted(files):
            path = Path(root) / filename
            name = nfc(path.relative_to(inbox).as_posix())
            try:
                entries.append(InboxEntry.for_file(path, name, known=known))
            except OSError as exc:
                unreadable.append(
                    CommuneReport(
                        file=name,
                        sha256="",
                        status=Status.REJECTED,
                        errors=[
                            Issue(
                                code="unreadable",
                                message=f"Tệp {name}: không đọc được ({exc.strerror or exc}).",
                            )
                        ],
                    )
                )
    entries.sort(key=lambda e: e.name)
    return entries, unreadable


def read_entry(entry: InboxEntry, settings: object) -> CommuneReport:
    """Reads, interprets, resolves and validates one file; any failure becomes a rejected report.

    This is the whole per-file job, free of Prefect, so it can be tested and benchmarked directly.
    """
    from tonghop.check.validate import validate_report
    from tonghop.interpret import fill_report
    from tonghop.read.document import read_document
    from tonghop.settings import Settings
    from tonghop.units.resolve import resolve_unit

    assert isinstance(settings, Settings)
    fmt = Path(entry.name).suffix.lower().lstrip(".")
    report = CommuneReport(
        file=entry.name,
        sha256=entry.sha256,
        size=entry.size,
        received_at=entry.mtime,
        format=fmt if fmt in ("docx", "xlsx", "json") else "other",
    )
    try:
        if entry.size > settings.max_file_mb * 1024 * 1024:
            raise IntakeError(
                f"Tệp {entry.name}: dung lượng {entry.size / 1048576:.1f} MB vượt giới hạn "
                f"{settings.max_file_mb:g} MB.",
                code="file_too_large",
            )
        data = Path(entry.path).read_bytes()
        doc = read_document(data, entry.name, settings)
        report = fill_report(doc, report, settings)
        report = resolve_unit(report, settings)
        errors, warnings = validate_report(report, settings)
        report = report.model_copy(
            update={"errors": [*report.errors, *errors], "warnings": [*report.warnings, *warnings]}
        )
    except TonghopError as exc:
        report = report.model_copy(update={"errors": [*report.errors, exc.as_issue()]})
    except OSError as exc:
        report = report.model_copy(
            update={
                "errors": [Issue(code="unreadable", message=f"Tệp {entry.name}: không đọc được ({exc}).")]
            }
        )
    except Exception as exc:  # noqa: BLE001 - one unforeseen failure must not stop a whole reporting round
        report = report.model_copy(
            update={
                "errors": [
                    Issue(
                        code="internal_error",
                        message=(
                            f"Tệp {entry.name}: lỗi không lường trước khi đọc ({type(exc).__name__}: {exc})."
                        ),
                    )
                ]
            }
        )
    if report.errors:
        report = report.model_copy(update={"status": Status.REJECTED})
    return report
