"""Options shared by several commands, and turning them into Settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tonghop.settings import Settings, config_warnings, load_settings


def add_location_options(parser: argparse.ArgumentParser, *, with_inbox: bool = True) -> None:
    if with_inbox:
        parser.add_argument(
            "--inbox", type=Path, help="Thư mục chứa văn bản các xã gửi lên (mặc định: inbox/)."
        )
    parser.add_argument("--outbox", type=Path, help="Thư mục kết quả (mặc định: outbox/).")
    parser.add_argument("--round", help="Kỳ báo cáo, ví dụ 2026-H1, 2026-Q2, 2026-06 hoặc 2026.")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--province", help='Tỉnh/thành phố cần tổng hợp, ví dụ "Nghệ An".')
    scope.add_argument(
        "--national",
        action="store_true",
        help="Tổng hợp toàn quốc, nhóm theo tỉnh (bỏ qua tỉnh trong cấu hình).",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides = {
        "inbox": getattr(args, "inbox", None),
        "outbox": getattr(args, "outbox", None),
        "round": getattr(args, "round", None),
        "province": "" if getattr(args, "national", False) else getattr(args, "province", None),
    }
    settings = load_settings(**overrides)
    for warning in config_warnings():
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    return settings
