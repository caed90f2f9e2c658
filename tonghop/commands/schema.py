"""`tonghop schema`: regenerate schemas/*.schema.json from the pydantic models."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tonghop.schema_export import SCHEMAS_DIR, export_schemas


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "schema", help="Xuất lại JSON Schema của các bản ghi (reports.json, summary.json…)."
    )
    parser.add_argument("--dir", type=Path, default=SCHEMAS_DIR, help="Thư mục ghi các tệp *.schema.json.")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    for path in export_schemas(args.dir):
        print(path)
    return 0
