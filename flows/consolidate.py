"""The consolidation flow: inbox → intake → parse → statuses → summary → outputs.

The flow only wires the stages together; each stage is a plain function of `tonghop` (tested without
Prefect), and what passes from one to the next is a model: inbox entries, `CommuneReport`s, the
`ProvincialSummary`, and last the `Round` every writer reads.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.artifacts import publish_artifacts
from flows.isolation import contained, quarantined
from flows.runtime.gc_pause import collector_paused, keep_round
from flows.runtime.prefect_env import api_shared_with_workers, no_heartbeats_without_server
from flows.runtime.progress import current_progress
from flows.summarize import summarize_sections
from flows.tasks import bucket_count, bucket_of, parse_bucket, parse_fingerprint, write_output
from schemas.report import CommuneReport, Status
from schemas.run import RunResult
from schemas.summary import ProvincialSummary
from tonghop.check.statuses import decide_statuses
from tonghop.intake import InboxEntry, received_report, scan_inbox
from tonghop.render import OUTPUTS
from tonghop.render.view import Round
from tonghop.settings import Settings, settings_from_json
from tonghop.store.atomic import remove_stale_temporaries
from tonghop.store.lock import outbox_lock
from tonghop.store.registry import Registry
from tonghop.store.themes import StoredThemes
from tonghop.summarize.round_summary import round_summary


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


@contextmanager
def recorded_run(registry: Registry) -> Iterator[Callable[[int], None]]:
    """The run's row in the registry: `running` while it runs, then `failed`, or `completed` with its
    number of files when the body says so."""
    run_id = registry.start_run()
    try:
        yield lambda files: registry.finish_run(run_id, "completed", files)
    except BaseException:
        registry.finish_run(run_id, "failed", 0)
        raise


def take_in(settings: Settings, registry: Registry) -> tuple[list[InboxEntry], list[CommuneReport]]:
    """Lists the inbox (hashing only the files whose stamp changed) and keeps the new stamps."""
    known = {} if settings.rehash_inbox else registry.known_hashes()
    entries, unreadable = scan_inbox(settings.inbox, known)
    registry.store_stamps(entries)
    return entries, unreadable


def parse_all(entries: list[InboxEntry], settings: Settings, registry: Registry) -> list[CommuneReport]:
    """Reads the files the registry has no parse of, in cached Prefect tasks, and streams them into it.

    A re-run after a few new files parses those; the others come back from the registry. Prefect's task
    cache (keyed by content) still answers when the registry is new: another outbox, a deleted round.
    """
    progress = current_progress.get()
    fingerprint = parse_fingerprint(settings)
    stored = registry.stored_parses(fingerprint)
    todo = [e for e in entries if (e.name, e.sha256) not in stored]
    buckets: dict[int, list[InboxEntry]] = defaultdict(list)
    count = bucket_count(len(todo), settings)
    for entry in todo:
        buckets[bucket_of(entry, count)].append(entry)
    settings_json = settings.model_dump_json(exclude={"openai_api_key"})
    futures = [parse_bucket.submit(group, settings_json, fingerprint) for _, group in sorted(buckets.items())]
    parsed = [stored[(e.name, e.sha256)] for e in entries if (e.name, e.sha256) in stored]
    del stored
    progress.advance(len(parsed))
    groups = {id(future): group for future, (_, group) in zip(futures, sorted(buckets.items()), strict=True)}
    for future in as_completed(futures):
        try:
            batch = future.result()
        except Exception as exc:  # noqa: BLE001 - a batch lost (a worker's crash) is read again file by file
            get_run_logger().error("Một nhóm tệp đọc lỗi; đọc lại từng tệp.", exc_info=exc)
            batch = [_read_alone(entry, settings_json, fingerprint) for entry in groups[id(future)]]
        batch = _store_parses(registry, batch, fingerprint)
        parsed.extend(batch)
        progress.advance(len(batch))
    # The parse is keyed by content; arrival time and size belong to this inbox, not to the content.
    by_name = {e.name: e for e in entries}
    return [
        r.model_copy(update={"received_at": by_name[r.file].mtime, "size": by_name[r.file].size})
        for r in parsed
    ]


def _read_alone(entry: InboxEntry, settings_json: str, fingerprint: str) -> CommuneReport:
    """One file of a failed batch, in a task of its own: a file that fails even alone is rejected."""
    try:
        return parse_bucket.submit([entry], settings_json, fingerprint).result()[0]
    except Exception as exc:  # noqa: BLE001 - this file's failure is its own rejection
        get_run_logger().error("Tệp %s làm lỗi bước đọc.", entry.name, exc_info=exc)
        return quarantined(received_report(entry), "parse")


def _store_parses(registry: Registry, batch: list[CommuneReport], fingerprint: str) -> list[CommuneReport]:
    """Stores a batch; a report the registry refuses is stored, and kept, as its file's rejection."""
    try:
        registry.store_parses(batch, fingerprint)
        return batch
    except Exception:  # noqa: BLE001 - found below, file by file
        kept = []
        for report in batch:
            try:
                registry.store_parses([report], fingerprint)
            except Exception as exc:  # noqa: BLE001 - this file's failure is its own rejection
                get_run_logger().error("Tệp %s làm lỗi sổ tiếp nhận.", report.file, exc_info=exc)
                report = quarantined(report, "record")
                registry.store_parses([report], fingerprint)
            kept.append(report)
        return kept


def summarize(reports: list[CommuneReport], settings: Settings, registry: Registry) -> ProvincialSummary:
    """Themes by the offline summarizer (kept per scope in the registry) or the LLM, in the round's
    summary."""
    accepted = [r for r in reports if r.status == Status.ACCEPTED]
    memo = StoredThemes(registry)
    sections, llm_stats = summarize_sections(accepted, settings, memo, parse_fingerprint(settings))
    memo.save()
    return round_summary(settings, reports, sections, llm_stats)


def write_all(round: Round, round_dir: Path) -> list[Path]:
    """Every output, written by Prefect tasks on two threads of this process; and the artifacts.

    Threads, whatever the flow's runner: the writers read the whole round, which would cost more to send to
    another process than to write; and some of their work (lxml, zlib, the disk) releases the GIL.
    `quote` keeps Prefect from walking the round's reports to look for futures in them.
    """
    keep_round()
    runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(max_workers=2)
    with runner:
        futures = [
            runner.submit(write_output, {"name": name, "round": quote(round), "round_dir": round_dir})
            for name in OUTPUTS
        ]
        # Meanwhile this thread, which would only wait, sends the artifacts (mostly waiting on the API).
        publish_artifacts(round, round_dir, writing=OUTPUTS.keys())
        return [future.result() for future in futures]


def run_consolidation(settings: Settings) -> RunResult:
    """The body of the flow, callable inside any Prefect flow context (the deployment reuses it)."""
    logger = get_run_logger()
    progress = current_progress.get()
    timings: dict[str, float] = {}
    current = ["intake"]  # the stage running, named in a file's reason if it fails there

    @contextmanager
    def stage(name: str, label: str | None = None) -> Iterator[None]:
        current[0] = name
        if label:
            progress.stage(label)
        started = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - started

    round_dir = settings.round_dir
    for leftover in remove_stale_temporaries(round_dir):
        logger.info("Đã xoá tệp tạm của một lượt chạy bị dừng: %s", leftover.name)
    with Registry.for_round(round_dir) as registry, recorded_run(registry) as completed:
        with stage("intake", "Tiếp nhận"):
            entries, unreadable = take_in(settings, registry)
            progress.start(len(entries) + len(unreadable))
            progress.advance(len(unreadable))
        with stage("parse", "Đọc văn bản"):
            parsed = sorted(parse_all(entries, settings, registry) + unreadable, key=lambda r: r.file)

        def finish(files: list[CommuneReport]) -> tuple[list[CommuneReport], ProvincialSummary, list[Path]]:
            """Everything after reading, run again without the files it fails on (`contained`)."""
            with stage("statuses"):
                reports = decide_statuses(files, settings.province, settings)
            with stage("summarize", "Tổng hợp nội dung"):
                summary = summarize(reports, settings, registry)
            with stage("render", "Xuất báo cáo"):
                outputs = write_all(Round.build(settings, reports, summary), round_dir)
            with stage("record"):
                registry.record(reports, mark_others_absent=True)
            return reports, summary, outputs

        (reports, summary, outputs), _ = contained(parsed, finish, stage=lambda: current[0], logger=logger)
        completed(len(reports))
    logger.info("Tổng hợp xong %d tệp vào %s", len(reports), round_dir)
    return RunResult(
        round=settings.round,
        province=settings.province,
        round_dir=str(round_dir),
        files=len(reports),
        by_status={s.value: sum(1 for r in reports if r.status == s) for s in Status},
        rejected=[(r.file, r.reason()) for r in reports if r.status == Status.REJECTED],
        missing=len(summary.coverage.missing),
        outputs=[str(p) for p in outputs],
        timings=timings,
        llm=summary.llm,
    )


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
