"""`tonghop run`: consolidate the inbox into `outbox/<round>/`."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.runtime.prefect_env import configure_prefect
from flows.runtime.progress import ProgressReporter, _Silent, current_progress
from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.errors import TonghopError
from tonghop.report_summary import print_run_summary
from tonghop.store.lock import outbox_lock
from tonghop.store.registry import Registry
from tonghop.units.overrides import overrides_problem

_Quiet = _Silent


class _LineReporter:
    """For logs and CI (no terminal): a plain line at each stage and every tenth of the files."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self._last_decile = -1

    def start(self, total: int) -> None:
        self.total = total
        print(f"Tổng số tệp trong hộp thư đến: {total}", file=sys.stderr)

    def advance(self, count: int) -> None:
        self.done += count
        decile = (10 * self.done) // self.total if self.total else 10
        if decile != self._last_decile:
            self._last_decile = decile
            print(f"  đã đọc {self.done}/{self.total} tệp", file=sys.stderr)

    def stage(self, name: str) -> None:
        print(f"- {name}", file=sys.stderr)


class _BarReporter:
    """The files-done/total bar; Prefect's own logs stay quiet unless something goes wrong."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("Tiếp nhận", total=None)

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total, completed=0)

    def advance(self, count: int) -> None:
        self._progress.advance(self._task, count)

    def stage(self, name: str) -> None:
        self._progress.update(self._task, description=name)


class _FixableWithoutTraceback(logging.Filter):
    """Prefect logs a failed flow's exception with its traceback; for what the officer can fix (a full
    disk, a permission, our own Vietnamese errors) the CLI prints one clear line instead, so the
    traceback is left out of the terminal. A bug keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TonghopError | OSError | sqlite3.Error):
            record.exc_info = None
            record.exc_text = None
            record.msg = "Lượt tổng hợp dừng; xem thông báo lỗi bên dưới."
            record.args = ()
        return True


def quiet_fixable_errors() -> None:
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _FixableWithoutTraceback) for f in logger.filters):
            logger.addFilter(_FixableWithoutTraceback())


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "run", help="Tổng hợp các văn bản trong hộp thư đến thành báo cáo của tỉnh."
    )
    add_location_options(parser)
    parser.add_argument("--wait", action="store_true", help="Nếu đang có lượt khác chạy, chờ thay vì dừng.")
    parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ.")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    problem = overrides_problem(settings.overrides_file)
    if problem:
        print(f"Cảnh báo: {problem}", file=sys.stderr)
    console = Console(stderr=True)
    # Fail fast (before Prefect boots) if another run holds this outbox, or its registry is not ours.
    with outbox_lock(settings.outbox, wait=args.wait):
        Registry.for_round(settings.round_dir).close()
        configure_prefect(settings.prefect_home)
        quiet_fixable_errors()
        from flows.consolidate import run_flow

        show = sys.stderr.isatty()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("tệp"),
            TimeElapsedColumn(),
            console=console,
            disable=not show or args.no_progress,
            transient=True,
        ) as progress:
            reporter: ProgressReporter = (
                _Quiet() if args.no_progress else _BarReporter(progress) if show else _LineReporter()
            )
            token = current_progress.set(reporter)
            try:
                result = run_flow(settings, wait=args.wait, already_locked=True)
            finally:
                current_progress.reset(token)
    print_run_summary(settings, result)
    return 0
