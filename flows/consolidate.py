"""The consolidation flow: inbox → intake → parse → statuses → summary → outputs.

The flow only wires steps together; each step is a plain function of `tonghop` (tested without Prefect).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.artifacts import publish_artifacts
from flows.runtime.gc_pause import collector_paused, keep_round
from flows.runtime.prefect_env import api_shared_with_workers, no_heartbeats_without_server
from flows.runtime.progress import current_progress
from flows.summarize import summarize_sections
from flows.tasks import (
    bucket_count,
    bucket_of,
    parse_bucket,
    parse_fingerprint,
    write_output,
)
from schemas.report import CommuneReport, Status
from schemas.run import RunResult
from schemas.summary import ProvincialSummary
from tonghop.check.coverage import compute_coverage, compute_totals
from tonghop.check.statuses import decide_statuses
from tonghop.intake import InboxEntry, scan_inbox
from tonghop.render import output_writers
from tonghop.render.report_context import CommuneRow, commune_rows
from tonghop.settings import Settings, settings_from_json
from tonghop.store.lock import outbox_lock
from tonghop.store.registry import Registry, StoredParses
from tonghop.store.report_json import read_head, with_extracted
from tonghop.store.themes import StoredThemes
from tonghop.units.roster import load_roster


def task_runner_for(settings: Settings) -> TaskRunner[Any]:
    """The configured task runner; parsing is CPU-bound, so only processes (or Dask) use both cores."""
    if settings.task_runner == "process":
        return ProcessPoolTaskRunner(max_workers=settings.workers)
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1, "processes": True}
        )
    return ThreadPoolTaskRunner(max_workers=settings.workers)


def _parse_all(
    entries: list[InboxEntry], settings: Settings, registry: Registry, fingerprint: str
) -> tuple[list[CommuneReport], set[tuple[str, str]]]:
    """Reads the files the registry has no parse of, in cached Prefect tasks, and streams them into it;
    returns the reports and which of them (file name, sha256) came back from the registry as heads.

    A re-run after 10 new files parses those 10; the others come back from the registry, without the text
    their readers extracted (`report_json.read_head`: 0.2 s nationally instead of 0.65 s whole). Prefect's
    task cache (keyed by content) still answers when the registry is new: another outbox, a deleted round.
    """
    progress = current_progress.get()
    stored = registry.stored_parses(fingerprint)
    todo = [e for e in entries if (e.name, e.sha256) not in stored]
    buckets: dict[int, list[InboxEntry]] = defaultdict(list)
    count = bucket_count(len(todo), settings)
    for entry in todo:
        buckets[bucket_of(entry, count)].append(entry)
    settings_json = settings.model_dump_json(exclude={"openai_api_key"})
    futures = [parse_bucket.submit(group, settings_json, fingerprint) for _, group in sorted(buckets.items())]
    # While the tasks start (Prefect's API calls, ~1 s for a few tasks) this thread turns the stored
    # parses back into models, heads only.
    parsed = [read_head(stored[(e.name, e.sha256)]) for e in entries if (e.name, e.sha256) in stored]
    heads = {(r.file, r.sha256) for r in parsed}
    del stored
    progress.advance(len(parsed))
    for future in as_completed(futures):
        batch = future.result()
        registry.store_parses(batch, fingerprint)
        parsed.extend(batch)
        progress.advance(len(batch))
    # The parse is keyed by content; arrival time and size belong to this inbox, not to the content.
    by_name = {e.name: e for e in entries}
    reports = [
        r.model_copy(update={"received_at": by_name[r.file].mtime, "size": by_name[r.file].size})
        for r in parsed
    ]
    return reports, heads


def _write_outputs_and_artifacts(
    round_dir: Path,
    reports: list[CommuneReport],
    summary: ProvincialSummary,
    settings: Settings,
    communes: list[CommuneRow],
    stored_parses: StoredParses | None = None,
) -> list[Path]:
    """Every output file, written by Prefect tasks on two threads of this process; and the artifacts.

    `stored_parses` reads the registry's parses
    for `reports.json` (see `report_json.report_entry`).

    Threads, whatever the flow's runner: the writers need the round's models, which cost more to pickle for
    another process (2 s out, 3.6 s back in, nationally) than to write. Two threads still gain a little,
    because some of the work releases the GIL (lxml serialising the report, zlib deflating the .docx and
    .xlsx, the disk): the national outputs took 3.3 s one after the other, 3.0 s side by side (5.0 and 4.1 s
    before the writers' Python work was cut down).
    `quote` keeps Prefect from walking the 3,580 reports to look for futures in them.
    """
    keep_round()
    runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(max_workers=2)
    writers = output_writers()
    with runner:
        futures = [
            runner.submit(
                write_output,
                {
                    "name": name,
                    "round_dir": round_dir,
                    "reports": quote(reports),
                    "summary": quote(summary),
                    "settings": quote(settings),
                    "communes": quote(communes),
                    "stored_parses": quote(stored_parses),
                },
            )
            for name in writers
        ]
        # Meanwhile this thread, which would only wait, sends the artifacts: mostly waiting on Prefect's
        # API, which lets the writers run (0.3-0.8 s of a national re-run when it came after them).
        publish_artifacts(summary, reports, round_dir, communes=communes, writing=writers.keys())
        return [future.result() for future in futures]


def run_consolidation(settings: Settings) -> RunResult:
    """The body of the flow, callable inside any Prefect flow context (the deployment reuses it)."""
    logger = get_run_logger()
    progress = current_progress.get()
    timings: dict[str, float] = {}
    round_dir = settings.round_dir
    registry = Registry.for_round(round_dir)
    run_id = registry.start_run()
    try:
        started = time.perf_counter()
        progress.stage("Tiếp nhận")
        known = {} if settings.rehash_inbox else registry.known_hashes()
        # A plain call, not a task: listing the inbox takes 0.2 s nationally, and a Prefect task run around
        # it cost another 0.4 s of API calls on every run, for nothing Prefect adds (no cache, no retry).
        entries, unreadable = scan_inbox(settings.inbox, known)
        registry.store_stamps(entries)
        del known
        timings["intake"] = time.perf_counter() - started
        progress.start(len(entries) + len(unreadable))
        if unreadable:
            progress.advance(len(unreadable))

        started = time.perf_counter()
        progress.stage("Đọc văn bản")
        fingerprint = parse_fingerprint(settings)
        parsed, heads = _parse_all(entries, settings, registry, fingerprint)
        parsed += unreadable
        parsed.sort(key=lambda r: r.file)
        timings["parse"] = time.perf_counter() - started

        started = time.perf_counter()
        reports = decide_statuses(parsed, settings.province)
        del parsed
        registry.record(reports, mark_others_absent=True)
        roster = load_roster()
        expected = roster.communes(settings.province)
        coverage = compute_coverage(reports, expected, province=settings.province, deadline=settings.deadline)
        by_province = {}
        if settings.province is None:
            grouped: dict[str, list[CommuneReport]] = defaultdict(list)
            for r in reports:
                if r.unit is not None and r.unit.province:
                    grouped[r.unit.province].append(r)
            for name, group in sorted(grouped.items()):
                by_province[name] = compute_coverage(
                    group, roster.communes(name), province=name, deadline=settings.deadline
                )
        timings["statuses"] = time.perf_counter() - started

        started = time.perf_counter()
        progress.stage("Tổng hợp nội dung")
        accepted = [r for r in reports if r.status == Status.ACCEPTED]
        memo = StoredThemes(registry)
        stored_parses = StoredParses(registry.path, fingerprint)

        def whole(reports: list[CommuneReport]) -> list[CommuneReport]:
            with stored_parses.lookup() as stored:
                return with_extracted(reports, heads, stored)

        sections, llm_stats = summarize_sections(accepted, settings, memo, fingerprint, whole)
        memo.save()
        summary = ProvincialSummary(
            round=settings.round,
            province=settings.province,
            generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            coverage=coverage,
            sections=sections,
            totals=compute_totals(reports),
            llm=llm_stats,
            by_province=by_province,
        )
        timings["summarize"] = time.perf_counter() - started

        started = time.perf_counter()
        progress.stage("Xuất báo cáo")
        communes = commune_rows(reports, summary)
        outputs = _write_outputs_and_artifacts(
            round_dir,
            reports,
            summary,
            settings,
            communes,
            stored_parses,
        )
        timings["render"] = time.perf_counter() - started
        registry.finish_run(run_id, "completed", len(reports))
        logger.info("Tổng hợp xong %d tệp vào %s", len(reports), round_dir)
        return RunResult(
            round=settings.round,
            province=settings.province,
            round_dir=str(round_dir),
            files=len(reports),
            by_status={s.value: sum(1 for r in reports if r.status == s) for s in Status},
            rejected=[(r.file, r.reason()) for r in reports if r.status == Status.REJECTED],
            missing=len(coverage.missing),
            outputs=[str(p) for p in outputs],
            timings=timings,
            llm=llm_stats,
        )
    except BaseException:
        registry.finish_run(run_id, "failed", 0)
        raise
    finally:
        registry.close()


@flow(name="tong-hop-bao-cao", description="Tổng hợp báo cáo ứng dụng AI của các xã/phường.")
def consolidate(settings_json: str, wait: bool = False, already_locked: bool = False) -> RunResult:
    """Entry point for the CLI, deployments and tests; settings travel as JSON so the API can store them.

    The CLI takes the outbox lock itself before Prefect starts (so a second run fails in a second, not
    after the API has booted) and says so with `already_locked`; a deployment run locks here.
    """
    settings = settings_from_json(settings_json)
    with collector_paused():
        if already_locked:
            return run_consolidation(settings)
        with outbox_lock(Path(settings.outbox), wait=wait):
            return run_consolidation(settings)


def run_flow(settings: Settings, *, wait: bool = False, already_locked: bool = False) -> RunResult:
    """Runs the flow with the task runner the settings ask for (thread pool, process pool or Dask)."""
    configured = consolidate.with_options(task_runner=task_runner_for(settings))
    with no_heartbeats_without_server(), api_shared_with_workers(settings.task_runner):
        return configured(
            settings.model_dump_json(exclude={"openai_api_key"}), wait=wait, already_locked=already_locked
        )
