"""`tonghop` command line: parses options, calls one function, prints one clear result.

Each command group lives in its own module under `tonghop.commands` and registers itself here.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sqlite3
import sys
import traceback
from collections.abc import Sequence

from tonghop.errors import TonghopError, os_reason

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
    """Runs one command. What the officer can fix (settings, paths, permissions, a full disk, a registry
    that is not ours) is one Vietnamese message and exit code 2; only a bug prints a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except TonghopError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Lỗi: {os_message(exc)}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(
            f"Lỗi: không dùng được sổ tiếp nhận registry.sqlite của kỳ này ({exc.__class__.__name__}). "
            "Hãy đổi tên hoặc chuyển tệp đó đi rồi chạy lại.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - a bug: shown whole, with a line asking to report it
        traceback.print_exc()
        print(
            "\nĐây là lỗi của chương trình tonghop, không phải của dữ liệu. Hãy báo cho bộ phận kỹ thuật, "
            "gửi kèm toàn bộ nội dung ở trên và lệnh đã chạy.",
            file=sys.stderr,
        )
        return 1


def os_message(exc: OSError) -> str:
    """A file-system failure as the officer can act on it: what, where, and what to do."""
    where = f" ({exc.filename})" if exc.filename else ""
    advice = {
        errno.ENOSPC: "Hãy giải phóng dung lượng ổ đĩa rồi chạy lại.",
        errno.EDQUOT: "Hãy giải phóng dung lượng rồi chạy lại.",
        errno.EACCES: "Hãy kiểm tra quyền ghi/đọc của thư mục, hoặc chọn thư mục khác (--outbox).",
        errno.EPERM: "Hãy kiểm tra quyền ghi/đọc của thư mục, hoặc chọn thư mục khác (--outbox).",
        errno.EROFS: "Hãy chọn một thư mục kết quả ghi được (--outbox).",
    }.get(exc.errno or 0, "Hãy kiểm tra đường dẫn trong cấu hình và dòng lệnh.")
    return f"thao tác với tệp/thư mục thất bại{where}: {os_reason(exc)}. {advice}"


if __name__ == "__main__":
    sys.exit(main())
