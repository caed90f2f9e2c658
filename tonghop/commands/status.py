"""`tonghop status`: what was received, accepted, rejected and what is missing, from the registry."""

from __future__ import annotations

import argparse
from typing import Any

from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.errors import TonghopError
from tonghop.report_summary import format_status, round_status


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "status", help="Xem tình hình tiếp nhận của một kỳ báo cáo."
    )
    add_location_options(parser, with_inbox=False)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    status = round_status(settings)
    if status is None:
        raise TonghopError(
            f"Chưa có lượt tổng hợp nào cho kỳ {settings.round} trong {settings.outbox}. "
            "Hãy chạy: tonghop run"
        )
    print(format_status(status))
    return 0
