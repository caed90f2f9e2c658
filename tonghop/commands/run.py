"""`tonghop run`: consolidate the inbox into `outbox/<round>/`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.run import run_round
from flows.runtime.progress import SILENT, ProgressReporter
from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.report_summary import print_run_summary
from tonghop.units.overrides import overrides_problem


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


@contextlib.contextmanager
def _display(console: Console, no_progress: bool) -> Iterator[ProgressReporter]:
    """A bar on a terminal, plain lines in logs and CI, nothing with --no-progress."""
    show = sys.stderr.isatty()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tệp"),
        TimeElapsedColumn(),
        console=console,
        disable=not show or no_progress,
        transient=True,
    ) as progress:
        yield SILENT if no_progress else _BarReporter(progress) if show else _LineReporter()


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    problem = overrides_problem(settings.overrides_file)
    if problem:
        print(f"Cảnh báo: {problem}", file=sys.stderr)
    console = Console(stderr=True)
    result = run_round(settings, wait=args.wait, progress=_display(console, args.no_progress))
    print_run_summary(settings, result)
    return 0
