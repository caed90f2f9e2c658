"""Peak memory and time of the large hostile files of issue #20, each read alone in a fresh process.

Each case is built here as real bytes, then `read_entry` (the whole per-file job: read, bounds, interpret,
units, checks) runs in a child process whose peak resident memory (`ru_maxrss`) and wall time are
reported; the budget is 1 GiB per file. `--run` adds one whole round (the flow, every output) over the
hostile inbox of `tests/bad_files.hostile_inbox` plus the 200,000-paragraph document.

    .venv/bin/python benchmarks/bench_hostile.py
    .venv/bin/python benchmarks/bench_hostile.py --run
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

BUDGET_MB = 1024

_CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from tonghop.intake import InboxEntry, read_entry
from tonghop.settings import Settings
path = Path(sys.argv[1])
settings = Settings(province="Nghệ An", round="2026-H1", overrides_file=path.parent / "none.toml")
started = time.perf_counter()
report = read_entry(InboxEntry.for_file(path, received=dt.datetime(2026, 6, 6, tzinfo=dt.UTC)), settings)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "status": report.status.value,
    "items": len(report.sections.items()),
    "codes": sorted({i.code for i in [*report.errors, *report.warnings]}),
}))
"""

_RUN = """
import json, resource, sys, time
from pathlib import Path
base = Path(sys.argv[1])
from flows.runtime.prefect_env import configure_prefect
configure_prefect(base / ".prefect")
from flows.consolidate import consolidate
from tonghop.settings import Settings
settings = Settings(province="Nghệ An", round="2026-H1", inbox=base / "inbox", outbox=base / "outbox",
                    overrides_file=base / "overrides.toml", prefect_home=base / ".prefect")
started = time.perf_counter()
result = consolidate(settings.model_dump_json(exclude={"openai_api_key"}))
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "files": result.files,
    "by_status": result.by_status,
}))
"""


def cases(good: bytes) -> dict[str, tuple[str, bytes]]:
    from bad_files import json_submission, many_paragraphs_docx

    many_results = json_submission(
        sections={"results": [f"Cán bộ xã đã dùng trợ lý ảo cho việc số {i}." for i in range(20_000)]}
    )
    return {
        "15.000 ý (docx)": ("15k.docx", many_paragraphs_docx(good, 15_000)),
        "200.000 đoạn (docx)": ("200k.docx", many_paragraphs_docx(good, 200_000)),
        "JSON 20.000 kết quả": ("20k.json", many_results),
        "một ý 23 MB (JSON)": ("23mb.json", json_submission(text="Xã đã dùng trợ lý ảo. " * 780_000)),
    }


def measure(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], cwd=REPO, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="also one whole round over the hostile inbox")
    args = parser.parse_args()
    from bad_files import good_report_docx

    good = good_report_docx()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        base = Path(tmp)
        print(f"{'trường hợp':<24}{'KB':>9}{'giây':>8}{'MB đỉnh':>10}  kết quả")
        for label, (name, data) in cases(good).items():
            path = base / name
            path.write_bytes(data)
            m = measure(path)
            flag = "" if float(m["peak_mb"]) <= BUDGET_MB else "  VƯỢT 1 GiB"  # type: ignore[arg-type]
            print(
                f"{label:<24}{len(data) // 1024:>9}{float(m['seconds']):>8.1f}{float(m['peak_mb']):>10.0f}"  # type: ignore[arg-type]
                f"  {m['status']}, {m['items']} ý, {', '.join(m['codes'])}{flag}"  # type: ignore[arg-type]
            )
        if args.run:
            from bad_files import hostile_inbox, many_paragraphs_docx

            from tonghop.render.form_template import form_bytes

            inbox = base / "round" / "inbox"
            inbox.mkdir(parents=True)
            hostile_inbox(
                inbox, base / "ngoai", {"xa-nam-dan-bao-cao.docx": good}, form_bytes("Nghệ An", "2026-H1")[0]
            )
            (inbox / "200k.docx").write_bytes(many_paragraphs_docx(good, 200_000))
            done = subprocess.run(
                [sys.executable, "-c", _RUN, str(base / "round")],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            m = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{'cả lượt, hộp thư độc hại':<24}{'':>9}{m['seconds']:>8.1f}{m['peak_mb']:>10.0f}"
                f"  {m['files']} tệp, {m['by_status']}"
            )
    print(
        f"(tiến trình đo: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
        f"ngân sách {BUDGET_MB} MB)"
    )


if __name__ == "__main__":
    main()
