"""Publication: the corrected summary becomes the final report in `outbox/<round>/final/`.

The analysts correct the draft in two ways — decisions downloaded from `review.html`, or `summary.json`
edited by hand — and publication re-renders from the corrected summary and `reports.json`, without
reading the inbox again. Every change, every refusal and every `--force` is appended to
`final/audit.jsonl` with who and when. Publication refuses, naming each statement and why, while a
statement that needs review (an unverified number, a flag that doubts it: `summarize.review`) has no
decision (accepted, edited or rejected), unless forced.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas.decisions import Decision, Decisions
from schemas.report import CommuneReport
from schemas.summary import ProvincialSummary, Sentence, Theme, UnitRef
from tonghop.errors import PublishError
from tonghop.render.report_docx.document import write_report_docx
from tonghop.render.review_html import write_review_html
from tonghop.render.view import Round
from tonghop.render.workbook import write_workbook
from tonghop.settings import Settings
from tonghop.store.atomic import write_model_json
from tonghop.store.round_files import load_round, read_baseline
from tonghop.summarize.review import FLAG_ACCEPTED, FLAG_EDITED, review_reasons

FINAL_DIR = "final"
AUDIT_NAME = "audit.jsonl"
_SHOWN = 10


@dataclass
class Change:
    """One statement changed by an analyst, as the audit log records it."""

    event: str  # accept | edit | reject | hand_edit | hand_accept | hand_remove | hand_add | hand_other
    sentence_id: str | None
    before: str | None = None
    after: str | None = None
    source: str = ""
    note: str | None = None


@dataclass
class PublishResult:
    final_dir: Path
    outputs: list[Path]
    changes: list[Change]
    forced: bool
    unverified_left: list[str] = field(default_factory=list)
    flagged_left: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def current_user(explicit: str | None = None) -> str:
    if explicit and explicit.strip():
        return explicit.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "không rõ"


def _sentences(summary: ProvincialSummary) -> dict[str, Sentence]:
    return {s.id: s for s in summary.all_sentences()}


def hand_changes(baseline: ProvincialSummary, current: ProvincialSummary) -> list[Change]:
    """What an analyst changed in `summary.json` compared with the summary the run generated."""
    before, after = _sentences(baseline), _sentences(current)
    changes: list[Change] = []
    for sid, old in before.items():
        new = after.get(sid)
        if new is None:
            changes.append(Change("hand_remove", sid, before=old.text, source="summary.json"))
        elif new.text != old.text:
            changes.append(Change("hand_edit", sid, before=old.text, after=new.text, source="summary.json"))
        elif old.unverified and not new.unverified:
            changes.append(Change("hand_accept", sid, before=old.text, after=new.text, source="summary.json"))
    for sid, new in after.items():
        if sid not in before:
            changes.append(Change("hand_add", sid, after=new.text, source="summary.json"))
    old_titles = {t.id: t.title for ts in baseline.sections.values() for t in ts}
    for themes in current.sections.values():
        for theme in themes:
            if theme.id in old_titles and old_titles[theme.id] != theme.title:
                changes.append(
                    Change(
                        "hand_edit_theme", theme.id, old_titles[theme.id], theme.title, source="summary.json"
                    )
                )
    skip = {"sections", "generated_at"}
    other = [
        key
        for key in ProvincialSummary.model_fields
        if key not in skip and getattr(baseline, key) != getattr(current, key)
    ]
    if other:
        changes.append(Change("hand_other", None, source="summary.json", note=", ".join(other)))
    return changes


def _units_of(theme: Theme) -> list[UnitRef]:
    units: dict[tuple[int | None, str], UnitRef] = {}
    for sentence in theme.sentences:
        for c in sentence.citations:
            units.setdefault((c.unit_code, c.unit_name), UnitRef(code=c.unit_code, name=c.unit_name))
    known = {(u.code, u.name): u for u in theme.units}
    return [known.get(key, unit) for key, unit in units.items()]


def apply_decisions(
    summary: ProvincialSummary, decisions: Decisions, source: str
) -> tuple[ProvincialSummary, list[Change], list[str]]:
    """The summary with the decisions applied; problems are decisions that no longer fit the summary."""
    problems: list[str] = []
    if decisions.round != summary.round:
        raise PublishError(
            f"Tệp quyết định {source} dành cho kỳ {decisions.round}, không phải kỳ {summary.round}."
        )
    current = _sentences(summary)
    by_id: dict[str, Decision] = {}
    for decision in decisions.decisions:
        seen = current.get(decision.sentence_id)
        if seen is None:
            problems.append(f"câu {decision.sentence_id} không còn trong summary.json")
            continue
        if decision.original_text is not None and decision.original_text != seen.text:
            problems.append(f"câu {decision.sentence_id} đã đổi nội dung sau khi rà soát")
            continue
        by_id[decision.sentence_id] = decision
    changes: list[Change] = []
    sections: dict[str, list[Theme]] = {}
    for name, themes in summary.sections.items():
        kept_themes = []
        for theme in themes:
            kept: list[Sentence] = []
            removed = False
            for sentence in theme.sentences:
                found = by_id.get(sentence.id)
                if found is None:
                    kept.append(sentence)
                    continue
                if found.action == "reject":
                    removed = True
                    changes.append(Change("reject", sentence.id, sentence.text, None, source, found.note))
                    continue
                if found.action == "edit":
                    new_text = (found.text or "").strip()
                    changes.append(Change("edit", sentence.id, sentence.text, new_text, source, found.note))
                    sentence = sentence.model_copy(
                        update={
                            "text": new_text,
                            "unverified": False,
                            "unverified_numbers": [],
                            "flags": [*sentence.flags, FLAG_EDITED],
                        }
                    )
                else:
                    changes.append(
                        Change("accept", sentence.id, sentence.text, sentence.text, source, found.note)
                    )
                    sentence = sentence.model_copy(
                        update={"unverified": False, "flags": [*sentence.flags, FLAG_ACCEPTED]}
                    )
                kept.append(sentence)
            if not kept:
                continue
            theme = theme.model_copy(update={"sentences": kept})
            if removed and any(s.citations for s in kept):
                units = _units_of(theme)
                theme = theme.model_copy(
                    update={
                        "units": units,
                        "unit_count": len(units),
                        "item_count": sum(len(s.citations) for s in kept),
                    }
                )
            kept_themes.append(theme)
        sections[name] = kept_themes
    return summary.model_copy(update={"sections": sections}), changes, problems


def read_decisions(path: Path) -> Decisions:
    if not path.is_file():
        raise PublishError(f"Không tìm thấy tệp quyết định {path}.")
    try:
        return Decisions.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise PublishError(
            f"Tệp quyết định {path} không đúng định dạng ({where}: {first.get('msg')})."
        ) from exc


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def append_audit(path: Path, entries: list[dict[str, Any]]) -> None:
    """JSON lines, appended and flushed: the log survives a crash in the middle of a publication."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()


def _listing(items: list[str]) -> str:
    shown = "; ".join(items[:_SHOWN])
    return shown + (f"; và {len(items) - _SHOWN} câu khác" if len(items) > _SHOWN else "")


@dataclass
class Prepared:
    """The corrected summary and what was changed to get it, before anything is written."""

    summary: ProvincialSummary
    reports: list[CommuneReport]
    changes: list[Change]
    unverified: list[Sentence]
    problems: list[str]
    notes: list[str]
    decisions_sha256: str | None = None
    flagged: list[tuple[Sentence, list[str]]] = field(default_factory=list)  # undecided, with the reasons

    @property
    def blocking(self) -> list[str]:
        return [f"{s.id}: {s.text} [{'; '.join(why)}]" for s, why in self.flagged] + self.problems


def prepare_publication(settings: Settings, decisions_path: Path | None = None) -> Prepared:
    """Reads the round (never the inbox), logs nothing, writes nothing: what publication would do."""
    round_dir = settings.round_dir
    summary, reports = load_round(round_dir)
    baseline = read_baseline(round_dir)
    changes = hand_changes(baseline, summary) if baseline is not None else []
    notes = (
        [] if baseline is not None else ["không có .baseline/summary.json: không đối chiếu được phần sửa tay"]
    )
    problems: list[str] = []
    decisions_sha = None
    if decisions_path is not None:
        decisions = read_decisions(decisions_path)
        decisions_sha = _sha256(decisions_path)
        summary, decided, stale = apply_decisions(summary, decisions, f"quyết định:{decisions_path.name}")
        changes += decided
        problems += stale
    left = [s for s in summary.all_sentences() if s.unverified]
    # A statement the analyst edited or accepted by hand in summary.json is decided like one in a file.
    by_hand = {c.sentence_id for c in changes if c.event in ("hand_edit", "hand_accept")}
    flagged = [
        (s, why) for s in summary.all_sentences() if s.id not in by_hand and (why := review_reasons(s))
    ]
    return Prepared(summary, reports, changes, left, problems, notes, decisions_sha, flagged)


def preview_markdown(prepared: Prepared) -> str:
    """What an approver reads before resuming a paused publication flow."""
    lines = [f"# Ban hành kỳ {prepared.summary.round}", "", f"Số thay đổi: {len(prepared.changes)}", ""]
    for change in prepared.changes:
        after = f" → {change.after}" if change.after and change.after != change.before else ""
        lines.append(f"- {change.event} `{change.sentence_id}`: {change.before or ''}{after}")
    if prepared.blocking:
        lines += ["", "## Chưa thể ban hành nếu không dùng force", ""]
        lines += [f"- {item}" for item in prepared.blocking]
    return "\n".join(lines) + "\n"


def publish_round(
    settings: Settings,
    *,
    decisions_path: Path | None = None,
    force: bool = False,
    by: str | None = None,
    now: dt.datetime | None = None,
) -> PublishResult:
    final_dir = settings.round_dir / FINAL_DIR
    audit = final_dir / AUDIT_NAME
    at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    prepared = prepare_publication(settings, decisions_path)
    summary, reports, changes = prepared.summary, prepared.reports, prepared.changes
    left, problems, notes = prepared.unverified, prepared.problems, prepared.notes
    base = {"at": at, "by": current_user(by), "round": settings.round}
    entries = [{**base, **vars(c), "event": c.event} for c in changes]
    blocking = prepared.blocking
    if blocking and not force:
        flagged = prepared.flagged
        append_audit(
            audit,
            [
                *entries,
                {
                    **base,
                    "event": "refused",
                    "unverified": [s.id for s in left],
                    "flagged": [{"sentence_id": s.id, "reasons": why} for s, why in flagged],
                    "problems": problems,
                },
            ],
        )
        lines = []
        if flagged:
            lines.append(f"còn {len(flagged)} câu cần rà soát chưa có quyết định:")
            lines += [f"  - {s.id}: {s.text} [{'; '.join(why)}]" for s, why in flagged]
        if problems:
            lines.append(f"{len(problems)} quyết định không khớp ({_listing(problems)})")
        raise PublishError(
            "Chưa ban hành: "
            + "\n".join(lines)
            + "\nHãy chấp nhận, sửa hoặc loại bỏ các câu này trên review.html rồi chạy lại với --decisions, "
            "hoặc dùng --force (sẽ được ghi vào nhật ký)."
        )
    summary_path = final_dir / "summary.json"
    write_model_json(summary_path, summary)
    round = Round.build(settings, reports, summary)
    outputs = [
        summary_path,
        write_report_docx(round, final_dir / "bao-cao-tong-hop.docx", draft=False),
        write_workbook(round, final_dir / "du-lieu.xlsx"),
        write_review_html(round, final_dir / "review.html"),
    ]
    if force and blocking:
        entries.append({**base, "event": "force", "overridden": blocking})
    entries.append(
        {
            **base,
            "event": "publish",
            "forced": bool(force and blocking),
            "decisions_file": str(decisions_path) if decisions_path else None,
            "decisions_sha256": prepared.decisions_sha256,
            "summary_generated_at": summary.generated_at.isoformat() if summary.generated_at else None,
            "changes": len(changes),
            "unverified_left": [s.id for s in left],
            "flagged_left": [s.id for s, _ in prepared.flagged],
            "problems": problems,
            "notes": notes,
            "outputs": {p.name: _sha256(p) for p in outputs},
        }
    )
    append_audit(audit, entries)
    return PublishResult(
        final_dir=final_dir,
        outputs=[*outputs, audit],
        changes=changes,
        forced=bool(force and blocking),
        unverified_left=[s.id for s in left],
        flagged_left=[s.id for s, _ in prepared.flagged] if force else [],
        problems=problems,
        notes=notes,
    )
