"""Per-file isolation: whatever one file makes a stage fail on, only that file pays for it.

Every stage that sees more than one file at a time (statuses, the summary, the writers) runs through
`contained`. When the stage raises, the files it fails on are found by setting files aside and trying
again, and each one found becomes a rejected report (`quarantined`) holding nothing of its content, so no
later stage can trip on it again. The round then completes with every other file. Only a failure that
remains with every file set aside is the program's own, and that one is raised.

The reading stage contains its failures file by file (`tonghop.intake.read_entry`), and `parse_all`
re-reads one by one the files of a batch that failed as a whole.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from typing import TypeVar

from schemas.report import CommuneReport, Issue, Status

T = TypeVar("T")
_NOT_A_FILES_FAULT = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}

# What the officer reads: the stage in words, never the exception's name (that goes to the log).
STAGE_WORDS = {
    "intake": "tiếp nhận",
    "parse": "đọc",
    "statuses": "đối chiếu với các tệp khác",
    "summarize": "tổng hợp nội dung",
    "render": "xuất báo cáo",
    "record": "ghi sổ tiếp nhận",
}


def quarantined(report: CommuneReport, stage: str) -> CommuneReport:
    """The file's rejection, keeping only what intake knew of it: nothing that made a stage fail remains."""
    words = STAGE_WORDS.get(stage, stage)
    return CommuneReport(
        file=report.file,
        sha256=report.sha256,
        size=report.size,
        received_at=report.received_at,
        format=report.format,
        status=Status.REJECTED,
        errors=[
            Issue(
                code="internal_error",
                message=(
                    f"Tệp {report.file}: hệ thống gặp lỗi khi {words} tệp này nên đã tạm loại tệp để kỳ "
                    "tổng hợp vẫn hoàn thành. Chi tiết lỗi đã ghi vào nhật ký; hãy báo cho bộ phận kỹ thuật "
                    "và gửi kèm tệp."
                ),
            )
        ],
    )


def _is_quarantined(report: CommuneReport) -> bool:
    return report.status == Status.REJECTED and any(e.code == "internal_error" for e in report.errors)


def contained(
    reports: list[CommuneReport],
    work: Callable[[list[CommuneReport]], T],
    *,
    stage: Callable[[], str],
    logger: logging.Logger | logging.LoggerAdapter[logging.Logger],
) -> tuple[T, list[CommuneReport]]:
    """`work(reports)`, with the files it fails on quarantined; returns its result and the reports it got.

    `stage()` names the stage that was running when `work` raised, for the file's reason. The search
    assumes a failure comes from the files present, not from their mix: setting aside a prefix of the
    suspects either removes every culprit or not, so a binary search finds the last culprit of the
    prefix in a few tries, and the loop goes on until `work` passes.
    """
    try:
        return work(reports), reports
    except Exception as exc:
        first = exc
        failed_in = stage()
        logger.error("Một tệp làm lỗi bước %s; đang tìm tệp đó.", failed_in, exc_info=exc)
    current = list(reports)

    def attempt(candidate: list[CommuneReport]) -> tuple[bool, T | None, str]:
        try:
            return True, work(candidate), ""
        except Exception:  # noqa: BLE001 - a probe's failure is the answer it gives
            return False, None, stage()

    suspects = [i for i, r in enumerate(current) if not _is_quarantined(r)]
    while True:
        # With every suspect set aside, the stage must pass: otherwise the failure is the program's.
        aside = [quarantined(r, failed_in) if i in suspects else r for i, r in enumerate(current)]
        ok, _, _ = attempt(aside)
        if not ok:
            raise first
        low, high = 1, len(suspects)  # smallest prefix of suspects whose setting aside makes it pass
        while low < high:
            middle = (low + high) // 2
            prefix = set(suspects[:middle])
            trial = [quarantined(r, failed_in) if i in prefix else r for i, r in enumerate(current)]
            if attempt(trial)[0]:
                high = middle
            else:
                low = middle + 1
        culprit = suspects[low - 1]
        logger.error(
            "Tệp %s làm lỗi bước %s; tệp bị loại, kỳ tổng hợp tiếp tục.", current[culprit].file, failed_in
        )
        current[culprit] = quarantined(current[culprit], failed_in)
        suspects = suspects[: low - 1]
        ok, result, failed_again = attempt(current)
        if ok:
            return result, current  # type: ignore[return-value]
        failed_in = failed_again
        if not suspects:
            raise first
