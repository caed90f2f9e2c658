"""`tonghop remind`: the reminder letter to the communes still missing, from the last run of a round."""

from __future__ import annotations

import argparse
from typing import Any

from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.render.reminder import remind_round


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "remind", help="Soạn công văn đôn đốc các xã, phường chưa gửi báo cáo (hoặc báo cáo chưa hợp lệ)."
    )
    add_location_options(parser, with_inbox=False)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    path = remind_round(settings)
    print(f"Đã soạn công văn đôn đốc: {path}")
    return 0
