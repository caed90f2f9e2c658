"""Where rendering spends its time: each output of a round, timed and (with --profile) under cProfile.

Reads `reports.json` and `summary.json` of a round already produced by `tonghop run` (or by
`bench_run.py`) and renders every output into a scratch folder, so a renderer can be measured and profiled
alone, without Prefect and without parsing the inbox again.

    .venv/bin/python benchmarks/profile_render.py benchmarks/out/run/outbox/2026-H1
    .venv/bin/python benchmarks/profile_render.py benchmarks/out/run/outbox/2026-H1 --profile --top 25
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import functools
import io
import pstats
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def rss_mb() -> float:
    """Current resident memory; ru_maxrss only ever grows, so it cannot tell one output from the next."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakSampler:
    """Samples RSS every 20 ms while an output is written: the memory that output adds at its peak."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __enter__(self) -> PeakSampler:
        self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("round_dir", type=Path)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions per output")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", action="append", default=[], help="an output name; repeatable")
    args = parser.parse_args()

    from flows.artifacts import summary_markdown
    from tonghop.render import OUTPUTS
    from tonghop.render.view import Round, commune_rows
    from tonghop.settings import Settings
    from tonghop.store.round_files import load_round

    started = time.perf_counter()
    summary, reports = load_round(args.round_dir)
    print(
        f"Đọc lại {len(reports)} báo cáo và bản tổng hợp: {time.perf_counter() - started:.2f} s, "
        f"bộ nhớ {rss_mb():.0f} MB"
    )
    settings = Settings(province=summary.province, round=summary.round)
    out = Path(tempfile.mkdtemp(prefix="tonghop-render-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    round = Round.build(settings, reports, summary)  # the commune table is built once, by the run
    jobs: dict[str, Callable[[], object]] = {"commune table": lambda: commune_rows(reports, summary)}
    for name, writer in OUTPUTS.items():
        jobs[name] = functools.partial(writer, round, out / name)
    jobs["artifacts (markdown)"] = lambda: summary_markdown(summary, reports, out)
    for name, job in jobs.items():
        if args.only and name not in args.only:
            continue
        times = []
        profiler = cProfile.Profile() if args.profile else None
        before = rss_mb()
        with PeakSampler() as sampler:
            for _ in range(args.repeat):
                started = time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                job()
                if profiler is not None:
                    profiler.disable()
                times.append(time.perf_counter() - started)
        print(f"{name:24s} {min(times):7.2f} s   +{sampler.peak - before:5.0f} MB at its peak")
        if profiler is not None:
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(args.top)
            print(text.getvalue())


if __name__ == "__main__":
    main()
