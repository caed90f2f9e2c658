"""The LLM summary at scale against the loopback OpenAI-compatible server, with a fixed latency per request.

Prints the calls made against the accepted reports (and the budget: one map call per report at most, one
reduce call per section per `themes_per_reduce_call` groups), the wall time at the configured concurrency
against the ideal (calls × latency ÷ concurrency), the time spent waiting on Prefect's rate limit, and the
calls of an unchanged re-run (zero expected: Prefect's cache answers).

    .venv/bin/python benchmarks/bench_llm.py                          # 100 communes of Nghệ An, 200 ms
    .venv/bin/python benchmarks/bench_llm.py --reports 300 --concurrency 8 --rpm 600
    .venv/bin/python benchmarks/bench_llm.py --province ""            # a national sample
"""

from __future__ import annotations

import argparse
import atexit
import math
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def build_reports(count: int, province: str | None, seed: int) -> list[Any]:
    """Accepted reports with the corpus generator's statements and the roster's real communes."""
    from benchmarks.corpus import random_spec
    from schemas.report import SECTION_NAMES, CommuneReport, Item, Sections, Source, Status, Unit
    from tonghop.units.roster import load_roster

    roster = load_roster().communes(province)
    chosen = roster[:: max(1, len(roster) // count)][:count]
    reports = []
    for i, unit in enumerate(chosen):
        spec = random_spec(unit.name, unit.province or "", seed + i)
        file = f"{i:05d}.docx"
        paragraph = 12
        sections: dict[str, list[Item]] = {}
        for name in SECTION_NAMES:
            sections[name] = []
            for text in getattr(spec, name):
                sections[name].append(Item(text=text, source=Source(file=file, paragraph=paragraph)))
                paragraph += 1
        reports.append(
            CommuneReport(
                file=file,
                sha256=f"{seed:08x}{i:056x}",
                status=Status.ACCEPTED,
                unit=Unit(code=unit.code, name=unit.name, province=unit.province),
                sections=Sections(**sections),
            )
        )
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--province", default="Nghệ An", help='"" for a national sample')
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rpm", type=int, default=6000)
    parser.add_argument("--themes-per-call", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--rate-limiter", choices=["auto", "prefect", "local"], default="auto", help="llm.rate_limiter"
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="tonghop-bench-llm-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ["PREFECT_HOME"] = str(home)
    from flows.runtime.prefect_env import configure_prefect

    configure_prefect(home)

    from openai_server import Behaviour, OpenAIServer, data_payload, schema_name
    from prefect import flow

    import flows.summarize as summarize_module
    from schemas.summary import LlmStats, Theme
    from tonghop.settings import Settings

    waits: list[float] = []
    lock = threading.Lock()
    original_pacer = summarize_module._pacer

    def timed_pacer(*a: Any, **k: Any) -> Callable[[], None]:
        pace = original_pacer(*a, **k)

        def timed() -> None:
            started = time.perf_counter()
            pace()
            with lock:
                waits.append(time.perf_counter() - started)

        return timed

    summarize_module._pacer = timed_pacer  # instrumentation only: measures the time spent pacing

    inputs: dict[str, list[Any]] = {}

    @flow(name="bench-tong-hop-noi-dung")
    def bench_flow(settings_json: str, inputs_key: str) -> tuple[dict[str, list[Theme]], LlmStats]:
        # Reports stay in this process: Prefect stores flow parameters, and caps them at 512 KB.
        return summarize_module.summarize_sections(
            inputs[inputs_key], Settings.model_validate_json(settings_json)
        )

    province = args.province or None
    reports = build_reports(args.reports, province, args.seed)
    inputs["all"], inputs["none"] = reports, []
    machine = platform.processor() or platform.machine()
    print(f"Máy: {machine}, {os.cpu_count()} lõi, Python {platform.python_version()}")
    print(
        f"{len(reports)} báo cáo được tiếp nhận ({args.province or 'cả nước'}), "
        f"độ trễ {args.latency * 1000:.0f} ms/lượt"
    )

    with OpenAIServer(Behaviour(latency=args.latency)) as server:
        settings = Settings(
            province=province,
            round="2026-H1",
            prefect_home=home,
            llm={
                "base_url": server.base_url,
                "model": f"bench-{uuid.uuid4().hex[:6]}",
                "concurrency": args.concurrency,
                "requests_per_minute": args.rpm,
                "themes_per_reduce_call": args.themes_per_call,
                "rate_limiter": args.rate_limiter,
            },
        )
        settings_json = settings.model_dump_json(exclude={"openai_api_key"})
        started = time.perf_counter()
        bench_flow(settings_json, "none")  # starts Prefect's local API; not part of the measurement
        warmup = time.perf_counter() - started
        before = server.count

        waits.clear()
        started = time.perf_counter()
        _, stats = bench_flow(settings_json, "all")
        first = time.perf_counter() - started
        requests = server.requests[before:]
        kinds = Counter(schema_name(r) for r in requests)
        groups: Counter[str] = Counter()
        reduce_calls: Counter[str] = Counter()
        for request in requests:
            if schema_name(request) == "tonghop_reduce":
                payload = data_payload(request)
                groups[payload["section"]] += len(payload["groups"])
                reduce_calls[payload["section"]] += 1
        budget_reduce = sum(math.ceil(n / args.themes_per_call) for n in groups.values())
        ideal = len(requests) * args.latency / args.concurrency
        paced = sum(waits)

        count_before_rerun = server.count
        started = time.perf_counter()
        _, again = bench_flow(settings_json, "all")
        second = time.perf_counter() - started

    print(f"Khởi động Prefect + lượt làm nóng: {warmup:.1f} s")
    print(
        f"Lượt gọi: {len(requests)} = {kinds['tonghop_map']} chuẩn hoá (≤ {len(reports)} báo cáo) + "
        f"{kinds['tonghop_reduce']} tổng hợp (ngân sách {budget_reduce}); lỗi {stats.failures}, "
        f"dùng ngoại tuyến {stats.fallbacks}"
    )
    print(f"Token: {stats.tokens_in} vào, {stats.tokens_out} ra")
    print(
        f"Lần chạy đầu: {first:.1f} s (bước LLM {stats.seconds:.1f} s) ở {args.concurrency} luồng; lý tưởng "
        f"{ideal:.1f} s; đồng thời tối đa tại máy chủ {server.peak_in_flight}"
    )
    if waits:
        print(
            f"Chờ giới hạn số lượt/phút ({args.rate_limiter}): {len(waits)} lần, tổng {paced:.1f} s, "
            f"trung bình {paced / len(waits) * 1000:.0f} ms, lớn nhất {max(waits):.2f} s"
        )
    print(
        f"Chạy lại không đổi: {second:.1f} s, {server.count - count_before_rerun} lượt gọi mới, "
        f"{again.cache_hits} lượt lấy từ bộ nhớ đệm (calls={again.calls})"
    )


if __name__ == "__main__":
    main()
