"""`tonghop` command line: parses options, calls one function, prints one clear result.

Each command group lives in its own module under `tonghop.commands` and registers itself here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tonghop.errors import TonghopError

COMMAND_MODULES = (
    "tonghop.commands.run",
    "tonghop.commands.status",
    "tonghop.commands.form",
    "tonghop.commands.publish",
    "tonghop.commands.remind",
    "tonghop.commands.serve",
    "tonghop.commands.schema",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tonghop",
        description="Tổng hợp báo cáo ứng dụng AI của các xã/phường thành báo cáo cấp tỉnh.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except TonghopError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
