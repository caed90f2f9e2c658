"""`tonghop serve`: run the consolidation on a schedule (e.g. every night of the reporting window)."""

from __future__ import annotations

import argparse
from typing import Any

from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.prefect_env import configure_prefect


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve", help="Chạy tổng hợp định kỳ theo lịch (Prefect deployment), tự nhận tệp mới."
    )
    add_location_options(parser)
    parser.add_argument("--cron", help='Lịch chạy dạng cron, ví dụ "0 22 * * *" (mặc định theo cấu hình).')
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if args.cron:
        settings = settings.model_copy(update={"serve_cron": args.cron})
    configure_prefect(settings.prefect_home)
    from prefect import serve

    from flows.deployment import build_deployment

    print(f"Đang phục vụ lịch tổng hợp '{settings.serve_cron}' cho kỳ {settings.round}. Nhấn Ctrl+C để dừng.")
    serve(build_deployment(settings))
    return 0
