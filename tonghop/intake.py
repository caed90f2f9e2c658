"""Intake: list every file of the inbox with its fingerprint, and turn one file into a CommuneReport.

The inbox is only ever read. Every regular file is listed, whatever its name or type (Word lock files and
hidden files included): a file the product cannot use is rejected with a reason, never skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from schemas.report import CommuneReport, Issue, Status
from tonghop.errors import IntakeError, TonghopError, os_reason
from tonghop.text import nfc

_CHUNK = 1 << 20
_log = logging.getLogger(__name__)


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
            raise OSError(0, "không phải tệp thông thường")
        name = name or display_name(path.name)
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


def display_name(raw: str) -> str:
    """A name as people see it: NFC, with bytes that are not UTF-8 shown escaped (`\\xff`), never lost."""
    return nfc(os.fsencode(raw).decode("utf-8", "backslashreplace"))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: str, directory: str, prefix: str, visited: set[str]) -> Iterator[tuple[str, str, str]]:
    """(path to read, name in the inbox as received, problem or "") for every entry under `directory`.

    The inbox is the boundary: a link is followed only to a file or folder inside it, and a folder only
    once (a link back to a folder being walked would loop); every other link is listed with its problem.
    """
    with os.scandir(directory) as scan:
        found = sorted(scan, key=lambda e: e.name)
    for item in found:
        name = prefix + item.name
        if not item.is_symlink():
            if item.is_dir(follow_symlinks=False):
                visited.add(os.path.realpath(item.path))
                yield from _walk(root, item.path, name + "/", visited)
            else:
                yield item.path, name, ""
            continue
        target = os.path.realpath(item.path)
        if not _inside(target, root):
            yield item.path, name, "link_outside"
        elif Path(target).is_dir():
            if target in visited:
                yield item.path, name, "link_loop"
            else:
                visited.add(target)
                yield from _walk(root, target, name + "/", visited)
        elif Path(target).is_file():
            yield target, name, ""
        else:
            yield item.path, name, "link_broken"


_LINK_PROBLEMS = {
    "link_outside": "là liên kết (symlink) trỏ ra ngoài hộp thư đến; hệ thống không đọc tệp ngoài hộp thư. "
    "Hãy chép chính tệp đó vào hộp thư đến",
    "link_loop": "là liên kết (symlink) trỏ về một thư mục đã đọc (vòng lặp); thư mục chỉ được đọc một lần",
    "link_broken": "là liên kết (symlink) không trỏ tới tệp nào còn tồn tại",
}


def _rejected(name: str, code: str, why: str) -> CommuneReport:
    return CommuneReport(
        file=name,
        sha256="",
        status=Status.REJECTED,
        errors=[Issue(code=code, message=f"Tệp {name}: {why}.")],
    )


def read_capped(path: Path, limit: int) -> bytes:
    """At most `limit + 1` bytes: the cap holds for what is read, even if the file grew since it was listed.

    A link is never followed here: the scan already resolved the links it accepts to their targets.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit + 1)


def scan_inbox(
    inbox: Path, known: Mapping[tuple[str, str], str] | None = None
) -> tuple[list[InboxEntry], list[CommuneReport]]:
    """Every entry under `inbox`, sorted by name; entries that cannot be read come back as rejected reports.

    `known` (from the registry) spares hashing the files whose stamp has not changed since the last scan.
    Two names that differ only by Unicode normalization (a Windows and a Mac copy) are two files: the
    first keeps the NFC name, the other its name as received.
    """
    if not inbox.is_dir():
        raise IntakeError(f"Không tìm thấy thư mục hộp thư đến: {inbox}", code="inbox_missing")
    root = os.path.realpath(inbox)
    entries: list[InboxEntry] = []
    unreadable: list[CommuneReport] = []
    found = list(_walk(root, root, "", {root}))
    received = [os.fsencode(raw).decode("utf-8", "backslashreplace") for _, raw, _ in found]
    exact = set(received)
    taken: set[str] = set()
    for (path, _, problem), as_received in zip(found, received, strict=True):
        name = nfc(as_received)
        if name in taken or (name != as_received and name in exact):
            name = as_received  # the NFC name belongs to the file whose name it is
        taken.add(name)
        if problem:
            unreadable.append(_rejected(name, problem, _LINK_PROBLEMS[problem]))
            continue
        try:
            entries.append(InboxEntry.for_file(Path(path), name, known=known))
        except OSError as exc:
            unreadable.append(_rejected(name, "unreadable", f"không đọc được ({os_reason(exc)})"))
        except Exception:  # noqa: BLE001 - one entry that cannot be listed must not stop the round
            _log.exception("Lỗi khi liệt kê %s", name)
            unreadable.append(_rejected(name, "unreadable", "không đọc được (lỗi không lường trước)"))
    entries.sort(key=lambda e: e.name)
    return entries, unreadable


def received_report(entry: InboxEntry) -> CommuneReport:
    """What intake knows of a file before reading it: the start of its report, and all of a rejection."""
    fmt = Path(entry.name).suffix.lower().lstrip(".")
    return CommuneReport(
        file=entry.name,
        sha256=entry.sha256,
        size=entry.size,
        received_at=entry.mtime,
        format=fmt if fmt in ("docx", "xlsx", "json") else "other",
    )


def read_entry(entry: InboxEntry, settings: object) -> CommuneReport:
    """Reads, interprets, resolves and validates one file; any failure becomes a rejected report.

    This is the whole per-file job, free of Prefect, so it can be tested and benchmarked directly.
    """
    from tonghop.check.validate import bound_report, validate_report
    from tonghop.interpret import fill_report
    from tonghop.read.document import read_document
    from tonghop.settings import Settings
    from tonghop.units.resolve import resolve_unit

    assert isinstance(settings, Settings)
    report = received_report(entry)
    try:
        limit = int(settings.max_file_mb * 1024 * 1024)
        if entry.size > limit:
            raise IntakeError(
                f"Tệp {entry.name}: dung lượng {entry.size / 1048576:.1f} MB vượt giới hạn "
                f"{settings.max_file_mb:g} MB.",
                code="file_too_large",
            )
        data = read_capped(Path(entry.path), limit)
        if len(data) > limit:
            raise IntakeError(
                f"Tệp {entry.name}: dung lượng vượt giới hạn {settings.max_file_mb:g} MB (tệp lớn lên trong "
                "khi đang đọc, có thể đang được chép vào).",
                code="file_too_large",
            )
        doc = read_document(data, entry.name, settings)
        long_document = len(doc.blocks) > settings.max_blocks_per_document
        if long_document:
            # A real report has a few hundred paragraphs; interpreting a hostile number of them would
            # cost memory in proportion, for statements the item bound drops anyway.
            blocks = len(doc.blocks)
            doc = doc.model_copy(update={"blocks": doc.blocks[: settings.max_blocks_per_document]})
        report = fill_report(doc, report, settings)
        del doc, data
        if long_document:
            report = report.model_copy(
                update={
                    "warnings": [
                        *report.warnings,
                        Issue(
                            code="document_truncated",
                            message=(
                                f"Tệp {entry.name}: văn bản có {blocks} đoạn, vượt giới hạn "
                                f"{settings.max_blocks_per_document} đoạn; chỉ phần đầu được đọc."
                            ),
                        ),
                    ]
                }
            )
        report, bound_errors, bound_warnings = bound_report(report, settings)
        report = report.model_copy(
            update={
                "errors": [*report.errors, *bound_errors],
                "warnings": [*report.warnings, *bound_warnings],
            }
        )
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
                "errors": [
                    Issue(
                        code="unreadable",
                        message=f"Tệp {entry.name}: không đọc được ({os_reason(exc)}).",
                    )
                ]
            }
        )
    except Exception:  # noqa: BLE001 - one unforeseen failure must not stop a whole reporting round
        _log.exception("Lỗi không lường trước khi đọc tệp %s", entry.name)
        report = _failed(entry, "hệ thống gặp lỗi không lường trước khi đọc tệp này")
    if report.errors:
        report = report.model_copy(update={"status": Status.REJECTED})
    try:
        # What cannot be stored (a lone surrogate from a JSON "\ud800") would fail the registry and every
        # writer: it is this file's rejection, found here.
        report.model_dump_json()
    except ValueError:
        _log.exception("Kết quả đọc tệp %s không lưu được", entry.name)
        report = _failed(
            entry, "văn bản chứa ký tự không hợp lệ (mã Unicode hỏng) nên không lưu được kết quả đọc"
        )
    return report


def _failed(entry: InboxEntry, why: str) -> CommuneReport:
    return received_report(entry).model_copy(
        update={
            "status": Status.REJECTED,
            "errors": [
                Issue(
                    code="internal_error",
                    message=(
                        f"Tệp {entry.name}: {why}; tệp bị loại để kỳ tổng hợp vẫn "
                        "hoàn thành. Hãy mở lại, lưu lại tệp rồi gửi lại; nếu vẫn lỗi, báo cho bộ phận kỹ "
                        "thuật (chi tiết đã ghi vào nhật ký)."
                    ),
                )
            ],
        }
    )
