"""`tonghop serve`: run the consolidation on a schedule (e.g. every night of the reporting window)."""

from __future__ import annotations

import argparse
import signal
from typing import Any

from flows.serve import serve_schedule
from tonghop.commands.common import add_location_options, settings_from_args


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve", help="Chạy tổng hợp định kỳ theo lịch (Prefect deployment), tự nhận tệp mới."
    )
    add_location_options(parser)
    parser.add_argument("--cron", help='Lịch chạy dạng cron, ví dụ "0 22 * * *" (mặc định theo cấu hình).')
    parser.set_defaults(handler=handle)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if args.cron:
        settings = settings.model_copy(update={"serve_cron": args.cron})

    def ready(api_url: str) -> None:
        print(
            f"Đang phục vụ lịch tổng hợp '{settings.serve_cron}' cho kỳ {settings.round} "
            f"(máy chủ Prefect {api_url.removesuffix('/api')}). Nhấn Ctrl+C để dừng.",
            flush=True,
        )

    # systemd and `kill` stop with SIGTERM: unwind like Ctrl+C, so the Prefect server `serve_schedule`
    # started stops too, and `tonghop.cli` reports the stop as it does Ctrl+C's.
    signal.signal(signal.SIGTERM, _interrupt)
    serve_schedule(settings, on_ready=ready)
    return 0
