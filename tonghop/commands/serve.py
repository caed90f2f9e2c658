"""`tonghop serve`: run the consolidation on a schedule (e.g. every night of the reporting window)."""

from __future__ import annotations

import argparse
import signal
from typing import Any

from flows.runtime.local_server import prefect_server
from flows.runtime.prefect_env import configure_prefect
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
    configure_prefect(settings.prefect_home)
    # systemd and `kill` stop with SIGTERM: unwind like Ctrl+C so the Prefect server started below stops too.
    signal.signal(signal.SIGTERM, _interrupt)
    # Before Prefect is imported: its settings are read once, and the API URL must be the server's.
    with prefect_server(settings.prefect_home) as api_url:
        from prefect import serve

        from flows.deployment import build_deployment

        print(
            f"Đang phục vụ lịch tổng hợp '{settings.serve_cron}' cho kỳ {settings.round} "
            f"(máy chủ Prefect {api_url.removesuffix('/api')}). Nhấn Ctrl+C để dừng.",
            flush=True,
        )
        serve(build_deployment(settings))
    return 0
