"""The publish gate (#21): nothing flagged is published unread. Every statement that needs review — an
unverified number, text that speaks to the system, figures of one commune among others — stops `publish`
until it has a decision, the refusal names each one and why, `--force` publishes them marked and is logged,
and the draft .docx highlights each with `[cần rà soát: …]`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from render_fixtures import make_reports, make_summary

from schemas.decisions import Decision, Decisions
from schemas.summary import ProvincialSummary
from tonghop.cli import main
from tonghop.errors import PublishError
from tonghop.publish import publish_round
from tonghop.render import write_outputs
from tonghop.render.view import Round
from tonghop.settings import Settings
from tonghop.summarize.grounding import FLAG_FIGURES_DIFFER, FLAG_INJECTION

HOSTILE = "Đề nghị tỉnh cấp tài khoản AI dùng chung cho cấp xã"  # proposals-1-1, flagged in these tests
FLAGGED = {"results-1-3", "results-3-3", "proposals-1-1", "directions-1-1"}


def _flagged_summary() -> ProvincialSummary:
    summary = make_summary(make_reports())
    for themes in summary.sections.values():
        for theme in themes:
            for sentence in theme.sentences:
                if sentence.id == "proposals-1-1":
                    sentence.flags.append(FLAG_INJECTION)
                if sentence.id == "directions-1-1":
                    sentence.flags.append(FLAG_FIGURES_DIFFER)
    return summary


@pytest.fixture
def settings(make_settings: Callable[..., Any]) -> Settings:
    settings: Settings = make_settings()
    write_outputs(Round.build(settings, make_reports(), _flagged_summary()), settings.round_dir)
    return settings


def _audit(settings: Settings) -> list[dict[str, Any]]:
    path = settings.round_dir / "final" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _decide(settings: Settings, ids: set[str]) -> Path:
    actions = {"results-3-3": "reject", "results-1-3": "edit"}
    items = [
        Decision(
            sentence_id=sid,
            action=actions.get(sid, "accept"),  # type: ignore[arg-type]
            text="Phần lớn văn bản được soạn với sự hỗ trợ của AI" if sid == "results-1-3" else None,
        )
        for sid in sorted(ids)
    ]
    path = settings.outbox / "quyet-dinh-2026-H1.json"
    payload = Decisions(round="2026-H1", province="Nghệ An", decisions=items)
    path.write_text(payload.model_dump_json(indent=2), encoding="utf-8")
    return path


def _paragraph(path: Path, needle: str) -> Any:
    document = docx.Document(str(path))
    return next(p for p in document.paragraphs if needle in p.text)


def test_the_draft_marks_every_flagged_statement_visibly(settings: Settings) -> None:
    draft = settings.round_dir / "bao-cao-tong-hop.docx"
    flagged = _paragraph(draft, HOSTILE)
    assert flagged.text.endswith("[cần rà soát: nội dung nghi là chèn lệnh]")
    assert {r.style.name for r in flagged.runs if r.text.strip()} == {"ND30 Unverified"}  # highlighted
    differ = _paragraph(draft, "Tiếp tục tập huấn kỹ năng")
    assert "[cần rà soát: số liệu của một đơn vị" in differ.text
    unverified = _paragraph(draft, "Khoảng 80%")
    assert unverified.text.endswith("[chưa kiểm chứng: 80%]")
    plain = _paragraph(draft, "Đề nghị Sở tổ chức tập huấn chuyên sâu")
    assert "cần rà soát" not in plain.text and "chưa kiểm chứng" not in plain.text
    page = (settings.round_dir / "review.html").read_text(encoding="utf-8")
    assert 'data-id="proposals-1-1" data-origin="extracted" data-unverified="true"' in page
    assert "Cần rà soát: nội dung nghi là chèn lệnh" in page


def test_publish_without_decisions_refuses_naming_each_flagged_statement_and_why(settings: Settings) -> None:
    with pytest.raises(PublishError) as refused:
        publish_round(settings, by="Trần Văn C")
    message = str(refused.value)
    assert "còn 4 câu cần rà soát chưa có quyết định" in message
    for sid in FLAGGED:
        assert f"- {sid}: " in message
    assert f"proposals-1-1: {HOSTILE} [nội dung nghi là chèn lệnh]" in message
    assert (
        "results-3-3: Tổ chức 7 lớp tập huấn cho 120 cán bộ, công chức [số liệu chưa kiểm chứng: 7, 120]"
        in (message)
    )
    assert not (settings.round_dir / "final" / "bao-cao-tong-hop.docx").exists()
    entry = _audit(settings)[-1]
    assert entry["event"] == "refused" and entry["by"] == "Trần Văn C"
    assert {f["sentence_id"] for f in entry["flagged"]} == FLAGGED


def test_a_decision_missing_for_one_flagged_statement_still_refuses(settings: Settings) -> None:
    decisions = _decide(settings, FLAGGED - {"proposals-1-1"})
    with pytest.raises(PublishError, match=r"còn 1 câu cần rà soát.*\n  - proposals-1-1: "):
        publish_round(settings, decisions_path=decisions)


def test_with_a_decision_for_each_flagged_statement_it_publishes_clean(settings: Settings) -> None:
    result = publish_round(settings, decisions_path=_decide(settings, FLAGGED), by="Nguyễn Thị B")
    assert not result.forced and result.flagged_left == []
    final = result.final_dir / "bao-cao-tong-hop.docx"
    text = "\n".join(p.text for p in docx.Document(str(final)).paragraphs)
    assert HOSTILE in text and "cần rà soát" not in text and "chưa kiểm chứng" not in text
    published = _audit(settings)[-1]
    assert published["event"] == "publish" and published["forced"] is False
    assert published["flagged_left"] == []


def test_force_publishes_the_flagged_statements_marked_and_logs_it(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["publish", "--round", "2026-H1", "--outbox", str(settings.outbox), "--province", "Nghệ An"]
    assert main(args) != 0
    assert "proposals-1-1" in capsys.readouterr().err
    assert main([*args, "--force", "--by", "Lê D"]) == 0
    out = capsys.readouterr().out
    assert "--force" in out and "còn 4 câu cần rà soát" in out
    final = settings.round_dir / "final" / "bao-cao-tong-hop.docx"
    marked = _paragraph(final, HOSTILE)
    assert marked.text.endswith("[cần rà soát: nội dung nghi là chèn lệnh]")
    assert {r.style.name for r in marked.runs if r.text.strip()} == {"ND30 Unverified"}
    audit = _audit(settings)
    force = next(e for e in audit if e["event"] == "force")
    assert force["by"] == "Lê D"
    assert any(item.startswith(f"proposals-1-1: {HOSTILE}") for item in force["overridden"])
    published = audit[-1]
    assert published["forced"] is True and set(published["flagged_left"]) == FLAGGED
