"""`tonghop form`: write the Excel form communes fill in instead of writing a report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tonghop.errors import TonghopError
from tonghop.render.form_template import write_form
from tonghop.settings import load_settings


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "form", help="Tạo biểu mẫu Excel để các xã, phường điền số liệu và nội dung báo cáo."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("bieu-mau.xlsx"),
        help="Tệp biểu mẫu sẽ tạo (mặc định: bieu-mau.xlsx).",
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument(
        "--province", help='Tỉnh/thành phố có danh sách xã, phường trong biểu mẫu, ví dụ "Nghệ An".'
    )
    scope.add_argument("--national", action="store_true", help="Biểu mẫu có danh sách xã, phường cả nước.")
    parser.add_argument("--round", help="Kỳ báo cáo điền sẵn vào biểu mẫu, ví dụ 2026-H1.")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = load_settings(round=args.round, province="" if args.national else args.province)
    try:
        info = write_form(args.out, settings.province, settings.round)
    except OSError as exc:
        raise TonghopError(
            f"Không ghi được biểu mẫu {args.out}: {exc.strerror or exc}.", code="write_failed"
        ) from exc
    where = info.province or "cả nước"
    print(
        f"Đã tạo biểu mẫu {args.out}: {info.communes} xã, phường, đặc khu của {where}, kỳ {settings.round}."
    )
    return 0
