"""Parse time per document: `read_docx` against a bare python-docx read of the same bytes.

The bare read (open, then every paragraph's and every table cell's text) is the floor for reading a .docx
in Python; `read_docx` does more (numbering, notes, merged cells, safety checks) and should still cost
less. Both read the same in-memory bytes, alternately, in one process; each figure is the median of
`--repeat` rounds. Reads the samples and real documents in place (never copied).

    .venv/bin/python benchmarks/bench_parse.py                      # samples + real documents
    .venv/bin/python benchmarks/bench_parse.py --repeat 9 --cold    # styles cache cleared before each read
    .venv/bin/python benchmarks/bench_parse.py --dir benchmarks/out/corpus-60-2026-1/inbox
"""

from __future__ import annotations

import argparse
import gc
import io
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SAMPLES = REPO.parent / "shared" / "samples"


def bare_read(data: bytes) -> int:
    import docx

    document = docx.Document(io.BytesIO(data))
    size = 0
    for paragraph in document.paragraphs:
        size += len(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                size += len(cell.text)
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds per document (median is shown)")
    parser.add_argument(
        "--dir", type=Path, action="append", help="folders of .docx (default: samples + real)"
    )
    parser.add_argument("--cold", action="store_true", help="clear the shared styles cache before each read")
    args = parser.parse_args(argv)

    from tonghop.read.docx.reader import read_docx
    from tonghop.read.docx.styles import clear_styles_cache
    from tonghop.settings import Settings

    folders = args.dir or [SAMPLES / "docx", SAMPLES / "real"]
    paths = sorted(p for folder in folders for p in folder.glob("*.docx"))
    if not paths:
        print("không có tệp .docx nào để đo", file=sys.stderr)
        return 1
    settings = Settings()
    files = [(path, path.read_bytes()) for path in paths]
    for _, data in files:  # warm imports and caches once
        bare_read(data)
        read_docx(data, "warm.docx", settings)

    bare: dict[Path, list[float]] = {path: [] for path, _ in files}
    ours: dict[Path, list[float]] = {path: [] for path, _ in files}
    for _ in range(args.repeat):
        for path, data in files:
            gc.collect()  # neither side pays for the other's garbage
            started = time.perf_counter()
            bare_read(data)
            bare[path].append(time.perf_counter() - started)
            if args.cold:
                clear_styles_cache()
            gc.collect()
            started = time.perf_counter()
            read_docx(data, path.name, settings)
            ours[path].append(time.perf_counter() - started)

    print(
        f"# {platform.node()} · {platform.processor() or platform.machine()} · "
        f"Python {platform.python_version()}"
    )
    print(
        f"# median of {args.repeat} rounds{' · styles cache cleared before each read' if args.cold else ''}"
    )
    print(f"{'document':40s} {'KB':>6s} {'python-docx ms':>15s} {'read_docx ms':>13s} {'ratio':>6s}")
    total_bare = total_ours = 0.0
    for path, data in files:
        b = statistics.median(bare[path]) * 1000
        o = statistics.median(ours[path]) * 1000
        total_bare += b
        total_ours += o
        print(f"{path.name[:40]:40s} {len(data) / 1024:6.0f} {b:15.1f} {o:13.1f} {o / b:6.2f}")
    print(
        f"{'total (' + str(len(files)) + ' documents)':40s} {'':6s} {total_bare:15.1f} {total_ours:13.1f} "
        f"{total_ours / total_bare:6.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
