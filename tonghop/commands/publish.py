"""`tonghop publish`: the corrected summary becomes the final report in `outbox/<round>/final/`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tonghop.commands.common import add_location_options, settings_from_args
from tonghop.publish import publish_round


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "publish",
        help="Ban hành báo cáo từ bản tổng hợp đã rà soát (tệp quyết định hoặc summary.json đã sửa tay).",
    )
    add_location_options(parser, with_inbox=False)
    parser.add_argument(
        "--decisions", type=Path, help="Tệp quyết định tải từ review.html (quyet-dinh-<kỳ>.json)."
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=(
            "Ban hành dù còn câu cần rà soát chưa có quyết định (chưa kiểm chứng, nghi chèn lệnh…) hoặc "
            "quyết định không khớp; các câu đó được đánh dấu trong báo cáo và việc này được ghi vào nhật ký."
        ),
    )
    parser.add_argument("--by", help="Người ban hành, ghi vào nhật ký (mặc định: tài khoản đang đăng nhập).")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    result = publish_round(settings, decisions_path=args.decisions, force=args.force, by=args.by)
    print(f"Đã ban hành vào {result.final_dir}:")
    for path in result.outputs:
        print(f"  {path}")
    edited = sum(1 for c in result.changes if c.event in ("edit", "hand_edit"))
    rejected = sum(1 for c in result.changes if c.event in ("reject", "hand_remove"))
    print(f"Thay đổi: {len(result.changes)} (sửa {edited}, loại bỏ {rejected}); nhật ký: audit.jsonl")
    if result.forced:
        print(
            f"Lưu ý: đã dùng --force; còn {len(result.flagged_left)} câu cần rà soát chưa có quyết định, "
            "được đánh dấu trong báo cáo (ghi trong audit.jsonl)."
        )
    for note in result.notes:
        print(f"Lưu ý: {note}")
    return 0
