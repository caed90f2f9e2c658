"""`tonghop run`: consolidate the inbox into `outbox/<round>/`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.runtime.prefect_env import configure_prefect
from flows.runtime.progress import ProgressReporter, _Silent, current_progress
from flows.runtime.stop import stop_on_sigterm
from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.report_summary import print_run_summary
from tonghop.store.lock import outbox_lock

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
    console = Console(stderr=True)
    # Fail fast (before Prefect boots) if another run holds this outbox.
    with outbox_lock(settings.outbox, wait=args.wait):
        configure_prefect(settings.prefect_home)
        stop_on_sigterm()
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
